"""Object-level access: team members see their own team's inspections only."""

from __future__ import annotations

import pytest

from accounts.models import Membership
from accounts.roles import Role
from rounds.models import TeamMember
from rounds.permissions import Action, can, inspections_viewable
from rounds.services import teams as services
from tests.factories import InspectorFactory, MembershipFactory, TeamFactory, seat_on_team


@pytest.fixture
def team(org):
    return TeamFactory(round__organization=org, name="第一巡察组")


@pytest.fixture
def membership(org, team_member_user) -> Membership:
    return Membership.objects.for_org(org).get(user=team_member_user)


def _visible(org, membership) -> list[str]:
    return [i.unit.name for i in inspections_viewable(membership)]


def test_member_sees_only_their_teams_inspections(
    org, team, office_user, team_member_user, membership, unit_tree
):
    other_team = TeamFactory(round=team.round)
    seat_on_team(team, team_member_user, actor=office_user)
    services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])
    services.assign_unit(team=other_team, actor=office_user, unit=unit_tree["mianyang"])

    assert _visible(org, membership) == ["成都分公司"]


def test_joining_a_team_with_units_grants_view_not_change(
    team, office_user, team_member_user, unit_tree
):
    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])

    seat_on_team(team, team_member_user, actor=office_user)

    assert team_member_user.has_perm("rounds.view_inspection", inspection)
    assert not team_member_user.has_perm("rounds.change_inspection", inspection)


@pytest.mark.parametrize("role", [TeamMember.Role.LEADER, TeamMember.Role.DEPUTY])
def test_leader_and_deputy_may_change_their_inspections(
    org, team, office_user, team_member_user, membership, unit_tree, role
):
    seat_on_team(team, team_member_user, actor=office_user, role=role)

    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])

    assert can(membership, Action.MANAGE, inspection)


def test_removing_a_member_revokes_their_access(
    org, team, office_user, team_member_user, membership, unit_tree
):
    member = seat_on_team(team, team_member_user, actor=office_user, role=TeamMember.Role.LEADER)
    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])

    services.remove_member(member=member, actor=office_user)

    assert _visible(org, membership) == []
    assert not can(membership, Action.MANAGE, inspection)


def test_unassigning_a_unit_revokes_access_to_it(
    org, team, office_user, team_member_user, membership, unit_tree
):
    seat_on_team(team, team_member_user, actor=office_user)
    services.assign_unit(team=team, actor=office_user, unit=unit_tree["mianyang"])
    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])

    services.unassign_unit(inspection=inspection, actor=office_user)

    assert _visible(org, membership) == ["绵阳分公司"]


def test_grants_of_other_teams_are_left_alone(org, team, office_user, unit_tree):
    other_team = TeamFactory(round=team.round)
    colleague = MembershipFactory(organization=org, roles=[Role.TEAM_MEMBER]).user
    seat_on_team(other_team, colleague, actor=office_user)
    inspection = services.assign_unit(
        team=other_team, actor=office_user, unit=unit_tree["mianyang"]
    )

    services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])

    assert colleague.has_perm("rounds.view_inspection", inspection)


def test_member_without_user_account_needs_no_grant(team, office_user, unit_tree):
    inspector = InspectorFactory(organization=team.organization, user=None)
    services.add_member(team=team, actor=office_user, inspector=inspector, role="member")

    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])

    assert inspection.inspectionuserobjectpermission_set.count() == 0
