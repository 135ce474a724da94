"""Surveys (民主测评 / 满意度问卷): a tenant's templates, the surveys run from them and their
anonymous responses.

A survey copies its template's questions when it is made, so editing a template never
changes a running survey. Answers come through printed one-time codes (a sheet of slips per
meeting, one response per code) or an open link. A response carries its survey, its channel
and the day it came in — no person, address, browser or code: nothing ties it to who
answered. The engine knows its owner only as an inspection today; the stage rule that says
when input is accepted lives in one function (``surveys.services.accepts_answers``) so the
rectification's surveys can reuse it."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from history.tracking import track
from xuncha.tenancy import TenantModel


class Purpose(models.TextChoices):
    EVALUATION = "evaluation", _("Democratic evaluation")
    SATISFACTION = "satisfaction", _("Satisfaction survey")
    RECTIFICATION_SATISFACTION = "rectification_satisfaction", _("Rectification satisfaction")
    TEAM_EVALUATION = "team_evaluation", _("Evaluation of the inspection team")


class Kind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RATING = "rating", _("Rating")
    TEXT = "text", _("Free text")
    GRID = "grid", _("Grade of each leader")


class Grade(models.TextChoices):
    """The columns of the grid (民主测评 of a leadership team); the first two are positive."""

    GOOD = "good", _("Good")
    FAIRLY_GOOD = "fairly_good", _("Fairly good")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


POSITIVE_GRADES = frozenset({Grade.GOOD, Grade.FAIRLY_GOOD})
CHOICE_KINDS = frozenset({Kind.SINGLE, Kind.MULTIPLE, Kind.GRID})
MAX_TEXT = 2000  # characters of a free-text answer


def new_token() -> str:
    """The unguessable key of a survey's open link (``/s/<token>/``)."""
    return secrets.token_urlsafe(18)


class QuestionBase(TenantModel):
    """What a template's question and a survey's copy of it share.

    ``options``: for single and multiple choice, a list of ``{"key", "label", "positive"}``;
    ``positive`` marks the answers counted as satisfied (满意、基本满意) in the satisfaction
    figure. A grid's columns are the fixed grades (``Grade``); a rating runs 1 to ``scale``."""

    position = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    options = models.JSONField(_("options"), default=list, blank=True)
    scale = models.PositiveSmallIntegerField(_("rating scale"), default=5)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    def choices(self) -> list[dict[str, Any]]:
        """The options a respondent picks from (the grades for a grid)."""
        if self.kind == Kind.GRID:
            return [
                {"key": g.value, "label": str(g.label), "positive": g in POSITIVE_GRADES}
                for g in Grade
            ]
        if self.kind in {Kind.SINGLE, Kind.MULTIPLE}:
            return list(self.options)
        return []

    def positive_keys(self) -> frozenset[str]:
        return frozenset(option["key"] for option in self.choices() if option.get("positive"))


@track()
class SurveyTemplate(TenantModel):
    """A tenant's questionnaire, from which surveys are made."""

    name = models.CharField(_("name"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


@track(shown_on="template", label="text")
class TemplateQuestion(QuestionBase):
    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="questions")

    class Meta(QuestionBase.Meta):
        verbose_name = _("template question")
        verbose_name_plural = _("template questions")


@track(label="title")
class Survey(TenantModel):
    """One survey of an inspected unit (or a sub-unit), with its own copy of the questions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    inspection = models.ForeignKey(
        "rounds.Inspection", on_delete=models.PROTECT, related_name="surveys"
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    template = models.ForeignKey(
        SurveyTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
    )
    title = models.CharField(_("title"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    open_link = models.BooleanField(_("open link"), default=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    expected_respondents = models.PositiveIntegerField(_("expected respondents"), default=0)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["inspection", "unit", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


@track(shown_on="survey", label="text")
class SurveyQuestion(QuestionBase):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")

    class Meta(QuestionBase.Meta):
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="survey_question_position")
        ]


@track(shown_on="survey")
class SurveySubject(TenantModel):
    """A leader graded in the survey's grid (a row: 姓名 and 职务)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="subjects")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("full name"), max_length=100)
    title = models.CharField(_("post"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("leader graded")
        verbose_name_plural = _("leaders graded")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


@track(shown_on="survey", label="label")
class CodeBatch(TenantModel):
    """A sheet of one-time codes handed out at one meeting (中层以上干部大会)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="batches")
    label = models.CharField(_("meeting"), max_length=200)
    count = models.PositiveIntegerField(_("number of codes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sheet of codes")
        verbose_name_plural = _("sheets of codes")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(count__lte=500), name="code_batch_count_range"
            )
        ]

    def __str__(self) -> str:
        return self.label


@track(exclude=["code", "used_on"])
class ResponseCode(TenantModel):
    """One printed slip: its code opens the form once. The code text is kept (the sheet is
    printed again from the page); a used code records only the day, and no response points
    back to it. Neither the code nor its use enters the history: an event of the use, written
    in the same transaction (and history context) as the response, would tie the slip to the
    answers — and a slip may be traced to whoever it was handed to."""

    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=16, unique=True, editable=False)
    used_on = models.DateField(_("used on"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.code


@track()
class Response(TenantModel):
    """One anonymous response: its survey, how it came in and on which day — nothing else."""

    confidential = True

    class Channel(models.TextChoices):
        CODE = "code", _("One-time code")
        LINK = "link", _("Open link")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    submitted_on = models.DateField(_("submitted on"))

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


@track()
class Answer(TenantModel):
    """One answer of a response: a chosen option (``choice``; a multiple choice writes a row per
    option, a grid a row per leader), a rating, or a text."""

    confidential = True

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    subject = models.ForeignKey(
        SurveySubject, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    choice = models.CharField(max_length=40, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "subject", "choice"])]
