"""Gate checks: what must be true before an inspection may enter a stage.

A gate is a ``Gate``: a condition on the inspection's rows, written once as SQL (``unmet``: a
``Q`` over ``Inspection`` that holds while the gate is unmet) with the message that says what
to do. Being SQL, the gates of one stage are checked in one query for one inspection
(``unmet_gates``, which the lifecycle service asks), and lists find every inspection held up
at its next stage in one query for all of them (``waiting_checks``: the home page's queue).

The registry maps a *target* stage to its gates. Apps that know more than ``rounds``
(rectification: "no closing while items are open") add theirs with ``register_gate`` from their
``AppConfig.ready()``, so ``rounds`` never imports them. A plain function
``(inspection) -> message | None`` is accepted too, but it is asked one inspection at a time:
lists cannot find the inspections it holds up, so apps register ``Gate``s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rounds.models import (
    Announcement,
    Inspection,
    IntelligenceRequest,
    Problem,
    StagePlan,
    TeamMember,
)
from rounds.staffing import leader_recused_unreplaced, too_few_inspectors
from rounds.taxonomy import STAGE_ORDER, Stage
from xuncha.lists import KeptStatements
from xuncha.tenancy import check_org

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import Organization

GateFunction = Callable[[Inspection], str | None]


@dataclass(frozen=True)
class Gate:
    """``unmet(org)``: a condition on ``Inspection`` rows of ``org``, true while the gate is
    unmet; ``message``: what to do about it; ``place``: where it is done, as a URL name taking
    the inspection's key and an anchor on that page."""

    unmet: Callable[[Organization], Q]
    message: StrOrPromise
    place: tuple[str, str] = ("rounds:inspection_detail", "waiting-for")


GATES: dict[str, list[Gate | GateFunction]] = {stage: [] for stage in Stage.values}


def register_gate(stage: str, gate: Gate | GateFunction) -> None:
    """Add ``gate`` to the gates of ``stage``; registering the same gate twice is a no-op."""
    if stage not in GATES:
        raise ValueError(f"Unknown stage {stage!r}")
    if gate not in GATES[stage]:
        GATES[stage].append(gate)


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


_FLAG_STATEMENTS: KeptStatements[tuple[str, tuple[Any, ...], tuple[str, ...]]] = KeptStatements()


def _flags_statement(
    inspection: Inspection, stage: str
) -> tuple[str, tuple[Any, ...], tuple[str, ...]]:
    """The SQL reading one flag per ``Gate`` of ``stage`` for ``inspection``, its parameters
    and the flags' names."""
    org = inspection.organization
    gates = GATES.get(stage, [])
    flags = {f"gate_{i}": _flag(g.unmet(org)) for i, g in enumerate(gates) if isinstance(g, Gate)}
    if not flags:
        return "", (), ()
    rows = Inspection.objects.for_org(org).filter(pk=inspection.pk).values(**flags)
    sql, params = rows.query.sql_with_params()
    return sql, tuple(params), tuple(flags)


def unmet_gates(inspection: Inspection, stage: str) -> list[str]:
    """Messages of every unmet gate of ``stage`` (empty when the inspection may enter it): one
    query for the stage's ``Gate``s, whatever their number. The query is compiled once per
    inspection, stage, day and gate registry (``KeptStatements``); its answer is read anew."""
    gates = GATES.get(stage, [])
    key = (
        inspection.organization_id,
        inspection.pk,
        stage,
        timezone.localdate(),
        registry_token(),
    )
    sql, params, names = _FLAG_STATEMENTS.get(key, lambda: _flags_statement(inspection, stage))
    unmet: dict[str, Any] = {}
    if names:
        check_org(inspection.organization)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            raise Inspection.DoesNotExist
        unmet = dict(zip(names, row, strict=True))
    messages = []
    for i, gate in enumerate(gates):
        if isinstance(gate, Gate):
            if unmet[f"gate_{i}"]:
                messages.append(str(gate.message))
        elif message := gate(inspection):
            messages.append(message)
    return messages


@dataclass(frozen=True)
class WaitingCheck:
    """One gate as a list asks it: ``alias`` names its flag on the rows; it holds for an
    inspection in one of ``stages`` (those just before the gate's ``targets``) while the gate
    is unmet."""

    alias: str
    gate: Gate
    stages: tuple[str, ...]
    targets: tuple[str, ...]

    def condition(self, org: Organization) -> Q:
        return Q(stage__in=self.stages) & self.gate.unmet(org)


def waiting_checks() -> list[WaitingCheck]:
    """One check per ``Gate``, however many stages it guards: an inspection is waiting when one
    of the checks holds."""
    before: dict[Gate, list[tuple[str, str]]] = {}
    for index, target in enumerate(STAGE_ORDER[1:]):
        for gate in GATES[target]:
            if isinstance(gate, Gate):
                before.setdefault(gate, []).append((STAGE_ORDER[index], target))
    return [
        WaitingCheck(
            alias=f"waits_{i}",
            gate=gate,
            stages=tuple(stage for stage, _ in moves),
            targets=tuple(target for _, target in moves),
        )
        for i, (gate, moves) in enumerate(before.items())
    ]


def registry_token() -> str:
    """Changes whenever the registered gates change (what a cached statement asking them is
    valid for): their functions, messages and places, stage by stage."""
    return repr([(stage, gates) for stage, gates in GATES.items() if gates])


def waiting_flags(checks: list[WaitingCheck], org: Organization) -> dict[str, ExpressionWrapper]:
    """Annotations: one boolean per check, read back by ``waiting_gates``."""
    return {check.alias: _flag(check.condition(org)) for check in checks}


def waiting_flagged(checks: list[WaitingCheck]) -> Q:
    """Rows annotated with ``waiting_flags`` that one of ``checks`` holds up (none: no row)."""
    return reduce(or_, (Q(**{check.alias: True}) for check in checks), Q(pk__in=[]))


def waiting_gates(row: Inspection, checks: list[WaitingCheck]) -> list[Gate]:
    """The gates whose checks are flagged on ``row`` (annotated with ``waiting_flags``)."""
    return [check.gate for check in checks if getattr(row, check.alias, False)]


def _team_has_no_leader(org: Organization) -> Q:
    leaders = TeamMember.objects.for_org(org).filter(
        team=OuterRef("team_id"), role=TeamMember.Role.LEADER
    )
    return Q(team__isnull=True) | Q(~Exists(leaders))


def _intelligence(org: Organization) -> Q:
    return Q(Exists(IntelligenceRequest.objects.for_org(org).filter(inspection=OuterRef("pk"))))


def _intelligence_unanswered(org: Organization) -> Q:
    requests = IntelligenceRequest.objects.for_org(org).filter(
        inspection=OuterRef("pk"), answered_on__isnull=True
    )
    return Q(Exists(requests))


def _onsite_dates_unplanned(org: Organization) -> Q:
    plans = StagePlan.objects.for_org(org).filter(
        inspection=OuterRef("pk"),
        stage=Stage.ONSITE,
        planned_start__isnull=False,
        planned_end__isnull=False,
    )
    return Q(~Exists(plans))


def _announcement_unpublished(org: Organization) -> Q:
    published = Announcement.objects.for_org(org).filter(
        inspection=OuterRef("pk"), published_at__isnull=False
    )
    return Q(~Exists(published))


def _no_problem(org: Organization) -> Q:
    # Stand-in for "no feedback without a report" (DESIGN.md §3) until inspection reports
    # exist: feedback delivers the problem list, so it needs at least one problem.
    return Q(~Exists(Problem.objects.for_org(org).filter(inspection=OuterRef("pk"))))


team_has_leader = Gate(
    _team_has_no_leader,
    _("Assign a team with a team leader."),
    ("rounds:inspection_detail", "team"),
)
work_plan_has_focus_areas = Gate(
    lambda org: Q(focus_areas=[]),
    _("Choose the focus areas of the work plan."),
    ("rounds:inspection_workplan", ""),
)
intelligence_requested = Gate(
    lambda org: ~_intelligence(org),
    _("Request intelligence from at least one functional department."),
    ("rounds:intelligence_request_create", ""),
)
intelligence_answered = Gate(
    _intelligence_unanswered,
    _("Wait for every intelligence request to be answered."),
    ("rounds:inspection_detail", "preparation"),
)
onsite_dates_planned = Gate(
    _onsite_dates_unplanned,
    _("Plan the start and end dates of the on-site stage."),
    ("rounds:inspection_schedule", ""),
)
announcement_published = Gate(
    _announcement_unpublished,
    _("Publish the announcement before the on-site work starts."),
    ("rounds:announcement_edit", ""),
)
problems_recorded = Gate(
    _no_problem,
    _("Record at least one problem before feedback."),
    ("rounds:problem_create", ""),
)

register_gate(Stage.PREPARATION, team_has_leader)
register_gate(Stage.PREPARATION, work_plan_has_focus_areas)
register_gate(Stage.MOBILIZATION, intelligence_requested)
register_gate(Stage.MOBILIZATION, intelligence_answered)
register_gate(Stage.ONSITE, onsite_dates_planned)
register_gate(Stage.ONSITE, announcement_published)
register_gate(Stage.FEEDBACK, problems_recorded)

# Who works the inspection, after approved recusals (``rounds.staffing``): every move from
# preparation on needs its leader, every move from on-site work on its two inspectors.
leader_not_recused = Gate(
    leader_recused_unreplaced,
    _(
        "The team leader is recused from this unit and nobody replaces them: this inspection "
        "has no leader."
    ),
    ("rounds:inspection_detail", "team"),
)
enough_inspectors = Gate(
    too_few_inspectors,  # MIN_INSPECTORS
    _("Fewer than two inspectors work this inspection: on-site interviews are held by two."),
    ("rounds:inspection_detail", "team"),
)
for _stage in STAGE_ORDER[STAGE_ORDER.index(Stage.PREPARATION) :]:
    register_gate(_stage, leader_not_recused)
for _stage in STAGE_ORDER[STAGE_ORDER.index(Stage.ONSITE) :]:
    register_gate(_stage, enough_inspectors)
# Reporting, rectification and acceptance have no gate yet; closing is reserved to the
# leadership group (checked by the lifecycle service), and the rectification app adds
# "no closing while items are open" through ``register_gate``.
