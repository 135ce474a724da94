"""The stages of one inspection as the detail page shows them: planned dates beside actual
entry and exit times, the timeline of every move, and what the next stage waits for."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from rounds.gates import unmet_gates
from rounds.models import Inspection, StagePlan, StageTransition
from rounds.taxonomy import STAGE_ORDER, Stage

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass
class StageRow:
    stage: str
    label: StrOrPromise
    state: str  # "done", "current" or "future"
    planned_start: datetime.date | None = None
    planned_end: datetime.date | None = None
    entered_at: datetime.datetime | None = None
    left_at: datetime.datetime | None = None


def stage_row_list(
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
    actor_name: str = ""  # who moved it (its display name), or who created it
    reason: str = ""
    created: bool = False

    @property
    def from_label(self) -> StrOrPromise:
        return Stage(self.from_stage).label if self.from_stage else ""

    @property
    def to_label(self) -> StrOrPromise:
        return Stage(self.to_stage).label


def stage_transition_list(*, inspection: Inspection) -> QuerySet[StageTransition]:
    """The inspection's moves in order, each with its ``actor_name`` (the mover's display
    name, "" when the mover is gone), as ``inspection_timeline`` reads them."""
    return (
        StageTransition.objects.for_org(inspection.organization)
        .filter(inspection=inspection)
        .annotate(
            actor_name=Coalesce(NullIf(F("actor__full_name"), Value("")), F("actor__username"))
        )
    )


def inspection_timeline(
    inspection: Inspection, transitions: list[StageTransition]
) -> list[TimelineEntry]:
    """Every step in order (``stage_transition_list``'s rows). Inspections are created without
    a transition row, so the creation itself is the first entry unless a transition already
    records it."""
    entries = [
        TimelineEntry(
            at=step.at,
            from_stage=step.from_stage,
            to_stage=step.to_stage,
            actor_name=step.actor_name or "",  # type: ignore[attr-defined]
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
                actor_name=inspection.created_by.display_name if inspection.created_by else "",
                created=True,
            ),
        )
    return entries


def inspection_waiting_for(inspection: Inspection) -> list[str]:
    """The unmet gates of the next stage: what the inspection is waiting for."""
    upcoming = inspection.next_stage
    return unmet_gates(inspection, upcoming) if upcoming else []
