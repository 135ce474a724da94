"""The stages of one inspection as the detail page shows them: planned dates beside actual
entry and exit times, the timeline of every move, and what the next stage waits for.

Actual times are effective times (``StageTransition.effective_at``): for past work entered
after the fact they are the days the office gave, and the timeline shows the time of entry
beside them. Such work is created when it is entered, after the moves it records took
effect: its creation then has no known effective time (planning began on a day unrecorded)."""

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
    creations, moves = _split(transitions)
    rows[Stage.PLANNING].entered_at = _created_effective_at(
        creations[0].effective_at if creations else inspection.created_at, moves
    )
    for step in moves:
        rows[step.to_stage].entered_at = step.effective_at
        rows[step.from_stage].left_at = step.effective_at
    return list(rows.values())


def _split(
    transitions: list[StageTransition],
) -> tuple[list[StageTransition], list[StageTransition]]:
    """The rows recording a creation (no source stage) and the stage moves, each in order."""
    return (
        [step for step in transitions if not step.from_stage],
        [step for step in transitions if step.from_stage],
    )


def _created_effective_at(
    created_at: datetime.datetime, moves: list[StageTransition]
) -> datetime.datetime | None:
    """When planning began: the creation, unless a move took effect before it (past work
    entered after the fact), which leaves it unknown."""
    if moves and moves[0].effective_at < created_at:
        return None
    return created_at


@dataclass
class TimelineEntry:
    at: datetime.datetime | None  # when it took effect (None: unknown)
    entered_at: datetime.datetime  # when it was entered
    to_stage: str
    from_stage: str = ""
    actor_name: str = ""  # who moved it (its display name), or who created it
    reason: str = ""
    created: bool = False

    @property
    def back_dated(self) -> bool:
        """Entered after it took effect: the page shows both."""
        return self.at != self.entered_at

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
    """Every step in order of effect (``stage_transition_list``'s rows), the creation first.
    Inspections are created without a transition row, so the creation itself is the first
    entry unless a transition (a look-back's) records it."""
    creations, moves = _split(transitions)
    entries = [
        TimelineEntry(
            at=step.effective_at,
            entered_at=step.at,
            from_stage=step.from_stage,
            to_stage=step.to_stage,
            actor_name=step.actor_name or "",  # type: ignore[attr-defined]
            reason=step.reason,
        )
        for step in creations + moves
    ]
    if not creations:
        entries.insert(
            0,
            TimelineEntry(
                at=inspection.created_at,
                entered_at=inspection.created_at,
                to_stage=Stage.PLANNING,
                actor_name=inspection.created_by.display_name if inspection.created_by else "",
                created=True,
            ),
        )
    entries[0].at = _created_effective_at(entries[0].entered_at, moves)
    return entries


def inspection_waiting_for(inspection: Inspection) -> list[str]:
    """The unmet gates of the next stage: what the inspection is waiting for."""
    upcoming = inspection.next_stage
    return unmet_gates(inspection, upcoming) if upcoming else []
