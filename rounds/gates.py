"""Gate checks: what must be true before an inspection may enter a stage.

A gate is a function ``(inspection) -> message | None`` returning a translated message when it
is unmet. The registry maps a *target* stage to its gates. Apps that know more than ``rounds``
(rectification: "no closing while items are open") add theirs with ``register_gate`` from their
``AppConfig.ready()``, so ``rounds`` never imports them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from rounds.models import (
    Inspection,
    IntelligenceRequest,
    Problem,
    StagePlan,
    TeamMember,
)
from rounds.taxonomy import Stage

Gate = Callable[[Inspection], str | None]

GATES: dict[str, list[Gate]] = {stage: [] for stage in Stage.values}


def register_gate(stage: str, fn: Gate) -> None:
    """Add ``fn`` to the gates of ``stage``; registering the same function twice is a no-op."""
    if stage not in GATES:
        raise ValueError(f"Unknown stage {stage!r}")
    if fn not in GATES[stage]:
        GATES[stage].append(fn)


def unmet_gates(inspection: Inspection, stage: str) -> list[str]:
    """Messages of every unmet gate of ``stage`` (empty when the inspection may enter it)."""
    messages = (gate(inspection) for gate in GATES.get(stage, []))
    return [message for message in messages if message]


def team_has_leader(inspection: Inspection) -> str | None:
    has_leader = (
        inspection.team_id is not None
        and TeamMember.objects.for_org(inspection.organization)
        .filter(team_id=inspection.team_id, role=TeamMember.Role.LEADER)
        .exists()
    )
    return None if has_leader else _("Assign a team with a team leader.")


def work_plan_has_focus_areas(inspection: Inspection) -> str | None:
    return None if inspection.focus_areas else _("Choose the focus areas of the work plan.")


def intelligence_requested_and_answered(inspection: Inspection) -> str | None:
    answered = [
        request.answered_on is not None
        for request in IntelligenceRequest.objects.for_org(inspection.organization).filter(
            inspection=inspection
        )
    ]
    if not answered:
        return _("Request intelligence from at least one functional department.")
    if not all(answered):
        return _("Wait for every intelligence request to be answered.")
    return None


def onsite_dates_planned(inspection: Inspection) -> str | None:
    planned = (
        StagePlan.objects.for_org(inspection.organization)
        .filter(
            inspection=inspection,
            stage=Stage.ONSITE,
            planned_start__isnull=False,
            planned_end__isnull=False,
        )
        .exists()
    )
    return None if planned else _("Plan the start and end dates of the on-site stage.")


def problems_recorded(inspection: Inspection) -> str | None:
    # Stand-in for "no feedback without a report" (DESIGN.md §3) until inspection reports
    # exist: feedback delivers the problem list, so it needs at least one problem.
    recorded = Problem.objects.for_org(inspection.organization).filter(inspection=inspection)
    return None if recorded.exists() else _("Record at least one problem before feedback.")


register_gate(Stage.PREPARATION, team_has_leader)
register_gate(Stage.PREPARATION, work_plan_has_focus_areas)
register_gate(Stage.MOBILIZATION, intelligence_requested_and_answered)
register_gate(Stage.ONSITE, onsite_dates_planned)
register_gate(Stage.FEEDBACK, problems_recorded)
# Reporting, rectification and acceptance have no gate yet; closing is reserved to the
# leadership group (checked by the lifecycle service), and the rectification app adds
# "no closing while items are open" through ``register_gate``.
