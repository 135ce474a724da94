"""The plan page's grouped counts are stored on the plan between changes. The database clears
them whenever a change could alter them, whatever code made it; the page then counts again
from the targets (the oracle here) and stores the result."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as unit_services
from rounds.models import CoveragePlan, CoverageTarget
from rounds.selectors.coverage import plan_figure_rows, plan_figures
from rounds.services import coverage as services
from rounds.taxonomy import Stage
from tests.factories import InspectionFactory, RoundFactory


@pytest.fixture
def plan(org, unit_tree, office_user) -> CoveragePlan:
    plan = CoveragePlan.objects.create(
        organization=org, name="规划", start_year=2024, end_year=2026
    )
    services.add_targets(
        plan=plan, actor=office_user, unit=unit_tree["chengdu"], include_subunits=True
    )
    return plan


def _stored(plan: CoveragePlan) -> list | None:
    return CoveragePlan.objects.for_org(plan.organization).get(pk=plan.pk).figures


def _page_figures(client, plan):
    response = client.get(reverse("rounds:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    return response.context["figures"]


def _page_equals_the_targets(client, org, plan) -> None:
    """The page's figures are what counting the targets now gives, and are stored after."""
    figures = _page_figures(client, plan)
    live = plan_figure_rows(org=org, plan=plan)
    assert (figures.total, figures.covered) == (sum(r[3] for r in live), sum(r[4] for r in live))
    assert [[level.depth, level.total, level.covered] for level in figures.levels] == [
        [depth, sum(r[3] for r in live if r[0] == depth), sum(r[4] for r in live if r[0] == depth)]
        for depth in sorted({r[0] for r in live})
    ]
    assert _stored(plan) == live


def test_a_second_reading_uses_the_stored_figures_without_counting(org, plan, office_user, login):
    client = login(office_user)
    _page_equals_the_targets(client, org, plan)

    with CaptureQueriesContext(connection) as queries:
        again = _page_figures(client, plan)

    assert not any("COUNT(" in q["sql"] and "GROUP BY" in q["sql"] for q in queries)
    assert again.total == 3


def test_adding_and_removing_targets_clears_the_stored_figures(
    org, plan, unit_tree, office_user, login
):
    client = login(office_user)
    _page_equals_the_targets(client, org, plan)

    services.add_targets(plan=plan, actor=office_user, unit=unit_tree["mianyang"])
    assert _stored(plan) is None
    _page_equals_the_targets(client, org, plan)
    assert _page_figures(client, plan).total == 4

    target = CoverageTarget.objects.for_org(org).get(plan=plan, unit=unit_tree["mianyang"])
    services.remove_target(target=target, actor=office_user)
    assert _stored(plan) is None
    assert _page_figures(client, plan).total == 3


def test_a_planned_year_set_on_existing_targets_clears_them(
    org, plan, unit_tree, office_user, login
):
    client = login(office_user)
    before = _page_figures(client, plan)
    assert before.unscheduled == 3

    services.add_targets(plan=plan, actor=office_user, unit=unit_tree["chengdu"], planned_year=2026)

    assert _stored(plan) is None
    _page_equals_the_targets(client, org, plan)


def test_coverage_earned_by_an_inspection_clears_them(org, plan, unit_tree, office_user, login):
    client = login(office_user)
    assert _page_figures(client, plan).covered == 0

    InspectionFactory(
        organization=org,
        round=RoundFactory(
            organization=org,
            start_date=datetime.date(2025, 3, 1),
            end_date=datetime.date(2025, 6, 30),
        ),
        unit=unit_tree["jinjiang"],
        stage=Stage.ONSITE,
    )
    services.refresh_coverage(organization=org, unit_ids=[unit_tree["jinjiang"].pk])

    assert _stored(plan) is None
    assert _page_figures(client, plan).covered == 1
    _page_equals_the_targets(client, org, plan)


def test_a_target_units_new_kind_level_name_or_state_clears_them_but_its_code_does_not(
    org, plan, unit_tree, office_user, login
):
    client = login(office_user)
    _page_equals_the_targets(client, org, plan)
    jinjiang = unit_tree["jinjiang"]

    unit_services.update_unit(
        unit=jinjiang, actor=office_user, name=jinjiang.name, code="cd-jj-new", kind=jinjiang.kind
    )
    assert _stored(plan) is not None  # the code is neither counted nor shown

    unit_services.update_unit(
        unit=jinjiang, actor=office_user, name="锦江分公司", code="cd-jj-new", kind=jinjiang.kind
    )
    assert _stored(plan) is None
    assert "锦江分公司" in _suggested_names(client, plan)

    unit_services.update_unit(
        unit=jinjiang, actor=office_user, name="锦江分公司", code="cd-jj-new", kind="department"
    )
    assert _stored(plan) is None
    _page_equals_the_targets(client, org, plan)

    unit_services.move_unit(unit=jinjiang, actor=office_user, new_parent=None)  # depth 0 now
    assert _stored(plan) is None
    _page_equals_the_targets(client, org, plan)
    assert 0 in [level.depth for level in _page_figures(client, plan).levels]
    assert _suggested_names(client, plan)[0] == "成都分公司"  # tree order: paths changed

    jinjiang.refresh_from_db()
    unit_services.deactivate_unit(unit=jinjiang, actor=office_user)
    assert _stored(plan) is None
    assert "锦江分公司" not in _suggested_names(client, plan)


def _suggested_names(client, plan, **params) -> list[str]:
    response = client.get(reverse("rounds:plan_detail", args=[plan.pk]), params)
    return [row["name"] for row in response.context["suggestions"]]


def test_the_suggestion_is_stored_for_the_default_number_only(
    org, plan, unit_tree, office_user, login
):
    client = login(office_user)
    assert _suggested_names(client, plan) == ["成都分公司", "锦江区分公司", "春熙路分局"]
    stored = CoveragePlan.objects.for_org(org).get(pk=plan.pk).suggested
    assert [name for name, _ in stored] == ["成都分公司", "锦江区分公司", "春熙路分局"]

    with CaptureQueriesContext(connection) as queries:
        assert _suggested_names(client, plan) == ["成都分公司", "锦江区分公司", "春熙路分局"]
    assert not any("UNION ALL" in q["sql"] and "last_covered" in q["sql"] for q in queries)

    assert _suggested_names(client, plan, suggest="2") == ["成都分公司", "锦江区分公司"]
    assert CoveragePlan.objects.for_org(org).get(pk=plan.pk).suggested == stored


def test_coverage_changes_the_stored_suggestion(org, plan, unit_tree, office_user, login):
    client = login(office_user)
    assert _suggested_names(client, plan)[0] == "成都分公司"

    InspectionFactory(
        organization=org,
        round=RoundFactory(
            organization=org,
            start_date=datetime.date(2025, 3, 1),
            end_date=datetime.date(2025, 6, 30),
        ),
        unit=unit_tree["chengdu"],
        stage=Stage.ONSITE,
    )
    services.refresh_coverage(organization=org, unit_ids=[unit_tree["chengdu"].pk])

    assert _suggested_names(client, plan) == ["锦江区分公司", "春熙路分局"]


def test_figures_counted_before_a_change_are_not_stored_after_it(org, plan, unit_tree, office_user):
    """A page read the plan, then a target changed before it stored what it counted: the
    version no longer matches and nothing stale is kept."""
    read = CoveragePlan.objects.for_org(org).get(pk=plan.pk)
    assert read.figures is None
    services.add_targets(plan=plan, actor=office_user, unit=unit_tree["mianyang"])

    plan_figures(org=org, plan=read, today=datetime.date(2025, 1, 1))

    assert _stored(plan) is None


def test_saving_a_plan_read_before_a_change_keeps_the_newer_state(
    org, plan, unit_tree, office_user, login
):
    login(office_user).get(reverse("rounds:plan_detail", args=[plan.pk]))
    old = CoveragePlan.objects.for_org(org).get(pk=plan.pk)
    assert old.figures is not None
    services.add_targets(plan=plan, actor=office_user, unit=unit_tree["mianyang"])

    old.description = "改了说明"
    old.save()

    fresh = CoveragePlan.objects.for_org(org).get(pk=plan.pk)
    assert fresh.description == "改了说明"
    assert fresh.figures is None  # the old counts (3 targets) were not written back
    assert fresh.figures_version > old.figures_version


def test_storing_the_figures_writes_no_history(org, plan, office_user, login):
    event_model = next(iter(CoveragePlan.pgh_event_models.values()))
    before = event_model.objects.filter(pgh_obj_id=plan.pk).count()

    login(office_user).get(reverse("rounds:plan_detail", args=[plan.pk]))

    assert _stored(plan) is not None
    assert event_model.objects.filter(pgh_obj_id=plan.pk).count() == before
