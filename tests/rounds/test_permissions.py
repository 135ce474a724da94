"""The inspection policy (``rounds.permissions``): who may view, work on, manage and close which
inspections, as querysets and for one object."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import Role
from rounds import permissions
from rounds.models import Inspection, InspectionUserObjectPermission, TeamMember
from rounds.permissions import Action, can, can_move_to
from rounds.services import teams as team_services
from rounds.taxonomy import Stage
from tests.factories import (
    MembershipFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
    seat_on_team,
)

ACTIONS = [Action.VIEW, Action.WORK, Action.MANAGE, Action.CLOSE]


def _membership(org, *roles: str) -> Membership:
    return MembershipFactory(organization=org, user=UserFactory(), roles=roles)


@pytest.fixture
def team(org):
    return TeamFactory(round__organization=org)


@pytest.fixture
def ours(team, office_user) -> Inspection:
    """An inspection of ``team``."""
    unit = UnitFactory(organization=team.organization)
    return team_services.assign_unit(team=team, actor=office_user, unit=unit)


@pytest.fixture
def theirs(org, team, office_user) -> Inspection:
    """An inspection of another team of the same round."""
    other = TeamFactory(round=team.round)
    unit = UnitFactory(organization=org)
    return team_services.assign_unit(team=other, actor=office_user, unit=unit)


def _seated(team, role: str) -> Membership:
    membership = _membership(team.organization, Role.TEAM_MEMBER)
    seat_on_team(team, membership.user, role=role)
    return membership


def _allowed(membership, inspection) -> list[str]:
    return [action for action in ACTIONS if can(membership, action, inspection)]


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        ((Role.OFFICE,), ["view", "work", "manage"]),
        ((Role.LEADERSHIP,), ["view", "close"]),
        ((Role.ORG_ADMIN,), ["view"]),
        ((Role.TEAM_MEMBER,), []),
        ((Role.LIAISON,), []),
        ((), []),
    ],
)
def test_what_each_role_may_do_without_a_team_seat(org, ours, roles, allowed):
    assert _allowed(_membership(org, *roles), ours) == allowed


@pytest.mark.parametrize(
    ("seat", "allowed"),
    [
        (TeamMember.Role.MEMBER, ["view", "work"]),
        (TeamMember.Role.LEADER, ["view", "work", "manage"]),
    ],
)
def test_a_team_seat_opens_the_teams_inspection(team, ours, seat, allowed):
    assert _allowed(_seated(team, seat), ours) == allowed


def test_a_team_seat_opens_nothing_of_another_team(team, theirs):
    assert _allowed(_seated(team, TeamMember.Role.LEADER), theirs) == []


def test_another_organizations_membership_may_do_nothing(other_org, ours):
    assert _allowed(_membership(other_org, *Role.values), ours) == []


def test_an_inactive_membership_may_do_nothing(org, ours):
    membership = _membership(org, Role.OFFICE)
    membership.is_active = False

    assert _allowed(membership, ours) == []


def test_querysets_of_a_team_leader(team, ours, theirs):
    membership = _seated(team, TeamMember.Role.LEADER)

    assert list(permissions.inspections_viewable(membership)) == [ours]
    assert list(permissions.inspections_workable(membership)) == [ours]
    assert list(permissions.inspections_manageable(membership)) == [ours]


def test_querysets_of_a_team_member_do_not_include_managing(team, ours):
    membership = _seated(team, TeamMember.Role.MEMBER)

    assert list(permissions.inspections_workable(membership)) == [ours]
    assert list(permissions.inspections_manageable(membership)) == []


@pytest.mark.parametrize(
    ("roles", "viewable", "manageable"),
    [((Role.OFFICE,), 2, 2), ((Role.LEADERSHIP,), 2, 0), ((Role.LIAISON,), 0, 0)],
)
def test_querysets_of_tenant_wide_roles(org, ours, theirs, roles, viewable, manageable):
    membership = _membership(org, *roles)

    assert permissions.inspections_viewable(membership).count() == viewable
    assert permissions.inspections_manageable(membership).count() == manageable


def test_a_grant_without_the_role_capability_opens_nothing(team, ours):
    """The grant alone is not enough: the policy also asks for the role's capability."""
    membership = _seated(team, TeamMember.Role.LEADER)
    membership.role_rows.all().delete()  # behind the services' back: the grant rows linger
    assert InspectionUserObjectPermission.objects.filter(user=membership.user).count() == 2
    membership = Membership.objects.get(pk=membership.pk)

    assert list(permissions.inspections_viewable(membership)) == []
    assert _allowed(membership, ours) == []


@pytest.mark.parametrize(
    ("roles", "stage", "expected"),
    [
        ((Role.OFFICE,), Stage.PREPARATION, True),
        ((Role.OFFICE,), Stage.CLOSED, False),
        ((Role.LEADERSHIP,), Stage.CLOSED, True),
        ((Role.LEADERSHIP,), Stage.PREPARATION, False),
    ],
)
def test_who_may_move_an_inspection_into_a_stage(org, ours, roles, stage, expected):
    assert can_move_to(_membership(org, *roles), ours, stage) is expected


def test_the_viewable_list_costs_the_same_for_3_and_30_inspections(org, team, office_user):
    membership = _seated(team, TeamMember.Role.MEMBER)

    def count_queries(rows: int) -> int:
        for _ in range(rows - team.inspections.count()):
            team_services.assign_unit(
                team=team, actor=office_user, unit=UnitFactory(organization=org)
            )
        fresh = Membership.objects.get(pk=membership.pk)
        with CaptureQueriesContext(connection) as queries:
            assert len(list(permissions.inspections_viewable(fresh))) == rows
        return len(queries)

    assert count_queries(3) == count_queries(30)


def test_the_detail_page_offers_a_team_member_only_what_the_policy_allows(login, team, ours):
    membership = _seated(team, TeamMember.Role.MEMBER)

    page = login(membership.user).get(reverse("rounds:inspection_detail", args=[ours.pk]))

    links = {
        name: reverse(name, args=[ours.pk]) in page.content.decode()
        for name in (
            "rounds:problem_create",
            "rounds:extension_visit_create",
            "rounds:inspection_schedule",
        )
    }
    assert links == {
        "rounds:problem_create": True,
        "rounds:extension_visit_create": False,
        "rounds:inspection_schedule": False,
    }
    assert (page.context["can_work"], page.context["can_manage"], page.context["can_advance"]) == (
        True,
        False,
        False,
    )
