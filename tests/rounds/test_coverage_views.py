"""Coverage plan pages and extension-visit pages: happy paths, roles, bad input, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from accounts import services as unit_services
from rounds.models import CoveragePlan, ExtensionVisit
from rounds.services import coverage as services
from rounds.taxonomy import Stage
from tests.factories import (
    CoveragePlanFactory,
    ExtensionVisitFactory,
    InspectionFactory,
    RoundFactory,
    UnitFactory,
)

PLANS = reverse("rounds:plan_list")
NEW_PLAN = reverse("rounds:plan_create")
PLAN_DATA = {"name": "2024—2026年巡察规划", "start_year": 2024, "end_year": 2026, "description": ""}


@pytest.fixture
def plan(org, unit_tree, office_user) -> CoveragePlan:
    plan = CoveragePlanFactory(organization=org, name="三年规划", start_year=2024, end_year=2026)
    services.add_targets(
        plan=plan, actor=office_user, unit=unit_tree["chengdu"], include_subunits=True
    )
    return plan


def _detail(plan) -> str:
    return reverse("rounds:plan_detail", args=[plan.pk])


def _plan_urls(plan) -> list[tuple[str, str]]:
    target = plan.targets.first()
    return [
        ("get", PLANS),
        ("get", NEW_PLAN),
        ("get", _detail(plan)),
        ("get", reverse("rounds:plan_edit", args=[plan.pk])),
        ("get", reverse("rounds:plan_target_add", args=[plan.pk])),
        ("post", reverse("rounds:plan_target_remove", args=[target.pk])),
    ]


# -- plans ----------------------------------------------------------------------------------------


def test_office_lists_plans_with_their_coverage(login, office_user, plan, unit_tree):
    InspectionFactory(organization=plan.organization, unit=unit_tree["outlet"], stage="closed")

    response = login(office_user).get(PLANS)

    assert response.status_code == 200
    row = response.context["object_list"][0]
    assert (row.name, row.target_count, row.covered_count) == ("三年规划", 3, 1)


def test_plan_list_searches_by_name(login, office_user, plan):
    CoveragePlanFactory(organization=plan.organization, name="五年规划")

    response = login(office_user).get(PLANS, {"q": "五年"})

    assert [p.name for p in response.context["object_list"]] == ["五年规划"]


@pytest.mark.parametrize("persona", ["team_member_user", "liaison_user"])
def test_team_members_and_liaisons_cannot_open_plan_pages(request, login, plan, persona):
    client = login(request.getfixturevalue(persona))

    statuses = {
        url: getattr(client, method)(
            url, {"confirmed": "1"} if method == "post" else {}
        ).status_code
        for method, url in _plan_urls(plan)
    }

    assert set(statuses.values()) == {403}
    assert plan.targets.count() == 3


def test_leadership_reads_plans_but_cannot_change_them(login, leadership_user, plan):
    client = login(leadership_user)

    detail = client.get(_detail(plan))

    assert detail.status_code == 200
    assert reverse("rounds:plan_target_add", args=[plan.pk]) not in detail.content.decode()
    assert client.get(NEW_PLAN).status_code == 403
    assert client.post(reverse("rounds:plan_target_add", args=[plan.pk])).status_code == 403


def test_office_creates_plan(login, office_user, org):
    response = login(office_user).post(NEW_PLAN, PLAN_DATA)

    plan = CoveragePlan.objects.get()
    assert response.url == _detail(plan)
    assert (plan.organization, plan.created_by, plan.years) == (
        org,
        office_user,
        [2024, 2025, 2026],
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"start_year": "二〇二四"}, "start_year"),
        ({"end_year": 2023}, "end_year"),  # before the first year
        ({"end_year": 2034}, "end_year"),  # eleven years
    ],
)
def test_create_plan_with_bad_input_saves_nothing(login, office_user, org, overrides, field):
    response = login(office_user).post(NEW_PLAN, PLAN_DATA | overrides)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not CoveragePlan.objects.exists()


def test_office_edits_plan(login, office_user, plan):
    url = reverse("rounds:plan_edit", args=[plan.pk])

    response = login(office_user).post(url, PLAN_DATA | {"name": "新名称", "end_year": 2028})

    plan.refresh_from_db()
    assert response.url == _detail(plan)
    assert (plan.name, plan.end_year) == ("新名称", 2028)


def test_edit_confirms_the_new_name(login, office_user, plan):
    url = reverse("rounds:plan_edit", args=[plan.pk])

    response = login(office_user).post(url, PLAN_DATA | {"name": "新名称"}, follow=True)

    (message,) = response.context["messages"]
    assert "新名称" in str(message)
    assert "三年规划" not in str(message)


def test_edit_that_strands_planned_targets_saves_nothing(login, office_user, plan):
    plan.targets.update(planned_year=2026)
    url = reverse("rounds:plan_edit", args=[plan.pk])

    response = login(office_user).post(url, PLAN_DATA | {"name": "新名称", "end_year": 2025})

    plan.refresh_from_db()
    assert list(response.context["form"].errors) == ["__all__"]
    assert (plan.name, plan.end_year) == ("三年规划", 2026)


# -- targets --------------------------------------------------------------------------------------


def test_office_adds_a_subtree_with_a_planned_year(login, office_user, org, unit_tree):
    plan = CoveragePlanFactory(organization=org, start_year=2024, end_year=2026)
    url = reverse("rounds:plan_target_add", args=[plan.pk])
    data = {"unit": unit_tree["chengdu"].pk, "include_subunits": "on", "planned_year": "2025"}

    response = login(office_user).post(url, data)

    assert response.url == _detail(plan)
    assert set(plan.targets.values_list("unit__name", "planned_year")) == {
        ("成都分公司", 2025),
        ("锦江区分公司", 2025),
        ("春熙路分局", 2025),
    }


def test_add_form_offers_active_units_and_the_plan_years(login, office_user, plan, unit_tree):
    unit_services.deactivate_unit(unit=unit_tree["mianyang"], actor=office_user)

    client = login(office_user)
    assert (
        reverse("rounds:plan_target_add", args=[plan.pk])
        in client.get(_detail(plan)).content.decode()
    )
    form = client.get(reverse("rounds:plan_target_add", args=[plan.pk])).context["form"]

    assert [u.name for u in form.fields["unit"].queryset] == [
        "成都分公司",
        "锦江区分公司",
        "春熙路分局",
    ]
    assert [value for value, _ in form.fields["planned_year"].choices] == ["", 2024, 2025, 2026]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "unit"),
        ({"unit": "mianyang", "planned_year": "2027"}, "planned_year"),
        ({"unit": "inactive"}, "unit"),
    ],
)
def test_add_target_with_bad_input_saves_nothing(login, office_user, org, unit_tree, data, field):
    plan = CoveragePlanFactory(organization=org, start_year=2024, end_year=2026)
    inactive = UnitFactory(organization=org, name="已撤销分公司")
    unit_services.deactivate_unit(unit=inactive, actor=office_user)
    units = {"mianyang": unit_tree["mianyang"].pk, "inactive": inactive.pk}
    data = {key: units.get(value, value) for key, value in data.items()}

    response = login(office_user).post(reverse("rounds:plan_target_add", args=[plan.pk]), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not plan.targets.exists()


def test_office_removes_a_target(login, office_user, plan, unit_tree):
    target = plan.targets.get(unit=unit_tree["jinjiang"])
    url = reverse("rounds:plan_target_remove", args=[target.pk])
    client = login(office_user)

    assert client.get(url).status_code == 405
    asked = client.post(url)
    assert "移出规划" in asked.content.decode()
    assert plan.targets.count() == 3
    response = client.post(url, {"confirmed": "1"})

    assert response.url == _detail(plan)
    assert set(plan.targets.values_list("unit__name", flat=True)) == {"成都分公司", "春熙路分局"}


# -- the plan page --------------------------------------------------------------------------------


def test_plan_page_shows_figures_and_how_each_unit_is_covered(
    login, leadership_user, plan, unit_tree
):
    inspection = InspectionFactory(
        organization=plan.organization, unit=unit_tree["jinjiang"], stage=Stage.ONSITE
    )
    ExtensionVisitFactory(
        organization=plan.organization, inspection=inspection, unit=unit_tree["outlet"]
    )

    response = login(leadership_user).get(_detail(plan))

    assert response.context["figures"].percent == 66.7
    content = response.content.decode()
    assert inspection.round.name in content
    assert "现场巡察走访" in content  # which visit
    assert [t["name"] for t in response.context["suggestions"]] == ["成都分公司"]


@pytest.mark.parametrize(
    ("status", "names"),
    [("covered", ["锦江区分公司"]), ("uncovered", ["成都分公司", "春熙路分局"])],
)
def test_plan_page_filters_targets_by_status(login, office_user, plan, unit_tree, status, names):
    InspectionFactory(organization=plan.organization, unit=unit_tree["jinjiang"], stage="closed")

    response = login(office_user).get(_detail(plan), {"status": status})

    assert [t.unit.name for t in response.context["targets"]] == names


@pytest.mark.parametrize(("suggest", "count"), [("1", 1), ("2", 2), ("", 3), ("many", 3)])
def test_plan_page_suggests_n_units(login, office_user, plan, suggest, count):
    response = login(office_user).get(_detail(plan), {"suggest": suggest})

    assert len(response.context["suggestions"]) == count


# -- extension visits -----------------------------------------------------------------------------


@pytest.fixture
def inspection(org, unit_tree):
    return InspectionFactory(organization=org, unit=unit_tree["chengdu"], stage=Stage.ONSITE)


def _visits(inspection) -> str:
    return reverse("rounds:extension_visit_list", kwargs={"inspection_pk": inspection.pk})


def _new_visit(inspection) -> str:
    return reverse("rounds:extension_visit_create", kwargs={"inspection_pk": inspection.pk})


def _visit_data(unit) -> dict:
    return {
        "unit": unit.pk,
        "occasion": "onsite",
        "visited_on": "2025-04-01",
        "visit_reference": "第一次现场走访",
        "notes": "",
    }


def test_office_records_an_extension_visit(login, office_user, inspection, unit_tree):
    response = login(office_user).post(_new_visit(inspection), _visit_data(unit_tree["outlet"]))

    visit = ExtensionVisit.objects.get()
    assert response.url == _visits(inspection)
    assert (visit.inspection, visit.unit, visit.recorded_by) == (
        inspection,
        unit_tree["outlet"],
        office_user,
    )


def test_visit_form_offers_only_sub_units(login, office_user, inspection):
    form = login(office_user).get(_new_visit(inspection)).context["form"]

    assert [u.name for u in form.fields["unit"].queryset] == ["锦江区分公司", "春熙路分局"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"unit": "mianyang"}, "unit"),  # not a sub-unit
        ({"visit_reference": ""}, "visit_reference"),
        ({"occasion": "supervision"}, "__all__"),  # the inspection is only on site
        ({"visited_on": "2025-02-30"}, "visited_on"),
    ],
)
def test_bad_extension_visit_saves_nothing(
    login, office_user, inspection, unit_tree, overrides, field
):
    data = _visit_data(unit_tree["outlet"]) | overrides
    if data["unit"] == "mianyang":
        data["unit"] = unit_tree["mianyang"].pk

    response = login(office_user).post(_new_visit(inspection), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not ExtensionVisit.objects.exists()


def test_extension_visits_are_listed_for_the_inspection(
    login, leadership_user, inspection, unit_tree
):
    ExtensionVisitFactory(
        organization=inspection.organization, inspection=inspection, unit=unit_tree["jinjiang"]
    )
    ExtensionVisitFactory(organization=inspection.organization)  # another inspection's

    response = login(leadership_user).get(_visits(inspection))

    assert [v.unit.name for v in response.context["object_list"]] == ["锦江区分公司"]
    assert response.context["can_manage"] is False


def test_team_leader_of_the_inspection_records_visits(
    login, team_member_user, inspection, unit_tree
):
    assign_perm("rounds.view_inspection", team_member_user, inspection)
    assign_perm("rounds.change_inspection", team_member_user, inspection)

    response = login(team_member_user).post(
        _new_visit(inspection), _visit_data(unit_tree["outlet"])
    )

    assert response.status_code == 302
    assert ExtensionVisit.objects.get().recorded_by == team_member_user


def test_team_member_sees_visits_but_cannot_record_them(
    login, team_member_user, inspection, unit_tree
):
    assign_perm("rounds.view_inspection", team_member_user, inspection)
    client = login(team_member_user)

    assert client.get(_visits(inspection)).status_code == 200
    assert client.get(_new_visit(inspection)).status_code == 403
    assert client.post(_new_visit(inspection), _visit_data(unit_tree["outlet"])).status_code == 403
    assert not ExtensionVisit.objects.exists()


def test_inspection_not_assigned_is_not_found(login, inspection, team_member_user):
    client = login(team_member_user)

    assert client.get(_visits(inspection)).status_code == 404
    assert client.get(_new_visit(inspection)).status_code == 404


def test_a_role_without_inspections_is_refused_the_visits(login, inspection, liaison_user):
    client = login(liaison_user)

    assert client.get(_visits(inspection)).status_code == 403
    assert client.get(_new_visit(inspection)).status_code == 403


# -- query counts ---------------------------------------------------------------------------------


def _add_plans(org, count: int) -> None:
    CoveragePlanFactory.create_batch(count, organization=org)


def _add_covered_targets(plan, office_user, count: int) -> None:
    """``count`` targets: a third inspected, a third visited, a third uncovered."""
    org = plan.organization
    rnd = RoundFactory(organization=org)
    for n in range(count):
        unit = UnitFactory(organization=org)
        services.add_targets(plan=plan, actor=office_user, unit=unit, planned_year=2025)
        if n % 3 == 0:
            InspectionFactory(organization=org, round=rnd, unit=unit, stage=Stage.CLOSED)
        elif n % 3 == 1:
            ExtensionVisitFactory(organization=org, unit=unit)


def test_plan_list_runs_the_same_queries_for_3_and_30_plans(
    login, office_user, org, django_assert_num_queries
):
    client = login(office_user)

    for count in (3, 27):
        _add_plans(org, count)
        with django_assert_num_queries(6):
            assert client.get(PLANS).status_code == 200


def test_plan_page_runs_the_same_queries_for_3_and_30_targets(
    login, office_user, org, django_assert_num_queries
):
    plan = CoveragePlanFactory(organization=org, start_year=2024, end_year=2026)
    client = login(office_user)

    for count in (3, 27):
        _add_covered_targets(plan, office_user, count)
        # Right after a change: the figures are one grouped query (that also gives the
        # paginator its count) and the suggestion one query over the stored coverage, each
        # stored by one update; the evidence (inspections and visits) is one UNION ALL.
        with django_assert_num_queries(12):
            assert client.get(_detail(plan)).status_code == 200
        # Then both are read from the plan row.
        with django_assert_num_queries(8):
            assert client.get(_detail(plan)).status_code == 200


def test_extension_visit_list_runs_the_same_queries_for_3_and_30_visits(
    login, office_user, inspection, unit_tree, django_assert_num_queries
):
    client = login(office_user)

    for count in (3, 27):
        ExtensionVisitFactory.create_batch(
            count,
            organization=inspection.organization,
            inspection=inspection,
            unit=unit_tree["outlet"],
        )
        with django_assert_num_queries(7):
            assert client.get(_visits(inspection)).status_code == 200


@pytest.mark.parametrize("status", ["", "covered", "uncovered", "other"])
def test_plan_page_counts_the_pages_of_each_status_like_the_list_itself(
    login, office_user, org, status
):
    from rounds.selectors import coverage as selectors

    plan = CoveragePlanFactory(organization=org, start_year=2024, end_year=2026)
    _add_covered_targets(plan, office_user, 60)  # 40 covered, 20 not
    listed = selectors.plan_target_list(org=org, plan=plan, status=status).count()

    response = login(office_user).get(_detail(plan), {"status": status})

    assert response.context["paginator"].count == listed
    assert listed == {"covered": 40, "uncovered": 20}.get(status, 60)
    assert len(response.context["targets"]) == min(listed, 25)


def test_plan_page_search_counts_only_the_matching_targets(login, office_user, org):
    plan = CoveragePlanFactory(organization=org, start_year=2024, end_year=2026)
    _add_covered_targets(plan, office_user, 30)
    unit = plan.targets.select_related("unit").first().unit

    response = login(office_user).get(_detail(plan), {"q": unit.code})

    assert response.context["paginator"].count == 1
