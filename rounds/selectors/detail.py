"""Reads behind the inspection pages: the filtered list, and everything the detail page shows
(team, schedule against actual dates, timeline, what the inspection is waiting for,
preparation, work plan, problems) in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Prefetch, Q, QuerySet

from accounts.models import Membership, MembershipRole, Organization, User
from rounds.capabilities import VIEW_ALL_INSPECTIONS
from rounds.gates import unmet_gates
from rounds.models import (
    Inspection,
    IntelligenceItem,
    IntelligenceRequest,
    Milestone,
    Problem,
    Round,
    StagePlan,
    StageTransition,
    TeamMember,
    WorkTask,
)
from rounds.permissions import inspections_viewable
from rounds.taxonomy import STAGE_ORDER, Stage

ROLE_ORDER = [TeamMember.Role.LEADER, TeamMember.Role.DEPUTY, TeamMember.Role.MEMBER]


def of_inspection[M: Model](model: type[M], inspection: Inspection) -> QuerySet[M]:
    """The rows of ``model`` (a tenant model with an ``inspection`` key) that belong to
    ``inspection``, read through its organization's scope."""
    manager: Any = model.objects  # type: ignore[attr-defined]
    return manager.for_org(inspection.organization).filter(inspection=inspection)


def work_tasks(*, inspection: Inspection) -> QuerySet[WorkTask]:
    return of_inspection(WorkTask, inspection).select_related("assignee__inspector")


def membership_of(*, org: Organization, user: User | None) -> Membership | None:
    """The active membership of ``user`` in ``org`` (services check who acts)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Membership.objects.for_org(org)
        .filter(user=user, is_active=True)
        .prefetch_related(Prefetch("role_rows", queryset=MembershipRole.objects.for_org(org)))
        .first()
    )


def inspection_rows(
    *,
    org: Organization,
    membership: Membership,
    round_id: int | None = None,
    stage: str = "",
    search: str = "",
) -> QuerySet[Inspection]:
    rows = inspections_viewable(membership)
    if round_id is not None:
        rows = rows.filter(round_id=round_id)
    if stage in Stage.values:
        rows = rows.filter(stage=stage)
    if search:
        rows = rows.filter(Q(unit__name__icontains=search) | Q(unit__code__icontains=search))
    return rows.order_by("-round__start_date", "unit__path", "pk")


def round_choices(*, org: Organization, membership: Membership) -> QuerySet[Round]:
    """Rounds to filter the list by: all of them, or those of the member's inspections."""
    rounds = Round.objects.for_org(org).order_by("-start_date", "-pk")
    if membership.has_perm(VIEW_ALL_INSPECTIONS):
        return rounds
    visible = inspections_viewable(membership).values("round_id")
    return rounds.filter(pk__in=visible)


def look_back_rounds(*, org: Organization) -> QuerySet[Round]:
    return Round.objects.for_org(org).filter(kind=Round.Kind.LOOK_BACK).order_by("-start_date")


def team_members(*, inspection: Inspection) -> list[TeamMember]:
    if inspection.team_id is None:
        return []
    members = TeamMember.objects.for_org(inspection.organization).filter(team_id=inspection.team_id)
    return sorted(
        members.select_related("inspector"), key=lambda m: (ROLE_ORDER.index(m.role), m.pk)
    )


@dataclass
class StageRow:
    stage: str
    label: str
    state: str  # "done", "current" or "future"
    planned_start: datetime.date | None = None
    planned_end: datetime.date | None = None
    entered_at: datetime.datetime | None = None
    left_at: datetime.datetime | None = None


def stage_rows(
    inspection: Inspection, plans: list[StagePlan], transitions: list[StageTransition]
) -> list[StageRow]:
    """One row per stage: planned dates (进度表) beside the actual entry and exit times."""
    current = inspection.stage_index
    rows = {
        stage: StageRow(
            stage=stage,
            label=Stage(stage).label,
            state="done" if index < current else "current" if index == current else "future",
        )
        for index, stage in enumerate(STAGE_ORDER)
    }
    for plan in plans:
        rows[plan.stage].planned_start = plan.planned_start
        rows[plan.stage].planned_end = plan.planned_end
    rows[Stage.PLANNING].entered_at = inspection.created_at
    for step in transitions:
        rows[step.to_stage].entered_at = step.at
        if step.from_stage:
            rows[step.from_stage].left_at = step.at
    return list(rows.values())


@dataclass
class TimelineEntry:
    at: datetime.datetime
    to_stage: str
    from_stage: str = ""
    actor: User | None = None
    reason: str = ""
    created: bool = False

    @property
    def from_label(self) -> str:
        return Stage(self.from_stage).label if self.from_stage else ""

    @property
    def to_label(self) -> str:
        return Stage(self.to_stage).label


def timeline(inspection: Inspection, transitions: list[StageTransition]) -> list[TimelineEntry]:
    """Every step in order. Inspections are created without a transition row, so the
    creation itself is the first entry unless a transition already records it."""
    entries = [
        TimelineEntry(
            at=step.at,
            from_stage=step.from_stage,
            to_stage=step.to_stage,
            actor=step.actor,
            reason=step.reason,
        )
        for step in transitions
    ]
    if not entries or entries[0].from_stage:
        entries.insert(
            0,
            TimelineEntry(
                at=inspection.created_at,
                to_stage=Stage.PLANNING,
                actor=inspection.created_by,
                created=True,
            ),
        )
    return entries


def waiting_for(inspection: Inspection) -> list[str]:
    """The unmet gates of the next stage: what the inspection is waiting for."""
    upcoming = inspection.next_stage
    return unmet_gates(inspection, upcoming) if upcoming else []


@dataclass
class InspectionDetail:
    inspection: Inspection
    members: list[TeamMember]
    stages: list[StageRow]
    timeline: list[TimelineEntry]
    waiting_for: list[str]
    requests: list[IntelligenceRequest]
    items_by_source: list[tuple[str, list[IntelligenceItem]]]
    tasks: list[WorkTask]
    milestones: list[Milestone]
    problems: list[Problem]
    look_backs: list[Inspection] = field(default_factory=list)


def _items_by_source(items: list[IntelligenceItem]) -> list[tuple[str, list[IntelligenceItem]]]:
    groups: dict[str, list[IntelligenceItem]] = {}
    for item in items:
        groups.setdefault(item.source, []).append(item)
    return [
        (label, groups[value])
        for value, label in IntelligenceItem.Source.choices
        if value in groups
    ]


def inspection_detail(*, inspection: Inspection) -> InspectionDetail:
    transitions = list(of_inspection(StageTransition, inspection).select_related("actor"))
    plans = list(of_inspection(StagePlan, inspection))
    items = list(of_inspection(IntelligenceItem, inspection))
    return InspectionDetail(
        inspection=inspection,
        members=team_members(inspection=inspection),
        stages=stage_rows(inspection, plans, transitions),
        timeline=timeline(inspection, transitions),
        waiting_for=waiting_for(inspection),
        requests=list(of_inspection(IntelligenceRequest, inspection)),
        items_by_source=_items_by_source(items),
        tasks=list(work_tasks(inspection=inspection)),
        milestones=list(of_inspection(Milestone, inspection)),
        problems=list(of_inspection(Problem, inspection).select_related("inherited_from")),
        look_backs=list(
            Inspection.objects.for_org(inspection.organization)
            .filter(look_back_of=inspection)
            .select_related("round")
        ),
    )
