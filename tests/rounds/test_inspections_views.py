"""Inspection list and detail pages, stage moves, re-checks and look-backs through the browser."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.roles import Role
from rounds.models import Inspection, Problem, Round, StageTransition, TeamMember
from rounds.taxonomy import Stage
from tests.factories import (
    InspectionFactory,
    IntelligenceItemFactory,
    IntelligenceRequestFactory,
    MembershipFactory,
    MilestoneFactory,
    ProblemFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
    UnitFactory,
    UserFactory,
    WorkTaskFactory,
)

LIST = reverse("rounds:inspection_list")


def _detail(inspection: Inspection) -> str:
    return reverse("rounds:inspection_detail", args=[inspection.pk])


def _listed(response) -> list[str]:
    return re.findall(r'class="inspection-link">([^<]+)</a>', response.content.decode())


def _steps(response) -> list[tuple[str, str]]:
    return re.findall(r'data-from="(\w*)" data-to="(\w+)"', response.content.decode())


@pytest.fixture
def round_(org) -> Round:
    return RoundFactory(organization=org, name="2025年第一轮巡察")


@pytest.fixture
def inspection(round_, unit_tree) -> Inspection:
    inspection = InspectionFactory(round=round_, unit=unit_tree["jinjiang"], focus_areas=["funds"])
    inspection.team = TeamFactory(round=round_)
    inspection.save(update_fields=["team"])
    TeamMemberFactory(team=inspection.team, role=TeamMember.Role.LEADER)
    return inspection


def _team_user(inspection: Inspection, role: str = TeamMember.Role.MEMBER):
    """A team member's account with the grants the team services give on its inspections."""
    user = MembershipFactory(
        organization=inspection.organization, user=UserFactory(), roles=(Role.TEAM_MEMBER,)
    ).user
    assign_perm("rounds.view_inspection", user, inspection)
    if role == TeamMember.Role.LEADER:
        assign_perm("rounds.change_inspection", user, inspection)
    return user


def test_list_shows_inspections_to_the_office(login, office_user, inspection, unit_tree):
    InspectionFactory(round=inspection.round, unit=unit_tree["mianyang"])

    response = login(office_user).get(LIST)

    assert response.status_code == 200
    assert sorted(_listed(response)) == sorted(["锦江区分公司", "绵阳分公司"])


def test_list_is_refused_to_a_liaison(login, liaison_user, inspection):
    assert login(liaison_user).get(LIST).status_code == 403


def test_a_team_member_lists_only_their_inspections(login, inspection, unit_tree):
    InspectionFactory(round=inspection.round, unit=unit_tree["mianyang"])

    response = login(_team_user(inspection)).get(LIST)

    assert _listed(response) == ["锦江区分公司"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stage": "onsite"}, ["绵阳分公司"]),
        ({"q": "锦江"}, ["锦江区分公司"]),
        ({"q": "my"}, ["绵阳分公司"]),
        ({"round": "other"}, ["成都分公司"]),
    ],
)
def test_list_filters_by_stage_unit_and_round(
    login, office_user, inspection, unit_tree, params, expected
):
    InspectionFactory(round=inspection.round, unit=unit_tree["mianyang"], stage=Stage.ONSITE)
    other = InspectionFactory(
        round=RoundFactory(organization=inspection.organization), unit=unit_tree["chengdu"]
    )
    if params.get("round") == "other":
        params = {"round": other.round_id}

    assert _listed(login(office_user).get(LIST, params)) == expected


def test_list_is_paginated_by_25(login, office_user, round_, org):
    for n in range(26):
        InspectionFactory(round=round_, unit=UnitFactory(organization=org, name=f"单位{n:02d}"))
    client = login(office_user)

    assert len(_listed(client.get(LIST))) == 25
    assert _listed(client.get(LIST, {"page": 2})) == ["单位25"]


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("persona", "queries"), [("office_user", 8), ("team", 9)])
def test_list_runs_the_same_queries_for_3_and_30_inspections(
    request, login, round_, org, persona, queries
):
    user = None if persona == "team" else request.getfixturevalue(persona)
    for total in (3, 30):
        while Inspection.objects.filter(round=round_).count() < total:
            inspection = InspectionFactory(round=round_, unit=UnitFactory(organization=org))
            user = user or _team_user(inspection)
            assign_perm("rounds.view_inspection", user, inspection)
        assert _count_queries(login(user), LIST) == queries


def test_detail_shows_unit_round_team_and_waiting_for(login, office_user, inspection):
    response = login(office_user).get(_detail(inspection))

    content = response.content.decode()
    assert response.status_code == 200
    assert "锦江区分公司" in content
    assert "2025年第一轮巡察" in content
    assert inspection.team.name in content
    assert response.context["detail"].waiting_for == []  # leader and focus areas are set


def test_detail_lists_what_the_next_stage_waits_for(login, office_user, inspection):
    inspection.stage = Stage.PREPARATION
    inspection.save(update_fields=["stage"])

    response = login(office_user).get(_detail(inspection))

    assert len(response.context["detail"].waiting_for) == 1  # no intelligence requested


def test_a_member_of_another_team_gets_404(login, inspection, unit_tree):
    elsewhere = InspectionFactory(round=inspection.round, unit=unit_tree["mianyang"])

    response = login(_team_user(elsewhere)).get(_detail(inspection))

    assert response.status_code == 404


def test_a_liaison_may_not_open_an_inspection(login, liaison_user, inspection):
    assert login(liaison_user).get(_detail(inspection)).status_code == 403


def test_the_timeline_shows_every_step_in_order(login, office_user, inspection):
    client = login(office_user)
    IntelligenceRequestFactory(inspection=inspection, answered_on=datetime.date(2025, 3, 5))
    advance = reverse("rounds:inspection_advance", args=[inspection.pk])
    client.post(advance, {"to_stage": "preparation", "reason": "方案已批准"})
    client.post(advance, {"to_stage": "mobilization", "reason": "情况已收集"})

    response = client.get(_detail(inspection))

    assert _steps(response) == [
        ("", "planning"),
        ("planning", "preparation"),
        ("preparation", "mobilization"),
    ]
    assert "方案已批准" in response.content.decode()


def test_advance_moves_and_redirects_to_the_timeline(login, office_user, inspection):
    url = reverse("rounds:inspection_advance", args=[inspection.pk])

    response = login(office_user).post(url, {"to_stage": "preparation", "reason": "批准"})

    inspection.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == _detail(inspection) + "#timeline"
    assert inspection.stage == Stage.PREPARATION


@pytest.mark.parametrize("data", [{"to_stage": "onsite"}, {"to_stage": "bogus"}, {}])
def test_a_refused_advance_changes_nothing(login, office_user, inspection, data):
    url = reverse("rounds:inspection_advance", args=[inspection.pk])

    response = login(office_user).post(url, data)

    inspection.refresh_from_db()
    assert response.status_code == 302
    assert inspection.stage == Stage.PLANNING
    assert not StageTransition.objects.exists()


def test_the_team_leader_advances_through_the_page(login, inspection):
    url = reverse("rounds:inspection_advance", args=[inspection.pk])

    login(_team_user(inspection, TeamMember.Role.LEADER)).post(url, {"to_stage": "preparation"})

    inspection.refresh_from_db()
    assert inspection.stage == Stage.PREPARATION


def test_a_team_member_cannot_advance_through_the_page(login, inspection):
    url = reverse("rounds:inspection_advance", args=[inspection.pk])

    login(_team_user(inspection)).post(url, {"to_stage": "preparation"})

    inspection.refresh_from_db()
    assert inspection.stage == Stage.PLANNING


def test_leadership_closes_through_the_page(login, leadership_user, inspection):
    TeamMemberFactory(team=inspection.team)  # from on-site work on, two inspectors
    inspection.stage = Stage.ACCEPTANCE
    inspection.save(update_fields=["stage"])
    url = reverse("rounds:inspection_advance", args=[inspection.pk])

    client = login(leadership_user)

    asked = client.post(url, {"to_stage": "closed", "reason": "整改完成"})
    assert 'name="confirmed"' in asked.content.decode()  # closing asks first
    inspection.refresh_from_db()
    assert inspection.stage == Stage.ACCEPTANCE
    client.post(url, {"to_stage": "closed", "reason": "整改完成", "confirmed": "1"})

    inspection.refresh_from_db()
    assert inspection.stage == Stage.CLOSED


def _fill(inspection: Inspection, count: int) -> None:
    now = timezone.now()
    for n in range(count):
        StageTransition.objects.create(
            organization=inspection.organization,
            inspection=inspection,
            from_stage="planning",
            to_stage="preparation",
            at=now,
            reason=f"第{n}步",
            actor=UserFactory(),
        )
        ProblemFactory(inspection=inspection)
        IntelligenceItemFactory(inspection=inspection, source=["audit", "hr", "legal"][n % 3])
        IntelligenceRequestFactory(inspection=inspection)
        WorkTaskFactory(inspection=inspection, assignee=TeamMemberFactory(team=inspection.team))
        MilestoneFactory(inspection=inspection)


# The office's 8th query asks whether it sits on the team (the confidential sections' links).
@pytest.mark.parametrize(("persona", "queries"), [("office_user", 9), ("leadership_user", 9)])
def test_detail_runs_the_same_queries_for_3_and_30_rows(
    request, login, inspection, persona, queries
):
    client = login(request.getfixturevalue(persona))
    for added in (3, 27):
        _fill(inspection, added)
        assert _count_queries(client, _detail(inspection)) == queries


def test_detail_groups_intelligence_by_source(login, office_user, inspection):
    IntelligenceItemFactory(inspection=inspection, source="hr", summary="干部档案不全")
    IntelligenceItemFactory(inspection=inspection, source="audit", summary="招标不规范")
    IntelligenceItemFactory(inspection=inspection, source="hr", summary="超职数配备")

    groups = login(office_user).get(_detail(inspection)).context["detail"].items_by_source

    assert [[i.summary for i in items] for _label, items in groups] == [
        ["招标不规范"],
        ["干部档案不全", "超职数配备"],
    ]


@pytest.fixture
def closed(inspection) -> Inspection:
    inspection.stage = Stage.CLOSED
    inspection.save(update_fields=["stage"])
    ProblemFactory(inspection=inspection, description="超标准公务接待")
    return inspection


@pytest.fixture
def look_back_round(org) -> Round:
    return RoundFactory(organization=org, kind=Round.Kind.LOOK_BACK)


def test_the_office_creates_a_look_back(login, office_user, closed, look_back_round):
    url = reverse("rounds:inspection_lookback", args=[closed.pk])

    response = login(office_user).post(url, {"round": look_back_round.pk})

    look_back = Inspection.objects.get(look_back_of=closed)
    assert response["Location"] == _detail(look_back)
    assert list(look_back.problems.values_list("description", flat=True)) == ["超标准公务接待"]


def test_a_look_back_of_an_open_inspection_is_refused(
    login, office_user, inspection, look_back_round
):
    url = reverse("rounds:inspection_lookback", args=[inspection.pk])

    response = login(office_user).post(url, {"round": look_back_round.pk})

    assert response.status_code == 302
    assert not Inspection.objects.filter(look_back_of=inspection).exists()


def test_leadership_may_not_create_a_look_back(login, leadership_user, closed, look_back_round):
    url = reverse("rounds:inspection_lookback", args=[closed.pk])

    assert login(leadership_user).post(url, {"round": look_back_round.pk}).status_code == 403


def test_the_detail_links_look_back_and_source(login, office_user, closed, look_back_round):
    client = login(office_user)
    client.post(
        reverse("rounds:inspection_lookback", args=[closed.pk]), {"round": look_back_round.pk}
    )
    look_back = Inspection.objects.get(look_back_of=closed)

    page = client.get(_detail(look_back)).content.decode()
    assert f'<a href="{_detail(closed)}">{closed}</a>' in page  # the original, named
    source = client.get(_detail(closed)).content.decode()
    assert f'<a href="{_detail(look_back)}">{look_back_round.name}</a>' in source


def test_a_team_member_rechecks_an_inherited_problem(login, closed, look_back_round, office_user):
    login(office_user).post(
        reverse("rounds:inspection_lookback", args=[closed.pk]), {"round": look_back_round.pk}
    )
    look_back = Inspection.objects.get(look_back_of=closed)
    problem = look_back.problems.get()
    url = reverse("rounds:problem_recheck", args=[look_back.pk])

    login(_team_user(look_back)).post(url, {"problem": problem.pk, "result": "recurred"})

    problem.refresh_from_db()
    assert problem.recheck == Problem.Recheck.RECURRED


def test_a_recheck_of_another_inspections_problem_is_refused(login, office_user, inspection):
    # Inherited, so only its inspection keeps it from being re-checked here.
    elsewhere = InspectionFactory(round=inspection.round)
    foreign = ProblemFactory(
        inspection=elsewhere, inherited_from=ProblemFactory(inspection=elsewhere)
    )
    url = reverse("rounds:problem_recheck", args=[inspection.pk])

    response = login(office_user).post(url, {"problem": foreign.pk, "result": "resolved"})

    foreign.refresh_from_db()
    assert response.status_code == 302
    assert foreign.recheck == ""
