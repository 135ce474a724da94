"""Rounds and teams services: the rules of forming teams and assigning units."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.errors import DomainError
from rounds.models import Inspection, Recusal, Round, Team, TeamMember
from rounds.services import teams as services
from tests.factories import (
    InspectionFactory,
    InspectorFactory,
    RecusalFactory,
    RelativeDeclarationFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
    UnitFactory,
    WorkTaskFactory,
)
from tests.factories_clues import PetitionFactory
from xuncha.tenancy import dangerously_unscoped

DAY = datetime.date(2025, 3, 1)


@pytest.fixture
def round_(org) -> Round:
    return RoundFactory(organization=org, focus_areas=["political", "funds"])


@pytest.fixture
def team(round_) -> Team:
    return TeamFactory(round=round_, name="第一巡察组")


def _add(team, office_user, role=TeamMember.Role.MEMBER, **fields) -> TeamMember:
    inspector = InspectorFactory(organization=team.organization, **fields)
    return services.add_member(team=team, actor=office_user, inspector=inspector, role=role)


def test_create_round_keeps_its_fields(org, office_user):
    round_ = services.create_round(
        org=org,
        actor=office_user,
        name="2025年第一轮巡察",
        kind="special",
        start_date=DAY,
        end_date=DAY,
        focus_areas=["funds", "political", "funds"],
    )

    assert (round_.kind, round_.focus_areas, round_.created_by) == (
        "special",
        ["funds", "political"],
        office_user,
    )


@pytest.mark.parametrize(
    "overrides",
    [{"end_date": DAY - datetime.timedelta(days=1)}, {"focus_areas": ["weather"]}, {"kind": "x"}],
)
def test_create_round_with_bad_fields_is_refused(org, office_user, overrides):
    fields = {"name": "第一轮", "kind": "routine", "start_date": DAY, "end_date": DAY}

    with pytest.raises(DomainError):
        services.create_round(org=org, actor=office_user, **(fields | overrides))

    assert not Round.objects.exists()


def test_create_team_records_the_authorization_and_who_entered_it(round_, office_user):
    team = services.create_team(
        round=round_,
        actor=office_user,
        name="第二巡察组",
        authorization_ref="川电党〔2025〕7号",
        authorized_on=DAY,
    )

    assert (team.authorization_ref, team.authorized_on, team.authorized_by) == (
        "川电党〔2025〕7号",
        DAY,
        office_user,
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "第一巡察组"},  # taken in this round
        {"name": "第二巡察组", "authorization_ref": "7号"},  # no date
        {"name": "第二巡察组", "authorized_on": DAY},  # no document
    ],
)
def test_create_team_with_bad_fields_is_refused(team, office_user, fields):
    with pytest.raises(DomainError):
        services.create_team(round=team.round, actor=office_user, **fields)

    assert Team.objects.count() == 1


def test_same_team_name_is_fine_in_another_round(team, office_user, org):
    other = services.create_team(
        round=RoundFactory(organization=org), actor=office_user, name="第一巡察组"
    )

    assert other.name == team.name


def test_leader_must_be_leader_eligible(team, office_user):
    with pytest.raises(DomainError):
        _add(team, office_user, role=TeamMember.Role.LEADER, leader_eligible=False)

    assert not TeamMember.objects.exists()


def test_team_has_one_leader_only(team, office_user):
    _add(team, office_user, role=TeamMember.Role.LEADER, leader_eligible=True)

    with pytest.raises(DomainError):
        _add(team, office_user, role=TeamMember.Role.LEADER, leader_eligible=True)

    assert TeamMember.objects.filter(role="leader").count() == 1


def test_person_serves_on_one_team_per_round(team, office_user):
    member = _add(team, office_user)
    other_team = TeamFactory(round=team.round)

    with pytest.raises(DomainError, match=team.name):
        services.add_member(
            team=other_team, actor=office_user, inspector=member.inspector, role="member"
        )

    assert TeamMember.objects.count() == 1


def test_person_may_serve_again_in_another_round(team, office_user, org):
    member = _add(team, office_user)
    next_team = TeamFactory(round=RoundFactory(organization=org))

    services.add_member(
        team=next_team, actor=office_user, inspector=member.inspector, role="member"
    )

    assert TeamMember.objects.filter(inspector=member.inspector).count() == 2


@pytest.mark.parametrize("case", ["inactive", "other_org", "bad_role"])
def test_unfit_inspector_is_refused(team, office_user, other_org, case):
    inspector = {
        "inactive": lambda: InspectorFactory(organization=team.organization, is_active=False),
        "other_org": lambda: InspectorFactory(organization=other_org),
        "bad_role": lambda: InspectorFactory(organization=team.organization),
    }[case]()

    with pytest.raises(DomainError):
        services.add_member(
            team=team,
            actor=office_user,
            inspector=inspector,
            role="boss" if case == "bad_role" else "member",
        )

    with dangerously_unscoped():  # every organization's rows
        assert not TeamMember.objects.exists()


def test_assign_unit_creates_a_planning_inspection(team, office_user, unit_tree):
    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])

    assert (inspection.round, inspection.team, inspection.stage) == (team.round, team, "planning")
    assert inspection.focus_areas == ["political", "funds"]
    assert inspection.stage_entered_at is not None


def test_the_inspection_timeline_starts_with_who_created_it(team, office_user, unit_tree, login):
    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])

    response = login(office_user).get(reverse("rounds:inspection_detail", args=[inspection.pk]))

    first = response.context["detail"].timeline[0]
    assert (first.created, first.actor_name) == (True, office_user.display_name)


def test_unit_is_inspected_once_per_round(team, office_user, unit_tree):
    services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])
    other_team = TeamFactory(round=team.round)

    with pytest.raises(DomainError, match="成都分公司"):
        services.assign_unit(team=other_team, actor=office_user, unit=unit_tree["chengdu"])

    assert list(Inspection.objects.values_list("team", flat=True)) == [team.pk]


def test_unit_may_be_inspected_again_in_another_round(team, office_user, unit_tree, org):
    services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])
    next_team = TeamFactory(round=RoundFactory(organization=org))

    services.assign_unit(team=next_team, actor=office_user, unit=unit_tree["chengdu"])

    assert Inspection.objects.filter(unit=unit_tree["chengdu"]).count() == 2


@pytest.mark.parametrize("case", ["other_org", "inactive"])
def test_unfit_unit_is_refused(team, office_user, other_org, admin_user, case):
    unit = UnitFactory(organization=other_org if case == "other_org" else team.organization)
    if case == "inactive":
        from accounts.services import deactivate_unit

        deactivate_unit(unit=unit, actor=admin_user)
        unit.refresh_from_db()

    with pytest.raises(DomainError):
        services.assign_unit(team=team, actor=office_user, unit=unit)

    with dangerously_unscoped():  # every organization's rows
        assert not Inspection.objects.exists()


def test_assigning_a_members_home_unit_is_refused_naming_them(team, office_user, unit_tree):
    _add(team, office_user, name="李四", home_unit=unit_tree["outlet"])

    with pytest.raises(DomainError, match="李四"):
        services.assign_unit(team=team, actor=office_user, unit=unit_tree["jinjiang"])

    assert not Inspection.objects.exists()


def test_adding_someone_whose_relative_works_in_an_assigned_unit_is_refused(
    team, office_user, unit_tree
):
    services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])
    inspector = InspectorFactory(organization=team.organization, name="王五")
    RelativeDeclarationFactory(inspector=inspector, unit=unit_tree["outlet"], relative_name="张三")

    with pytest.raises(DomainError, match="张三"):
        services.add_member(team=team, actor=office_user, inspector=inspector, role="member")

    assert not TeamMember.objects.exists()


def test_approved_recusal_does_not_lift_the_conflict(team, office_user, unit_tree):
    member = _add(team, office_user, home_unit=unit_tree["mianyang"])
    recusal = RecusalFactory(member=member, unit=unit_tree["mianyang"])
    services.decide_recusal(recusal=recusal, actor=office_user, approve=True)

    with pytest.raises(DomainError):
        services.assign_unit(team=team, actor=office_user, unit=unit_tree["mianyang"])

    assert not Inspection.objects.exists()


def test_unassign_deletes_a_planning_inspection(team, office_user, unit_tree):
    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])

    services.unassign_unit(inspection=inspection, actor=office_user)

    assert not Inspection.objects.exists()


def test_an_inspection_with_recorded_work_is_not_unassigned(team, office_user, unit_tree):
    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])
    PetitionFactory(inspection=inspection)  # a letter recorded before the plan was settled

    with pytest.raises(DomainError, match="已有"):
        services.unassign_unit(inspection=inspection, actor=office_user)

    assert Inspection.objects.get().team == team


def test_unassign_past_planning_is_refused(team, office_user, unit_tree):
    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])
    Inspection.objects.filter(pk=inspection.pk).update(stage="preparation")

    with pytest.raises(DomainError):
        services.unassign_unit(inspection=inspection, actor=office_user)

    assert Inspection.objects.get().team == team


def test_assign_adopts_the_rounds_teamless_inspection(team, office_user, unit_tree):
    waiting = InspectionFactory(round=team.round, unit=unit_tree["chengdu"], team=None)

    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])

    assert inspection.pk == waiting.pk
    assert Inspection.objects.get().team == team


def test_unassigning_a_look_back_keeps_it_without_team(team, office_user, unit_tree, org):
    closed = InspectionFactory(organization=org, unit=unit_tree["chengdu"], stage="closed")
    InspectionFactory(round=team.round, unit=unit_tree["chengdu"], look_back_of=closed)
    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])

    services.unassign_unit(inspection=inspection, actor=office_user)

    inspection.refresh_from_db()
    assert (inspection.team, inspection.look_back_of) == (None, closed)


def test_remove_member(team, office_user):
    member = _add(team, office_user)

    services.remove_member(member=member, actor=office_user)

    assert not TeamMember.objects.exists()


def test_member_with_work_tasks_cannot_be_removed(team, office_user, unit_tree):
    member = _add(team, office_user)
    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])
    WorkTaskFactory(inspection=inspection, assignee=member)

    with pytest.raises(DomainError):
        services.remove_member(member=member, actor=office_user)

    assert TeamMember.objects.filter(pk=member.pk).exists()


def test_declare_recusal_is_pending(team, office_user, unit_tree):
    member = _add(team, office_user)

    recusal = services.declare_recusal(
        member=member,
        actor=office_user,
        unit=unit_tree["chengdu"],
        reason="曾在该单位任职",
        declared_on=DAY,
    )

    assert (recusal.decision, recusal.unit, recusal.declared_on) == (
        "pending",
        unit_tree["chengdu"],
        DAY,
    )


@pytest.mark.parametrize(("approve", "decision"), [(True, "approved"), (False, "rejected")])
def test_decide_recusal_records_decision_and_who(org, office_user, approve, decision):
    recusal = RecusalFactory(member=TeamMemberFactory(team=TeamFactory(round__organization=org)))

    services.decide_recusal(recusal=recusal, actor=office_user, approve=approve)

    recusal.refresh_from_db()
    assert (recusal.decision, recusal.decided_by) == (decision, office_user)


def test_recusal_is_decided_once(org, office_user):
    recusal = RecusalFactory(member=TeamMemberFactory(team=TeamFactory(round__organization=org)))
    services.decide_recusal(recusal=recusal, actor=office_user, approve=True)

    with pytest.raises(DomainError):
        services.decide_recusal(recusal=recusal, actor=office_user, approve=False)

    assert Recusal.objects.get().decision == "approved"
