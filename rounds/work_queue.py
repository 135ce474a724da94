"""The sections of the home page's work queue that rounds knows (registered from
``RoundsConfig.ready`` into ``accounts.work_queue``): for the inspection office, inspections
held up by a gate, intelligence answers due, stages past their planned end and recusals to
decide; for the leadership group, inspections to close; for a team leader, the next step and
the missing work-plan parts of the inspections they lead; for a team member, their tasks.

The rows come from ``rounds.selectors.work_queue``; here they become entries, each linking to
the page where the work is done, with labels and URLs resolved once per section.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Membership
from accounts.roles import Role
from accounts.rows import choice_labels, pk_url
from accounts.work_queue import Entry, Section, Step, register_section
from rounds.capabilities import CLOSE_INSPECTIONS, MANAGE_INSPECTIONS, MANAGE_ROUNDS
from rounds.gates import (
    Gate,
    WaitingCheck,
    registry_token,
    waiting_checks,
    waiting_gates,
    work_plan_has_focus_areas,
)
from rounds.models import Inspection, IntelligenceRequest, Recusal, StagePlan, WorkTask
from rounds.selectors import work_queue as selectors
from rounds.taxonomy import Stage

if TYPE_CHECKING:
    from django.db.models import QuerySet


class _Places:
    """Page URLs by name (each taking an inspection's or a team's key), each reversed once for
    a section's rows."""

    def __init__(self) -> None:
        self._urls: dict[str, Callable[[Any], str]] = {}

    def __call__(self, name: str, pk: int, anchor: str = "") -> str:
        if name not in self._urls:
            self._urls[name] = pk_url(name)
        url = self._urls[name](pk)
        return f"{url}#{anchor}" if anchor else url


def _gate_steps(places: _Places, gates: list[Gate], pk: int) -> tuple[Step, ...]:
    """What each unmet gate asks, linking to the page where it is done."""
    return tuple(
        Step(str(gate.message), places(gate.place[0], pk, gate.place[1])) for gate in gates
    )


def _context(row: object) -> str:
    return str(getattr(row, "round_name", ""))


def _inspections_list(**params: str) -> str:
    url = reverse("rounds:inspection_list")
    return f"{url}?{urlencode(params)}" if params else url


def _checks(target: str | None = None) -> list[WaitingCheck]:
    """The gates' checks (of those guarding ``target``)."""
    checks = waiting_checks()
    return [check for check in checks if target is None or target in check.targets]


def _next_stage_entry(
    row: Inspection,
    places: _Places,
    stages: dict[Any, str],
    *,
    steps: tuple[Step, ...],
    tone: str = "secondary",
) -> Entry:
    """An inspection on its way to its next stage: its unit, linking to what it waits for,
    with its round, next stage and stage."""
    upcoming = row.next_stage or ""
    return Entry(
        title=row.unit_name,  # type: ignore[attr-defined]
        url=places("rounds:inspection_detail", row.pk, "waiting-for"),
        context=_("%(round)s · next: %(stage)s")
        % {"round": _context(row), "stage": stages.get(upcoming, upcoming)},
        badge=stages.get(row.stage, row.stage),
        tone=tone,
        steps=steps,
    )


def _today() -> datetime.date:
    return timezone.localdate()


# --- the inspection office --------------------------------------------------------------------


def _waiting_rows(membership: Membership) -> QuerySet[Inspection] | None:
    if not membership.has_perm(MANAGE_INSPECTIONS):
        return None
    return selectors.inspection_waiting_list(membership=membership, checks=_checks())


def _waiting_entries(membership: Membership, rows: list[Inspection]) -> list[Entry]:
    checks, places = _checks(), _Places()
    stages = choice_labels(Inspection, "stage")
    return [
        _next_stage_entry(
            row, places, stages, steps=_gate_steps(places, waiting_gates(row, checks), row.pk)
        )
        for row in rows
    ]


def _intelligence_rows(membership: Membership) -> QuerySet[IntelligenceRequest] | None:
    if not membership.has_perm(MANAGE_INSPECTIONS):
        return None
    return selectors.intelligence_request_due_list(membership=membership, today=_today())


def _intelligence_entries(membership: Membership, rows: list[IntelligenceRequest]) -> list[Entry]:
    today, places = _today(), _Places()
    departments = choice_labels(IntelligenceRequest, "department")
    entries = []
    for row in rows:
        due = row.due_on or today
        late = due < today
        when = (_("overdue since %(date)s") if late else _("due %(date)s")) % {
            "date": due.isoformat()
        }
        url = places("rounds:intelligence_request_answer", row.inspection_id)
        entries.append(
            Entry(
                title=departments.get(row.department, row.department),
                url=f"{url}?{urlencode({'request': row.pk})}",
                context=f"{row.unit_name} · {_context(row)}",  # type: ignore[attr-defined]
                badge=when,
                tone="danger" if late else "warning",
            )
        )
    return entries


def _overdue_rows(membership: Membership) -> QuerySet[StagePlan] | None:
    if not membership.has_perm(MANAGE_INSPECTIONS):
        return None
    return selectors.stage_plan_overdue_list(membership=membership, today=_today())


def _overdue_entries(membership: Membership, rows: list[StagePlan]) -> list[Entry]:
    today, places = _today(), _Places()
    stages = choice_labels(StagePlan, "stage")
    entries = []
    for row in rows:
        end = row.planned_end or today
        days = (today - end).days
        late = ngettext(
            "planned to end %(date)s, %(days)d day ago",
            "planned to end %(date)s, %(days)d days ago",
            days,
        ) % {"date": end.isoformat(), "days": days}
        entries.append(
            Entry(
                title=row.unit_name,  # type: ignore[attr-defined]
                url=places("rounds:inspection_detail", row.inspection_id, "schedule"),
                context=f"{_context(row)} · {late}",
                badge=stages.get(row.stage, row.stage),
                tone="danger",
            )
        )
    return entries


def _recusal_rows(membership: Membership) -> QuerySet[Recusal] | None:
    if not membership.has_perm(MANAGE_ROUNDS):
        return None
    return selectors.recusal_pending_list(membership=membership)


def _recusal_entries(membership: Membership, rows: list[Recusal]) -> list[Entry]:
    places = _Places()
    return [
        Entry(
            title=_("%(person)s · %(unit)s") % {"person": row.person_name, "unit": row.unit_name},  # type: ignore[attr-defined]
            url=places("rounds:team_detail", row.team_id, "recusals"),  # type: ignore[attr-defined]
            context=row.team_name,  # type: ignore[attr-defined]
            badge=_("declared %(date)s") % {"date": row.declared_on.isoformat()},
            tone="warning",
        )
        for row in rows
    ]


# --- the leadership group ---------------------------------------------------------------------


def _closing_rows(membership: Membership) -> QuerySet[Inspection] | None:
    if not membership.has_perm(CLOSE_INSPECTIONS):
        return None
    checks = _checks(Stage.CLOSED)
    return selectors.inspection_closing_list(membership=membership, checks=checks)


def _closing_entries(membership: Membership, rows: list[Inspection]) -> list[Entry]:
    checks, places = _checks(Stage.CLOSED), _Places()
    entries = []
    for row in rows:
        gates = waiting_gates(row, checks)
        entries.append(
            Entry(
                title=row.unit_name,  # type: ignore[attr-defined]
                url=places("rounds:inspection_detail", row.pk, "waiting-for"),
                context=_context(row),
                badge=_("Gates unmet") if gates else _("Ready to close"),
                tone="warning" if gates else "success",
                steps=_gate_steps(places, gates, row.pk),
            )
        )
    return entries


# --- team leaders and members -----------------------------------------------------------------

# Parts of the work plan (工作方案) a team leader completes before going on site: (flag on the
# row, what to do, the page where it is done).
WORK_PLAN_PARTS = (
    ("has_tasks", gettext_lazy("Split the work among the team members."), "rounds:worktask_create"),
    ("has_milestones", gettext_lazy("Set the milestones of the work."), "rounds:milestone_create"),
    ("has_schedule", gettext_lazy("Plan the dates of the stages."), "rounds:inspection_schedule"),
)


def _led_rows(membership: Membership) -> QuerySet[Inspection]:
    return selectors.inspection_led_list(membership=membership, checks=_checks())


def _missing_parts(places: _Places, row: Inspection, gates: list[Gate]) -> list[Step]:
    if row.stage not in selectors.PLANNING_STAGES:
        return []
    missing = []
    if not row.focus_areas and work_plan_has_focus_areas not in gates:
        gate = work_plan_has_focus_areas
        missing.append(Step(str(gate.message), places(gate.place[0], row.pk)))
    if not row.work_plan.strip():
        missing.append(
            Step(_("Write the work plan."), places("rounds:inspection_workplan", row.pk))
        )
    for flag, text, name in WORK_PLAN_PARTS:
        if not getattr(row, flag):
            missing.append(Step(str(text), places(name, row.pk)))
    return missing


def _led_entries(membership: Membership, rows: list[Inspection]) -> list[Entry]:
    checks, places = _checks(), _Places()
    stages = choice_labels(Inspection, "stage")
    entries = []
    for row in rows:
        upcoming = row.next_stage or ""
        gates = waiting_gates(row, checks)
        steps = [*_gate_steps(places, gates, row.pk), *_missing_parts(places, row, gates)]
        if not gates:
            steps.append(
                Step(
                    _("Ready to move to “%(stage)s”.") % {"stage": stages.get(upcoming, upcoming)},
                    places("rounds:inspection_detail", row.pk, "waiting-for"),
                )
            )
        entries.append(_next_stage_entry(row, places, stages, steps=tuple(steps), tone="primary"))
    return entries


def _task_rows(membership: Membership) -> QuerySet[WorkTask]:
    return selectors.work_task_assigned_list(membership=membership)


def _task_entries(membership: Membership, rows: list[WorkTask]) -> list[Entry]:
    places = _Places()
    stages = choice_labels(Inspection, "stage")
    return [
        Entry(
            title=row.description,
            url=places("rounds:inspection_detail", row.inspection_id, "work-plan"),
            context=f"{row.unit_name} · {_context(row)}",  # type: ignore[attr-defined]
            badge=stages.get(row.inspection_stage, ""),  # type: ignore[attr-defined]
        )
        for row in rows
    ]


# --- empty queues: what to do next ------------------------------------------------------------


def _all_inspections(membership: Membership) -> Step:
    return Step(_("See all inspections"), _inspections_list())


def _in_preparation(membership: Membership) -> Step:
    return Step(_("Inspections in preparation"), _inspections_list(stage=Stage.PREPARATION))


def _rounds(membership: Membership) -> Step:
    return Step(_("See the rounds and their teams"), reverse("rounds:round_list"))


def _your_inspections(membership: Membership) -> Step:
    return Step(_("Your inspections"), _inspections_list())


SECTIONS = (
    Section(
        key="rounds.waiting",
        role=Role.OFFICE,
        title=gettext_lazy("Inspections waiting on a gate"),
        empty=gettext_lazy("Every open inspection may move on to its next stage."),
        rows=_waiting_rows,
        cache_token=registry_token,
        entries=_waiting_entries,
        next_step=_all_inspections,
    ),
    Section(
        key="rounds.intelligence_due",
        role=Role.OFFICE,
        title=gettext_lazy("Intelligence answers due"),
        empty=gettext_lazy("No department's answer is overdue or due in the next 3 days."),
        rows=_intelligence_rows,
        entries=_intelligence_entries,
        next_step=_in_preparation,
    ),
    Section(
        key="rounds.stage_overdue",
        role=Role.OFFICE,
        title=gettext_lazy("Stages past their planned end"),
        empty=gettext_lazy("Every open inspection is within the planned dates of its stage."),
        rows=_overdue_rows,
        entries=_overdue_entries,
        next_step=_all_inspections,
    ),
    Section(
        key="rounds.recusals",
        role=Role.OFFICE,
        title=gettext_lazy("Recusals to decide"),
        empty=gettext_lazy("No recusal declaration awaits a decision."),
        rows=_recusal_rows,
        entries=_recusal_entries,
        next_step=_rounds,
    ),
    Section(
        key="rounds.closing",
        role=Role.LEADERSHIP,
        title=gettext_lazy("Inspections awaiting closing"),
        empty=gettext_lazy(
            "No inspection is in acceptance: closing comes after the rectification is accepted."
        ),
        rows=_closing_rows,
        cache_token=registry_token,
        entries=_closing_entries,
        next_step=_all_inspections,
    ),
    Section(
        key="rounds.led",
        role=Role.TEAM_LEADER,
        title=gettext_lazy("Inspections you lead"),
        empty=gettext_lazy(
            "You lead no open inspection. Once the inspection office names you leader of a "
            "team, its inspections appear here with their next step."
        ),
        rows=_led_rows,
        cache_token=registry_token,
        entries=_led_entries,
    ),
    Section(
        key="rounds.tasks",
        role=Role.TEAM_MEMBER,
        title=gettext_lazy("Your tasks"),
        empty=gettext_lazy(
            "No task is assigned to you. Your team leader splits the work on the work plan."
        ),
        rows=_task_rows,
        entries=_task_entries,
        next_step=_your_inspections,
    ),
)


def register() -> None:
    for section in SECTIONS:
        register_section(section)
