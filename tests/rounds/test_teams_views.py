"""Round and team pages: browsing for office and leadership, building for the office."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rounds.models import Inspection, InspectorSpecialty, Recusal, Round, Team, TeamMember
from rounds.services import teams as services
from rounds.taxonomy import Stage
from tests.factories import (
    InspectionFactory,
    InspectorFactory,
    RecusalFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
    UnitFactory,
)
from xuncha.tenancy import dangerously_unscoped

ROUND_DATA = {
    "name": "2025年第二轮巡察",
    "kind": "routine",
    "start_date": "2025-09-01",
    "end_date": "2025-11-30",
    "focus_areas": ["political", "personnel"],
    "description": "",
}


@pytest.fixture
def round_(org) -> Round:
    return RoundFactory(organization=org, name="2025年第一轮巡察")


@pytest.fixture
def team(round_) -> Team:
    return TeamFactory(round=round_, name="第一巡察组")


CONFIRMED = {"confirmed": "1"}


def _url(name: str, *args) -> str:
    return reverse(f"rounds:{name}", args=args)


def test_round_list_shows_rounds_with_counts(login, office_user, team, unit_tree):
    InspectionFactory(round=team.round, team=team, unit=unit_tree["chengdu"])

    response = login(office_user).get(_url("round_list"))

    row = response.context["object_list"][0]
    assert (row.name, row.team_count, row.inspection_count) == ("2025年第一轮巡察", 1, 1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [({"kind": "special"}, ["专项"]), ({"year": "2024"}, ["旧"]), ({"year": "x"}, ["专项", "旧"])],
)
def test_round_list_filters_by_kind_and_year(login, office_user, org, query, expected):
    RoundFactory(organization=org, name="专项", kind="special")
    RoundFactory(organization=org, name="旧", start_date="2024-03-01", end_date="2024-05-01")

    response = login(office_user).get(_url("round_list"), query)

    assert [r.name for r in response.context["object_list"]] == expected


def test_leadership_reads_rounds_and_teams(login, leadership_user, team):
    client = login(leadership_user)

    for url in (
        _url("round_list"),
        _url("round_detail", team.round.pk),
        _url("team_detail", team.pk),
    ):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("persona", ["team_member_user", "liaison_user"])
def test_team_roles_and_liaisons_cannot_browse_rounds(request, login, team, persona):
    client = login(request.getfixturevalue(persona))

    assert client.get(_url("round_list")).status_code == 403
    assert client.get(_url("team_detail", team.pk)).status_code == 403


def test_office_creates_round(login, office_user):
    response = login(office_user).post(_url("round_create"), ROUND_DATA)

    round_ = Round.objects.get()
    assert response.url == _url("round_detail", round_.pk)
    assert (round_.name, round_.focus_areas, round_.created_by) == (
        "2025年第二轮巡察",
        ["political", "personnel"],
        office_user,
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"end_date": "2025-08-31"}, "end_date"),
        ({"kind": "weekly"}, "kind"),
        ({"focus_areas": ["weather"]}, "focus_areas"),
        ({"start_date": "2025-13-01"}, "start_date"),
    ],
)
def test_create_round_with_bad_input_saves_nothing(login, office_user, overrides, field):
    response = login(office_user).post(_url("round_create"), ROUND_DATA | overrides)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Round.objects.exists()


def test_office_edits_round(login, office_user, round_):
    data = ROUND_DATA | {"name": "改名后的轮次", "kind": "mobile"}

    response = login(office_user).post(_url("round_edit", round_.pk), data)

    round_.refresh_from_db()
    assert response.status_code == 302
    assert (round_.name, round_.kind) == ("改名后的轮次", "mobile")


def test_round_edit_form_shows_current_values(login, office_user, round_):
    response = login(office_user).get(_url("round_edit", round_.pk))

    assert response.context["form"].initial["name"] == "2025年第一轮巡察"


def test_round_detail_shows_teams_members_units_and_stages(login, office_user, team, unit_tree):
    TeamMemberFactory(team=team, inspector__name="赵组长", role="leader")
    InspectionFactory(round=team.round, team=team, unit=unit_tree["mianyang"], stage="onsite")

    response = login(office_user).get(_url("round_detail", team.round.pk))

    content = response.content.decode()
    assert all(text in content for text in ("第一巡察组", "赵组长", "绵阳分公司"))
    assert [row["stage"] for row in response.context["inspections"]] == [Stage.ONSITE]


def test_round_detail_names_each_teams_units_in_tree_order(login, office_user, team, unit_tree):
    InspectionFactory(round=team.round, team=team, unit=unit_tree["outlet"])
    InspectionFactory(round=team.round, team=team, unit=unit_tree["chengdu"])
    odd = UnitFactory(organization=team.organization, name="<b>新区</b>", code="zz")
    InspectionFactory(round=team.round, team=TeamFactory(round=team.round), unit=odd)
    TeamFactory(round=team.round, name="第九巡察组")

    response = login(office_user).get(_url("round_detail", team.round.pk))

    teams = response.content.decode().split('id="teams"')[1].split('id="inspections"')[0]
    assert "成都分公司、春熙路分局" in teams
    assert "&lt;b&gt;新区&lt;/b&gt;" in teams
    assert "<b>新区" not in teams
    assert teams.count(">暂无<") == 1  # only the team without units
    assert ">暂无<" in teams.split("第九巡察组")[1]


def test_office_creates_team_with_authorization(login, office_user, round_):
    data = {
        "name": "第三巡察组",
        "authorization_ref": "川电党〔2025〕7号",
        "authorized_on": "2025-02-20",
    }

    response = login(office_user).post(_url("team_create", round_.pk), data)

    team = Team.objects.get()
    assert response.url == _url("team_detail", team.pk)
    assert (team.round, team.authorization_ref, team.authorized_by) == (
        round_,
        "川电党〔2025〕7号",
        office_user,
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "第一巡察组"}, "name"),  # taken in this round
        ({"name": "第二巡察组", "authorization_ref": "7号"}, "authorized_on"),
        ({"name": "第二巡察组", "authorized_on": "2025-02-20"}, "authorization_ref"),
    ],
)
def test_create_team_with_bad_input_saves_nothing(login, office_user, team, data, field):
    response = login(office_user).post(_url("team_create", team.round.pk), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Team.objects.count() == 1


def test_office_edits_team_authorization(login, office_user, team):
    data = {"name": "第一巡察组", "authorization_ref": "8号", "authorized_on": "2025-03-01"}

    response = login(office_user).post(_url("team_edit", team.pk), data)

    team.refresh_from_db()
    assert response.status_code == 302
    assert (team.authorization_ref, team.authorized_by) == ("8号", office_user)


def test_team_detail_lists_members_units_and_recusals(login, office_user, team, unit_tree):
    member = TeamMemberFactory(team=team, inspector__name="钱组员")
    InspectionFactory(round=team.round, team=team, unit=unit_tree["chengdu"])
    RecusalFactory(member=member, unit=unit_tree["mianyang"], reason="配偶在该单位任职")

    content = login(office_user).get(_url("team_detail", team.pk)).content.decode()

    assert all(text in content for text in ("钱组员", "成都分公司", "配偶在该单位任职"))


def test_office_adds_member(login, office_user, team):
    inspector = InspectorFactory(organization=team.organization, leader_eligible=True)
    data = {"inspector": inspector.pk, "role": "leader"}

    response = login(office_user).post(_url("team_member_add", team.pk), data)

    assert response.url == _url("team_detail", team.pk)
    assert TeamMember.objects.get().role == "leader"


def test_member_form_offers_the_active_pool(login, office_user, team):
    InspectorFactory(organization=team.organization, name="在库")
    InspectorFactory(organization=team.organization, name="离库", is_active=False)

    response = login(office_user).get(_url("team_member_add", team.pk))

    assert [i.name for i in response.context["form"].fields["inspector"].queryset] == ["在库"]


@pytest.mark.parametrize("case", ["own_unit", "not_eligible", "bad_role", "other_org"])
def test_refused_member_shows_error_and_saves_nothing(
    login, office_user, team, unit_tree, other_org, case
):
    services.assign_unit(team=team, actor=office_user, unit=unit_tree["jinjiang"])
    home = unit_tree["outlet"] if case == "own_unit" else None
    org = other_org if case == "other_org" else team.organization
    inspector = InspectorFactory(organization=org, home_unit=home)
    data = {
        "inspector": inspector.pk,
        "role": {"own_unit": "member", "bad_role": "boss"}.get(case, "leader"),
    }

    response = login(office_user).post(_url("team_member_add", team.pk), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    with dangerously_unscoped():  # every organization's rows
        assert not TeamMember.objects.exists()


def test_own_unit_refusal_names_the_person_and_unit(login, office_user, team, unit_tree):
    services.assign_unit(team=team, actor=office_user, unit=unit_tree["jinjiang"])
    inspector = InspectorFactory(
        organization=team.organization, name="孙七", home_unit=unit_tree["outlet"]
    )

    response = login(office_user).post(
        _url("team_member_add", team.pk), {"inspector": inspector.pk, "role": "member"}
    )

    error = response.context["form"].non_field_errors()[0]
    assert "孙七" in error
    assert "锦江区分公司" in error


def test_office_assigns_unit(login, office_user, team, unit_tree):
    response = login(office_user).post(
        _url("team_assign_unit", team.pk), {"unit": unit_tree["chengdu"].pk}
    )

    assert response.url == _url("team_detail", team.pk)
    assert Inspection.objects.get().unit == unit_tree["chengdu"]


def test_assigning_a_unit_inspected_in_the_round_shows_error(login, office_user, team, unit_tree):
    InspectionFactory(
        round=team.round, team=TeamFactory(round=team.round), unit=unit_tree["chengdu"]
    )

    response = login(office_user).post(
        _url("team_assign_unit", team.pk), {"unit": unit_tree["chengdu"].pk}
    )

    assert response.status_code == 200
    assert "成都分公司" in response.context["form"].non_field_errors()[0]
    assert Inspection.objects.filter(team=team).count() == 0


def test_office_removes_member(login, office_user, team):
    member = TeamMemberFactory(team=team)

    response = login(office_user).post(_url("team_member_remove", member.pk), CONFIRMED)

    assert response.url == _url("team_detail", team.pk)
    assert not TeamMember.objects.exists()


@pytest.mark.parametrize(("stage", "left"), [("planning", 0), ("preparation", 1)])
def test_office_unassigns_unit_only_in_planning(login, office_user, team, unit_tree, stage, left):
    inspection = InspectionFactory(
        round=team.round, team=team, unit=unit_tree["chengdu"], stage=stage
    )

    response = login(office_user).post(_url("team_unassign_unit", inspection.pk), CONFIRMED)

    assert response.url == _url("team_detail", team.pk)
    assert Inspection.objects.count() == left


def test_office_records_recusal(login, office_user, team, unit_tree):
    member = TeamMemberFactory(team=team)
    data = {
        "member": member.pk,
        "unit": unit_tree["chengdu"].pk,
        "reason": "曾任该单位负责人",
        "declared_on": "2025-03-02",
    }

    response = login(office_user).post(_url("recusal_create", team.pk), data)

    assert response.status_code == 302
    assert Recusal.objects.get().reason == "曾任该单位负责人"


def test_recusal_for_member_of_another_team_is_refused(login, office_user, team, unit_tree):
    stranger = TeamMemberFactory(team=TeamFactory(round=team.round))
    data = {
        "member": stranger.pk,
        "unit": unit_tree["chengdu"].pk,
        "reason": "x",
        "declared_on": "2025-03-02",
    }

    response = login(office_user).post(_url("recusal_create", team.pk), data)

    assert list(response.context["form"].errors) == ["member"]
    with dangerously_unscoped():  # every organization's rows
        assert not Recusal.objects.exists()


@pytest.mark.parametrize(
    ("decision", "expected"),
    [("approved", "approved"), ("rejected", "rejected"), ("maybe", "pending")],
)
def test_office_decides_recusal(login, office_user, team, decision, expected):
    recusal = RecusalFactory(member=TeamMemberFactory(team=team))

    response = login(office_user).post(
        _url("recusal_decide", recusal.pk), {"decision": decision, **CONFIRMED}
    )

    recusal.refresh_from_db()
    assert response.url == _url("team_detail", team.pk)
    assert recusal.decision == expected


def test_suggest_page_without_unit_asks_for_one(login, office_user, team, unit_tree):
    response = login(office_user).get(_url("team_suggest", team.pk))

    assert response.status_code == 200
    assert "proposal" not in response.context


def test_suggest_page_shows_the_proposal(login, office_user, team, unit_tree):
    InspectorFactory(organization=team.organization, name="周组长", leader_eligible=True)

    response = login(office_user).get(
        _url("team_suggest", team.pk), {"unit": unit_tree["chengdu"].pk}
    )

    assert [(row["inspector"].name, row["role"]) for row in response.context["rows"]] == [
        ("周组长", "leader")
    ]


def test_suggest_page_shows_each_persons_specialties_home_unit_and_rounds(
    login, office_user, team, unit_tree
):
    org = team.organization
    person = InspectorFactory(
        organization=org, name="周组长", leader_eligible=True, home_unit=unit_tree["mianyang"]
    )
    for code in ("party", "audit"):
        InspectorSpecialty.objects.create(organization=org, inspector=person, specialty=code)
    TeamMemberFactory(team=TeamFactory(round__organization=org), inspector=person)

    response = login(office_user).get(
        _url("team_suggest", team.pk), {"unit": unit_tree["chengdu"].pk}
    )

    row = response.content.decode().split(f'id="pick-{person.pk}"')[1].split("</tr>")[0]
    audit, party = (str(InspectorSpecialty(specialty=code)) for code in ("audit", "party"))
    assert row.index(audit) < row.index(party)  # in code order, as the pool page lists them
    assert "绵阳分公司" in row
    assert '<td class="text-end">1</td>' in row


def test_office_accepts_an_edited_suggestion(login, office_user, team, unit_tree):
    lead = InspectorFactory(organization=team.organization, leader_eligible=True)
    other = InspectorFactory(organization=team.organization)
    data = {"unit": unit_tree["chengdu"].pk, "inspectors": [lead.pk], f"role_{lead.pk}": "deputy"}

    response = login(office_user).post(_url("team_suggest", team.pk), data)

    assert response.url == _url("team_detail", team.pk)
    assert list(TeamMember.objects.values_list("inspector", "role")) == [(lead.pk, "deputy")]
    assert Inspection.objects.get().team == team
    assert other.pk not in TeamMember.objects.values_list("inspector", flat=True)


@pytest.mark.parametrize("case", ["conflict", "bad_role", "no_unit"])
def test_refused_suggestion_saves_nothing(login, office_user, team, unit_tree, case):
    person = InspectorFactory(
        organization=team.organization,
        home_unit=unit_tree["chengdu"] if case == "conflict" else None,
    )
    data = {
        "unit": "" if case == "no_unit" else unit_tree["chengdu"].pk,
        "inspectors": [person.pk],
        f"role_{person.pk}": "boss" if case == "bad_role" else "member",
    }

    response = login(office_user).post(_url("team_suggest", team.pk), data)

    assert response.status_code == 400
    assert (TeamMember.objects.count(), Inspection.objects.count()) == (0, 0)


MANAGE_PAGES = [
    ("get", "round_create", None),
    ("post", "round_create", None),
    ("get", "round_edit", "round"),
    ("post", "round_edit", "round"),
    ("get", "team_create", "round"),
    ("post", "team_create", "round"),
    ("get", "team_edit", "team"),
    ("post", "team_member_add", "team"),
    ("post", "team_assign_unit", "team"),
    ("get", "team_suggest", "team"),
    ("post", "team_suggest", "team"),
    ("post", "recusal_create", "team"),
    ("post", "team_member_remove", "member"),
    ("post", "team_unassign_unit", "inspection"),
    ("post", "recusal_decide", "recusal"),
]


@pytest.mark.parametrize("persona", ["team_member_user", "liaison_user", "leadership_user"])
@pytest.mark.parametrize(("method", "name", "obj"), MANAGE_PAGES)
def test_only_the_office_manages_rounds_and_teams(
    request, login, team, unit_tree, persona, method, name, obj
):
    member = TeamMemberFactory(team=team)
    objects = {
        "round": team.round,
        "team": team,
        "member": member,
        "inspection": InspectionFactory(round=team.round, team=team, unit=unit_tree["chengdu"]),
        "recusal": RecusalFactory(member=member),
    }
    url = _url(name, *([objects[obj].pk] if obj else []))

    response = getattr(login(request.getfixturevalue(persona)), method)(url, ROUND_DATA)

    assert response.status_code == 403
    assert (Round.objects.count(), TeamMember.objects.count(), Inspection.objects.count()) == (
        1,
        1,
        1,
    )
    assert Recusal.objects.get().decision == "pending"


def _add_rounds(org, count: int) -> None:
    for _ in range(count):
        team = TeamFactory(round=RoundFactory(organization=org))
        InspectionFactory(round=team.round, team=team)


def _add_teams(round_, count: int) -> None:
    for _ in range(count):
        team = TeamFactory(round=round_)
        TeamMemberFactory.create_batch(2, team=team)
        InspectionFactory(round=round_, team=team)


# round_detail: 10 with the count of its paginated inspections (teams with their units' names,
# then their members; the round's organization is the request's).
@pytest.mark.parametrize(("view", "queries"), [("round_list", 7), ("round_detail", 10)])
def test_round_pages_run_the_same_queries_for_3_and_30_rows(
    login, office_user, round_, django_assert_num_queries, view, queries
):
    client = login(office_user)
    url = _url(view, *([round_.pk] if view == "round_detail" else []))

    for count in (3, 27):
        _add_rounds(round_.organization, count) if view == "round_list" else _add_teams(
            round_, count
        )
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


def test_team_page_runs_the_same_queries_for_3_and_30_members(
    login, office_user, team, django_assert_num_queries
):
    client = login(office_user)

    for count in (3, 27):
        for member in TeamMemberFactory.create_batch(count, team=team):
            RecusalFactory(member=member)
            InspectionFactory(round=team.round, team=team)
        with django_assert_num_queries(10):  # 9 + the 修改记录 panel's one query
            assert client.get(_url("team_detail", team.pk)).status_code == 200
