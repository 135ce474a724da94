"""Reads of surveys: the team's lists, the aggregated results (counted in SQL, a constant number
of queries whatever the number of answers), the free texts, and the public page's lookups by
open-link token or one-time code (the one cross-tenant read each, as the announcement's)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from accounts.models import Organization, Unit
from rounds.models import Inspection
from surveys.models import (
    CHOICE_KINDS,
    Answer,
    CodeBatch,
    Kind,
    Response,
    ResponseCode,
    Survey,
    SurveyQuestion,
    SurveySubject,
    SurveyTemplate,
    TemplateQuestion,
)
from xuncha.tenancy import dangerously_unscoped

# What a token can be (``secrets.token_urlsafe``): anything else, a NUL byte included, is
# refused before it reaches the database.
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def survey_template_list(*, org: Organization) -> QuerySet[SurveyTemplate]:
    return SurveyTemplate.objects.for_org(org).annotate(question_count=Count("questions"))


def template_question_list(*, template: SurveyTemplate) -> QuerySet[TemplateQuestion]:
    return TemplateQuestion.objects.for_org(template.organization).filter(template=template)


def survey_list(*, inspection: Inspection) -> QuerySet[Survey]:
    return (
        Survey.objects.for_org(inspection.organization)
        .filter(inspection=inspection)
        .select_related("unit")
        .annotate(response_count=Count("responses", distinct=True))
        .order_by("-created_at", "-pk")
    )


def survey_question_list(*, survey: Survey) -> QuerySet[SurveyQuestion]:
    return SurveyQuestion.objects.for_org(survey.organization).filter(survey=survey)


def survey_subject_list(*, survey: Survey) -> QuerySet[SurveySubject]:
    return SurveySubject.objects.for_org(survey.organization).filter(survey=survey)


def code_batch_list(*, survey: Survey) -> QuerySet[CodeBatch]:
    return (
        CodeBatch.objects.for_org(survey.organization)
        .filter(survey=survey)
        .annotate(used=Count("codes", filter=Q(codes__used_on__isnull=False)))
        .order_by("created_at", "pk")
    )


def response_code_list(*, batch: CodeBatch) -> QuerySet[ResponseCode]:
    return ResponseCode.objects.for_org(batch.organization).filter(batch=batch)


def answer_text_list(*, survey: Survey) -> QuerySet[Answer]:
    """The free-text answers, by question, then alphabetically: never in the order they came
    in, so a text cannot be matched to the time a code was used."""
    return (
        Answer.objects.for_org(survey.organization)
        .filter(response__survey=survey, question__kind=Kind.TEXT)
        .exclude(text="")
        .select_related("question")
        .order_by("question__position", "text", "pk")
    )


# --- Results --------------------------------------------------------------------------------


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class OptionCount:
    key: str
    label: str
    positive: bool
    count: int = 0
    percent: float | None = None


@dataclass
class Row:
    """The counts of one question, or of one leader in the grid."""

    label: str
    detail: str = ""
    options: list[OptionCount] = field(default_factory=list)
    answered: int = 0
    positive: int = 0

    @property
    def positive_percent(self) -> float | None:
        return _percent(self.positive, self.answered)


@dataclass
class QuestionResult:
    question: SurveyQuestion
    rows: list[Row] = field(default_factory=list)
    average: float | None = None  # a rating's
    answered: int = 0

    @property
    def positive(self) -> int:
        return sum(row.positive for row in self.rows)

    @property
    def answers(self) -> int:
        return sum(row.answered for row in self.rows)

    @property
    def positive_percent(self) -> float | None:
        return _percent(self.positive, self.answers)


@dataclass
class SurveyResults:
    responses: int
    expected: int
    questions: list[QuestionResult]
    by_channel: dict[str, int]

    @property
    def response_rate(self) -> float | None:
        return _percent(self.responses, self.expected)

    @property
    def satisfaction(self) -> float | None:
        """综合满意度: positive answers among all answers to the choice questions (a grid's
        every leader counting as one answer)."""
        choice = [row for row in self.questions if row.question.kind in CHOICE_KINDS]
        return _percent(sum(q.positive for q in choice), sum(q.answers for q in choice))

    @property
    def grid(self) -> QuestionResult | None:
        return next((q for q in self.questions if q.question.kind == Kind.GRID), None)


def _row(question: SurveyQuestion, counts: dict[str, int], label: str, detail: str = "") -> Row:
    row = Row(label=label, detail=detail)
    for option in question.choices():
        count = counts.get(option["key"], 0)
        row.options.append(
            OptionCount(option["key"], option["label"], bool(option.get("positive")), count)
        )
        row.answered += count
        row.positive += count if option.get("positive") else 0
    for counted in row.options:
        counted.percent = _percent(counted.count, row.answered)
    return row


def survey_results(*, survey: Survey) -> SurveyResults:
    """Five queries: questions, leaders, responses by channel, choices counted by question and
    leader, ratings and texts counted by question."""
    org = survey.organization
    questions = list(survey_question_list(survey=survey))
    subjects = list(survey_subject_list(survey=survey))
    channels = dict(
        Response.objects.for_org(org)
        .filter(survey=survey)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    answers = Answer.objects.for_org(org).filter(question__survey=survey)
    counts: dict[tuple[int, int | None], dict[str, int]] = {}
    for question_id, subject_id, choice, n in (
        answers.exclude(choice="")
        .values_list("question_id", "subject_id", "choice")
        .annotate(n=Count("pk"))
        .values_list("question_id", "subject_id", "choice", "n")
    ):
        counts.setdefault((question_id, subject_id), {})[choice] = n
    others: dict[int, dict[str, Any]] = {
        row["question_id"]: dict(row)
        for row in answers.filter(choice="")
        .values("question_id")
        .annotate(average=Avg("rating"), answered=Count("response_id", distinct=True))
    }
    results = []
    for question in questions:
        result = QuestionResult(question)
        if question.kind == Kind.GRID:
            result.rows = [
                _row(question, counts.get((question.pk, s.pk), {}), s.name, s.title)
                for s in subjects
            ]
        elif question.kind in CHOICE_KINDS:
            result.rows = [_row(question, counts.get((question.pk, None), {}), question.text)]
        else:
            other = others.get(question.pk, {})
            result.answered = other.get("answered", 0)
            average = other.get("average")
            result.average = round(float(average), 2) if average is not None else None
        results.append(result)
    return SurveyResults(
        responses=sum(channels.values()),
        expected=survey.expected_respondents,
        questions=results,
        by_channel=channels,
    )


# --- The public pages -----------------------------------------------------------------------


def _public(**lookup: Any) -> Survey | None:
    with dangerously_unscoped():
        survey = Survey.objects.filter(**lookup).select_related("organization").first()
    if survey is None or not survey.organization.is_active:
        return None
    return survey


def survey_by_token(*, token: str) -> Survey | None:
    """The survey whose open link is ``token``, whatever its state (the caller checks it):
    the one cross-tenant read of the open link, which names its organization."""
    if not TOKEN.fullmatch(token):
        return None
    return _public(token=token, open_link=True)


def survey_by_code(*, code: str) -> Survey | None:
    """The survey of the unused one-time ``code`` (normalized), ``None`` for a used or unknown
    one: both read the same."""
    if not code:
        return None
    with dangerously_unscoped():
        survey_id = (
            ResponseCode.objects.filter(code=code, used_on__isnull=True)
            .values_list("survey_id", flat=True)
            .first()
        )
    return _public(pk=survey_id) if survey_id is not None else None


def survey_public_get(*, org: Organization, pk: int) -> Survey:
    """The survey with its inspection and unit (inside ``org_scope(org)``)."""
    return (
        Survey.objects.for_org(org)
        .select_related("inspection__unit", "inspection__round", "unit")
        .get(pk=pk)
    )


def survey_open_list(*, inspection: Inspection, unit: Unit) -> QuerySet[Survey]:
    """The open surveys of ``unit`` in ``inspection`` answered through the open link."""
    return Survey.objects.for_org(inspection.organization).filter(
        inspection=inspection, unit=unit, status=Survey.Status.OPEN, open_link=True
    )
