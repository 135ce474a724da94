"""The inspections API: lists and records as the pages show them, the work plan and schedule,
and the stage moves (advance, close, reopen, look-back) through the same services, refused
with the same messages, written on the same timeline and history."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from accounts.roles import Role
from history.tracking import event_model
from rounds import gates
from rounds.models import Inspection, Round, StagePlan, StageTransition, TeamMember
from rounds.services import inspections as services
from rounds.services import lifecycle
from rounds.services.teams import sync_team_grants
from rounds.taxonomy import Stage
from tests.factories import (
    InspectionFactory,
    MembershipFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
    UnitFactory,
    seat_on_team,
)
from xuncha.tenancy import org_scope

LIST = reverse("api:inspection-list")


def _url(inspection: Inspection, action: str = "detail") -> str:
    return reverse(f"api:inspection-{action}", args=[inspection.pk])


def _post(client, url: str, body: dict, **headers):
    return client.post(url, body, content_type="application/json", headers=headers)


def _page(inspection: Inspection) -> str:
    return reverse("rounds:inspection_detail", args=[inspection.pk])


def _page_refusal(client, url: str, data: dict) -> list[str]:
    """The messages a page action shows after a POST (followed to the page it returns to)."""
    response = client.post(url, data, follow=True)
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def round_(org) -> Round:
    return RoundFactory(
        organization=org,
        name="2025年第一轮巡察",
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 6, 30),
    )


@pytest.fixture
def leader_user(org) -> User:
    return MembershipFactory(organization=org, roles=(Role.TEAM_LEADER,)).user


@pytest.fixture
def inspection(round_, unit_tree, leader_user, team_member_user) -> Inspection:
    """锦江区分公司 in planning, ready for preparation: focus areas chosen, a team whose leader
    and member sit through the team service (which gives them their grants)."""
    team = TeamFactory(round=round_, name="第一巡察组")
    inspection = InspectionFactory(
        round=round_, unit=unit_tree["jinjiang"], team=team, focus_areas=["funds"]
    )
    seat_on_team(team, leader_user, role=TeamMember.Role.LEADER)
    seat_on_team(team, team_member_user)
    return inspection


def _at(inspection: Inspection, stage: str) -> Inspection:
    inspection.stage = stage
    inspection.save(update_fields=["stage"])
    return inspection


def _plan(inspection: Inspection, stage: str, start: str | None, end: str | None) -> None:
    """Planned dates of one stage, saved as the schedule page saves them."""
    days = [datetime.date.fromisoformat(day) if day else None for day in (start, end)]
    services.save_schedule(inspection=inspection, actor=None, dates={stage: tuple(days)})


# --- Lists and records --------------------------------------------------------------------


def test_the_office_lists_the_inspections_of_its_organization(
    api, office_user, inspection, unit_tree, other_org
):
    InspectionFactory(round=inspection.round, unit=unit_tree["mianyang"])
    with org_scope(other_org):
        InspectionFactory(round=RoundFactory(organization=other_org))

    rows = api(office_user).get(LIST).json()["results"]

    assert sorted((row["unit_name"], row["round_name"]) for row in rows) == [
        ("绵阳分公司", "2025年第一轮巡察"),
        ("锦江区分公司", "2025年第一轮巡察"),
    ]


def test_a_team_member_lists_only_their_teams_inspections(
    api, team_member_user, inspection, unit_tree
):
    InspectionFactory(round=inspection.round, unit=unit_tree["mianyang"])

    rows = api(team_member_user).get(LIST).json()["results"]

    assert [(row["id"], row["team_name"]) for row in rows] == [(inspection.pk, "第一巡察组")]


@pytest.mark.parametrize("name", ["stage", "unit", "team", "round", "overdue"])
def test_the_list_filters(api, office_user, inspection, unit_tree, name):
    other = InspectionFactory(
        round=RoundFactory(organization=inspection.organization),
        unit=unit_tree["mianyang"],
        stage=Stage.ONSITE,
    )
    _plan(other, Stage.ONSITE, "2025-04-01", "2025-05-01")
    value = {
        "stage": "onsite",
        "unit": other.unit_id,
        "team": inspection.team_id,
        "round": other.round_id,
        "overdue": "true",
    }[name]

    rows = api(office_user).get(LIST, {name: value}).json()["results"]

    expected = inspection if name == "team" else other
    assert [row["id"] for row in rows] == [expected.pk]


@pytest.mark.parametrize("persona", ["office_user", "team_member_user"])
def test_the_list_runs_the_same_queries_for_3_and_30_inspections(
    request, api, django_assert_num_queries, inspection, org, persona
):
    client = api(request.getfixturevalue(persona))
    client.get(LIST)  # the token's first use is recorded once

    def fill(total: int) -> None:
        while Inspection.objects.filter(team=inspection.team).count() < total:
            added = InspectionFactory(
                round=inspection.round, team=inspection.team, unit=UnitFactory(organization=org)
            )
            _plan(added, Stage.ONSITE, "2025-04-01", "2025-04-30")
        sync_team_grants(team=inspection.team)  # as assigning the units to the team does

    fill(3)
    with CaptureQueriesContext(connection) as queries:
        assert len(client.get(LIST, {"page_size": 50}).json()["results"]) == 3
    fill(30)
    with django_assert_num_queries(len(queries)):
        assert len(client.get(LIST, {"page_size": 50}).json()["results"]) == 30


def test_an_inspection_reads_with_its_names_stage_and_planned_dates(api, office_user, inspection):
    _plan(inspection, Stage.ONSITE, "2025-04-01", "2025-04-30")

    data = api(office_user).get(_url(inspection)).json()

    assert (data["unit_name"], data["round_name"], data["team_name"]) == (
        "锦江区分公司",
        "2025年第一轮巡察",
        "第一巡察组",
    )
    assert (data["stage"], data["stage_display"], data["next_stage_display"]) == (
        "planning",
        "制定方案",
        "巡前准备",
    )
    onsite = next(row for row in data["schedule"] if row["stage"] == "onsite")
    assert (onsite["planned_start"], onsite["planned_end"]) == ("2025-04-01", "2025-04-30")
    assert data["waiting_for"] == []


def test_another_organizations_inspection_is_not_found(api, outsider, inspection):
    response = api(outsider).get(_url(inspection))

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


# --- Advancing ------------------------------------------------------------------------------


def test_advancing_writes_the_timeline_and_history_the_page_shows(
    api, login, office_user, inspection
):
    body = {"to_stage": "preparation", "reason": "工作方案已经领导小组审定"}

    response = _post(api(office_user), _url(inspection, "advance"), body)

    assert (response.status_code, response.json()["stage"]) == (200, "preparation")
    step = StageTransition.objects.get(inspection=inspection)
    assert (step.from_stage, step.to_stage, step.actor, step.reason) == (
        "planning",
        "preparation",
        office_user,
        "工作方案已经领导小组审定",
    )
    event = event_model(Inspection).objects.filter(pgh_obj_id=inspection.pk).latest("pgh_id")
    assert event.stage == "preparation"
    assert event.pgh_context == {
        "user": office_user.pk,
        "org": inspection.organization_id,
        "url": _url(inspection, "advance"),
    }
    html = login(office_user).get(_page(inspection)).content.decode()
    assert 'data-from="planning" data-to="preparation"' in html
    assert "工作方案已经领导小组审定" in html
    assert "阶段：</span> 制定方案 → 巡前准备" in html[html.index('id="history"') :]


def test_an_advance_with_unmet_checks_is_refused_with_the_pages_message(
    api, login, office_user, inspection
):
    inspection.focus_areas = []
    inspection.save(update_fields=["focus_areas"])
    page = _page_refusal(
        login(office_user),
        reverse("rounds:inspection_advance", args=[inspection.pk]),
        {"to_stage": "preparation"},
    )

    response = _post(api(office_user), _url(inspection, "advance"), {"to_stage": "preparation"})

    assert response.status_code == 400
    assert response.json()["code"] == "refused"
    assert [response.json()["message"]] == page == ["请选择工作方案的巡察重点。"]
    assert not StageTransition.objects.filter(inspection=inspection).exists()


@pytest.mark.parametrize(
    ("action", "body"), [("advance", {"to_stage": "preparation"}), ("close", {})]
)
def test_a_member_who_may_not_move_it_is_refused_403_with_the_pages_message(
    api, login, team_member_user, inspection, action, body
):
    target = body.get("to_stage", "closed")
    page = _page_refusal(
        login(team_member_user),
        reverse("rounds:inspection_advance", args=[inspection.pk]),
        {"to_stage": target, "confirmed": "1"},
    )

    response = _post(api(team_member_user), _url(inspection, action), body)

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert [response.json()["message"]] == page
    assert Inspection.objects.get(pk=inspection.pk).stage == Stage.PLANNING


def test_the_team_leader_advances_through_the_api(api, leader_user, inspection):
    response = _post(api(leader_user), _url(inspection, "advance"), {"to_stage": "preparation"})

    assert response.status_code == 200
    assert Inspection.objects.get(pk=inspection.pk).stage == Stage.PREPARATION


def test_past_work_is_advanced_on_its_effective_date(api, office_user, inspection):
    body = {"to_stage": "preparation", "effective_on": "2025-03-10"}

    data = _post(api(office_user), _url(inspection, "advance"), body).json()

    assert data["stage_entered_at"] == "2025-03-10T00:00:00+08:00"
    rows = api(office_user).get(reverse("api:inspection-transition-list", args=[inspection.pk]))
    assert [(r["effective_at"], r["back_dated"]) for r in rows.json()["results"]] == [
        ("2025-03-10T00:00:00+08:00", True)
    ]


def test_an_effective_date_in_the_future_is_refused_on_its_field(api, office_user, inspection):
    body = {"to_stage": "preparation", "effective_on": "2999-01-01"}

    response = _post(api(office_user), _url(inspection, "advance"), body)

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["effective_on"]
    assert "不能晚于今天" in response.json()["message"]


# --- Closing and reopening ------------------------------------------------------------------


@pytest.fixture
def accepted(inspection) -> Inspection:
    TeamMemberFactory(team=inspection.team)  # a third inspector: the gates count two
    return _at(inspection, Stage.ACCEPTANCE)


def test_leadership_closes_an_accepted_inspection(api, leadership_user, accepted):
    response = _post(api(leadership_user), _url(accepted, "close"), {"reason": "整改全部销号"})

    accepted.refresh_from_db()
    assert (response.status_code, response.json()["stage"]) == (200, "closed")
    assert accepted.closed_at is not None
    step = StageTransition.objects.get(inspection=accepted)
    assert (step.to_stage, step.actor, step.reason) == ("closed", leadership_user, "整改全部销号")


@pytest.fixture
def open_items_gate(monkeypatch):
    """A gate such as the rectification app registers: items are still open."""
    monkeypatch.setitem(gates.GATES, Stage.CLOSED, [])
    gates.register_gate(Stage.CLOSED, lambda inspection: "2项整改事项尚未销号")


@pytest.mark.usefixtures("open_items_gate")
def test_an_unmet_check_holds_closing_with_its_message(api, leadership_user, accepted):
    response = _post(api(leadership_user), _url(accepted, "close"), {"reason": "同意办结"})

    assert (response.status_code, response.json()["message"]) == (400, "2项整改事项尚未销号")
    assert Inspection.objects.get(pk=accepted.pk).stage == Stage.ACCEPTANCE


@pytest.mark.usefixtures("open_items_gate")
def test_a_leadership_exception_closes_and_records_the_waived_check(api, leadership_user, accepted):
    body = {"reason": "长期整改事项转日常监督", "exception": True}

    response = _post(api(leadership_user), _url(accepted, "close"), body)

    assert response.json()["stage"] == "closed"
    reason = StageTransition.objects.get(inspection=accepted).reason
    assert "长期整改事项转日常监督" in reason
    assert "2项整改事项尚未销号" in reason


@pytest.fixture
def closed(inspection) -> Inspection:
    return _at(inspection, Stage.CLOSED)


def test_leadership_reopens_a_closed_inspection_with_its_reason(
    api, login, leadership_user, closed
):
    response = _post(api(leadership_user), _url(closed, "reopen"), {"reason": "整改不实，重新验收"})

    assert (response.status_code, response.json()["stage"]) == (200, "acceptance")
    step = StageTransition.objects.get(inspection=closed)
    assert (step.from_stage, step.to_stage) == ("closed", "acceptance")
    assert "整改不实，重新验收" in login(leadership_user).get(_page(closed)).content.decode()


def test_reopening_without_a_reason_is_refused_on_the_reason_field(api, leadership_user, closed):
    response = _post(api(leadership_user), _url(closed, "reopen"), {"reason": " "})

    with translation.override("zh-hans"):
        message = str(translation.gettext("Give the reason for reopening the inspection."))
    assert (response.status_code, response.json()["fields"]) == (400, {"reason": [message]})
    assert Inspection.objects.get(pk=closed.pk).stage == Stage.CLOSED


def test_the_office_may_not_reopen(api, office_user, closed):
    response = _post(api(office_user), _url(closed, "reopen"), {"reason": "想改"})

    assert response.status_code == 403
    assert Inspection.objects.get(pk=closed.pk).stage == Stage.CLOSED


# --- Schedule and work plan -----------------------------------------------------------------


def test_the_schedule_changes_only_the_dates_named(api, office_user, inspection):
    _plan(inspection, Stage.ONSITE, "2025-04-01", "2025-04-30")

    response = _post(api(office_user), _url(inspection, "schedule"), {"onsite_end": "2025-05-10"})

    assert response.status_code == 200
    plan = StagePlan.objects.get(inspection=inspection, stage=Stage.ONSITE)
    assert (plan.planned_start, plan.planned_end) == (
        datetime.date(2025, 4, 1),
        datetime.date(2025, 5, 10),
    )


def test_a_schedule_naming_no_date_is_refused(api, office_user, inspection):
    response = _post(api(office_user), _url(inspection, "schedule"), {})

    assert response.status_code == 400
    assert response.json()["message"] == "请至少填写一个阶段的计划日期。"


def test_a_schedule_outside_the_round_is_refused_on_its_field_as_on_the_page(
    api, login, office_user, inspection
):
    body = {"onsite_start": "2025-06-01", "onsite_end": "2025-07-31"}
    page = login(office_user).post(
        reverse("rounds:inspection_schedule", args=[inspection.pk]), body
    )

    response = _post(api(office_user), _url(inspection, "schedule"), body)

    assert response.status_code == 400
    assert response.json()["fields"] == {"onsite_end": page.context["form"].errors["onsite_end"]}
    assert not StagePlan.objects.filter(inspection=inspection).exists()


def test_a_closed_inspections_schedule_is_refused_as_read_only_as_on_the_page(
    api, login, office_user, closed
):
    body = {"onsite_start": "2025-04-01"}
    page = _page_refusal(
        login(office_user), reverse("rounds:inspection_schedule", args=[closed.pk]), body
    )

    response = _post(api(office_user), _url(closed, "schedule"), body)

    assert response.status_code == 400
    assert [response.json()["message"]] == page
    assert page[0].startswith("锦江区分公司的巡察已办结，记录只读。")
    assert not StagePlan.objects.filter(inspection=closed).exists()


@pytest.mark.parametrize("action", ["schedule", "detail"])
def test_a_team_member_may_not_plan_the_inspection(api, team_member_user, inspection, action):
    client, url = api(team_member_user), _url(inspection, action)
    etag = client.get(_url(inspection))["ETag"]
    body = {"onsite_start": "2025-04-01"} if action == "schedule" else {"work_plan": "改写"}

    if action == "schedule":
        response = _post(client, url, body)
    else:
        response = client.patch(
            url, body, content_type="application/json", headers={"If-Match": etag}
        )

    assert response.status_code == 403
    assert not StagePlan.objects.filter(inspection=inspection).exists()
    assert Inspection.objects.get(pk=inspection.pk).work_plan == ""


def test_the_work_plan_is_saved_and_shows_in_the_history(api, login, office_user, inspection):
    client = api(office_user)
    etag = client.get(_url(inspection))["ETag"]
    body = {"focus_areas": ["personnel", "funds"], "work_plan": "重点检查选人用人"}

    response = client.patch(
        _url(inspection), body, content_type="application/json", headers={"If-Match": etag}
    )

    assert response.status_code == 200
    assert response.json()["focus_area_labels"] == ["选人用人", "资金管理"]
    inspection.refresh_from_db()
    assert (inspection.focus_areas, inspection.work_plan) == (
        ["personnel", "funds"],
        "重点检查选人用人",
    )
    html = login(office_user).get(_page(inspection)).content.decode()
    assert "— → 重点检查选人用人" in html[html.index('id="history"') :]


def test_a_stale_etag_is_refused_and_changes_nothing(api, office_user, inspection):
    response = api(office_user).patch(
        _url(inspection),
        {"work_plan": "改写"},
        content_type="application/json",
        headers={"If-Match": '"stale"'},
    )

    assert (response.status_code, response.json()["code"]) == (412, "precondition_failed")
    assert Inspection.objects.get(pk=inspection.pk).work_plan == ""


# --- Look-backs -----------------------------------------------------------------------------


@pytest.fixture
def look_back_round(org) -> Round:
    return RoundFactory(organization=org, name="2026年回头看", kind=Round.Kind.LOOK_BACK)


def test_the_office_creates_a_look_back_of_a_closed_inspection(
    api, office_user, closed, look_back_round
):
    response = _post(api(office_user), _url(closed, "look-back"), {"round": look_back_round.pk})

    data = response.json()
    assert (response.status_code, data["look_back_of"], data["round_name"]) == (
        201,
        closed.pk,
        "2026年回头看",
    )
    assert Inspection.objects.get(pk=data["id"]).unit == closed.unit


def test_a_look_back_of_an_open_inspection_is_refused_with_the_pages_message(
    api, login, office_user, inspection, look_back_round
):
    body = {"round": look_back_round.pk}
    page = _page_refusal(
        login(office_user), reverse("rounds:inspection_lookback", args=[inspection.pk]), body
    )

    response = _post(api(office_user), _url(inspection, "look-back"), body)

    assert [response.json()["message"]] == page
    assert response.status_code == 400
    assert not Inspection.objects.filter(round=look_back_round).exists()


def test_leadership_may_not_create_a_look_back(api, leadership_user, closed, look_back_round):
    response = _post(api(leadership_user), _url(closed, "look-back"), {"round": look_back_round.pk})

    assert response.status_code == 403
    assert not Inspection.objects.filter(round=look_back_round).exists()


# --- The timeline ---------------------------------------------------------------------------


def _transitions(inspection: Inspection) -> str:
    return reverse("api:inspection-transition-list", args=[inspection.pk])


def test_the_transitions_read_as_the_timeline(api, office_user, inspection):
    lifecycle.advance(
        inspection=inspection, actor=office_user, to_stage="preparation", reason="方案已批准"
    )

    rows = api(office_user).get(_transitions(inspection)).json()["results"]

    assert [
        (r["from_stage"], r["to_stage_display"], r["actor_name"], r["reason"]) for r in rows
    ] == [("planning", "巡前准备", office_user.full_name, "方案已批准")]


def test_a_member_of_another_team_does_not_find_the_transitions(api, inspection, org, unit_tree):
    elsewhere = TeamFactory(round=inspection.round)
    InspectionFactory(round=inspection.round, unit=unit_tree["mianyang"], team=elsewhere)
    stranger = MembershipFactory(organization=org, roles=(Role.TEAM_MEMBER,)).user
    seat_on_team(elsewhere, stranger)

    response = api(stranger).get(_transitions(inspection))

    assert response.status_code == 404


def test_the_transitions_run_the_same_queries_for_3_and_30_moves(
    api, django_assert_num_queries, office_user, inspection
):
    client = api(office_user)
    client.get(_transitions(inspection))  # the token's first use is recorded once

    def fill(total: int) -> None:
        for _ in range(total - StageTransition.objects.filter(inspection=inspection).count()):
            StageTransition.objects.create(
                organization=inspection.organization,
                inspection=inspection,
                from_stage="planning",
                to_stage="preparation",
                actor=office_user,
                at=timezone.now(),
            )

    fill(3)
    with CaptureQueriesContext(connection) as queries:
        assert len(client.get(_transitions(inspection), {"page_size": 50}).json()["results"]) == 3
    fill(30)
    with django_assert_num_queries(len(queries)):
        assert len(client.get(_transitions(inspection), {"page_size": 50}).json()["results"]) == 30


def test_a_method_the_timeline_does_not_take_is_405_whatever_the_inspection(
    api, outsider, inspection
):
    response = _post(api(outsider), _transitions(inspection), {})

    assert (response.status_code, response.json()["code"]) == (405, "method_not_allowed")
