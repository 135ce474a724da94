"""建议下一轮巡察 leaves out the units already in a planned round of the plan's period: an
inspection of the unit, in a round overlapping the plan's years, not yet at a covering stage.
The suggestion is stored on the plan; the database clears it whenever an inspection or a round
changes which units those are, whatever code made the change."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from rounds.models import CoveragePlan, Inspection, Round, Team
from rounds.selectors.coverage import plan_suggestions
from rounds.services import coverage as coverage_services
from rounds.services import teams as services
from rounds.taxonomy import Stage
from tests.factories import InspectionFactory, RoundFactory, TeamFactory

ALL = ["成都分公司", "锦江区分公司", "春熙路分局"]
WITHOUT_JINJIANG = ["成都分公司", "春熙路分局"]


@pytest.fixture
def plan(org, unit_tree, office_user) -> CoveragePlan:
    plan = CoveragePlan.objects.create(
        organization=org, name="2024–2026年巡察规划", start_year=2024, end_year=2026
    )
    coverage_services.add_targets(
        plan=plan, actor=office_user, unit=unit_tree["chengdu"], include_subunits=True
    )
    return plan


@pytest.fixture
def round_(org) -> Round:
    return RoundFactory(
        organization=org,
        name="2025年第二轮巡察",
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2025, 11, 30),
    )


@pytest.fixture
def team(round_) -> Team:
    return TeamFactory(round=round_, name="第一巡察组")


def _page_suggestions(client, plan) -> list[str]:
    """The names the plan page suggests, checked against its rendered list."""
    response = client.get(reverse("rounds:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    names = [row["name"] for row in response.context["suggestions"]]
    content = response.content.decode()
    section = content[content.index('id="suggestions"') :]
    section = section[: section.index("</ol>")]
    assert [name for name in ALL if name in section] == names
    return names


def _stored(plan: CoveragePlan) -> CoveragePlan:
    return CoveragePlan.objects.for_org(plan.organization).get(pk=plan.pk)


@pytest.mark.parametrize("stage", [Stage.PLANNING, Stage.PREPARATION])
def test_plan_page_leaves_out_a_unit_already_in_a_planned_round(
    login, office_user, plan, unit_tree, round_, stage
):
    InspectionFactory(round=round_, unit=unit_tree["jinjiang"], stage=stage)

    assert _page_suggestions(login(office_user), plan) == WITHOUT_JINJIANG


def test_a_round_outside_the_plan_years_leaves_the_unit_suggested(
    login, office_user, plan, unit_tree, org
):
    later = RoundFactory(
        organization=org, start_date=datetime.date(2027, 3, 1), end_date=datetime.date(2027, 6, 30)
    )
    InspectionFactory(round=later, unit=unit_tree["jinjiang"], stage=Stage.PLANNING)

    assert _page_suggestions(login(office_user), plan) == ALL


def test_assigning_a_unit_to_a_round_clears_the_stored_suggestion(
    login, office_user, plan, unit_tree, team
):
    client = login(office_user)
    assert _page_suggestions(client, plan) == ALL
    assert _stored(plan).suggested is not None

    services.assign_unit(team=team, actor=office_user, unit=unit_tree["jinjiang"])

    stored = _stored(plan)
    assert stored.suggested is None
    assert stored.figures is not None  # what the plan counts did not change
    assert _page_suggestions(client, plan) == WITHOUT_JINJIANG
    assert [name for name, _ in _stored(plan).suggested] == WITHOUT_JINJIANG


def test_unassigning_a_unit_clears_the_stored_suggestion(login, office_user, plan, unit_tree, team):
    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["jinjiang"])
    client = login(office_user)
    assert _page_suggestions(client, plan) == WITHOUT_JINJIANG

    services.unassign_unit(inspection=inspection, actor=office_user)

    assert _stored(plan).suggested is None
    assert _page_suggestions(client, plan) == ALL


def test_moving_a_round_out_of_the_plan_years_clears_the_stored_suggestion(
    login, office_user, plan, unit_tree, team, round_
):
    services.assign_unit(team=team, actor=office_user, unit=unit_tree["jinjiang"])
    client = login(office_user)
    assert _page_suggestions(client, plan) == WITHOUT_JINJIANG

    services.update_round(
        round=round_,
        actor=office_user,
        name=round_.name,
        kind=round_.kind,
        start_date=datetime.date(2027, 3, 1),
        end_date=datetime.date(2027, 6, 30),
        focus_areas=round_.focus_areas,
        description=round_.description,
    )

    assert _stored(plan).suggested is None
    assert _page_suggestions(client, plan) == ALL


def test_a_stage_changed_by_a_bulk_update_clears_the_stored_suggestion(
    login, office_user, plan, unit_tree, team
):
    """Past planning without the services (so the stored coverage still says uncovered): the
    unit is no longer in a planned round and comes back."""
    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["jinjiang"])
    client = login(office_user)
    assert _page_suggestions(client, plan) == WITHOUT_JINJIANG

    Inspection.objects.for_org(plan.organization).filter(pk=inspection.pk).update(
        stage=Stage.MOBILIZATION
    )

    assert _stored(plan).suggested is None
    assert _page_suggestions(client, plan) == ALL


def test_editing_an_inspections_work_plan_keeps_the_stored_suggestion(
    login, office_user, plan, unit_tree, team
):
    inspection = services.assign_unit(team=team, actor=office_user, unit=unit_tree["jinjiang"])
    _page_suggestions(login(office_user), plan)
    kept = _stored(plan).suggested

    Inspection.objects.for_org(plan.organization).filter(pk=inspection.pk).update(
        work_plan="工作方案"
    )

    assert _stored(plan).suggested == kept is not None


def test_a_suggestion_counted_before_an_assignment_is_not_stored_after_it(
    org, office_user, plan, unit_tree, team
):
    """The assignment bumps the plan's version: a page that read the plan before it does not
    store what it counts."""
    read = CoveragePlan.objects.for_org(org).get(pk=plan.pk)
    services.assign_unit(team=team, actor=office_user, unit=unit_tree["jinjiang"])

    plan_suggestions(org=org, plan=read)

    assert _stored(plan).suggested is None
