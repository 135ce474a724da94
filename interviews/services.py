"""Services of the interviews app: recording interviews (谈话) and ticking the inspection's
checklists (五必查、六必问、四必谈) with them or with documents, the tenant's templates and rule.

An interview is its team's record: only those working the inspection (``Action.TEAM``) record,
change or delete one, and only people working it hold it. Nothing here writes an interview's
notes anywhere but its row: no log line, message or notification carries them."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import Organization, User
from accounts.selectors import membership_get
from documents.models import DocumentRequest
from history.changes import save_changes
from interviews import defaults
from interviews.models import (
    Category,
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    Evidence,
    Interview,
    Interviewer,
    InterviewSettings,
    Method,
    OutlineRole,
    OutlineTemplate,
)
from interviews.selectors import interview_settings, interviewer_candidate_list
from rounds.models import Inspection, Inspector
from rounds.permissions import Action, can
from rounds.services.closed import check_open
from rounds.services.effective_dates import check_past_day


def _check_team(inspection: Inspection, actor: User) -> None:
    membership = membership_get(org=inspection.organization, user=actor)
    if not can(membership, Action.TEAM, inspection):
        raise DomainError(_("Only the inspection's team records its interviews."))


# --- Templates and the tenant's rule ---------------------------------------------------------


def _settings_row(org: Organization) -> InterviewSettings:
    InterviewSettings.objects.for_org(org).get_or_create(organization=org)
    return InterviewSettings.objects.for_org(org).select_for_update().get()


@transaction.atomic
def ensure_default_templates(*, org: Organization) -> bool:
    """Give ``org`` the default outlines and checklists, once (a tenant that later removes or
    renames them does not get them back). Returns whether they were added now."""
    row = _settings_row(org)
    if row.defaults_added:
        return False
    names = set(OutlineTemplate.objects.for_org(org).values_list("name", flat=True))
    for name, role, questions in defaults.OUTLINES:
        if name not in names:
            OutlineTemplate.objects.create(
                organization=org, name=name, role=role, questions=questions
            )
    lists = set(ChecklistTemplate.objects.for_org(org).values_list("name", flat=True))
    for position, (name, evidence, items) in enumerate(defaults.CHECKLISTS):
        if name not in lists:
            ChecklistTemplate.objects.create(
                organization=org, name=name, evidence=evidence, items=items, position=position
            )
    row.defaults_added = True
    row.save(update_fields=["defaults_added"])
    return True


@transaction.atomic
def save_interview_settings(
    *, org: Organization, actor: User, min_interviewers_in_person: int
) -> InterviewSettings:
    if not 1 <= min_interviewers_in_person <= 9:
        raise DomainError(
            _("A face-to-face talk needs from one to nine interviewers."),
            field="min_interviewers_in_person",
        )
    row = _settings_row(org)
    save_changes(row, {"min_interviewers_in_person": min_interviewers_in_person})
    return row


def _lines(values: Sequence[str], *, field: str, limit: int) -> list[str]:
    lines = [value.strip() for value in values if value.strip()]
    if not lines:
        raise DomainError(_("Write at least one line."), field=field)
    if any(len(line) > limit for line in lines):
        raise DomainError(
            _("A line may hold at most %(limit)s characters.") % {"limit": limit}, field=field
        )
    return lines


def _unique_name[T: (OutlineTemplate, ChecklistTemplate)](
    model: type[T], org: Organization, name: str, template: T | None
) -> str:
    name = name.strip()
    if not name:
        raise DomainError(_("Give it a name."), field="name")
    taken = model.objects.for_org(org).filter(name=name)
    if template is not None:
        taken = taken.exclude(pk=template.pk)
    if taken.exists():
        raise DomainError(_("Another template has this name."), field="name")
    return name


@transaction.atomic
def save_outline_template(
    *,
    org: Organization,
    actor: User,
    template: OutlineTemplate | None,
    name: str,
    role: str,
    questions: Sequence[str],
    active: bool = True,
) -> OutlineTemplate:
    if role not in OutlineRole.values:
        raise DomainError(_("Choose the interviewee's role."), field="role")
    values = {
        "name": _unique_name(OutlineTemplate, org, name, template),
        "role": role,
        "questions": _lines(questions, field="questions", limit=500),
        "active": active,
    }
    if template is None:
        return OutlineTemplate.objects.create(organization=org, **values)
    template = OutlineTemplate.objects.for_org(org).select_for_update().get(pk=template.pk)
    save_changes(template, values)
    return template


@transaction.atomic
def save_checklist_template(
    *,
    org: Organization,
    actor: User,
    template: ChecklistTemplate | None,
    name: str,
    evidence: str,
    items: Sequence[str],
    active: bool = True,
) -> ChecklistTemplate:
    """Save a checklist template; inspections whose checklists started keep their copy."""
    if evidence not in Evidence.values:
        raise DomainError(_("Choose what closes an item."), field="evidence")
    values = {
        "name": _unique_name(ChecklistTemplate, org, name, template),
        "evidence": evidence,
        "items": _lines(items, field="items", limit=200),
        "active": active,
    }
    if template is None:
        count = ChecklistTemplate.objects.for_org(org).count()
        return ChecklistTemplate.objects.create(organization=org, position=count, **values)
    template = ChecklistTemplate.objects.for_org(org).select_for_update().get(pk=template.pk)
    save_changes(template, values)
    return template


# --- The inspection's checklists -------------------------------------------------------------


def _locked_inspection(inspection: Inspection) -> Inspection:
    check_open(inspection)
    return (
        Inspection.objects.for_org(inspection.organization)
        .select_for_update()
        .get(pk=inspection.pk)
    )


@transaction.atomic
def start_checklists(*, inspection: Inspection, actor: User) -> list[Checklist]:
    """Copy the tenant's checklists in use onto ``inspection`` (those it has not yet: starting
    again adds only templates added since). Returns the checklists made now."""
    locked = _locked_inspection(inspection)
    org = inspection.organization
    ensure_default_templates(org=org)
    have = set(
        Checklist.objects.for_org(org).filter(inspection=locked).values_list("name", flat=True)
    )
    made = []
    for template in ChecklistTemplate.objects.for_org(org).filter(active=True):
        if template.name in have:
            continue
        checklist = Checklist.objects.create(
            organization=org,
            inspection=locked,
            template=template,
            name=template.name,
            position=template.position,
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                organization=org,
                checklist=checklist,
                inspection=locked,
                position=position,
                text=text,
                evidence=template.evidence,
            )
            for position, text in enumerate(template.items)
        )
        made.append(checklist)
    return made


def _tick(
    item: ChecklistItem,
    actor: User,
    *,
    interview: Interview | None,
    note: str,
    request: DocumentRequest | None = None,
) -> None:
    save_changes(
        item,
        {
            "interview": interview,
            "document_request": request,
            "document_note": note,
            "done_at": timezone.now(),
            "done_by": actor,
        },
    )


def _untick(item: ChecklistItem) -> None:
    save_changes(
        item,
        {
            "interview": None,
            "document_request": None,
            "document_note": "",
            "done_at": None,
            "done_by": None,
        },
    )


@transaction.atomic
def tick_item(
    *,
    item: ChecklistItem,
    actor: User,
    interview: Interview | None = None,
    document_note: str = "",
    document_request: DocumentRequest | None = None,
) -> ChecklistItem:
    """Mark ``item`` done by ``interview`` (one of its inspection's) or by documents: a
    document request (调阅) of its inspection and/or the document named in ``document_note``;
    ticking a done item again replaces what did it."""
    check_open(item.inspection)
    item = ChecklistItem.objects.for_org(item.organization).select_for_update().get(pk=item.pk)
    note = document_note.strip()
    by_document = bool(note) or document_request is not None
    if (interview is None) != by_document:
        raise DomainError(_("Name the interview or the document that covers the item."))
    if document_request is not None and document_request.inspection_id != item.inspection_id:
        raise DomainError(
            _("Choose a document request of this inspection."), field="document_request"
        )
    if interview is not None:
        if interview.inspection_id != item.inspection_id:
            raise DomainError(_("Choose an interview of this inspection."), field="interview")
        if item.evidence == Evidence.DOCUMENT:
            raise DomainError(_("This item is done by a document."), field="interview")
        _check_team(item.inspection, actor)
    elif item.evidence == Evidence.INTERVIEW:
        raise DomainError(_("This item is done by an interview."), field="document_note")
    if len(note) > 200:
        raise DomainError(_("Name the document in at most 200 characters."), field="document_note")
    _tick(item, actor, interview=interview, note=note, request=document_request)
    return item


@transaction.atomic
def untick_item(*, item: ChecklistItem, actor: User) -> ChecklistItem:
    """Mark ``item`` missing again."""
    check_open(item.inspection)
    item = ChecklistItem.objects.for_org(item.organization).select_for_update().get(pk=item.pk)
    _untick(item)
    return item


# --- Interviews ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterviewDetails:
    """What the interview form and the API give (the same checks for both)."""

    interviewee_name: str
    category: str
    method: str
    held_at: datetime.datetime
    interviewers: Sequence[Inspector]
    interviewee_position: str = ""
    interviewee_unit: str = ""
    place: str = ""
    outline: OutlineTemplate | None = None
    notes: str = ""
    confirmed_by_interviewee: bool = False


def _check_interviewers(inspection: Inspection, details: InterviewDetails) -> list[Inspector]:
    people = list({person.pk: person for person in details.interviewers}.values())
    if not people:
        raise DomainError(_("Name who held the interview."), field="interviewers")
    working = set(
        interviewer_candidate_list(inspection=inspection)
        .filter(pk__in=[p.pk for p in people])
        .values_list("pk", flat=True)
    )
    strangers = [str(p) for p in people if p.pk not in working]
    if strangers:
        raise DomainError(
            _("%(people)s do not work this inspection.") % {"people": "、".join(strangers)},
            field="interviewers",
        )
    needed = interview_settings(org=inspection.organization).min_interviewers_in_person
    if details.method == Method.IN_PERSON and len(people) < needed:
        raise DomainError(
            _("A face-to-face talk is held by at least %(count)s interviewers.")
            % {"count": needed},
            field="interviewers",
        )
    return people


def _check_held_at(inspection: Inspection, held_at: datetime.datetime) -> None:
    if timezone.is_naive(held_at):
        raise DomainError(_("Give the time with its time zone."), field="held_at")
    if held_at > timezone.now():
        raise DomainError(
            _("An interview is recorded once held: the time is in the future."), field="held_at"
        )
    check_past_day(
        timezone.localdate(held_at), round=inspection.round, label=_("Held at"), field="held_at"
    )


def _values(inspection: Inspection, details: InterviewDetails) -> dict[str, object]:
    name = details.interviewee_name.strip()
    if not name:
        raise DomainError(_("Give the interviewee's name."), field="interviewee_name")
    if details.category not in Category.values:
        raise DomainError(_("Choose the interviewee's category."), field="category")
    if details.method not in Method.values:
        raise DomainError(_("Choose how the interview was held."), field="method")
    outline = details.outline
    if outline is not None and outline.organization_id != inspection.organization_id:
        raise DomainError(_("Choose one of the outlines offered."), field="outline")
    _check_held_at(inspection, details.held_at)
    return {
        "interviewee_name": name,
        "interviewee_position": details.interviewee_position.strip(),
        "interviewee_unit": details.interviewee_unit.strip(),
        "category": details.category,
        "method": details.method,
        "held_at": details.held_at,
        "place": details.place.strip(),
        "outline": outline,
        "notes": details.notes.strip(),
        "confirmed_by_interviewee": details.confirmed_by_interviewee,
    }


def _set_interviewers(interview: Interview, people: list[Inspector]) -> None:
    seats = Interviewer.objects.for_org(interview.organization).filter(interview=interview)
    wanted = {person.pk for person in people}
    seats.exclude(inspector_id__in=wanted).delete()
    have = set(seats.values_list("inspector_id", flat=True))
    Interviewer.objects.bulk_create(
        Interviewer(organization=interview.organization, interview=interview, inspector=person)
        for person in people
        if person.pk not in have
    )


def _set_ticks(interview: Interview, actor: User, items: Sequence[ChecklistItem]) -> None:
    """The items ``interview`` covers become exactly ``items``: the others it ticked are
    missing again; an item another interview or a document did is refused."""
    org = interview.organization
    wanted = {item.pk for item in items}
    rows = (
        ChecklistItem.objects.for_org(org)
        .select_for_update()
        .filter(inspection_id=interview.inspection_id)
    )
    locked = {row.pk: row for row in rows.filter(pk__in=wanted) | rows.filter(interview=interview)}
    if wanted - set(locked):
        raise DomainError(_("Choose items of this inspection's checklists."), field="items")
    for row in locked.values():
        if row.pk not in wanted:
            _untick(row)
        elif row.interview_id != interview.pk:
            if row.is_done:
                raise DomainError(
                    _("“%(item)s” is already done.") % {"item": row.text}, field="items"
                )
            if row.evidence == Evidence.DOCUMENT:
                raise DomainError(
                    _("“%(item)s” is done by a document.") % {"item": row.text}, field="items"
                )
            _tick(row, actor, interview=interview, note="")


@transaction.atomic
def record_interview(
    *,
    inspection: Inspection,
    actor: User,
    details: InterviewDetails,
    items: Sequence[ChecklistItem] = (),
) -> Interview:
    """Record an interview the team held, ticking the checklist ``items`` it covers. The
    inspection's checklists start with its first interview."""
    _check_team(inspection, actor)
    locked = _locked_inspection(inspection)
    people = _check_interviewers(locked, details)
    values = _values(locked, details)
    outline = details.outline
    interview = Interview.objects.create(
        organization=inspection.organization,
        inspection=locked,
        recorded_by=actor,
        outline_questions=list(outline.questions) if outline is not None else [],
        **values,
    )
    _set_interviewers(interview, people)
    _set_ticks(interview, actor, items)
    if not Checklist.objects.for_org(inspection.organization).filter(inspection=locked).exists():
        start_checklists(inspection=locked, actor=actor)
    return interview


@transaction.atomic
def update_interview(
    *,
    interview: Interview,
    actor: User,
    details: InterviewDetails,
    items: Sequence[ChecklistItem] = (),
) -> Interview:
    inspection = interview.inspection
    _check_team(inspection, actor)
    locked_inspection = _locked_inspection(inspection)
    org = inspection.organization
    interview = Interview.objects.for_org(org).select_for_update().get(pk=interview.pk)
    people = _check_interviewers(locked_inspection, details)
    values = _values(locked_inspection, details)
    if details.outline is None:
        values["outline_questions"] = []
    elif details.outline.pk != interview.outline_id:
        values["outline_questions"] = list(details.outline.questions)
    save_changes(interview, values)
    _set_interviewers(interview, people)
    _set_ticks(interview, actor, items)
    return interview


@transaction.atomic
def delete_interview(*, interview: Interview, actor: User) -> None:
    """Delete the interview; the checklist items it did are missing again."""
    inspection = interview.inspection
    _check_team(inspection, actor)
    _locked_inspection(inspection)
    org = inspection.organization
    interview = Interview.objects.for_org(org).select_for_update().get(pk=interview.pk)
    for item in ChecklistItem.objects.for_org(org).select_for_update().filter(interview=interview):
        _untick(item)
    Interviewer.objects.for_org(org).filter(interview=interview).delete()
    interview.delete()
