"""Services of the surveys app: templates, surveys and their set-up, one-time codes, and the
anonymous responses.

A response is written with its survey, channel and day only: the services are never handed
the respondent's address, browser or account, so none can be stored. The abuse limits that
need the client (rate limits, the answered-cookie) live in ``surveys.limits``, which keeps
only a keyed hash of the address, and only in the cache."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import Organization, Unit, User
from history.changes import save_changes
from rounds.models import Inspection
from rounds.selectors.announcements import announcement_unit_list
from rounds.services.announcements import accepts_input
from rounds.services.closed import check_open
from surveys.answers import Parsed, parse_answers
from surveys.defaults import DEFAULT_TEMPLATES
from surveys.models import (
    Answer,
    CodeBatch,
    Kind,
    Purpose,
    Response,
    ResponseCode,
    Survey,
    SurveyQuestion,
    SurveySubject,
    SurveyTemplate,
    TemplateQuestion,
)

# Printed codes: no 0/O, 1/I/L, 2/Z, 5/S, 8/B — read off a slip and typed on a phone.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 8
LINK_CAP_FACTOR = 2  # the open link takes at most this many times the expected respondents
LINK_CAP_WITHOUT_EXPECTED = 500
MAX_SUBJECTS = 40


class AnswerErrors(DomainError):
    """The posted answers were refused; ``errors`` by question id."""

    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__(_("Check the answers marked below."))
        self.errors = errors


# --- When a survey takes answers ------------------------------------------------------------


def owner_accepts_input(survey: Survey) -> bool:
    """Whether the survey's owner still collects answers: an inspection's surveys until its
    on-site stage ends. (A rectification's surveys will name their own rule here.)"""
    return accepts_input(survey.inspection)


def accepts_answers(survey: Survey) -> bool:
    return survey.status == Survey.Status.OPEN and owner_accepts_input(survey)


# --- Templates ------------------------------------------------------------------------------


def _options(rows: Sequence[tuple[str, bool]]) -> list[dict[str, Any]]:
    return [
        {"key": str(index), "label": label, "positive": positive}
        for index, (label, positive) in enumerate(rows, start=1)
    ]


def parse_options(text: str) -> list[dict[str, Any]]:
    """Options typed one per line; a leading ``+`` marks one counted as satisfied."""
    rows = []
    for line in text.splitlines():
        label = line.strip()
        positive = label.startswith(("+", "＋"))
        label = label.lstrip("+＋").strip()
        if label:
            rows.append((label[:100], positive))
    return _options(rows)


def _check_question(kind: str, text: str, options: list[dict[str, Any]], scale: int) -> None:
    if not text.strip():
        raise DomainError(_("Write the question."), field="text")
    if kind in {Kind.SINGLE, Kind.MULTIPLE} and len(options) < 2:
        raise DomainError(_("Give at least two options, one per line."), field="options")
    if len(options) > 20:
        raise DomainError(_("Give at most 20 options."), field="options")
    if kind == Kind.RATING and not 2 <= scale <= 10:
        raise DomainError(_("The rating scale runs from 2 to 10."), field="scale")


@transaction.atomic
def ensure_default_templates(*, org: Organization) -> list[SurveyTemplate]:
    """The tenant's templates, with the default 民主测评 and 满意度问卷 made the first time."""
    templates = SurveyTemplate.objects.for_org(org)
    if not templates.exists():
        for spec in DEFAULT_TEMPLATES:
            template = SurveyTemplate.objects.create(
                organization=org, name=spec["name"], purpose=spec["purpose"]
            )
            for position, (kind, text, options, required) in enumerate(spec["questions"], 1):
                TemplateQuestion.objects.create(
                    organization=org,
                    template=template,
                    position=position,
                    kind=kind,
                    text=text,
                    options=_options(options),
                    required=required,
                )
    return list(templates.order_by("name", "pk"))


@transaction.atomic
def create_template(
    *, org: Organization, actor: User, name: str, purpose: str, description: str = ""
) -> SurveyTemplate:
    if not name.strip():
        raise DomainError(_("Give the template a name."), field="name")
    return SurveyTemplate.objects.create(
        organization=org, name=name.strip(), purpose=Purpose(purpose), description=description
    )


@transaction.atomic
def update_template(
    *,
    template: SurveyTemplate,
    actor: User,
    name: str,
    purpose: str,
    description: str,
    is_active: bool,
) -> SurveyTemplate:
    if not name.strip():
        raise DomainError(_("Give the template a name."), field="name")
    locked = SurveyTemplate.objects.for_org(template.organization).select_for_update()
    template = locked.get(pk=template.pk)
    values = {"name": name.strip(), "purpose": Purpose(purpose), "description": description}
    save_changes(template, {**values, "is_active": is_active})
    return template


@transaction.atomic
def save_template_question(
    *,
    template: SurveyTemplate,
    actor: User,
    kind: str,
    text: str,
    options: list[dict[str, Any]],
    scale: int = 5,
    required: bool = True,
    question: TemplateQuestion | None = None,
) -> TemplateQuestion:
    """Add a question at the end, or change ``question``; running surveys keep their copy."""
    _check_question(kind, text, options, scale)
    values = {
        "kind": Kind(kind),
        "text": text.strip()[:300],
        "options": options if kind in {Kind.SINGLE, Kind.MULTIPLE} else [],
        "scale": scale,
        "required": required,
    }
    questions = TemplateQuestion.objects.for_org(template.organization).filter(template=template)
    if question is None:
        last = questions.order_by("-position").values_list("position", flat=True).first()
        return TemplateQuestion.objects.create(
            organization=template.organization,
            template=template,
            position=(last or 0) + 1,
            **values,
        )
    question = questions.select_for_update().get(pk=question.pk)
    save_changes(question, values)
    return question


@transaction.atomic
def remove_template_question(*, question: TemplateQuestion, actor: User) -> None:
    TemplateQuestion.objects.for_org(question.organization).filter(pk=question.pk).delete()


# --- Surveys --------------------------------------------------------------------------------


def _check_unit(inspection: Inspection, unit: Unit) -> None:
    if not announcement_unit_list(inspection=inspection).filter(pk=unit.pk).exists():
        raise DomainError(
            _("Choose the inspected unit or one of its active sub-units."), field="unit"
        )


def _locked(survey: Survey) -> Survey:
    return (
        Survey.objects.for_org(survey.organization)
        .select_for_update()
        .select_related("inspection")
        .get(pk=survey.pk)
    )


@transaction.atomic
def create_survey(
    *,
    inspection: Inspection,
    actor: User,
    template: SurveyTemplate,
    unit: Unit,
    title: str = "",
    expected_respondents: int = 0,
    open_link: bool = False,
) -> Survey:
    """A survey of ``unit`` with a copy of ``template``'s questions (a draft)."""
    check_open(inspection)
    _check_unit(inspection, unit)
    org = inspection.organization
    questions = list(TemplateQuestion.objects.for_org(org).filter(template=template))
    if not questions:
        raise DomainError(_("The template has no questions."), field="template")
    survey = Survey.objects.create(
        organization=org,
        inspection=inspection,
        unit=unit,
        template=template,
        title=title.strip()[:200] or f"{unit.name}{template.name}",
        purpose=template.purpose,
        expected_respondents=expected_respondents,
        open_link=open_link,
    )
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            organization=org,
            survey=survey,
            position=position,
            kind=row.kind,
            text=row.text,
            options=row.options,
            scale=row.scale,
            required=row.required,
        )
        for position, row in enumerate(questions, start=1)
    )
    return survey


@transaction.atomic
def update_survey(
    *, survey: Survey, actor: User, title: str, expected_respondents: int, open_link: bool
) -> Survey:
    check_open(survey.inspection)
    survey = _locked(survey)
    if not title.strip():
        raise DomainError(_("Give the survey a title."), field="title")
    values = {
        "title": title.strip()[:200],
        "expected_respondents": expected_respondents,
        "open_link": open_link,
    }
    save_changes(survey, values)
    return survey


def parse_subjects(text: str) -> list[tuple[str, str]]:
    """Leaders typed one per line: the name, then the post (``张明 党委书记、总经理``)."""
    rows = []
    for line in text.splitlines():
        parts = line.replace("\u3000", " ").strip().split(None, 1)
        if parts:
            rows.append((parts[0][:100], parts[1].strip()[:200] if len(parts) > 1 else ""))
    return rows


@transaction.atomic
def set_subjects(*, survey: Survey, actor: User, subjects: Sequence[tuple[str, str]]) -> Survey:
    """The leaders of the grid, in order; fixed once the survey has answers."""
    check_open(survey.inspection)
    survey = _locked(survey)
    org = survey.organization
    if Response.objects.for_org(org).filter(survey=survey).exists():
        raise DomainError(_("The survey has answers: its leaders can no longer change."))
    if len(subjects) > MAX_SUBJECTS:
        raise DomainError(
            _("At most %(count)s leaders.") % {"count": MAX_SUBJECTS}, field="subjects"
        )
    current = list(SurveySubject.objects.for_org(org).filter(survey=survey))
    if [(row.name, row.title) for row in current] == list(subjects):
        return survey
    SurveySubject.objects.for_org(org).filter(survey=survey).delete()
    SurveySubject.objects.bulk_create(
        SurveySubject(organization=org, survey=survey, position=position, name=name, title=title)
        for position, (name, title) in enumerate(subjects, start=1)
    )
    return survey


def _has_grid(survey: Survey) -> bool:
    return (
        SurveyQuestion.objects.for_org(survey.organization)
        .filter(survey=survey, kind=Kind.GRID)
        .exists()
    )


@transaction.atomic
def open_survey(*, survey: Survey, actor: User) -> Survey:
    check_open(survey.inspection)
    survey = _locked(survey)
    if survey.status == Survey.Status.OPEN:
        return survey
    if not owner_accepts_input(survey):
        raise DomainError(_("The on-site stage has ended: the survey can no longer open."))
    if _has_grid(survey) and not (
        SurveySubject.objects.for_org(survey.organization).filter(survey=survey).exists()
    ):
        raise DomainError(_("Enter the leaders graded in the grid before opening the survey."))
    survey.status = Survey.Status.OPEN
    survey.opened_at = survey.opened_at or timezone.now()
    survey.closed_at = None
    survey.save(update_fields=["status", "opened_at", "closed_at"])
    return survey


@transaction.atomic
def close_survey(*, survey: Survey, actor: User) -> Survey:
    check_open(survey.inspection)
    survey = _locked(survey)
    if survey.status != Survey.Status.OPEN:
        return survey
    survey.status = Survey.Status.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    return survey


# --- One-time codes -------------------------------------------------------------------------


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_code(value: str) -> str:
    """What was typed, as stored: upper case, the dash where it belongs (``""`` for what
    cannot be a code)."""
    cleaned = "".join(ch for ch in value[:40].upper() if ch not in " -")
    if len(cleaned) != CODE_LENGTH or not set(cleaned) <= set(CODE_ALPHABET):
        return ""
    return f"{cleaned[:4]}-{cleaned[4:]}"


@transaction.atomic
def issue_codes(*, survey: Survey, actor: User, label: str, count: int) -> CodeBatch:
    """A sheet of ``count`` single-use codes for one meeting."""
    check_open(survey.inspection)
    survey = _locked(survey)
    if survey.status == Survey.Status.CLOSED:
        raise DomainError(_("The survey is closed."))
    if not 1 <= count <= 500:
        raise DomainError(_("Print between 1 and 500 codes at a time."), field="count")
    if not label.strip():
        raise DomainError(_("Name the meeting the codes are for."), field="label")
    org = survey.organization
    batch = CodeBatch.objects.create(
        organization=org, survey=survey, label=label.strip()[:200], count=count
    )
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_code())
    ResponseCode.objects.bulk_create(
        ResponseCode(organization=org, batch=batch, survey=survey, code=code) for code in codes
    )
    return batch


# --- Responses ------------------------------------------------------------------------------


def link_cap(survey: Survey) -> int:
    if survey.expected_respondents:
        return survey.expected_respondents * LINK_CAP_FACTOR
    return LINK_CAP_WITHOUT_EXPECTED


def _parsed(survey: Survey, get: Callable[[str], list[str]]) -> list[Parsed]:
    org = survey.organization
    questions = list(SurveyQuestion.objects.for_org(org).filter(survey=survey))
    subjects = list(SurveySubject.objects.for_org(org).filter(survey=survey))
    answers, errors = parse_answers(questions=questions, subjects=subjects, get=get)
    if errors:
        raise AnswerErrors(errors)
    return answers


def _consume(survey: Survey, code: str) -> None:
    used = (
        ResponseCode.objects.for_org(survey.organization)
        .filter(survey=survey, code=code, used_on__isnull=True)
        .update(used_on=timezone.localdate())
    )
    if used != 1:
        raise DomainError(_("This code is not valid or has already been used."), field="code")


@transaction.atomic
def submit_response(
    *, survey: Survey, channel: str, get: Callable[[str], list[str]], code: str = ""
) -> Response:
    """Write one anonymous response from the posted values (``get(name)``). Through a code,
    the code is used up in the same transaction (a conditional UPDATE: one response per code
    even when two phones send it at once); refused input changes nothing."""
    survey = _locked(survey)
    if not accepts_answers(survey):
        raise DomainError(_("This survey is not taking answers."))
    answers = _parsed(survey, get)
    org = survey.organization
    if channel == Response.Channel.CODE:
        _consume(survey, code)
    elif channel == Response.Channel.LINK:
        if not survey.open_link:
            raise DomainError(_("This survey is not taking answers."))
        taken = Response.objects.for_org(org).filter(survey=survey, channel=channel).count()
        if taken >= link_cap(survey):
            raise DomainError(_("This survey has received all the answers it can take."))
    else:
        raise DomainError(_("This survey is not taking answers."))
    response = Response.objects.create(
        organization=org, survey=survey, channel=channel, submitted_on=timezone.localdate()
    )
    Answer.objects.bulk_create(
        Answer(
            organization=org,
            response=response,
            question_id=row.question_id,
            subject_id=row.subject_id,
            choice=row.choice,
            rating=row.rating,
            text=row.text,
        )
        for row in answers
    )
    return response


def code_is_unused(*, survey: Survey, code: str) -> bool:
    return (
        ResponseCode.objects.for_org(survey.organization)
        .filter(survey=survey, code=code, used_on__isnull=True)
        .exists()
    )
