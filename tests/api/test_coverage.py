"""The coverage part of the API: coverage plans (their figures and suggestion), plan targets,
extension visits and rounds — scoped, refused and recorded as the pages are."""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from accounts import services as unit_services
from history.tracking import event_model
from rounds.models import CoveragePlan, CoverageTarget, ExtensionVisit, Round
from rounds.services import archive
from rounds.services import coverage as services
from rounds.taxonomy import Stage
from tests.factories import (
    CoveragePlanFactory,
    ExtensionVisitFactory,
    InspectionFactory,
    RoundFactory,
    TeamFactory,
    UnitFactory,
)

JSON = "application/json"


def _api(name: str, *args) -> str:
    return reverse(f"api:{name}", args=args)


def _page(name: str, *args) -> str:
    return reverse(f"rounds:{name}", args=args)


def _shown(response) -> str:
    return html.unescape(response.content.decode())


def _last_event(model, pk):
    return event_model(model).objects.filter(pgh_obj_id=pk).latest("pgh_id")


def _etag(client, url: str) -> str:
    return client.get(url)["ETag"]


@pytest.fixture
def plan(org, unit_tree, office_user) -> CoveragePlan:
    """Targets 成都分公司 with its subtree, and 绵阳分公司."""
    plan = CoveragePlanFactory(organization=org, name="2024—2026年巡察规划")
    services.add_targets(
        plan=plan, actor=office_user, unit=unit_tree["chengdu"], include_subunits=True
    )
    services.add_targets(plan=plan, actor=office_user, unit=unit_tree["mianyang"])
    return plan


@pytest.fixture
def round_(org) -> Round:
    return RoundFactory(
        organization=org,
        name="2025年第一轮巡察",
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 6, 30),
    )


@pytest.fixture
def inspection(round_, unit_tree):
    """成都分公司 inspected on site (which covers it)."""
    return InspectionFactory(round=round_, unit=unit_tree["chengdu"], stage=Stage.ONSITE)


@pytest.fixture
def visited(inspection, unit_tree) -> ExtensionVisit:
    """锦江区分公司 visited during the inspection of 成都分公司 (which covers it)."""
    return ExtensionVisitFactory(
        inspection=inspection,
        unit=unit_tree["jinjiang"],
        visited_on=datetime.date(2025, 4, 1),
        visit_reference="第一次现场走访",
    )


# -- coverage plans -------------------------------------------------------------------------------


def test_plan_list_shows_our_plans_with_their_coverage(api, office_user, plan, visited, other_org):
    CoveragePlanFactory(organization=other_org, name="安顺市2024—2028年巡察规划")

    rows = api(office_user).get(_api("coverage-plan-list")).json()["results"]

    assert [
        (row["name"], row["target_count"], row["covered_count"], row["covered_percent"])
        for row in rows
    ] == [("2024—2026年巡察规划", 4, 2, 50.0)]


@pytest.mark.parametrize(
    ("query", "names"), [("", ["现行", "旧"]), ("true", ["旧"]), ("false", ["现行"])]
)
def test_plan_list_filters_archived_plans(api, office_user, org, query, names):
    CoveragePlanFactory(organization=org, name="现行")
    old = CoveragePlanFactory(organization=org, name="旧")
    archive.archive_plan(plan=old, actor=office_user)

    response = api(office_user).get(
        _api("coverage-plan-list"), {"archived": query} if query else {}
    )

    assert [row["name"] for row in response.json()["results"]] == names


def test_a_plan_reads_with_its_coverage_counts(api, leadership_user, plan):
    body = api(leadership_user).get(_api("coverage-plan-detail", plan.pk)).json()

    assert body | {"created_at": None} == {
        "id": plan.pk,
        "name": "2024—2026年巡察规划",
        "start_year": 2024,
        "end_year": 2026,
        "description": "",
        "created_at": None,
        "archived_at": None,
        "is_archived": False,
        "target_count": 4,
        "covered_count": 0,
        "covered_percent": 0.0,
    }


def test_office_creates_a_plan(api, office_user, org):
    data = {"name": "2027—2029年巡察规划", "start_year": 2027, "end_year": 2029}

    response = api(office_user).post(_api("coverage-plan-list"), data, content_type=JSON)

    plan = CoveragePlan.objects.get(name="2027—2029年巡察规划")
    assert response.status_code == 201
    assert (response.json()["id"], plan.created_by, plan.organization) == (
        plan.pk,
        office_user,
        org,
    )
    event = _last_event(CoveragePlan, plan.pk)
    assert (event.pgh_label, event.pgh_context["user"]) == ("insert", office_user.pk)


def test_a_duplicate_plan_name_is_refused_with_the_pages_message(api, login, office_user, plan):
    data = {"name": plan.name, "start_year": 2027, "end_year": 2029, "description": ""}

    response = api(office_user).post(_api("coverage-plan-list"), data, content_type=JSON)
    page = login(office_user).post(_page("plan_create"), data)

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "name": [f"已有名为“{plan.name}”的巡察规划，请换一个名称。"]
    }
    assert response.json()["message"] in _shown(page)
    assert CoveragePlan.objects.count() == 1


def test_office_renames_a_plan_and_the_history_has_it(api, office_user, plan):
    client, url = api(office_user), _api("coverage-plan-detail", plan.pk)

    response = client.patch(
        url, {"name": "三年规划"}, content_type=JSON, headers={"If-Match": _etag(client, url)}
    )

    plan.refresh_from_db()
    assert (response.status_code, response.json()["name"], plan.name) == (
        200,
        "三年规划",
        "三年规划",
    )
    event = _last_event(CoveragePlan, plan.pk)
    assert (event.pgh_label, event.name, event.pgh_context["user"]) == (
        "update",
        "三年规划",
        office_user.pk,
    )


def test_an_update_with_a_stale_etag_is_refused(api, office_user, plan):
    client, url = api(office_user), _api("coverage-plan-detail", plan.pk)
    stale = _etag(client, url)
    services.add_targets(
        plan=plan, actor=office_user, unit=UnitFactory(organization=plan.organization)
    )

    response = client.patch(
        url, {"name": "三年规划"}, content_type=JSON, headers={"If-Match": stale}
    )

    plan.refresh_from_db()
    assert (response.status_code, plan.name) == (412, "2024—2026年巡察规划")


def test_an_archived_plan_is_not_changed_and_says_why_as_the_page(api, login, office_user, plan):
    archive.archive_plan(plan=plan, actor=office_user)
    client, url = api(office_user), _api("coverage-plan-detail", plan.pk)

    response = client.patch(
        url, {"name": "三年规划"}, content_type=JSON, headers={"If-Match": _etag(client, url)}
    )
    page = login(office_user).get(_page("plan_edit", plan.pk), follow=True)

    assert (response.status_code, response.json()["code"]) == (400, "refused")
    assert response.json()["message"] in _shown(page)
    assert CoveragePlan.objects.get().name == "2024—2026年巡察规划"


def test_office_archives_and_unarchives_a_plan(api, office_user, plan):
    client = api(office_user)

    archived = client.post(_api("coverage-plan-archive", plan.pk)).json()
    plan.refresh_from_db()
    assert (archived["is_archived"], plan.archived_at is not None) == (True, True)
    assert _last_event(CoveragePlan, plan.pk).pgh_context["user"] == office_user.pk

    assert client.post(_api("coverage-plan-unarchive", plan.pk)).json()["archived_at"] is None
    assert CoveragePlan.objects.get().archived_at is None


def test_office_deletes_an_unused_plan(api, office_user, org):
    empty = CoveragePlanFactory(organization=org)
    client, url = api(office_user), _api("coverage-plan-detail", empty.pk)

    response = client.delete(url, headers={"If-Match": _etag(client, url)})

    assert response.status_code == 204
    assert not CoveragePlan.objects.exists()
    assert _last_event(CoveragePlan, empty.pk).pgh_label == "delete"


def test_a_plan_with_targets_is_not_deleted_as_on_the_page(api, login, office_user, plan):
    client, url = api(office_user), _api("coverage-plan-detail", plan.pk)

    response = client.delete(url, headers={"If-Match": _etag(client, url)})
    page = login(office_user).post(_page("plan_delete", plan.pk), {"confirmed": "1"}, follow=True)

    assert (
        response.json()["message"]
        == f"巡察规划“{plan.name}”已有巡察对象单位，不能删除，请改为归档。"
    )
    assert response.json()["message"] in _shown(page)
    assert CoveragePlan.objects.filter(pk=plan.pk).exists()


@pytest.mark.parametrize(
    ("method", "name", "data"),
    [
        ("post", "coverage-plan-list", {"name": "新规划", "start_year": 2027, "end_year": 2029}),
        ("patch", "coverage-plan-detail", {"name": "新名称"}),
        ("delete", "coverage-plan-detail", None),
        ("post", "coverage-plan-archive", None),
        ("post", "coverage-plan-target-list", {"unit": "mianyang"}),
    ],
)
def test_leadership_reads_plans_but_cannot_change_them(
    api, leadership_user, plan, unit_tree, method, name, data
):
    client = api(leadership_user)
    url = _api(name) if name == "coverage-plan-list" else _api(name, plan.pk)
    if data and "unit" in data:
        data = {"unit": unit_tree[data["unit"]].pk}

    response = getattr(client, method)(url, data, content_type=JSON, headers={"If-Match": "*"})

    assert client.get(_api("coverage-plan-detail", plan.pk)).status_code == 200
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert CoveragePlan.objects.get().name == "2024—2026年巡察规划"


def test_a_team_member_cannot_read_plans(api, team_member_user, plan):
    response = api(team_member_user).get(_api("coverage-plan-detail", plan.pk))

    assert response.status_code == 403


@pytest.mark.parametrize(
    "name", ["coverage-plan-detail", "coverage-plan-figures", "coverage-plan-target-list"]
)
def test_another_organizations_plan_is_not_found(api, outsider, plan, name):
    assert api(outsider).get(_api(name, plan.pk)).status_code == 404


def test_the_figures_are_the_plan_pages(api, login, office_user, plan, visited):
    page = login(office_user).get(_page("plan_detail", plan.pk)).context["figures"]

    body = api(office_user).get(_api("coverage-plan-figures", plan.pk)).json()

    assert (body["total"], body["covered"], body["uncovered"], body["percent"]) == (4, 2, 2, 50.0)
    assert (page.total, page.covered, page.percent) == (4, 2, 50.0)
    assert [(row["depth"], row["total"], row["covered"]) for row in body["levels"]] == [
        (level.depth, level.total, level.covered) for level in page.levels
    ]
    assert (body["unscheduled"], body["per_year"]) == (
        2,
        [{"year": y, "remaining": 0} for y in page.remaining_years],
    )


def test_suggestions_are_the_uncovered_units_never_covered_first(
    api, office_user, plan, visited, unit_tree
):
    body = api(office_user).get(_api("coverage-plan-suggestions", plan.pk), {"limit": 5}).json()

    assert [(row["unit_name"], row["unit"], row["last_covered"]) for row in body] == [
        ("春熙路分局", unit_tree["outlet"].pk, None),
        ("绵阳分公司", unit_tree["mianyang"].pk, None),
    ]


@pytest.mark.parametrize("limit", ["0", "101", "ten"])
def test_a_suggestion_limit_out_of_range_is_refused(api, office_user, plan, limit):
    response = api(office_user).get(_api("coverage-plan-suggestions", plan.pk), {"limit": limit})

    assert (response.status_code, list(response.json()["fields"])) == (400, ["limit"])


# -- plan targets ---------------------------------------------------------------------------------


def test_targets_are_listed_in_tree_order_with_how_each_is_covered(
    api, office_user, plan, visited, inspection
):
    rows = api(office_user).get(_api("coverage-plan-target-list", plan.pk)).json()["results"]

    assert [(r["unit_name"], r["covered"], r["last_covered"]) for r in rows] == [
        ("成都分公司", True, "2025-03-01"),
        ("锦江区分公司", True, "2025-04-01"),
        ("春熙路分局", False, None),
        ("绵阳分公司", False, None),
    ]
    assert rows[0]["covering_inspections"] == [
        {
            "id": inspection.pk,
            "round_name": "2025年第一轮巡察",
            "stage": "onsite",
            "stage_display": "现场巡察",
        }
    ]
    assert [
        (v["id"], v["occasion_display"], v["inspected_unit_name"])
        for v in rows[1]["covering_visits"]
    ] == [(visited.pk, "现场巡察", "成都分公司")]


@pytest.mark.parametrize(
    ("query", "names"),
    [({"covered": "true"}, ["成都分公司", "锦江区分公司"]), ({"search": "绵阳"}, ["绵阳分公司"])],
)
def test_targets_are_filtered(api, office_user, plan, visited, query, names):
    rows = api(office_user).get(_api("coverage-plan-target-list", plan.pk), query).json()["results"]

    assert [row["unit_name"] for row in rows] == names


def test_office_adds_a_subtree_with_a_planned_year(api, office_user, org, unit_tree):
    empty = CoveragePlanFactory(organization=org)
    data = {"unit": unit_tree["chengdu"].pk, "include_subunits": True, "planned_year": 2025}

    response = api(office_user).post(
        _api("coverage-plan-target-list", empty.pk), data, content_type=JSON
    )

    targets = CoverageTarget.objects.filter(plan=empty).order_by("unit__path")
    assert (response.status_code, response.json()) == (201, {"added": 3})
    assert [(t.unit.name, t.planned_year) for t in targets] == [
        ("成都分公司", 2025),
        ("锦江区分公司", 2025),
        ("春熙路分局", 2025),
    ]
    assert _last_event(CoverageTarget, targets[0].pk).pgh_context["user"] == office_user.pk


def test_adding_targets_already_there_adds_none(api, office_user, plan, unit_tree):
    data = {"unit": unit_tree["mianyang"].pk}

    response = api(office_user).post(
        _api("coverage-plan-target-list", plan.pk), data, content_type=JSON
    )

    assert (response.status_code, response.json()) == (200, {"added": 0})
    assert CoverageTarget.objects.count() == 4


def test_an_archived_plan_takes_no_targets_as_on_the_page(api, login, office_user, plan, org):
    archive.archive_plan(plan=plan, actor=office_user)
    data = {"unit": UnitFactory(organization=org).pk}

    response = api(office_user).post(
        _api("coverage-plan-target-list", plan.pk), data, content_type=JSON
    )
    page = login(office_user).get(_page("plan_target_add", plan.pk), follow=True)

    assert (response.status_code, response.json()["code"]) == (400, "refused")
    assert plan.name in response.json()["message"]
    assert response.json()["message"] in _shown(page)
    assert CoverageTarget.objects.count() == 4


def test_a_deactivated_unit_is_not_offered_as_a_target(api, office_user, plan, org):
    gone = UnitFactory(organization=org)
    unit_services.deactivate_unit(unit=gone, actor=office_user)

    response = api(office_user).post(
        _api("coverage-plan-target-list", plan.pk), {"unit": gone.pk}, content_type=JSON
    )

    assert (response.status_code, list(response.json()["fields"])) == (400, ["unit"])


def test_a_target_reads_with_its_coverage(api, leadership_user, plan, visited, unit_tree):
    target = CoverageTarget.objects.get(unit=unit_tree["jinjiang"])

    body = api(leadership_user).get(_api("coverage-target-detail", target.pk)).json()

    assert (body["plan"], body["unit"], body["unit_kind"], body["unit_kind_display"]) == (
        plan.pk,
        unit_tree["jinjiang"].pk,
        "county_branch",
        "县区分公司",
    )
    assert (body["covered"], [v["visit_reference"] for v in body["covering_visits"]]) == (
        True,
        ["第一次现场走访"],
    )


def test_office_removes_a_target(api, office_user, plan, unit_tree):
    target = CoverageTarget.objects.get(unit=unit_tree["mianyang"])
    client, url = api(office_user), _api("coverage-target-detail", target.pk)

    response = client.delete(url, headers={"If-Match": _etag(client, url)})

    assert response.status_code == 204
    assert not CoverageTarget.objects.filter(pk=target.pk).exists()
    assert _last_event(CoverageTarget, target.pk).pgh_label == "delete"


def test_a_target_of_an_archived_plan_stays_as_on_the_page(
    api, login, office_user, plan, unit_tree
):
    target = CoverageTarget.objects.get(unit=unit_tree["mianyang"])
    archive.archive_plan(plan=plan, actor=office_user)
    client, url = api(office_user), _api("coverage-target-detail", target.pk)

    response = client.delete(url, headers={"If-Match": _etag(client, url)})
    page = login(office_user).post(
        _page("plan_target_remove", target.pk), {"confirmed": "1"}, follow=True
    )

    assert response.status_code == 400
    assert response.json()["message"] in _shown(page)
    assert CoverageTarget.objects.filter(pk=target.pk).exists()


def test_another_organizations_target_is_not_found(api, outsider, plan):
    target = CoverageTarget.objects.first()

    assert api(outsider).get(_api("coverage-target-detail", target.pk)).status_code == 404


# -- extension visits ----------------------------------------------------------------------------


def _visit(unit, **overrides) -> dict:
    return {
        "unit": unit.pk,
        "occasion": "onsite",
        "visited_on": "2025-04-02",
        "visit_reference": "第二次现场走访",
        "notes": "抽查营业厅台账。",
    } | overrides


def test_visits_are_listed_for_their_inspection(api, leadership_user, visited, round_):
    ExtensionVisitFactory(inspection=InspectionFactory(round=round_))  # another inspection's

    rows = (
        api(leadership_user)
        .get(_api("inspection-extension-visit-list", visited.inspection_id))
        .json()["results"]
    )

    assert [(r["id"], r["unit_name"], r["occasion"], r["visited_on"]) for r in rows] == [
        (visited.pk, "锦江区分公司", "onsite", "2025-04-01")
    ]


def test_office_records_a_visit_that_covers_the_sub_unit(
    api, office_user, inspection, plan, unit_tree
):
    url = _api("inspection-extension-visit-list", inspection.pk)

    response = api(office_user).post(url, _visit(unit_tree["outlet"]), content_type=JSON)

    visit = ExtensionVisit.objects.get()
    assert (response.status_code, response.json()["id"], visit.recorded_by) == (
        201,
        visit.pk,
        office_user,
    )
    assert response.json()["recorded_by_name"] == str(office_user)
    assert CoverageTarget.objects.get(unit=unit_tree["outlet"]).covered is True
    assert _last_event(ExtensionVisit, visit.pk).pgh_context["user"] == office_user.pk


def test_a_visit_before_its_occasions_stage_is_refused_with_the_pages_message(
    api, login, office_user, inspection, unit_tree
):
    data = _visit(unit_tree["outlet"], occasion="supervision")

    response = api(office_user).post(
        _api("inspection-extension-visit-list", inspection.pk), data, content_type=JSON
    )
    page = login(office_user).post(_page("extension_visit_create", inspection.pk), data)

    assert response.json()["message"] == "本次巡察尚未进入“整改”阶段。"
    assert response.json()["message"] in _shown(page)
    assert not ExtensionVisit.objects.exists()


def test_a_unit_outside_the_inspected_unit_is_not_a_choice(api, office_user, inspection, unit_tree):
    data = _visit(unit_tree["mianyang"])

    response = api(office_user).post(
        _api("inspection-extension-visit-list", inspection.pk), data, content_type=JSON
    )

    assert (response.status_code, list(response.json()["fields"])) == (400, ["unit"])


def test_a_closed_inspections_visits_are_read_only_as_on_the_page(
    api, login, office_user, round_, unit_tree
):
    closed = InspectionFactory(round=round_, unit=unit_tree["chengdu"], stage=Stage.CLOSED)

    response = api(office_user).post(
        _api("inspection-extension-visit-list", closed.pk), {}, content_type=JSON
    )
    page = login(office_user).get(_page("extension_visit_create", closed.pk), follow=True)

    assert (response.status_code, response.json()["code"]) == (400, "refused")
    assert response.json()["message"] in _shown(page)


@pytest.mark.parametrize(
    ("perms", "status"),
    [(["view_inspection"], 403), (["view_inspection", "change_inspection"], 201)],
)
def test_only_the_teams_leaders_record_visits(
    api, team_member_user, inspection, unit_tree, perms, status
):
    for perm in perms:
        assign_perm(f"rounds.{perm}", team_member_user, inspection)

    url = _api("inspection-extension-visit-list", inspection.pk)
    response = api(team_member_user).post(url, _visit(unit_tree["outlet"]), content_type=JSON)

    assert response.status_code == status
    assert ExtensionVisit.objects.count() == (status == 201)


def test_a_visit_of_an_inspection_not_assigned_is_not_found(api, team_member_user, visited):
    client = api(team_member_user)

    assert client.get(_api("extension-visit-detail", visited.pk)).status_code == 404
    assert (
        client.get(_api("inspection-extension-visit-list", visited.inspection_id)).status_code
        == 404
    )


def test_a_visit_reads_with_its_inspection(api, office_user, visited):
    body = api(office_user).get(_api("extension-visit-detail", visited.pk)).json()

    assert (body["inspection"], body["unit_name"], body["occasion_display"]) == (
        visited.inspection_id,
        "锦江区分公司",
        "现场巡察",
    )


# -- rounds ---------------------------------------------------------------------------------------


def test_round_list_shows_our_rounds_with_their_counts(
    api, leadership_user, inspection, round_, other_org
):
    TeamFactory(round=round_)
    RoundFactory(organization=other_org)

    rows = api(leadership_user).get(_api("round-list")).json()["results"]

    assert [
        (r["name"], r["kind_display"], r["team_count"], r["inspection_count"]) for r in rows
    ] == [("2025年第一轮巡察", "常规", 1, 1)]


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"kind": "special"}, 1),
        ({"year": 2024}, 1),
        ({"year": 2025}, 1),
        ({"kind": "routine", "year": 2024}, 0),
    ],
)
def test_rounds_are_filtered_by_kind_and_year(api, office_user, round_, org, query, count):
    RoundFactory(
        organization=org,
        kind="special",
        start_date=datetime.date(2024, 3, 1),
        end_date=datetime.date(2024, 5, 1),
    )

    rows = api(office_user).get(_api("round-list"), query).json()["results"]

    assert len(rows) == count


def test_office_creates_a_round(api, office_user, org):
    data = {
        "name": "2025年第二轮巡察",
        "kind": "special",
        "start_date": "2025-08-01",
        "end_date": "2025-10-31",
        "focus_areas": ["procurement", "construction"],
    }

    response = api(office_user).post(_api("round-list"), data, content_type=JSON)

    created = Round.objects.get()
    assert response.status_code == 201
    assert response.json()["focus_areas_display"] == ["招标采购", "工程建设"]
    assert (created.kind, created.focus_areas, created.created_by) == (
        "special",
        ["procurement", "construction"],
        office_user,
    )
    assert _last_event(Round, created.pk).pgh_context["user"] == office_user.pk


def test_a_round_ending_before_it_starts_is_refused_with_the_pages_message(api, login, office_user):
    data = {
        "name": "2025年第二轮巡察",
        "kind": "routine",
        "start_date": "2025-08-01",
        "end_date": "2025-07-01",
    }

    response = api(office_user).post(_api("round-list"), data, content_type=JSON)
    page = login(office_user).post(_page("round_create"), data)

    assert response.json()["fields"] == {"end_date": ["结束日期不能早于开始日期。"]}
    assert "结束日期不能早于开始日期。" in _shown(page)
    assert not Round.objects.exists()


def test_office_moves_a_rounds_dates(api, office_user, round_):
    client, url = api(office_user), _api("round-detail", round_.pk)

    response = client.patch(
        url, {"end_date": "2025-07-31"}, content_type=JSON, headers={"If-Match": _etag(client, url)}
    )

    round_.refresh_from_db()
    assert (response.status_code, round_.end_date, round_.name) == (
        200,
        datetime.date(2025, 7, 31),
        "2025年第一轮巡察",
    )
    assert _last_event(Round, round_.pk).end_date == datetime.date(2025, 7, 31)


def test_an_archived_round_is_not_changed_and_says_why_as_the_page(api, login, office_user, round_):
    archive.archive_round(round=round_, actor=office_user)
    client, url = api(office_user), _api("round-detail", round_.pk)

    response = client.patch(
        url, {"name": "新名称"}, content_type=JSON, headers={"If-Match": _etag(client, url)}
    )
    page = login(office_user).get(_page("round_edit", round_.pk), follow=True)

    assert response.json()["message"] in _shown(page)
    assert Round.objects.get().name == "2025年第一轮巡察"


def test_a_round_with_running_inspections_is_not_archived_as_on_the_page(
    api, login, office_user, inspection, round_
):
    response = api(office_user).post(_api("round-archive", round_.pk))
    page = login(office_user).post(
        _page("round_archive", round_.pk), {"confirmed": "1"}, follow=True
    )

    assert response.json()["message"].startswith("2025年第一轮巡察还有未办结的巡察：成都分公司。")
    assert response.json()["message"] in _shown(page)
    assert Round.objects.get().archived_at is None


def test_office_archives_and_unarchives_a_finished_round(api, office_user, round_, unit_tree):
    InspectionFactory(round=round_, unit=unit_tree["chengdu"], stage=Stage.CLOSED)
    client = api(office_user)

    assert client.post(_api("round-archive", round_.pk)).json()["is_archived"] is True
    assert Round.objects.get().archived_at is not None
    assert client.post(_api("round-unarchive", round_.pk)).json()["is_archived"] is False
    assert Round.objects.get().archived_at is None


def test_office_deletes_an_unused_round(api, office_user, round_):
    client, url = api(office_user), _api("round-detail", round_.pk)

    response = client.delete(url, headers={"If-Match": _etag(client, url)})

    assert response.status_code == 204
    assert not Round.objects.exists()


def test_a_round_with_teams_is_not_deleted_as_on_the_page(api, login, office_user, round_):
    TeamFactory(round=round_)
    client, url = api(office_user), _api("round-detail", round_.pk)

    response = client.delete(url, headers={"If-Match": _etag(client, url)})
    page = login(office_user).post(
        _page("round_delete", round_.pk), {"confirmed": "1"}, follow=True
    )

    assert (
        response.json()["message"]
        == f"巡察轮次“{round_.name}”已有巡察组或巡察，不能删除，请改为归档。"
    )
    assert response.json()["message"] in _shown(page)
    assert Round.objects.exists()


@pytest.mark.parametrize(
    ("method", "action"),
    [
        ("post", "round-list"),
        ("patch", "round-detail"),
        ("delete", "round-detail"),
        ("post", "round-archive"),
    ],
)
def test_leadership_reads_rounds_but_cannot_change_them(
    api, leadership_user, round_, method, action
):
    client = api(leadership_user)
    url = _api(action) if action == "round-list" else _api(action, round_.pk)

    response = getattr(client, method)(
        url, {"name": "新名称"}, content_type=JSON, headers={"If-Match": "*"}
    )

    assert client.get(_api("round-detail", round_.pk)).status_code == 200
    assert response.status_code == 403
    assert Round.objects.get().name == "2025年第一轮巡察"


def test_another_organizations_round_is_not_found(api, outsider, round_):
    assert api(outsider).get(_api("round-detail", round_.pk)).status_code == 404


# -- query counts ---------------------------------------------------------------------------------


def _add_plans(org, unit_tree, office_user, count: int) -> None:
    for plan in CoveragePlanFactory.create_batch(count, organization=org):
        services.add_targets(plan=plan, actor=office_user, unit=unit_tree["mianyang"])


def _add_targets(plan, round_, count: int) -> None:
    """``count`` targets: a third inspected, a third visited, a third uncovered."""
    org = plan.organization
    for n in range(count):
        unit = UnitFactory(organization=org)
        services.add_targets(plan=plan, actor=None, unit=unit)
        if n % 3 == 0:
            InspectionFactory(round=round_, unit=unit, stage=Stage.CLOSED)
        elif n % 3 == 1:
            ExtensionVisitFactory(organization=org, unit=unit)


def _add_visits(inspection, unit, count: int) -> None:
    ExtensionVisitFactory.create_batch(count, inspection=inspection, unit=unit)


def _add_rounds(org, count: int) -> None:
    for made in RoundFactory.create_batch(count, organization=org):
        TeamFactory(round=made)


# What a list costs whatever its length: the token with its membership, the parent record, the
# page of rows and, for targets, how the page's units are covered (one UNION ALL).
LIST_QUERIES = {"plans": 3, "targets": 5, "visits": 4, "rounds": 3}


@pytest.mark.parametrize("resource", list(LIST_QUERIES))
def test_a_list_runs_the_same_queries_for_3_and_30_rows(
    api, office_user, org, unit_tree, round_, inspection, resource, django_assert_num_queries
):
    plan = CoveragePlanFactory(organization=org)
    add, url = {
        "plans": (lambda n: _add_plans(org, unit_tree, office_user, n), _api("coverage-plan-list")),
        "targets": (
            lambda n: _add_targets(plan, round_, n),
            _api("coverage-plan-target-list", plan.pk),
        ),
        "visits": (
            lambda n: _add_visits(inspection, unit_tree["outlet"], n),
            _api("inspection-extension-visit-list", inspection.pk),
        ),
        "rounds": (lambda n: _add_rounds(org, n), _api("round-list")),
    }[resource]
    client = api(office_user)
    client.get(url)  # a token's first call records its use (once a minute)

    for count in (3, 27):
        add(count)
        with django_assert_num_queries(LIST_QUERIES[resource]):
            assert len(client.get(url, {"page_size": 50}).json()["results"]) >= count
