"""Everything the inspection detail page shows (team, stages, timeline, what it waits for,
preparation, work plan, problems, look-backs) in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, Model, OuterRef, QuerySet, Subquery

from rounds.models import (
    Inspection,
    IntelligenceItem,
    IntelligenceRequest,
    Milestone,
    Problem,
    StagePlan,
    TeamMember,
    WorkTask,
)
from rounds.selectors.timeline import (
    StageRow,
    TimelineEntry,
    inspection_timeline,
    inspection_waiting_for,
    stage_row_list,
    stage_transition_list,
)
from rounds.staffing import approved_recusal_list
from xuncha.lists import KeptStatements, Statement, compile_lists, run_lists

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ROLE_ORDER: list[str] = [TeamMember.Role.LEADER, TeamMember.Role.DEPUTY, TeamMember.Role.MEMBER]


def inspection_part_list[M: Model](model: type[M], inspection: Inspection) -> QuerySet[M]:
    """The rows of ``model`` (a tenant model with an ``inspection`` key) that belong to
    ``inspection``, read through its organization's scope."""
    manager: Any = model.objects  # type: ignore[attr-defined]
    return manager.for_org(inspection.organization).filter(inspection=inspection)


def work_task_list(*, inspection: Inspection) -> QuerySet[WorkTask]:
    """The inspection's tasks, each with its ``assignee_name`` (the assigned inspector's)."""
    tasks = inspection_part_list(WorkTask, inspection)
    return tasks.annotate(assignee_name=F("assignee__inspector__name"))


def _members(inspection: Inspection) -> QuerySet[TeamMember]:
    """The members of the inspection's team (none without a team), with ``inspector_name``,
    whether they are ``recused`` from its unit (an approved recusal) and the name of whoever
    ``replaced_by`` them on it (None: nobody)."""
    org = inspection.organization
    members = TeamMember.objects.for_org(org)
    if inspection.team_id is None:
        members = members.none()
    else:
        members = members.filter(team_id=inspection.team_id)
    recusal = approved_recusal_list(org).filter(member=OuterRef("pk"), unit_id=inspection.unit_id)
    return members.annotate(
        inspector_name=F("inspector__name"),
        recused=Exists(recusal),
        replaced_by=Subquery(recusal.values("replacement__name")[:1]),
    )


def _by_role(members: list[TeamMember]) -> list[TeamMember]:
    return sorted(members, key=lambda m: (ROLE_ORDER.index(m.role), m.pk))


def inspection_member_list(*, inspection: Inspection) -> list[TeamMember]:
    """The members of the inspection's team, leader first, each with its ``inspector_name``."""
    if inspection.team_id is None:
        return []
    return _by_role(list(_members(inspection)))


@dataclass
class InspectionDetail:
    inspection: Inspection
    members: list[TeamMember]
    stages: list[StageRow]
    timeline: list[TimelineEntry]
    waiting_for: list[str]
    requests: list[IntelligenceRequest]
    items_by_source: list[tuple[StrOrPromise, list[IntelligenceItem]]]
    tasks: list[WorkTask]
    milestones: list[Milestone]
    problems: list[Problem]
    look_backs: list[Inspection] = field(default_factory=list)  # with their ``round_name``
    look_back_of: Inspection | None = None  # the inspection this one looks back on


def _items_by_source(
    items: list[IntelligenceItem],
) -> list[tuple[StrOrPromise, list[IntelligenceItem]]]:
    groups: dict[str, list[IntelligenceItem]] = {}
    for item in items:
        groups.setdefault(item.source, []).append(item)
    return [
        (label, groups[value])
        for value, label in IntelligenceItem.Source.choices
        if value in groups
    ]


_STATEMENTS: KeptStatements[Statement] = KeptStatements()


def _lists_statement(inspection: Inspection) -> Statement:
    """The page's lists as one statement, built from the inspection's key, organization and
    team only: kept for them (``KeptStatements``)."""
    return compile_lists(
        transitions=stage_transition_list(inspection=inspection),
        plans=inspection_part_list(StagePlan, inspection),
        items=inspection_part_list(IntelligenceItem, inspection),
        requests=inspection_part_list(IntelligenceRequest, inspection),
        tasks=work_task_list(inspection=inspection),
        milestones=inspection_part_list(Milestone, inspection),
        problems=inspection_part_list(Problem, inspection),
        members=_members(inspection),
        look_backs=Inspection.objects.for_org(inspection.organization)
        .filter(look_back_of=inspection)
        .annotate(round_name=F("round__name")),
    )


def inspection_detail(*, inspection: Inspection) -> InspectionDetail:
    """The page's lists are read in one statement (``fetch_lists``' compiled form, kept for the
    inspection as it stands: key, organization, team)."""
    key = (inspection.organization_id, inspection.pk, inspection.team_id)
    lists = run_lists(_STATEMENTS.get(key, lambda: _lists_statement(inspection)))
    transitions = lists["transitions"]
    return InspectionDetail(
        inspection=inspection,
        members=_by_role(lists["members"]),
        stages=stage_row_list(inspection, lists["plans"], transitions),
        timeline=inspection_timeline(inspection, transitions),
        waiting_for=inspection_waiting_for(inspection),
        requests=lists["requests"],
        items_by_source=_items_by_source(lists["items"]),
        tasks=lists["tasks"],
        milestones=lists["milestones"],
        problems=lists["problems"],
        look_backs=lists["look_backs"],
        look_back_of=_look_back_of(inspection),
    )


def _look_back_of(inspection: Inspection) -> Inspection | None:
    """The original of a look-back with the round and unit that name it (one query, none for
    the inspections that are not look-backs)."""
    if inspection.look_back_of_id is None:
        return None
    originals = Inspection.objects.for_org(inspection.organization).select_related("round", "unit")
    return originals.filter(pk=inspection.look_back_of_id).first()
