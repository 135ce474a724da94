"""Gates are SQL: the gates of a stage are checked in one query for one inspection, and a list
finds every inspection a gate holds up with the same verdict, in one query for all."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rounds import gates
from rounds.gates import unmet_gates, waiting_checks, waiting_gates
from rounds.models import Inspection, StagePlan, TeamMember
from rounds.selectors.work_queue import inspection_waiting_list
from rounds.taxonomy import Stage
from tests.factories import (
    AnnouncementFactory,
    InspectionFactory,
    IntelligenceRequestFactory,
    ProblemFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
)

DAY = datetime.date(2025, 4, 1)


def _with_leader(inspection: Inspection) -> None:
    inspection.team = TeamFactory(round=inspection.round)
    inspection.save(update_fields=["team"])
    TeamMemberFactory(team=inspection.team, role=TeamMember.Role.LEADER)


def _plan_onsite(inspection: Inspection) -> None:
    StagePlan.objects.create(
        organization=inspection.organization,
        inspection=inspection,
        stage=Stage.ONSITE,
        planned_start=DAY,
        planned_end=DAY,
    )


def _announced(inspection: Inspection) -> None:
    AnnouncementFactory(inspection=inspection, published_at=timezone.now())


def _team_without_leader(inspection: Inspection) -> None:
    inspection.team = TeamFactory(round=inspection.round)
    inspection.save(update_fields=["team"])


def _focus_areas(inspection: Inspection) -> None:
    inspection.focus_areas = ["funds"]
    inspection.save(update_fields=["focus_areas"])


def _answered(inspection: Inspection) -> None:
    IntelligenceRequestFactory(inspection=inspection, answered_on=DAY)


def _unanswered(inspection: Inspection) -> None:
    IntelligenceRequestFactory(inspection=inspection)


def _problem(inspection: Inspection) -> None:
    ProblemFactory(inspection=inspection)


# stage and set-up of each inspection: every gate met and unmet at least once.
STATES = {
    "planning, nothing done": (Stage.PLANNING, []),
    "planning, team without leader": (Stage.PLANNING, [_team_without_leader, _focus_areas]),
    "planning, ready": (Stage.PLANNING, [_with_leader, _focus_areas]),
    "preparation, nothing requested": (Stage.PREPARATION, []),
    "preparation, one unanswered": (Stage.PREPARATION, [_answered, _unanswered]),
    "preparation, all answered": (Stage.PREPARATION, [_answered]),
    "mobilization, unplanned": (Stage.MOBILIZATION, []),
    "mobilization, planned": (Stage.MOBILIZATION, [_plan_onsite, _announced]),
    "onsite, no gate": (Stage.ONSITE, []),
    "reporting, no problem": (Stage.REPORTING, []),
    "reporting, a problem": (Stage.REPORTING, [_problem]),
    "closed": (Stage.CLOSED, []),
}


@pytest.fixture
def inspections(org) -> dict[str, Inspection]:
    round_ = RoundFactory(organization=org)
    made = {}
    for name, (stage, steps) in STATES.items():
        inspection = InspectionFactory(round=round_, stage=stage, focus_areas=[])
        for step in steps:
            step(inspection)
        made[name] = Inspection.objects.for_org(org).get(pk=inspection.pk)
    return made


def test_a_stages_gates_are_checked_in_one_query(inspections):
    inspection = inspections["planning, nothing done"]
    inspection.organization  # noqa: B018 - loaded before counting, as the pages have it

    with CaptureQueriesContext(connection) as queries:
        unmet = unmet_gates(inspection, Stage.PREPARATION)

    assert len(queries) == 1
    assert len(unmet) == 2


def test_the_waiting_list_agrees_with_each_inspections_gates(office_user, org, inspections):
    membership = office_user.memberships.get()
    checks = waiting_checks()

    listed = {
        row.pk: [str(gate.message) for gate in waiting_gates(row, checks)]
        for row in inspection_waiting_list(membership=membership, checks=checks)
    }

    for name, inspection in inspections.items():
        upcoming = inspection.next_stage
        expected = unmet_gates(inspection, upcoming) if upcoming else []
        assert listed.get(inspection.pk, []) == expected, name


BASE_GATES = [
    gates.team_has_leader,
    gates.work_plan_has_focus_areas,
    gates.intelligence_requested,
    gates.intelligence_answered,
    gates.onsite_dates_planned,
    gates.announcement_published,
    gates.problems_recorded,
]


def test_the_states_leave_each_of_the_base_gates_unmet_somewhere(inspections):
    unmet = {
        message
        for inspection in inspections.values()
        if inspection.next_stage
        for message in unmet_gates(inspection, inspection.next_stage)
    }

    assert {str(gate.message) for gate in BASE_GATES} <= unmet


@pytest.mark.parametrize(
    "name",
    [
        "planning, ready",
        "preparation, all answered",
        "mobilization, planned",
        "reporting, a problem",
    ],
)
def test_a_met_gate_holds_nothing(inspections, name):
    inspection = inspections[name]

    assert unmet_gates(inspection, inspection.next_stage) == []
