"""The teams part of the API: a round's teams, their members, units, suggestion, removals and
recusals — the same services, refusals and history as the team pages."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from history.tracking import event_model
from rounds.models import Inspection, Recusal, Round, Team, TeamMember
from rounds.services import archive
from rounds.taxonomy import Stage
from tests.factories import (
    InspectionFactory,
    InspectorFactory,
    RecusalFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
    WorkTaskFactory,
)
from xuncha.tenancy import org_scope

JSON = "application/json"
AUTHORIZATION = {"authorization_ref": "川电信党委〔2025〕9号", "authorized_on": "2025-04-01"}


@pytest.fixture
def round_(org) -> Round:
    return RoundFactory(organization=org, name="2025年第一轮巡察")


@pytest.fixture
def team(round_) -> Team:
    return TeamFactory(
        round=round_,
        name="第一巡察组",
        authorization_ref="川电信党委〔2025〕3号",
        authorized_on=datetime.date(2025, 2, 20),
    )


@pytest.fixture
def member(team) -> TeamMember:
    return TeamMemberFactory(team=team, inspector__name="钱组员")


@pytest.fixture
def leader(team) -> TeamMember:
    return TeamMemberFactory(
        team=team, role="leader", inspector__name="赵组长", inspector__leader_eligible=True
    )


@pytest.fixture
def other_team(other_org) -> Team:
    with org_scope(other_org):
        return TeamFactory(round__organization=other_org, name="安顺第一巡察组")


def _api(name: str, *args) -> str:
    return reverse(f"api:{name}", args=args)


def _page(name: str, *args) -> str:
    return reverse(f"rounds:{name}", args=args)


def _post(client, url: str, data: dict):
    return client.post(url, data, content_type=JSON)


def _patch(client, url: str, data: dict):
    etag = client.get(url)["ETag"]
    return client.patch(url, data, content_type=JSON, headers={"If-Match": etag})


def _page_message(response) -> str:
    return next(iter(get_messages(response.wsgi_request))).message


def _events(model, pk: int, label: str) -> list:
    return list(event_model(model).objects.filter(pgh_obj_id=pk, pgh_label=label))


# --- Teams of a round -----------------------------------------------------------------------


def test_the_round_lists_its_teams_with_members_and_units(
    api, office_user, team, member, round_, unit_tree
):
    InspectionFactory(round=round_, team=team, unit=unit_tree["chengdu"])
    TeamFactory(round=RoundFactory(organization=round_.organization), name="别轮的组")

    rows = api(office_user).get(_api("round-team-list", round_.pk)).json()["results"]

    assert [row["name"] for row in rows] == ["第一巡察组"]
    assert [(m["inspector_name"], m["role"]) for m in rows[0]["members"]] == [("钱组员", "member")]
    assert [(u["unit_name"], u["stage"]) for u in rows[0]["units"]] == [("成都分公司", "planning")]


def test_a_team_reads_with_its_leaders_authorization(api, office_user, team):
    body = api(office_user).get(_api("team-detail", team.pk)).json()

    assert (body["round_name"], body["authorization_ref"], body["authorized_on"]) == (
        "2025年第一轮巡察",
        "川电信党委〔2025〕3号",
        "2025-02-20",
    )


def test_the_office_forms_a_team_with_its_leaders_authorization(api, office_user, round_):
    data = {
        "name": "第三巡察组",
        "authorization_ref": "川电党〔2025〕7号",
        "authorized_on": "2025-02-20",
    }

    response = _post(api(office_user), _api("round-team-list", round_.pk), data)

    team = Team.objects.get()
    assert (response.status_code, response.json()["id"]) == (201, team.pk)
    assert (team.round, team.authorized_by) == (round_, office_user)
    assert _events(Team, team.pk, "insert")[0].pgh_context["user"] == office_user.pk


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "第一巡察组"}, "name"),  # taken in this round: the service's refusal
        ({"name": "第二巡察组", "authorization_ref": "7号"}, "authorized_on"),
        ({"name": "第二巡察组", "authorized_on": "2025-02-20"}, "authorization_ref"),
    ],
)
def test_a_refused_team_carries_the_pages_message(api, login, office_user, team, data, field):
    page = login(office_user).post(_page("team_create", team.round_id), data)

    response = _post(api(office_user), _api("round-team-list", team.round_id), data)

    assert response.status_code == 400
    assert response.json()["fields"][field] == page.context["form"].errors[field]
    assert Team.objects.count() == 1


def test_the_office_edits_the_authorization_and_the_history_keeps_it(api, office_user, team):
    response = _patch(api(office_user), _api("team-detail", team.pk), AUTHORIZATION)

    team.refresh_from_db()
    assert response.json()["authorization_ref"] == "川电信党委〔2025〕9号"
    assert (team.authorized_on, team.authorized_by) == (datetime.date(2025, 4, 1), office_user)
    (event,) = _events(Team, team.pk, "update")
    assert (event.authorization_ref, event.pgh_context["user"]) == (
        "川电信党委〔2025〕9号",
        office_user.pk,
    )


def test_an_edit_of_a_team_changed_meanwhile_is_refused(api, office_user, team):
    url = _api("team-detail", team.pk)

    response = api(office_user).patch(
        url, {"name": "改名组"}, content_type=JSON, headers={"If-Match": '"stale"'}
    )

    assert response.status_code == 412
    assert Team.objects.get().name == "第一巡察组"


def _round_writes(team: Team, member: TeamMember, unit) -> list[tuple[str, str, dict]]:
    inspector = InspectorFactory(organization=team.organization)
    declared = {"member": member.pk, "unit": unit.pk, "reason": "亲属", "declared_on": "2025-03-02"}
    return [
        ("post", _api("round-team-list", team.round_id), {"name": "新组"}),
        ("patch", _api("team-detail", team.pk), {"name": "改名组"}),
        (
            "post",
            _api("team-team-member-list", team.pk),
            {"inspector": inspector.pk, "role": "member"},
        ),
        ("post", _api("team-assign-unit", team.pk), {"unit": unit.pk}),
        ("post", _api("team-member-remove", member.pk), {}),
        ("post", _api("team-recusal-list", team.pk), declared),
    ]


def _read_only_round(state: str, team: Team, actor, unit) -> None:
    if state == "archived":
        archive.archive_round(round=team.round, actor=actor)
    else:  # closed with its inspections
        InspectionFactory(round=team.round, team=team, unit=unit, stage=Stage.CLOSED)


@pytest.mark.parametrize("write", range(6))
@pytest.mark.parametrize("state", ["archived", "closed"])
def test_a_read_only_rounds_teams_refuse_with_the_pages_message(
    login, api, office_user, team, member, unit_tree, state, write
):
    _read_only_round(state, team, office_user, unit_tree["mianyang"])
    page = login(office_user).post(_page("team_edit", team.pk), {"name": "改名组"}, follow=True)
    shown = (
        _page_message(page) if state == "archived" else page.context["form"].non_field_errors()[0]
    )
    method, url, data = _round_writes(team, member, unit_tree["chengdu"])[write]

    response = (_patch if method == "patch" else _post)(api(office_user), url, data)

    assert (response.status_code, response.json()["message"]) == (400, shown)
    assert [t.name for t in Team.objects.all()] == ["第一巡察组"]
    assert (TeamMember.objects.count(), Recusal.objects.count()) == (1, 0)


def test_team_roles_cannot_read_teams(api, team_member_user, team):
    response = api(team_member_user).get(_api("round-team-list", team.round_id))

    assert response.status_code == 403


def _writes(team: Team, member: TeamMember, recusal: Recusal, unit) -> list[tuple[str, dict]]:
    return [
        (_api("round-team-list", team.round_id), {"name": "新组"}),
        (_api("team-assign-unit", team.pk), {"unit": unit.pk}),
        (_api("team-accept-suggestion", team.pk), {"unit": unit.pk}),
        (_api("team-team-member-list", team.pk), {"inspector": member.inspector_id}),
        (_api("team-member-remove", member.pk), {}),
        (_api("team-recusal-list", team.pk), {"member": member.pk, "unit": unit.pk}),
        (_api("recusal-decide", recusal.pk), {"decision": "approved"}),
    ]


@pytest.mark.parametrize("write", range(7))
def test_leadership_reads_teams_but_changes_nothing(
    api, leadership_user, team, member, unit_tree, write
):
    recusal = RecusalFactory(member=member, unit=unit_tree["mianyang"])
    url, data = _writes(team, member, recusal, unit_tree["chengdu"])[write]
    client = api(leadership_user)

    response = _post(client, url, data)

    assert client.get(_api("team-detail", team.pk)).status_code == 200
    assert response.status_code == 403
    assert (Team.objects.count(), TeamMember.objects.count(), Inspection.objects.count()) == (
        1,
        1,
        0,
    )
    assert Recusal.objects.get().decision == "pending"


@pytest.mark.parametrize(
    "name",
    [
        "round-team-list",
        "team-detail",
        "team-team-member-list",
        "team-member-detail",
        "team-recusal-list",
        "recusal-detail",
    ],
)
def test_another_organizations_teams_are_not_found(api, office_user, other_org, other_team, name):
    with org_scope(other_org):
        seat = TeamMemberFactory(team=other_team)
        pk = {
            "round-team-list": other_team.round_id,
            "team-member-detail": seat.pk,
            "recusal-detail": RecusalFactory(member=seat).pk,
        }.get(name, other_team.pk)

    response = api(office_user).get(_api(name, pk))

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def _add_teams(round_: Round, count: int) -> None:
    for _ in range(count):
        team = TeamFactory(round=round_)
        TeamMemberFactory.create_batch(2, team=team)
        InspectionFactory(round=round_, team=team)


def test_the_team_list_runs_the_same_queries_for_3_and_30_teams(
    api, office_user, round_, django_assert_num_queries
):
    client = api(office_user)
    url = _api("round-team-list", round_.pk)
    client.get(url)  # the first call also records the token's last use

    for count in (3, 27):
        _add_teams(round_, count)
        with django_assert_num_queries(6):
            assert client.get(url, {"page_size": 50}).status_code == 200


# --- Units of a team ------------------------------------------------------------------------


def test_the_office_assigns_a_unit_to_the_team(api, office_user, team, unit_tree):
    response = _post(
        api(office_user), _api("team-assign-unit", team.pk), {"unit": unit_tree["chengdu"].pk}
    )

    inspection = Inspection.objects.get()
    assert (inspection.team, inspection.unit, inspection.stage) == (
        team,
        unit_tree["chengdu"],
        "planning",
    )
    assert [u["inspection"] for u in response.json()["units"]] == [inspection.pk]
    assert _events(Inspection, inspection.pk, "insert")[0].pgh_context["user"] == office_user.pk


def test_a_unit_inspected_by_another_team_is_refused_with_the_pages_message(
    api, login, office_user, team, unit_tree
):
    InspectionFactory(
        round=team.round,
        team=TeamFactory(round=team.round, name="第二巡察组"),
        unit=unit_tree["chengdu"],
    )
    data = {"unit": unit_tree["chengdu"].pk}
    page = login(office_user).post(_page("team_assign_unit", team.pk), data)

    response = _post(api(office_user), _api("team-assign-unit", team.pk), data)

    assert response.json()["message"] == page.context["form"].non_field_errors()[0]
    assert "第二巡察组" in response.json()["message"]
    assert not Inspection.objects.filter(team=team).exists()


def test_the_office_takes_back_a_unit_still_in_planning(api, office_user, team, unit_tree):
    InspectionFactory(round=team.round, team=team, unit=unit_tree["chengdu"])

    response = _post(
        api(office_user), _api("team-unassign-unit", team.pk), {"unit": unit_tree["chengdu"].pk}
    )

    assert (response.status_code, response.json()["units"]) == (200, [])
    assert not Inspection.objects.exists()


def test_a_unit_past_planning_stays_with_the_pages_message(
    api, login, office_user, team, unit_tree
):
    inspection = InspectionFactory(
        round=team.round, team=team, unit=unit_tree["chengdu"], stage=Stage.PREPARATION
    )
    page = login(office_user).post(
        _page("team_unassign_unit", inspection.pk), {"confirmed": "1"}, follow=True
    )

    response = _post(
        api(office_user), _api("team-unassign-unit", team.pk), {"unit": unit_tree["chengdu"].pk}
    )

    assert response.status_code == 400
    assert response.json()["message"] == _page_message(page)
    assert Inspection.objects.get().team == team


def test_only_the_teams_own_units_are_taken_back(api, office_user, team, unit_tree):
    InspectionFactory(
        round=team.round, team=TeamFactory(round=team.round), unit=unit_tree["chengdu"]
    )

    response = _post(
        api(office_user), _api("team-unassign-unit", team.pk), {"unit": unit_tree["chengdu"].pk}
    )

    assert list(response.json()["fields"]) == ["unit"]
    assert Inspection.objects.count() == 1


# --- The team suggestion --------------------------------------------------------------------


def test_the_suggestion_proposes_what_the_page_proposes(api, login, office_user, team, unit_tree):
    InspectorFactory(organization=team.organization, name="周组长", leader_eligible=True)
    InspectorFactory(organization=team.organization, name="吴组员")
    query = {"unit": unit_tree["chengdu"].pk}
    page = login(office_user).get(_page("team_suggest", team.pk), query)

    body = api(office_user).get(_api("team-suggestion", team.pk), query).json()

    picks = [(pick["name"], pick["role"]) for pick in body["picks"]]
    assert picks == [(row["inspector"].name, row["role"]) for row in page.context["rows"]]
    assert picks == [("周组长", "leader"), ("吴组员", "deputy")]
    assert (body["unit_name"], TeamMember.objects.count()) == ("成都分公司", 0)


def test_the_suggestion_asks_for_a_unit(api, office_user, team):
    response = api(office_user).get(_api("team-suggestion", team.pk))

    assert (response.status_code, list(response.json()["fields"])) == (400, ["unit"])


def test_the_office_accepts_an_edited_suggestion(api, office_user, team, unit_tree):
    lead = InspectorFactory(organization=team.organization, leader_eligible=True)
    data = {"unit": unit_tree["chengdu"].pk, "picks": [{"inspector": lead.pk, "role": "deputy"}]}

    response = _post(api(office_user), _api("team-accept-suggestion", team.pk), data)

    assert list(TeamMember.objects.values_list("inspector", "role")) == [(lead.pk, "deputy")]
    assert Inspection.objects.get().team == team
    assert [m["role"] for m in response.json()["members"]] == ["deputy"]


def test_a_refused_suggestion_saves_nothing_and_carries_the_pages_message(
    api, login, office_user, team, unit_tree
):
    person = InspectorFactory(organization=team.organization, home_unit=unit_tree["chengdu"])
    unit = unit_tree["chengdu"].pk
    page = login(office_user).post(
        _page("team_suggest", team.pk),
        {"unit": unit, "inspectors": [person.pk], f"role_{person.pk}": "member"},
    )

    response = _post(
        api(office_user),
        _api("team-accept-suggestion", team.pk),
        {"unit": unit, "picks": [{"inspector": person.pk}]},
    )

    assert response.json()["message"] == page.context["accept_form"].non_field_errors()[0]
    assert (TeamMember.objects.count(), Inspection.objects.count()) == (0, 0)


# --- Team members ---------------------------------------------------------------------------


def test_the_team_lists_its_members(api, office_user, team, member, leader):
    TeamMemberFactory(team=TeamFactory(round=team.round), inspector__name="别组的人")

    rows = api(office_user).get(_api("team-team-member-list", team.pk)).json()["results"]

    assert [(row["inspector_name"], row["role"], row["team"]) for row in rows] == [
        ("钱组员", "member", team.pk),
        ("赵组长", "leader", team.pk),
    ]


def test_a_team_member_reads_with_their_team(api, office_user, member):
    body = api(office_user).get(_api("team-member-detail", member.pk)).json()

    assert (body["team_name"], body["inspector_name"], body["role_display"]) == (
        "第一巡察组",
        "钱组员",
        "组员",
    )


def test_the_office_adds_a_member_and_the_history_shows_it(api, office_user, team):
    inspector = InspectorFactory(organization=team.organization, leader_eligible=True)

    response = _post(
        api(office_user),
        _api("team-team-member-list", team.pk),
        {"inspector": inspector.pk, "role": "leader"},
    )

    seat = TeamMember.objects.get()
    assert (response.status_code, response.json()["id"]) == (201, seat.pk)
    assert (seat.team, seat.inspector, seat.role) == (team, inspector, "leader")
    assert _events(TeamMember, seat.pk, "insert")[0].pgh_context["user"] == office_user.pk


def test_a_refused_member_carries_the_pages_message(api, login, office_user, team):
    inspector = InspectorFactory(organization=team.organization, name="孙七")
    data = {"inspector": inspector.pk, "role": "leader"}  # not leader-eligible
    page = login(office_user).post(_page("team_member_add", team.pk), data)

    response = _post(api(office_user), _api("team-team-member-list", team.pk), data)

    assert response.json()["message"] == page.context["form"].non_field_errors()[0]
    assert "孙七" in response.json()["message"]
    assert not TeamMember.objects.exists()


def test_the_member_list_runs_the_same_queries_for_3_and_30_members(
    api, office_user, team, django_assert_num_queries
):
    client = api(office_user)
    url = _api("team-team-member-list", team.pk)
    client.get(url)  # the first call also records the token's last use

    for count in (3, 27):
        TeamMemberFactory.create_batch(count, team=team)
        with django_assert_num_queries(5):
            assert client.get(url, {"page_size": 50}).status_code == 200


# --- Removal ---------------------------------------------------------------------------------


def _remove(client, seat: TeamMember, **data):
    return _post(client, _api("team-member-remove", seat.pk), data)


def test_a_member_leaves_a_team_still_planning_without_a_reason(
    api, office_user, team, member, leader
):
    response = _remove(api(office_user), member)

    assert [m["inspector_name"] for m in response.json()["members"]] == ["赵组长"]
    assert list(TeamMember.objects.values_list("inspector__name", flat=True)) == ["赵组长"]


def test_a_removal_under_way_needs_the_reason(api, office_user, team, member, unit_tree):
    InspectionFactory(round=team.round, team=team, unit=unit_tree["chengdu"], stage="onsite")

    response = _remove(api(office_user), member, reason="  ")

    assert response.status_code == 400
    assert response.json()["fields"]["reason"] == [response.json()["message"]]
    assert "钱组员" in response.json()["message"]
    assert TeamMember.objects.filter(pk=member.pk).exists()


def test_the_reason_of_a_removal_is_kept_in_the_history(api, office_user, team, member, unit_tree):
    InspectionFactory(round=team.round, team=team, unit=unit_tree["chengdu"], stage="onsite")

    _remove(api(office_user), member, reason="借调省公司专项工作")

    (event,) = _events(TeamMember, member.pk, "delete")
    assert (event.removal_reason, event.pgh_context["user"]) == (
        "借调省公司专项工作",
        office_user.pk,
    )


def test_a_deputy_is_promoted_to_leader_with_their_authorization(
    api, office_user, team, leader, unit_tree
):
    deputy = TeamMemberFactory(
        team=team, role="deputy", inspector__name="孙副组长", inspector__leader_eligible=True
    )
    InspectionFactory(round=team.round, team=team, unit=unit_tree["chengdu"], stage="onsite")

    response = _remove(
        api(office_user), leader, reason="调任", new_leader=deputy.inspector_id, **AUTHORIZATION
    )

    team.refresh_from_db()
    assert [(m["inspector_name"], m["role"]) for m in response.json()["members"]] == [
        ("孙副组长", "leader")
    ]
    assert (team.authorization_ref, team.authorized_by) == ("川电信党委〔2025〕9号", office_user)


def test_a_new_leader_without_authorization_carries_the_pages_messages(
    api, login, office_user, team, leader, unit_tree
):
    InspectionFactory(round=team.round, team=team, unit=unit_tree["chengdu"], stage="onsite")
    successor = InspectorFactory(organization=team.organization, leader_eligible=True)
    data = {"reason": "调任", "new_leader": successor.pk}
    page = login(office_user).post(
        _page("team_member_remove", leader.pk), {"confirmed": "1", **data}
    )

    response = _remove(api(office_user), leader, **data)

    fields = response.json()["fields"]
    assert fields == {name: page.context["confirm_form"].errors[name] for name in fields}
    assert set(fields) == {"authorization_ref", "authorized_on"}
    assert TeamMember.objects.get().role == "leader"


def test_a_member_with_tasks_stays_with_the_pages_message(
    api, login, office_user, team, member, unit_tree
):
    inspection = InspectionFactory(round=team.round, team=team, unit=unit_tree["chengdu"])
    WorkTaskFactory(inspection=inspection, assignee=member)
    page = login(office_user).post(_page("team_member_remove", member.pk), follow=True)

    response = _remove(api(office_user), member)

    assert response.json()["message"] == _page_message(page)
    assert TeamMember.objects.filter(pk=member.pk).exists()


# --- Recusals --------------------------------------------------------------------------------


def test_the_team_lists_its_recusals(api, office_user, team, member, unit_tree):
    RecusalFactory(member=member, unit=unit_tree["mianyang"], reason="配偶在该单位任职")
    RecusalFactory(member=TeamMemberFactory(team=TeamFactory(round=team.round)))

    rows = api(office_user).get(_api("team-recusal-list", team.pk)).json()["results"]

    assert [(r["member_name"], r["unit_name"], r["reason"], r["decision"]) for r in rows] == [
        ("钱组员", "绵阳分公司", "配偶在该单位任职", "pending")
    ]


def test_the_office_records_a_recusal_declaration(api, office_user, team, member, unit_tree):
    data = {
        "member": member.pk,
        "unit": unit_tree["chengdu"].pk,
        "reason": "曾任该单位负责人",
        "declared_on": "2025-03-02",
    }

    response = _post(api(office_user), _api("team-recusal-list", team.pk), data)

    recusal = Recusal.objects.get()
    assert (response.status_code, response.json()["decision"]) == (201, "pending")
    assert (recusal.member, recusal.unit, recusal.reason) == (
        member,
        unit_tree["chengdu"],
        "曾任该单位负责人",
    )
    assert _events(Recusal, recusal.pk, "insert")[0].pgh_context["user"] == office_user.pk


def test_a_recusal_of_another_teams_member_is_refused(api, office_user, team, unit_tree):
    stranger = TeamMemberFactory(team=TeamFactory(round=team.round))
    data = {
        "member": stranger.pk,
        "unit": unit_tree["chengdu"].pk,
        "reason": "x",
        "declared_on": "2025-03-02",
    }

    response = _post(api(office_user), _api("team-recusal-list", team.pk), data)

    assert list(response.json()["fields"]) == ["member"]
    assert not Recusal.objects.exists()


def test_an_approval_names_the_replacement(api, office_user, team, member, unit_tree):
    InspectionFactory(round=team.round, team=team, unit=unit_tree["chengdu"])
    recusal = RecusalFactory(member=member, unit=unit_tree["chengdu"])
    stand_in = InspectorFactory(organization=team.organization, name="李替补")

    response = _post(
        api(office_user),
        _api("recusal-decide", recusal.pk),
        {"decision": "approved", "replacement": stand_in.pk},
    )

    recusal.refresh_from_db()
    assert (recusal.decision, recusal.replacement, recusal.decided_by) == (
        "approved",
        stand_in,
        office_user,
    )
    assert response.json()["replacement_name"] == "李替补"


def test_a_decided_recusal_is_refused_with_the_pages_message(
    api, login, office_user, team, member, unit_tree
):
    recusal = RecusalFactory(member=member, unit=unit_tree["chengdu"], decision="rejected")
    page = login(office_user).post(
        _page("recusal_decide", recusal.pk), {"decision": "approved"}, follow=True
    )

    response = _post(api(office_user), _api("recusal-decide", recusal.pk), {"decision": "approved"})

    assert (response.status_code, response.json()["message"]) == (400, _page_message(page))
    assert Recusal.objects.get().decision == "rejected"


def test_the_recusal_list_runs_the_same_queries_for_3_and_30_declarations(
    api, office_user, team, django_assert_num_queries
):
    client = api(office_user)
    url = _api("team-recusal-list", team.pk)
    client.get(url)  # the first call also records the token's last use

    for count in (3, 27):
        for seat in TeamMemberFactory.create_batch(count, team=team):
            RecusalFactory(member=seat, replacement=None)
        with django_assert_num_queries(5):
            assert client.get(url, {"page_size": 50}).status_code == 200


@pytest.mark.parametrize(
    "call",
    [
        lambda client, team, member: _patch(client, _api("team-detail", team.pk), AUTHORIZATION),
        lambda client, team, member: client.post(
            _api("team-member-remove", member.pk), data={}, content_type="application/json"
        ),
    ],
    ids=["team-edit", "member-removal"],
)
def test_a_team_change_locks_its_round_first_as_the_services_do(
    call, api, office_user, team, member
):
    """The pages' services lock the round before a team's rows; an API call locking the team
    first could wait on a page that waits on it (a deadlock PostgreSQL ends with an error)."""
    client = api(office_user)
    with CaptureQueriesContext(connection) as queries:
        call(client, team, member)

    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert '"rounds_round"' in locks[0]
