"""Selectors of the interviews app: interviews of an inspection, who may hold them, its
checklists, and the tenant's templates and settings. Every read is scoped to the inspection's
organization; who may read an interview at all is the views' question (its team only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from interviews.models import (
    Checklist,
    ChecklistItem,
    ChecklistTemplate,
    Interview,
    Interviewer,
    InterviewSettings,
    OutlineTemplate,
)
from rounds.models import Inspection, Inspector, TeamMember
from rounds.staffing import approved_recusal_list

if TYPE_CHECKING:
    from accounts.models import Organization


def interview_settings(*, org: Organization) -> InterviewSettings:
    """The tenant's interview rules (the defaults while none are saved)."""
    return InterviewSettings.objects.for_org(org).first() or InterviewSettings(organization=org)


def interviewer_candidate_list(*, inspection: Inspection) -> QuerySet[Inspector]:
    """The people working ``inspection`` (``rounds.staffing``): its team's members not recused
    from its unit, and whoever an approved recusal names in a member's place."""
    org = inspection.organization
    if inspection.team_id is None:
        return Inspector.objects.for_org(org).none()
    recused = approved_recusal_list(org).filter(member=OuterRef("pk"), unit_id=inspection.unit_id)
    seats = TeamMember.objects.for_org(org).filter(team_id=inspection.team_id)
    working = seats.filter(~Exists(recused)).values("inspector_id")
    replacing = approved_recusal_list(org).filter(
        member__team_id=inspection.team_id,
        unit_id=inspection.unit_id,
        replacement__isnull=False,
    )
    return (
        Inspector.objects.for_org(org)
        .filter(Q(pk__in=working) | Q(pk__in=replacing.values("replacement_id")))
        .order_by("name", "pk")
    )


def _interviewers(org: Organization) -> Prefetch:
    seats = Interviewer.objects.for_org(org).select_related("inspector").order_by("pk")
    return Prefetch("seats", queryset=seats)


def interview_list(
    *, inspection: Inspection, category: str = "", method: str = ""
) -> QuerySet[Interview]:
    """The inspection's interviews, latest first, with their interviewers (one more query)."""
    rows = Interview.objects.for_org(inspection.organization).filter(inspection=inspection)
    if category:
        rows = rows.filter(category=category)
    if method:
        rows = rows.filter(method=method)
    return rows.prefetch_related(_interviewers(inspection.organization))


def interview_all(*, org: Organization) -> QuerySet[Interview]:
    return Interview.objects.for_org(org)


def interview_get(*, org: Organization, pk: int) -> Interview | None:
    """One interview with its interviewers and the checklist items it ticked."""
    items = (
        ChecklistItem.objects.for_org(org)
        .select_related("checklist")
        .order_by("checklist__position", "position", "pk")
    )
    return (
        Interview.objects.for_org(org)
        .filter(pk=pk)
        .select_related("inspection", "outline", "recorded_by")
        .prefetch_related(_interviewers(org), Prefetch("ticked_items", queryset=items))
        .first()
    )


def checklist_list(*, inspection: Inspection) -> list[Checklist]:
    """The inspection's checklists, each with its items and the interview that did each."""
    org = inspection.organization
    items = (
        ChecklistItem.objects.for_org(org)
        .select_related("interview", "done_by", "document_request")
        .order_by("position", "pk")
    )
    return list(
        Checklist.objects.for_org(org)
        .filter(inspection=inspection)
        .prefetch_related(Prefetch("items", queryset=items))
    )


def checklist_item_list(*, inspection: Inspection) -> QuerySet[ChecklistItem]:
    """Every item of the inspection's checklists, in list order."""
    return (
        ChecklistItem.objects.for_org(inspection.organization)
        .filter(inspection=inspection)
        .select_related("checklist")
    )


def checklist_item_all(*, org: Organization) -> QuerySet[ChecklistItem]:
    return ChecklistItem.objects.for_org(org)


def checklist_item_missing_count(*, inspection: Inspection) -> int:
    return checklist_item_list(inspection=inspection).filter(done_at__isnull=True).count()


def outline_template_list(
    *, org: Organization, active_only: bool = False
) -> QuerySet[OutlineTemplate]:
    rows = OutlineTemplate.objects.for_org(org)
    return rows.filter(active=True) if active_only else rows


def checklist_template_list(
    *, org: Organization, active_only: bool = False
) -> QuerySet[ChecklistTemplate]:
    rows = ChecklistTemplate.objects.for_org(org)
    return rows.filter(active=True) if active_only else rows
