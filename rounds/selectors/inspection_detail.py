"""Everything the inspection detail page shows (team, stages, timeline, what it waits for,
preparation, work plan, problems, look-backs) in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import F, Model, QuerySet

from rounds.models import (
    Inspection,
    IntelligenceItem,
    IntelligenceRequest,
    Milestone,
    Problem,
    StagePlan,
    StageTransition,
    TeamMember,
    WorkTask,
)
from rounds.selectors.timeline import (
    StageRow,
    TimelineEntry,
    inspection_timeline,
    inspection_waiting_for,
    stage_row_list,
)

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


def inspection_member_list(*, inspection: Inspection) -> list[TeamMember]:
    """The members of the inspection's team, leader first, each with its ``inspector_name``."""
    if inspection.team_id is None:
        return []
    members = TeamMember.objects.for_org(inspection.organization).filter(team_id=inspection.team_id)
    return sorted(
        members.annotate(inspector_name=F("inspector__name")),
        key=lambda m: (ROLE_ORDER.index(m.role), m.pk),
    )


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


def inspection_detail(*, inspection: Inspection) -> InspectionDetail:
    transitions = list(inspection_part_list(StageTransition, inspection).select_related("actor"))
    plans = list(inspection_part_list(StagePlan, inspection))
    items = list(inspection_part_list(IntelligenceItem, inspection))
    return InspectionDetail(
        inspection=inspection,
        members=inspection_member_list(inspection=inspection),
        stages=stage_row_list(inspection, plans, transitions),
        timeline=inspection_timeline(inspection, transitions),
        waiting_for=inspection_waiting_for(inspection),
        requests=list(inspection_part_list(IntelligenceRequest, inspection)),
        items_by_source=_items_by_source(items),
        tasks=list(work_task_list(inspection=inspection)),
        milestones=list(inspection_part_list(Milestone, inspection)),
        problems=list(inspection_part_list(Problem, inspection)),
        look_backs=list(
            Inspection.objects.for_org(inspection.organization)
            .filter(look_back_of=inspection)
            .only("stage")
            .annotate(round_name=F("round__name"))
        ),
        look_back_of=_look_back_of(inspection),
    )


def _look_back_of(inspection: Inspection) -> Inspection | None:
    """The original of a look-back with the round and unit that name it (one query, none for
    the inspections that are not look-backs)."""
    if inspection.look_back_of_id is None:
        return None
    originals = Inspection.objects.for_org(inspection.organization).select_related("round", "unit")
    return originals.filter(pk=inspection.look_back_of_id).first()
