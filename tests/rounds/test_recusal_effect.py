"""An approved recusal (回避) takes effect: the member leaves that inspection's work (its pages
and grant), a replacement may work it in their place, and the inspection waits for what it
then lacks. A rejected one changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.translation import gettext

from accounts.errors import DomainError
from accounts.models import User
from accounts.roles import Role
from rounds import gates
from rounds.models import Inspection, Recusal, StagePlan, Team, TeamMember
from rounds.selectors.timeline import inspection_waiting_for
from rounds.services import lifecycle
from rounds.services import teams as services
from rounds.taxonomy import Stage
from tests.factories import (
    InspectorFactory,
    MembershipFactory,
    TeamFactory,
    seat_on_team,
)

DECLARED_ON = datetime.date(2025, 3, 2)


@pytest.fixture
def team(org) -> Team:
    return TeamFactory(round__organization=org, name="第一巡察组")


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
def chengdu(team, office_user, unit_tree, leader, member) -> Inspection:
    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["chengdu"])
    Inspection.objects.filter(pk=inspection.pk).update(stage=Stage.MOBILIZATION)
    inspection.refresh_from_db()
    return inspection


@pytest.fixture
def mianyang(team, office_user, unit_tree, leader, member) -> Inspection:
    return services.assign_unit(team=team, actor=office_user, unit=unit_tree["mianyang"])


@pytest.fixture
def pool_user(org) -> User:
    return MembershipFactory(organization=org, roles=[Role.TEAM_MEMBER]).user


@pytest.fixture
def pool_person(org, pool_user):
    return InspectorFactory(organization=org, name="周新", user=pool_user, leader_eligible=True)


def _declare(seat: TeamMember, inspection: Inspection, office_user) -> Recusal:
    return services.declare_recusal(
        member=seat,
        actor=office_user,
        unit=inspection.unit,
        reason="配偶在该单位任职",
        declared_on=DECLARED_ON,
    )


def _decide(client, recusal: Recusal, decision: str, **data):
    url = reverse("rounds:recusal_decide", args=[recusal.pk])
    return client.post(url, {"decision": decision, "confirmed": "1", **data})


def _page(inspection: Inspection) -> str:
    return reverse("rounds:inspection_detail", args=[inspection.pk])


def test_an_approved_recusal_closes_that_inspection_to_the_member(
    login, office_user, team_member_user, member, chengdu, mianyang
):
    _decide(login(office_user), _declare(member, chengdu, office_user), "approved")

    client = login(team_member_user)
    assert client.get(_page(chengdu)).status_code == 404
    assert client.get(_page(mianyang)).status_code == 200
    assert not team_member_user.has_perm("rounds.view_inspection", chengdu)


def test_a_rejected_recusal_changes_nothing(login, office_user, team_member_user, member, chengdu):
    recusal = _declare(member, chengdu, office_user)
    waiting = inspection_waiting_for(chengdu)

    _decide(login(office_user), recusal, "rejected")

    recusal.refresh_from_db()
    assert (recusal.decision, recusal.replacement) == ("rejected", None)
    assert login(team_member_user).get(_page(chengdu)).status_code == 200
    assert inspection_waiting_for(chengdu) == waiting


@pytest.mark.parametrize("decision", ["approved", "rejected"])
def test_a_decision_changes_nothing_before_it_is_confirmed(
    login, office_user, member, chengdu, decision
):
    recusal = _declare(member, chengdu, office_user)
    url = reverse("rounds:recusal_decide", args=[recusal.pk])

    response = login(office_user).post(url, {"decision": decision})

    recusal.refresh_from_db()
    assert response.status_code == 200
    assert ('name="replacement"' in response.content.decode()) == (decision == "approved")
    assert recusal.decision == "pending"


def test_the_replacement_works_the_inspection_and_both_pages_name_them(
    login, office_user, pool_user, pool_person, member, chengdu
):
    recusal = _declare(member, chengdu, office_user)
    client = login(office_user)

    _decide(client, recusal, "approved", replacement=pool_person.pk)

    team_page = client.get(reverse("rounds:team_detail", args=[chengdu.team_id]))
    inspection_page = client.get(_page(chengdu))
    assert Recusal.objects.get().replacement == pool_person
    for page in (team_page, inspection_page):
        assert "周新" in page.content.decode().split('class="small recusal-replacement"')[1]
    assert login(pool_user).get(_page(chengdu)).status_code == 200


def test_both_pages_say_when_nobody_replaces_the_member(login, office_user, member, chengdu):
    client = login(office_user)

    _decide(client, _declare(member, chengdu, office_user), "approved", replacement="")

    nobody = [gettext("Nobody replaces them"), gettext("Recused; nobody replaces them")]
    team_page = client.get(reverse("rounds:team_detail", args=[chengdu.team_id]))
    assert nobody[0] in team_page.content.decode()
    assert nobody[1] in client.get(_page(chengdu)).content.decode()


def test_a_recused_leader_leaves_the_inspection_waiting_for_a_leader(
    login, office_user, leader, chengdu
):
    _decide(login(office_user), _declare(leader, chengdu, office_user), "approved")

    response = login(office_user).get(_page(chengdu))

    assert str(gates.leader_not_recused.message) in response.context["detail"].waiting_for


def test_a_recused_leader_holds_the_next_move(office_user, leader, chengdu):
    services.decide_recusal(
        recusal=_declare(leader, chengdu, office_user), actor=office_user, approve=True
    )
    StagePlan.objects.create(
        organization=chengdu.organization,
        inspection=chengdu,
        stage=Stage.ONSITE,
        planned_start=datetime.date(2025, 4, 1),
        planned_end=datetime.date(2025, 4, 30),
    )

    with pytest.raises(DomainError, match=str(gates.leader_not_recused.message)):
        lifecycle.start_onsite(inspection=chengdu, actor=office_user)

    chengdu.refresh_from_db()
    assert chengdu.stage == Stage.MOBILIZATION


def test_a_replacement_for_the_leader_leads_the_inspection(
    office_user, pool_user, pool_person, leader, chengdu
):
    recusal = _declare(leader, chengdu, office_user)

    services.decide_recusal(
        recusal=recusal, actor=office_user, approve=True, replacement=pool_person
    )

    waiting = inspection_waiting_for(chengdu)
    assert str(gates.leader_not_recused.message) not in waiting
    assert str(gates.enough_inspectors.message) not in waiting  # the member and 周新
    assert pool_user.has_perm("rounds.change_inspection", chengdu)


def test_a_recusal_that_leaves_one_inspector_shows_the_missing_second(office_user, member, chengdu):
    services.decide_recusal(
        recusal=_declare(member, chengdu, office_user), actor=office_user, approve=True
    )

    assert inspection_waiting_for(chengdu) == [
        gettext("Plan the start and end dates of the on-site stage."),
        str(gates.announcement_published.message),
        str(gates.enough_inspectors.message),
    ]


def test_a_replacement_with_a_conflict_is_refused(
    login, office_user, member, chengdu, unit_tree, pool_person
):
    pool_person.home_unit = unit_tree["jinjiang"]  # under 成都分公司: on its line
    pool_person.save(update_fields=["home_unit"])
    recusal = _declare(member, chengdu, office_user)

    response = _decide(login(office_user), recusal, "approved", replacement=pool_person.pk)

    recusal.refresh_from_db()
    refusal = [str(message) for message in get_messages(response.wsgi_request)]
    assert response.status_code == 302
    assert "周新" in refusal[0]
    assert "锦江区分公司" in refusal[0]
    assert (recusal.decision, recusal.replacement) == ("pending", None)


def test_someone_on_a_team_of_the_round_cannot_replace(office_user, team, member, chengdu):
    other = seat_on_team(
        TeamFactory(round=team.round),
        MembershipFactory(organization=team.organization, roles=[Role.TEAM_MEMBER]).user,
    )
    recusal = _declare(member, chengdu, office_user)

    with pytest.raises(DomainError, match=other.team.name):
        services.decide_recusal(
            recusal=recusal, actor=office_user, approve=True, replacement=other.inspector
        )

    assert Recusal.objects.get().decision == "pending"


def test_a_replacement_joins_no_other_team_of_the_round(
    office_user, team, pool_person, member, chengdu
):
    services.decide_recusal(
        recusal=_declare(member, chengdu, office_user),
        actor=office_user,
        approve=True,
        replacement=pool_person,
    )

    with pytest.raises(DomainError, match=team.name):
        services.add_member(
            team=TeamFactory(round=team.round),
            actor=office_user,
            inspector=pool_person,
            role="member",
        )


def test_the_replacement_leaves_with_the_recused_member(
    office_user, pool_user, pool_person, member, chengdu
):
    services.decide_recusal(
        recusal=_declare(member, chengdu, office_user),
        actor=office_user,
        approve=True,
        replacement=pool_person,
    )

    services.remove_member(member=member, actor=office_user, reason="调回原单位")

    assert not pool_user.has_perm("rounds.view_inspection", chengdu)


def test_a_decided_recusal_is_refused_before_asking(login, office_user, member, chengdu):
    recusal = _declare(member, chengdu, office_user)
    services.decide_recusal(recusal=recusal, actor=office_user, approve=False)
    url = reverse("rounds:recusal_decide", args=[recusal.pk])

    response = login(office_user).post(url, {"decision": "approved"})

    recusal.refresh_from_db()
    assert response.url == reverse("rounds:team_detail", args=[chengdu.team_id])
    assert recusal.decision == "rejected"
