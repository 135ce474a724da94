"""Interviews (谈话), their outlines (谈话提纲) and the checklists of an inspection (五必查、
六必问、四必谈: Xixiu's practice, seeds/002).

An interview is a confidential record of the inspection's team (``confidential = True``): its
pages answer 404 to everybody else, the office and the liaison included. A checklist is the
inspection's copy of a tenant template; each of its items is done by an interview or by a
document, and the inspection waits for every item before reporting (``interviews.gates``)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from history.tracking import track
from xuncha.tenancy import TenantModel


class Category(models.TextChoices):
    """Who the interviewee is (DESIGN.md §3)."""

    LEADERSHIP = "leadership", _("Leadership member (班子成员)")
    MIDDLE = "middle", _("Middle manager (中层)")
    COUNTY = "county", _("District or county leader (区县领导)")
    PETITIONER = "petitioner", _("Petitioner (信访人)")
    KEY_POST = "key_post", _("Key post (关键岗位)")
    PARTY_MEMBER = "party_member", _("Party member representative (党员代表)")
    EMPLOYEE = "employee", _("Employee (普通员工)")
    PARTNER = "partner", _("Business partner (合作伙伴)")


class Method(models.TextChoices):
    IN_PERSON = "in_person", _("Face to face (面谈)")
    PHONE = "phone", _("Phone (电话)")
    VISIT = "visit", _("Visit (走访)")
    FORUM = "forum", _("Forum (座谈会)")


class OutlineRole(models.TextChoices):
    """The interviewee's role an outline is written for."""

    PRINCIPAL = "principal", _("Principal leader (主要负责人)")
    DISCIPLINE_SECRETARY = "discipline", _("Discipline inspection secretary (纪委书记)")
    LEADERSHIP = "leadership", _("Leadership member (班子成员)")
    MIDDLE = "middle", _("Middle manager (中层干部)")
    EMPLOYEE = "employee", _("Employee (普通员工)")
    PETITIONER = "petitioner", _("Petitioner (信访人)")


class Evidence(models.TextChoices):
    """What closes a checklist item."""

    INTERVIEW = "interview", _("An interview")
    DOCUMENT = "document", _("A document")
    EITHER = "either", _("An interview or a document")


@track()
class InterviewSettings(TenantModel):
    """The tenant's interview rules: how many interviewers a face-to-face talk needs (two by
    default: 谈话 are held by two inspectors), and whether the default templates were added."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="interview_settings"
    )
    min_interviewers_in_person = models.PositiveSmallIntegerField(
        _("interviewers of a face-to-face talk (at least)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    defaults_added = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("interview settings")
        verbose_name_plural = _("interview settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_interviewers_in_person__gte=1, min_interviewers_in_person__lte=9),
                name="interview_settings_min_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)


@track()
class OutlineTemplate(TenantModel):
    """An interview outline (谈话提纲): the questions for an interviewee of one role."""

    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("interviewee role"), max_length=20, choices=OutlineRole.choices)
    questions = models.JSONField(_("questions"), default=list, blank=True)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("interview outline")
        verbose_name_plural = _("interview outlines")
        ordering = ["role", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="uniq_outline_name"),
        ]

    def __str__(self) -> str:
        return self.name


@track()
class ChecklistTemplate(TenantModel):
    """A checklist the tenant's inspections work through (五必查, 六必问, 四必谈): its items are
    one per line, each closed by the ``evidence`` the list expects."""

    name = models.CharField(_("name"), max_length=50)
    evidence = models.CharField(
        _("done by"), max_length=10, choices=Evidence.choices, default=Evidence.EITHER
    )
    items = models.JSONField(_("items"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("used for new inspections"), default=True)

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="uniq_checklist_template_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


@track(label="inspection__unit__name")
class Checklist(TenantModel):
    """An inspection's copy of a checklist template, taken when its checklists start."""

    inspection = models.ForeignKey(
        "rounds.Inspection", on_delete=models.CASCADE, related_name="checklists"
    )
    template = models.ForeignKey(
        ChecklistTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "name"], name="uniq_checklist_name"),
        ]

    def __str__(self) -> str:
        return self.name


@track(label="interviewee_name")
class Interview(TenantModel):
    """One interview (谈话) of the inspection's team. Its notes are the team's only."""

    confidential = True

    inspection = models.ForeignKey(
        "rounds.Inspection", on_delete=models.CASCADE, related_name="interviews"
    )
    interviewee_name = models.CharField(_("interviewee"), max_length=100)
    interviewee_position = models.CharField(_("position"), max_length=100, blank=True)
    interviewee_unit = models.CharField(_("unit or department"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    outline = models.ForeignKey(
        OutlineTemplate,
        verbose_name=_("outline"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The outline's questions as they were when it was chosen: editing the template later
    # does not rewrite what this interview asked.
    outline_questions = models.JSONField(default=list, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    confirmed_by_interviewee = models.BooleanField(
        _("the interviewee confirmed the record"), default=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["-held_at", "-pk"]
        indexes = [models.Index(fields=["inspection", "-held_at"], name="interview_list_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(interviewee_name=""), name="interview_interviewee_named"
            ),
        ]

    def __str__(self) -> str:
        return self.interviewee_name

    @property
    def people(self) -> list:
        """The inspectors who held it (``Interviewer`` rows, prefetched by the selectors)."""
        return [seat.inspector for seat in self.seats.all()]


@track(shown_on="interview", label="inspector__name")
class Interviewer(TenantModel):
    """An inspector who held the interview (one row per person, listed in its 修改记录)."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="seats")
    inspector = models.ForeignKey(
        "rounds.Inspector",
        verbose_name=_("interviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("interviewer")
        verbose_name_plural = _("interviewers")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "inspector"], name="uniq_interviewer"),
        ]

    def __str__(self) -> str:
        return str(self.inspector)


@track(label="text")
class ChecklistItem(TenantModel):
    """One item of an inspection's checklist: done by an interview, or by a document (named in
    ``document_note``), or missing."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    inspection = models.ForeignKey(
        "rounds.Inspection", on_delete=models.CASCADE, related_name="+", editable=False
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("item"), max_length=200)
    evidence = models.CharField(
        _("done by"), max_length=10, choices=Evidence.choices, default=Evidence.EITHER
    )
    interview = models.ForeignKey(
        Interview,
        verbose_name=_("interview"),
        null=True,
        blank=True,
        # Deleting an interview un-ticks its items first (``services.delete_interview``); an
        # inspection deleted whole takes both with it.
        on_delete=models.RESTRICT,
        related_name="ticked_items",
    )
    # A document request (调阅) of the inspection whose documents cover the item, and/or a note
    # naming the document.
    document_request = models.ForeignKey(
        "documents.DocumentRequest",
        verbose_name=_("document request"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="+",
    )
    document_note = models.CharField(_("by document"), max_length=200, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist__position", "checklist_id", "position", "pk"]
        indexes = [models.Index(fields=["inspection", "done_at"], name="checklist_item_open_idx")]
        constraints = [
            # Done (a time) exactly when something did it.
            models.CheckConstraint(
                condition=(
                    Q(
                        done_at__isnull=True,
                        interview__isnull=True,
                        document_request__isnull=True,
                        document_note="",
                    )
                    | (
                        Q(done_at__isnull=False)
                        & (
                            Q(interview__isnull=False)
                            | Q(document_request__isnull=False)
                            | ~Q(document_note="")
                        )
                    )
                ),
                name="checklist_item_done_by_something_or_request",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
