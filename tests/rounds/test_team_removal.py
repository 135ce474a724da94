"""Removing someone from a team: confirmed first, with a reason while the team's inspections
are under way, and never leaving an inspection past planning without its leader."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from accounts.errors import DomainError
from accounts.models import User
from accounts.roles import Role
from rounds.models import Inspection, Team, TeamMember
from rounds.services import teams as services
from rounds.taxonomy import Stage
from tests.factories import (
    InspectorFactory,
    MembershipFactory,
    TeamFactory,
    WorkTaskFactory,
    seat_on_team,
)

AUTHORIZED_ON = datetime.date(2025, 2, 20)
NEW_AUTHORIZATION = {"authorization_ref": "川电信党委〔2025〕9号", "authorized_on": "2025-04-01"}


@pytest.fixture
def team(org) -> Team:
    return TeamFactory(
        round__organization=org,
        name="第一巡察组",
        authorization_ref="川电信党委〔2025〕3号",
        authorized_on=AUTHORIZED_ON,
    )


@pytest.fixture
def leader_user(org) -> User:
    return MembershipFactory(organization=org, roles=[Role.TEAM_LEADER]).user


@pytest.fixture
def leader(team, leader_user, office_user) -> TeamMember:
    return seat_on_team(team, leader_user, role=TeamMember.Role.LEADER, actor=office_user)


@pytest.fixture
def member(team, team_member_user, office_user) -> TeamMember:
    return seat_on_team(team, team_member_user, actor=office_user)


@pytest.fixture
def inspection(team, office_user, unit_tree, leader, member) -> Inspection:
    return services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])


def _at(inspection: Inspection, stage: str) -> Inspection:
    Inspection.objects.filter(pk=inspection.pk).update(stage=stage)
    return inspection


@pytest.fixture
def pool_leader(org):
    return InspectorFactory(organization=org, name="周新", leader_eligible=True)


def _remove(client, seat: TeamMember, **data):
    url = reverse("rounds:team_member_remove", args=[seat.pk])
    return client.post(url, {"confirmed": "1", **data})


def _seats(team: Team) -> list[tuple[str, str]]:
    rows = TeamMember.objects.filter(team=team).order_by("role", "inspector__name")
    return [(seat.inspector.name, seat.role) for seat in rows]


def test_the_leader_stays_without_a_new_leader_once_an_inspection_is_past_planning(
    login, office_user, team, leader, inspection
):
    _at(inspection, Stage.ONSITE)
    before = _seats(team)

    response = _remove(login(office_user), leader, reason="调任")

    assert response.status_code == 400
    assert response.context["confirm_form"].errors["new_leader"]
    field = response.content.decode().split('name="new_leader"')[1].split('class="mb-3"')[0]
    assert '<div class="invalid-feedback d-block">此项为必填项。</div>' in field  # under it
    assert _seats(team) == before
    team.refresh_from_db()
    assert team.authorization_ref == "川电信党委〔2025〕3号"


def test_the_service_refuses_the_leaders_removal_without_a_new_leader(
    office_user, team, leader, inspection
):
    _at(inspection, Stage.PREPARATION)

    with pytest.raises(DomainError, match=leader.inspector.name):
        services.remove_member(member=leader, actor=office_user, reason="调任")

    assert TeamMember.objects.filter(pk=leader.pk).exists()


@pytest.mark.parametrize("stage", [Stage.PREPARATION, Stage.ACCEPTANCE])
def test_a_new_leader_from_the_pool_takes_over_with_their_authorization(
    login, office_user, team, leader, inspection, pool_leader, stage
):
    _at(inspection, stage)

    response = _remove(
        login(office_user), leader, reason="调任", new_leader=pool_leader.pk, **NEW_AUTHORIZATION
    )

    team.refresh_from_db()
    assert response.url == reverse("rounds:team_detail", args=[team.pk])
    assert TeamMember.objects.get(team=team, role="leader").inspector == pool_leader
    assert (team.authorization_ref, team.authorized_on, team.authorized_by) == (
        "川电信党委〔2025〕9号",
        datetime.date(2025, 4, 1),
        office_user,
    )


def test_a_member_is_promoted_to_leader(login, office_user, team, leader, member, inspection):
    _at(inspection, Stage.ONSITE)

    _remove(
        login(office_user),
        leader,
        reason="调任",
        new_leader=member.inspector.pk,
        **NEW_AUTHORIZATION,
    )

    assert _seats(team) == [(member.inspector.name, "leader")]


def test_the_promoted_leader_may_manage_and_the_old_one_nothing(
    office_user, team, leader, member, inspection, leader_user, team_member_user
):
    _at(inspection, Stage.ONSITE)

    services.remove_member(
        member=leader,
        actor=office_user,
        reason="调任",
        new_leader=member.inspector,
        authorization_ref="川电信党委〔2025〕9号",
        authorized_on=datetime.date(2025, 4, 1),
    )

    assert team_member_user.has_perm("rounds.change_inspection", inspection)
    assert not leader_user.has_perm("rounds.view_inspection", inspection)


def test_a_new_leader_without_an_authorization_is_refused(
    login, office_user, team, leader, inspection, pool_leader
):
    _at(inspection, Stage.ONSITE)
    before = _seats(team)

    response = _remove(login(office_user), leader, reason="调任", new_leader=pool_leader.pk)

    assert response.status_code == 400
    assert set(response.context["confirm_form"].errors) == {"authorization_ref", "authorized_on"}
    assert _seats(team) == before


def test_the_leader_of_a_team_still_planning_leaves_without_a_new_leader(
    login, office_user, team, leader, member, inspection
):
    response = _remove(login(office_user), leader)

    assert response.status_code == 302
    assert _seats(team) == [(member.inspector.name, "member")]


def test_the_confirmation_asks_for_the_new_leader_and_a_reason(
    login, office_user, leader, inspection
):
    _at(inspection, Stage.ONSITE)
    url = reverse("rounds:team_member_remove", args=[leader.pk])

    response = login(office_user).post(url)

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="new_leader"' in content
    assert 'name="authorization_ref"' in content
    assert 'name="reason"' in content
    assert TeamMember.objects.filter(pk=leader.pk).exists()


@pytest.mark.parametrize("stage", [Stage.PLANNING, Stage.ONSITE])
def test_a_removal_changes_nothing_before_it_is_confirmed(
    login, office_user, member, inspection, stage
):
    _at(inspection, stage)
    url = reverse("rounds:team_member_remove", args=[member.pk])

    response = login(office_user).post(url, {"reason": "调任"})

    assert response.status_code == 200
    assert response.templates[0].name == "_confirm.html"
    assert 'id="confirmation"' in response.content.decode()
    assert TeamMember.objects.filter(pk=member.pk).exists()


def test_a_removal_under_way_without_a_reason_is_refused(login, office_user, member, inspection):
    _at(inspection, Stage.ONSITE)

    response = _remove(login(office_user), member, reason="  ")

    assert response.status_code == 400
    assert response.context["error"] == gettext("Give a reason.")
    assert 'id="id_reason" name="reason"' in response.content.decode()
    assert TeamMember.objects.filter(pk=member.pk).exists()


def test_no_reason_is_asked_while_the_team_is_planning(login, office_user, member, inspection):
    url = reverse("rounds:team_member_remove", args=[member.pk])

    response = login(office_user).post(url)

    assert 'name="reason"' not in response.content.decode()


def test_the_service_asks_a_reason_while_an_inspection_is_under_way(
    office_user, member, inspection
):
    _at(inspection, Stage.REPORTING)

    with pytest.raises(DomainError):
        services.remove_member(member=member, actor=office_user)

    assert TeamMember.objects.filter(pk=member.pk).exists()


def test_the_reason_is_in_the_teams_change_history(login, office_user, team, member, inspection):
    _at(inspection, Stage.ONSITE)
    client = login(office_user)

    _remove(client, member, reason="借调省公司专项工作")

    history = client.get(reverse("rounds:team_detail", args=[team.pk])).content.decode()
    assert "借调省公司专项工作" in history.split('id="history"')[1]


def test_removal_is_refused_before_asking_when_the_member_has_tasks(
    login, office_user, team, member, inspection
):
    WorkTaskFactory(inspection=inspection, assignee=member)
    url = reverse("rounds:team_member_remove", args=[member.pk])

    response = login(office_user).post(url)

    assert response.url == reverse("rounds:team_detail", args=[team.pk])
    assert TeamMember.objects.filter(pk=member.pk).exists()
