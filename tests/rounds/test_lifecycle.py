"""The inspection lifecycle: one transition per stage, gate checks, who may move, the timeline."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation
from guardian.shortcuts import assign_perm

from accounts.errors import DomainError
from accounts.roles import Role
from rounds import gates
from rounds.models import Inspection, StagePlan, StageTransition, TeamMember
from rounds.selectors.timeline import inspection_timeline, stage_transition_list
from rounds.services import lifecycle
from rounds.taxonomy import Stage
from tests.factories import (
    AnnouncementFactory,
    InspectionFactory,
    IntelligenceRequestFactory,
    MembershipFactory,
    ProblemFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)


@pytest.fixture
def inspection(org) -> Inspection:
    return InspectionFactory(round=RoundFactory(organization=org), focus_areas=["political"])


def _at(inspection: Inspection, stage: str) -> Inspection:
    inspection.stage = stage
    inspection.save(update_fields=["stage"])
    return inspection


def _with_leader(inspection: Inspection) -> TeamMember:
    inspection.team = TeamFactory(round=inspection.round)
    inspection.save(update_fields=["team"])
    return TeamMemberFactory(team=inspection.team, role=TeamMember.Role.LEADER)


def _team_user(inspection: Inspection, role: str) -> object:
    """A signed-up team member of the inspection, with the grants the team services give."""
    user = MembershipFactory(
        organization=inspection.organization, user=UserFactory(), roles=(Role.TEAM_MEMBER,)
    ).user
    assign_perm("rounds.view_inspection", user, inspection)
    if role in {TeamMember.Role.LEADER, TeamMember.Role.DEPUTY}:
        assign_perm("rounds.change_inspection", user, inspection)
    return user


def _refused(inspection: Inspection, actor, to_stage: str, stage_before: str) -> None:
    with pytest.raises(DomainError):
        lifecycle.advance(inspection=inspection, actor=actor, to_stage=to_stage)
    inspection.refresh_from_db()
    assert inspection.stage == stage_before
    assert not StageTransition.objects.filter(inspection=inspection).exists()


def _moved(inspection: Inspection, actor, to_stage: str) -> None:
    lifecycle.advance(inspection=inspection, actor=actor, to_stage=to_stage, reason="按计划推进")
    inspection.refresh_from_db()
    step = StageTransition.objects.get(inspection=inspection)
    assert inspection.stage == to_stage
    assert (step.to_stage, step.actor, step.reason) == (to_stage, actor, "按计划推进")
    assert inspection.stage_entered_at == step.at


def test_preparation_needs_a_team_with_a_leader(inspection, office_user):
    _refused(inspection, office_user, Stage.PREPARATION, Stage.PLANNING)


def test_preparation_needs_focus_areas_in_the_work_plan(inspection, office_user):
    _with_leader(inspection)
    inspection.focus_areas = []
    inspection.save(update_fields=["focus_areas"])

    _refused(inspection, office_user, Stage.PREPARATION, Stage.PLANNING)


def test_preparation_starts_with_a_leader_and_focus_areas(inspection, office_user):
    _with_leader(inspection)

    _moved(inspection, office_user, Stage.PREPARATION)


def test_a_team_without_a_leader_does_not_open_preparation(inspection, office_user):
    _with_leader(inspection).delete()
    TeamMemberFactory(team=inspection.team, role=TeamMember.Role.DEPUTY)

    _refused(inspection, office_user, Stage.PREPARATION, Stage.PLANNING)


def test_mobilization_needs_an_intelligence_request(inspection, office_user):
    _refused(_at(inspection, Stage.PREPARATION), office_user, Stage.MOBILIZATION, "preparation")


def test_mobilization_waits_for_every_answer(inspection, office_user):
    IntelligenceRequestFactory(inspection=inspection, answered_on=datetime.date(2025, 3, 5))
    IntelligenceRequestFactory(inspection=inspection, answered_on=None)

    _refused(_at(inspection, Stage.PREPARATION), office_user, Stage.MOBILIZATION, "preparation")


def test_mobilization_starts_when_every_request_is_answered(inspection, office_user):
    IntelligenceRequestFactory(inspection=inspection, answered_on=datetime.date(2025, 3, 5))

    _moved(_at(inspection, Stage.PREPARATION), office_user, Stage.MOBILIZATION)


@pytest.mark.parametrize("start", [None, datetime.date(2025, 4, 1)])
def test_onsite_needs_planned_onsite_dates(inspection, office_user, start):
    StagePlan.objects.create(
        organization=inspection.organization,
        inspection=inspection,
        stage=Stage.ONSITE,
        planned_start=start,
        planned_end=None,
    )

    _refused(_at(inspection, Stage.MOBILIZATION), office_user, Stage.ONSITE, "mobilization")


def test_onsite_starts_with_planned_dates(inspection, office_user):
    StagePlan.objects.create(
        organization=inspection.organization,
        inspection=inspection,
        stage=Stage.ONSITE,
        planned_start=datetime.date(2025, 4, 1),
        planned_end=datetime.date(2025, 4, 30),
    )
    AnnouncementFactory(inspection=inspection, published_at=timezone.now())

    _moved(_at(inspection, Stage.MOBILIZATION), office_user, Stage.ONSITE)


def test_feedback_needs_a_recorded_problem(inspection, office_user):
    _refused(_at(inspection, Stage.REPORTING), office_user, Stage.FEEDBACK, "reporting")


def test_feedback_starts_once_a_problem_is_recorded(inspection, office_user):
    ProblemFactory(inspection=inspection)

    _moved(_at(inspection, Stage.REPORTING), office_user, Stage.FEEDBACK)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (Stage.ONSITE, Stage.REPORTING),
        (Stage.FEEDBACK, Stage.RECTIFICATION),
        (Stage.RECTIFICATION, Stage.ACCEPTANCE),
    ],
)
def test_stages_without_gates_open_directly(inspection, office_user, source, target):
    _moved(_at(inspection, source), office_user, target)


def test_leadership_closes_an_accepted_inspection(inspection, leadership_user):
    _moved(_at(inspection, Stage.ACCEPTANCE), leadership_user, Stage.CLOSED)

    assert inspection.closed_at is not None


def test_the_office_may_not_close(inspection, office_user):
    _refused(_at(inspection, Stage.ACCEPTANCE), office_user, Stage.CLOSED, "acceptance")


def test_leadership_may_not_move_other_stages(inspection, leadership_user):
    _with_leader(inspection)

    _refused(inspection, leadership_user, Stage.PREPARATION, Stage.PLANNING)


@pytest.fixture
def open_items_gate(monkeypatch):
    """A gate such as the rectification app registers: items are still open."""
    monkeypatch.setitem(gates.GATES, Stage.CLOSED, [])
    gates.register_gate(Stage.CLOSED, lambda inspection: "2 items still open")


@pytest.mark.usefixtures("open_items_gate")
def test_a_registered_gate_blocks_closing(inspection, leadership_user):
    _refused(_at(inspection, Stage.ACCEPTANCE), leadership_user, Stage.CLOSED, "acceptance")


@pytest.mark.usefixtures("open_items_gate")
def test_leadership_exception_closes_and_records_why(inspection, leadership_user):
    lifecycle.close_inspection(
        inspection=_at(inspection, Stage.ACCEPTANCE),
        actor=leadership_user,
        reason="长期整改事项另行跟踪",
        exception=True,
    )

    step = StageTransition.objects.get(inspection=inspection)
    assert inspection.stage == Stage.CLOSED
    assert "长期整改事项另行跟踪" in step.reason
    assert "2 items still open" in step.reason


@pytest.mark.usefixtures("open_items_gate")
def test_an_exception_needs_a_reason(inspection, leadership_user):
    with pytest.raises(DomainError):
        lifecycle.close_inspection(
            inspection=_at(inspection, Stage.ACCEPTANCE), actor=leadership_user, exception=True
        )

    assert not StageTransition.objects.filter(inspection=inspection).exists()


def test_registering_a_gate_twice_adds_it_once(monkeypatch):
    monkeypatch.setitem(gates.GATES, Stage.REPORTING, [])

    def gate(inspection):
        return None

    gates.register_gate(Stage.REPORTING, gate)
    gates.register_gate(Stage.REPORTING, gate)

    assert gates.GATES[Stage.REPORTING] == [gate]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (Stage.PLANNING, Stage.ONSITE),  # skipping
        (Stage.ONSITE, Stage.PREPARATION),  # backwards
        (Stage.ONSITE, Stage.ONSITE),  # staying
        (Stage.CLOSED, Stage.PLANNING),  # from closed
        (Stage.PLANNING, Stage.CLOSED),  # closing early
    ],
)
def test_illegal_moves_are_refused(inspection, all_roles_user, source, target):
    _refused(_at(inspection, source), all_roles_user, target, source)


def test_an_illegal_move_names_both_stages(inspection, office_user):
    with translation.override("en"), pytest.raises(DomainError) as refused:
        lifecycle.start_onsite(inspection=inspection, actor=office_user, reason="")

    assert "Planning" in refused.value.message
    assert "On-site inspection" in refused.value.message


def test_an_unknown_stage_is_refused(inspection, office_user):
    _refused(inspection, office_user, "archived", Stage.PLANNING)


def test_the_inspections_team_leader_may_advance(inspection):
    _with_leader(inspection)

    _moved(inspection, _team_user(inspection, TeamMember.Role.LEADER), Stage.PREPARATION)


def test_a_team_member_may_not_advance(inspection):
    _with_leader(inspection)

    _refused(inspection, _team_user(inspection, TeamMember.Role.MEMBER), "preparation", "planning")


def test_a_member_of_another_organization_may_not_advance(inspection, outsider):
    _with_leader(inspection)

    _refused(inspection, outsider, Stage.PREPARATION, Stage.PLANNING)


def test_the_timeline_lists_every_step_in_order(inspection, office_user):
    _with_leader(inspection)
    IntelligenceRequestFactory(inspection=inspection, answered_on=datetime.date(2025, 3, 5))
    lifecycle.start_preparation(inspection=inspection, actor=office_user, reason="方案已批准")
    lifecycle.start_mobilization(inspection=inspection, actor=office_user, reason="情况已收集")

    steps = inspection_timeline(inspection, list(stage_transition_list(inspection=inspection)))

    assert [(s.from_stage, s.to_stage) for s in steps] == [
        ("", "planning"),
        ("planning", "preparation"),
        ("preparation", "mobilization"),
    ]
    assert [s.reason for s in steps[1:]] == ["方案已批准", "情况已收集"]
    assert steps[0].created
    assert steps[0].at == inspection.created_at
