"""The parts of an inspection in the API: intelligence requests and items, work tasks,
milestones and problems — read as the inspection page shows them, written through the same
services with the same refusals, object checks and history."""

from __future__ import annotations

import datetime
import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from history.tracking import event_model
from rounds.models import (
    Inspection,
    IntelligenceItem,
    IntelligenceRequest,
    Milestone,
    Problem,
    TeamMember,
    WorkTask,
)
from rounds.services import inspections as services
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
    UserFactory,
    WorkTaskFactory,
    seat_on_team,
)
from xuncha.tenancy import org_scope

KINDS = ["intelligence-requests", "intelligence-items", "work-tasks", "milestones", "problems"]
MODELS = {
    "intelligence-requests": IntelligenceRequest,
    "intelligence-items": IntelligenceItem,
    "work-tasks": WorkTask,
    "milestones": Milestone,
    "problems": Problem,
}


def _json(data: object) -> dict:
    return {"data": json.dumps(data), "content_type": "application/json"}


def _collection(kind: str, inspection: Inspection) -> str:
    return f"/api/inspections/{inspection.pk}/{kind}/"


def _record(kind: str, row, action: str = "") -> str:
    return f"/api/{kind}/{row.pk}/" + (f"{action}/" if action else "")


def _make(kind: str, inspection: Inspection):
    """One row of ``kind`` in ``inspection``."""
    if kind == "intelligence-requests":
        return IntelligenceRequestFactory(inspection=inspection, note="近三年审计发现问题")
    if kind == "intelligence-items":
        return IntelligenceItemFactory(inspection=inspection)
    if kind == "work-tasks":
        assignee = TeamMemberFactory(team=inspection.team, inspector__name="钱副组长")
        return WorkTaskFactory(inspection=inspection, assignee=assignee)
    if kind == "milestones":
        return MilestoneFactory(inspection=inspection)
    return ProblemFactory(inspection=inspection)


def _events(model, pk: int, label: str) -> list:
    events = event_model(model).objects.filter(pgh_obj_id=pk, pgh_label=label)
    return list(events.order_by("pgh_id"))


@pytest.fixture
def inspection(org, unit_tree) -> Inspection:
    round_ = RoundFactory(organization=org, name="2025年第一轮巡察")
    team = TeamFactory(round=round_, name="第一巡察组")
    return InspectionFactory(
        round=round_, team=team, unit=unit_tree["jinjiang"], stage=Stage.ONSITE
    )


@pytest.fixture
def member(inspection, team_member_user, office_user):
    """A plain member of the inspection's team: works on it, does not manage it."""
    seat_on_team(inspection.team, team_member_user, actor=office_user)
    return team_member_user


@pytest.fixture
def team_leader(inspection, org, office_user):
    user = MembershipFactory(
        organization=org, user=UserFactory(full_name="赵组长"), roles=(Role.TEAM_LEADER,)
    ).user
    seat_on_team(inspection.team, user, role=TeamMember.Role.LEADER, actor=office_user)
    return user


@pytest.fixture
def other_team_member(inspection, org, office_user):
    """A member of the team of another inspection in the same round."""
    elsewhere = InspectionFactory(round=inspection.round, team=TeamFactory(round=inspection.round))
    user = MembershipFactory(organization=org, roles=(Role.TEAM_MEMBER,)).user
    seat_on_team(elsewhere.team, user, actor=office_user)
    return user


@pytest.fixture
def foreign_inspection(other_org) -> Inspection:
    with org_scope(other_org):
        round_ = RoundFactory(organization=other_org)
        return InspectionFactory(round=round_, team=TeamFactory(round=round_))


# --- Reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_list_holds_the_inspections_own_rows_only(api, office_user, inspection, kind):
    own = _make(kind, inspection)
    _make(kind, InspectionFactory(round=inspection.round, team=TeamFactory(round=inspection.round)))

    response = api(office_user).get(_collection(kind, inspection))

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [own.pk]


def test_a_request_reads_with_its_department_in_chinese(api, office_user, inspection):
    request = IntelligenceRequestFactory(
        inspection=inspection, due_on=datetime.date(2025, 3, 10), note="近三年审计发现问题"
    )

    response = api(office_user).get(_record("intelligence-requests", request))

    assert response.json() == {
        "id": request.pk,
        "inspection": inspection.pk,
        "department": "audit",
        "department_display": "审计部门",
        "requested_on": "2025-03-01",
        "due_on": "2025-03-10",
        "answered_on": None,
        "note": "近三年审计发现问题",
    }


def test_an_item_reads_with_its_request_and_who_recorded_it(api, office_user, inspection):
    request = IntelligenceRequestFactory(inspection=inspection)
    item = IntelligenceItemFactory(inspection=inspection, request=request, recorded_by=office_user)

    body = api(office_user).get(_record("intelligence-items", item)).json()

    assert (body["request"], body["source_display"], body["year"]) == (request.pk, "审计", 2024)
    assert (body["summary"], body["recorded_by_name"]) == (
        "2024年审计发现招标程序不规范",
        str(office_user),
    )
    assert body["recorded_at"].endswith("+08:00")


def test_a_task_reads_with_its_assignees_name(api, office_user, inspection):
    task = _make("work-tasks", inspection)

    body = api(office_user).get(_record("work-tasks", task)).json()

    assert body == {
        "id": task.pk,
        "inspection": inspection.pk,
        "assignee": task.assignee_id,
        "assignee_name": "钱副组长",
        "description": "负责选人用人专项检查",
    }


def test_a_milestone_reads_with_its_dates(api, office_user, inspection):
    milestone = MilestoneFactory(inspection=inspection, done_on=datetime.date(2025, 3, 9))

    body = api(office_user).get(_record("milestones", milestone)).json()

    assert body == {
        "id": milestone.pk,
        "inspection": inspection.pk,
        "title": "召开进驻动员会",
        "due_on": "2025-03-10",
        "done_on": "2025-03-09",
    }


def test_a_problem_reads_with_its_labels_in_chinese(api, office_user, inspection):
    problem = ProblemFactory(inspection=inspection, found_on=datetime.date(2025, 4, 15))

    body = api(office_user).get(_record("problems", problem)).json()

    assert {key: body[key] for key in body if key != "created_at"} == {
        "id": problem.pk,
        "inspection": inspection.pk,
        "category": "personnel",
        "category_display": "选人用人",
        "severity": "serious",
        "severity_display": "较重",
        "description": "干部选拔任用程序不规范",
        "found_on": "2025-04-15",
        "inherited_from": None,
        "recheck": "",
        "recheck_display": "未复查",
    }


@pytest.mark.parametrize("kind", KINDS)
def test_a_team_member_reads_their_inspections_parts(api, member, inspection, kind):
    row = _make(kind, inspection)
    client = api(member)

    assert [r["id"] for r in client.get(_collection(kind, inspection)).json()["results"]] == [
        row.pk
    ]
    assert client.get(_record(kind, row)).json()["id"] == row.pk


@pytest.mark.parametrize("kind", KINDS)
def test_a_member_of_another_team_finds_neither_list_nor_record(
    api, other_team_member, inspection, kind
):
    row, client = _make(kind, inspection), api(other_team_member)

    assert client.get(_collection(kind, inspection)).status_code == 404
    assert client.get(_record(kind, row)).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_another_organizations_inspection_and_rows_are_not_found(
    api, all_roles_user, foreign_inspection, kind
):
    with org_scope(foreign_inspection.organization):
        row = _make(kind, foreign_inspection)
    client = api(all_roles_user)

    assert client.get(_collection(kind, foreign_inspection)).status_code == 404
    assert client.post(_collection(kind, foreign_inspection), **_json({})).status_code == 404
    assert client.get(_record(kind, row)).json()["code"] == "not_found"


def test_a_liaison_may_not_read_an_inspections_parts(api, liaison_user, inspection):
    response = api(liaison_user).get(_collection("problems", inspection))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


MARCH_5, MARCH_9 = datetime.date(2025, 3, 5), datetime.date(2025, 3, 9)
FILTERS = [
    (
        "intelligence-requests",
        {"answered": "false"},
        IntelligenceRequestFactory,
        {},
        {"answered_on": MARCH_5},
    ),
    ("intelligence-items", {"source": "hr"}, IntelligenceItemFactory, {"source": "hr"}, {}),
    ("intelligence-items", {"year": "2023"}, IntelligenceItemFactory, {"year": 2023}, {}),
    ("milestones", {"done": "true"}, MilestoneFactory, {"done_on": MARCH_9}, {}),
    ("problems", {"severity": "major"}, ProblemFactory, {"severity": "major"}, {}),
    ("problems", {"category": "funds"}, ProblemFactory, {"category": "funds"}, {}),
    (
        "problems",
        {"found_after": "2025-04-10"},
        ProblemFactory,
        {"found_on": datetime.date(2025, 4, 15)},
        {"found_on": datetime.date(2025, 4, 1)},
    ),
]


@pytest.mark.parametrize(("kind", "query", "factory", "wanted", "unwanted"), FILTERS)
def test_a_list_filters(api, office_user, inspection, kind, query, factory, wanted, unwanted):
    row = factory(inspection=inspection, **wanted)
    factory(inspection=inspection, **unwanted)

    response = api(office_user).get(_collection(kind, inspection), query)

    assert [found["id"] for found in response.json()["results"]] == [row.pk]


def test_tasks_filter_by_assignee_of_the_team(api, office_user, inspection):
    task = _make("work-tasks", inspection)
    _make("work-tasks", inspection)

    response = api(office_user).get(
        _collection("work-tasks", inspection), {"assignee": task.assignee_id}
    )

    assert [row["id"] for row in response.json()["results"]] == [task.pk]


def test_items_may_not_be_filtered_by_another_inspections_request(api, office_user, inspection):
    foreign = IntelligenceRequestFactory(inspection=InspectionFactory(round=inspection.round))

    response = api(office_user).get(
        _collection("intelligence-items", inspection), {"request": foreign.pk}
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["request"]


def _list_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"page_size": 50}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["office", "member"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_list_runs_the_same_queries_for_3_and_30_rows(
    api, request, inspection, kind, persona, django_assert_num_queries
):
    user = request.getfixturevalue("office_user" if persona == "office" else "member")
    client, url = api(user), _collection(kind, inspection)
    for _ in range(3):
        _make(kind, inspection)
    client.get(url)  # the token's first use is recorded once
    few = _list_queries(client, url)
    for _ in range(27):
        _make(kind, inspection)

    with django_assert_num_queries(few):
        response = client.get(url, {"page_size": 50})
    assert len(response.json()["results"]) == 30


# --- Preparation -----------------------------------------------------------------------------


def test_the_office_requests_intelligence_from_a_department(api, office_user, inspection):
    data = {"department": "audit", "requested_on": "2025-03-01", "due_on": "2025-03-10"}

    response = api(office_user).post(
        _collection("intelligence-requests", inspection), **_json({**data, "note": "近三年审计"})
    )

    request = IntelligenceRequest.objects.get()
    assert response.status_code == 201
    assert response.json()["id"] == request.pk
    assert (request.inspection, request.due_on, request.note) == (
        inspection,
        datetime.date(2025, 3, 10),
        "近三年审计",
    )
    (event,) = _events(IntelligenceRequest, request.pk, "insert")
    assert event.pgh_context["user"] == office_user.pk


def test_the_office_records_the_answer_of_a_request(api, office_user, inspection):
    request = IntelligenceRequestFactory(inspection=inspection)

    response = api(office_user).post(
        _record("intelligence-requests", request, "answer"), **_json({"answered_on": "2025-03-06"})
    )

    request.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["answered_on"] == "2025-03-06"
    assert request.answered_on == datetime.date(2025, 3, 6)
    assert _events(IntelligenceRequest, request.pk, "update")[-1].answered_on == request.answered_on


def test_the_office_records_an_item_in_answer_to_a_request(api, office_user, inspection):
    request = IntelligenceRequestFactory(inspection=inspection)
    data = {"request": request.pk, "source": "audit", "year": 2023, "summary": "招标不规范"}

    response = api(office_user).post(_collection("intelligence-items", inspection), **_json(data))

    item = IntelligenceItem.objects.get()
    assert response.status_code == 201
    assert (item.request, item.year, item.recorded_by) == (request, 2023, office_user)
    assert response.json()["recorded_by_name"] == str(office_user)
    assert len(_events(IntelligenceItem, item.pk, "insert")) == 1


def test_an_item_may_not_answer_another_inspections_request(api, office_user, inspection):
    foreign = IntelligenceRequestFactory(inspection=InspectionFactory(round=inspection.round))
    data = {"request": foreign.pk, "source": "audit", "year": 2024, "summary": "招标不规范"}

    response = api(office_user).post(_collection("intelligence-items", inspection), **_json(data))

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["request"]
    assert not IntelligenceItem.objects.exists()


# --- Work plan -------------------------------------------------------------------------------


def test_the_office_assigns_a_task_to_a_team_member(api, office_user, inspection):
    seat = TeamMemberFactory(team=inspection.team, inspector__name="孙组员")

    response = api(office_user).post(
        _collection("work-tasks", inspection),
        **_json({"assignee": seat.pk, "description": "财务检查"}),
    )

    task = WorkTask.objects.get()
    assert response.status_code == 201
    assert (task.inspection, task.assignee, task.description) == (inspection, seat, "财务检查")
    assert response.json()["assignee_name"] == "孙组员"
    assert len(_events(WorkTask, task.pk, "insert")) == 1


def test_a_task_for_someone_outside_the_team_is_refused(api, office_user, inspection):
    outsider = TeamMemberFactory(team=TeamFactory(round=inspection.round))

    response = api(office_user).post(
        _collection("work-tasks", inspection),
        **_json({"assignee": outsider.pk, "description": "x"}),
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["assignee"]
    assert not WorkTask.objects.exists()


def test_the_office_removes_a_task_it_has_read(api, office_user, inspection):
    task, client = _make("work-tasks", inspection), api(office_user)
    etag = client.get(_record("work-tasks", task))["ETag"]

    response = client.delete(_record("work-tasks", task), headers={"If-Match": etag})

    assert response.status_code == 204
    assert not WorkTask.objects.filter(pk=task.pk).exists()
    assert _events(WorkTask, task.pk, "delete")[0].description == "负责选人用人专项检查"


@pytest.mark.parametrize(("if_match", "status"), [(None, 428), ('"stale"', 412)])
def test_a_task_is_removed_only_with_its_current_etag(
    api, office_user, inspection, if_match, status
):
    task = _make("work-tasks", inspection)
    headers = {"If-Match": if_match} if if_match else {}

    response = api(office_user).delete(_record("work-tasks", task), headers=headers)

    assert response.status_code == status
    assert WorkTask.objects.filter(pk=task.pk).exists()


def test_the_office_adds_a_milestone(api, office_user, inspection):
    data = {"title": "召开进驻动员会", "due_on": "2025-03-10"}

    response = api(office_user).post(_collection("milestones", inspection), **_json(data))

    milestone = Milestone.objects.get()
    assert response.status_code == 201
    assert (milestone.inspection, milestone.title) == (inspection, "召开进驻动员会")
    assert response.json()["done_on"] is None
    assert len(_events(Milestone, milestone.pk, "insert")) == 1


def test_the_team_leader_marks_a_milestone_done(api, team_leader, inspection):
    milestone = MilestoneFactory(inspection=inspection)

    response = api(team_leader).post(
        _record("milestones", milestone, "mark-done"), **_json({"done_on": "2025-03-09"})
    )

    milestone.refresh_from_db()
    assert response.status_code == 200
    assert milestone.done_on == datetime.date(2025, 3, 9)
    assert _events(Milestone, milestone.pk, "update")[-1].pgh_context["user"] == team_leader.pk


def test_an_action_on_a_changed_record_is_refused(api, office_user, inspection):
    milestone, client = MilestoneFactory(inspection=inspection), api(office_user)
    etag = client.get(_record("milestones", milestone))["ETag"]
    Milestone.objects.filter(pk=milestone.pk).update(title="召开进驻动员会（改期）")

    response = client.post(
        _record("milestones", milestone, "mark-done"),
        **_json({"done_on": "2025-03-09"}),
        headers={"If-Match": etag},
    )

    milestone.refresh_from_db()
    assert response.status_code == 412
    assert milestone.done_on is None


# --- Problems --------------------------------------------------------------------------------


def test_a_team_member_records_a_problem(api, member, inspection):
    data = {"category": "four_styles", "severity": "major", "description": "违规发放津补贴"}

    response = api(member).post(_collection("problems", inspection), **_json(data))

    problem = Problem.objects.get()
    assert response.status_code == 201
    assert (problem.inspection, problem.category, problem.severity) == (
        inspection,
        "four_styles",
        "major",
    )
    assert response.json()["found_on"] == timezone.localdate().isoformat()


def test_a_problem_without_severity_is_serious(api, office_user, inspection):
    data = {"category": "conduct", "description": "公车私用", "found_on": "2025-04-15"}

    api(office_user).post(_collection("problems", inspection), **_json(data))

    problem = Problem.objects.get()
    assert (problem.severity, problem.found_on) == ("serious", datetime.date(2025, 4, 15))


def test_a_problem_created_through_the_api_shows_on_the_page_and_its_history(
    api, login, member, office_user, inspection
):
    data = {"category": "funds", "severity": "serious", "description": "小金库资金未入账核算"}
    api(member).post(_collection("problems", inspection), **_json(data))

    page = login(office_user).get(reverse("rounds:inspection_detail", args=[inspection.pk]))

    text = re.sub(r"\s+", " ", page.content.decode())
    problems = text[text.index('id="problems"') :].split("</section>")[0]
    history = text.split('id="history"')[1].split("<tbody>")[1].split("</tr>")[0]  # newest
    assert '资金管理</span> <span class="badge text-bg-secondary">较重</span> 小金库' in problems
    assert f"<td>{member}</td>" in history
    assert "添加</span> 问题" in history
    assert "说明：</span> — → 小金库资金未入账核算" in history


def _inherited_problem(inspection: Inspection, office_user) -> Problem:
    ProblemFactory(inspection=inspection)
    Inspection.objects.filter(pk=inspection.pk).update(stage=Stage.CLOSED)
    inspection.refresh_from_db()
    look_back_round = RoundFactory(organization=inspection.organization, kind="look_back")
    look_back = services.create_look_back(
        inspection=inspection, actor=office_user, target_round=look_back_round
    )
    return Problem.objects.get(inspection=look_back)


def test_the_office_rechecks_a_look_backs_inherited_problem(api, office_user, inspection):
    problem = _inherited_problem(inspection, office_user)

    response = api(office_user).post(
        _record("problems", problem, "recheck"), **_json({"recheck": "resolved"})
    )

    problem.refresh_from_db()
    assert response.status_code == 200
    assert (response.json()["recheck"], response.json()["recheck_display"]) == (
        "resolved",
        "已解决",
    )
    assert problem.recheck == "resolved"
    assert _events(Problem, problem.pk, "update")[-1].recheck == "resolved"


def test_a_problem_the_inspection_found_itself_is_not_rechecked(api, office_user, inspection):
    problem = ProblemFactory(inspection=inspection)

    response = api(office_user).post(
        _record("problems", problem, "recheck"), **_json({"recheck": "resolved"})
    )

    problem.refresh_from_db()
    assert response.json() == {
        "code": "refused",
        "message": "只有回头看继承的问题才需复查。",
        "fields": {},
    }
    assert problem.recheck == ""


# --- The same refusals, the same rights as the pages -------------------------------------------

TOMORROW = "tomorrow"

REFUSALS = [
    (
        "intelligence_request_create",
        "intelligence-requests",
        {"department": "audit", "requested_on": "2025-03-10", "due_on": "2025-03-01"},
    ),
    (
        "intelligence_item_create",
        "intelligence-items",
        {"source": "hr", "year": 2020, "summary": "旧问题"},
    ),
    (
        "problem_create",
        "problems",
        {
            "category": "conduct",
            "severity": "minor",
            "description": "公车私用",
            "found_on": TOMORROW,
        },
    ),
]


@pytest.mark.parametrize(("page", "kind", "data"), REFUSALS, ids=[r[1] for r in REFUSALS])
def test_a_refusal_carries_the_pages_message(api, login, office_user, inspection, page, kind, data):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = {key: tomorrow if value == TOMORROW else value for key, value in data.items()}
    shown = login(office_user).post(reverse(f"rounds:{page}", args=[inspection.pk]), data)

    response = api(office_user).post(_collection(kind, inspection), **_json(data))

    assert response.status_code == 400
    assert response.json()["code"] == "refused"
    assert response.json()["message"] in html.unescape(shown.content.decode())
    assert not MODELS[kind].objects.exists()


def test_a_closed_inspection_refuses_with_the_pages_message(api, login, office_user, inspection):
    Inspection.objects.filter(pk=inspection.pk).update(stage=Stage.CLOSED)
    data = {"category": "conduct", "severity": "minor", "description": "公车私用"}
    page = login(office_user).post(
        reverse("rounds:problem_create", args=[inspection.pk]), data, follow=True
    )

    response = api(office_user).post(_collection("problems", inspection), **_json(data))

    assert response.status_code == 400
    assert response.json()["message"].startswith("锦江区分公司的巡察已办结，记录只读。")
    assert response.json()["message"] in html.unescape(page.content.decode())
    assert not Problem.objects.exists()


def _forbidden_calls(inspection: Inspection) -> dict:
    """A valid call of each kind, on rows of ``inspection``: (method, url, body)."""
    seat = TeamMemberFactory(team=inspection.team)
    request = IntelligenceRequestFactory(inspection=inspection)
    return {
        "add request": (
            "post",
            _collection("intelligence-requests", inspection),
            {"department": "audit", "requested_on": "2025-03-01"},
        ),
        "answer request": (
            "post",
            _record("intelligence-requests", request, "answer"),
            {"answered_on": "2025-03-06"},
        ),
        "add item": (
            "post",
            _collection("intelligence-items", inspection),
            {"source": "audit", "year": 2024, "summary": "招标不规范"},
        ),
        "add task": (
            "post",
            _collection("work-tasks", inspection),
            {"assignee": seat.pk, "description": "财务检查"},
        ),
        "remove task": ("delete", _record("work-tasks", _make("work-tasks", inspection)), None),
        "add milestone": (
            "post",
            _collection("milestones", inspection),
            {"title": "召开进驻动员会", "due_on": "2025-03-10"},
        ),
        "mark milestone done": (
            "post",
            _record("milestones", MilestoneFactory(inspection=inspection), "mark-done"),
            {"done_on": "2025-03-09"},
        ),
        "add problem": (
            "post",
            _collection("problems", inspection),
            {"category": "conduct", "severity": "minor", "description": "公车私用"},
        ),
        "recheck problem": (
            "post",
            _record("problems", ProblemFactory(inspection=inspection), "recheck"),
            {"recheck": "resolved"},
        ),
    }


FORBIDDEN = [
    ("member", "add request"),
    ("member", "answer request"),
    ("member", "add item"),
    ("member", "add task"),
    ("member", "remove task"),
    ("member", "add milestone"),
    ("member", "mark milestone done"),
    ("leadership_user", "add problem"),
    ("leadership_user", "recheck problem"),
]


def _state(inspection: Inspection) -> list:
    return [
        list(model.objects.filter(inspection=inspection).values().order_by("pk"))
        for model in MODELS.values()
    ]


@pytest.mark.parametrize(("persona", "call"), FORBIDDEN, ids=[f"{p}-{c}" for p, c in FORBIDDEN])
def test_who_may_see_but_not_do_it_is_refused(api, request, inspection, persona, call):
    method, url, body = _forbidden_calls(inspection)[call]
    client, before = api(request.getfixturevalue(persona)), _state(inspection)

    response = getattr(client, method)(url, **(_json(body) if body else {}))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert _state(inspection) == before


@pytest.mark.parametrize("call", ["add task", "add milestone", "mark milestone done"])
def test_the_team_leader_manages_the_work_plan(api, team_leader, inspection, call):
    method, url, body = _forbidden_calls(inspection)[call]

    response = getattr(api(team_leader), method)(url, **_json(body))

    assert response.status_code in {200, 201}
