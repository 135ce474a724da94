"""The coverage stored on each plan target (``covered``, ``last_covered``) is kept equal to the
coverage rule by every service that changes what earns coverage; the plan page reads it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.errors import DomainError
from rounds.models import CoveragePlan, CoverageTarget
from rounds.selectors.coverage import plan_target_live_coverage
from rounds.services import coverage as services
from rounds.services import lifecycle
from rounds.services import teams as team_services
from rounds.taxonomy import Stage
from tests.factories import (
    InspectionFactory,
    IntelligenceRequestFactory,
    RoundFactory,
    TeamFactory,
)


@pytest.fixture
def plan(org, unit_tree, office_user) -> CoveragePlan:
    """2024–2026, targeting the four units of the tree."""
    plan = CoveragePlan.objects.create(
        organization=org, name="规划", start_year=2024, end_year=2026
    )
    for root in ("chengdu", "mianyang"):
        services.add_targets(
            plan=plan, actor=office_user, unit=unit_tree[root], include_subunits=True
        )
    return plan


def _stored(org, plan) -> dict[str, tuple[bool, datetime.date | None]]:
    targets = CoverageTarget.objects.for_org(org).filter(plan=plan).select_related("unit")
    return {t.unit.name: (t.covered, t.last_covered) for t in targets}


def _live(org, plan) -> dict[str, tuple[bool, datetime.date | None]]:
    """The oracle: the rule computed now, not read from the stored fields."""
    targets = plan_target_live_coverage(org=org, plan=plan).select_related("unit")
    return {t.unit.name: (t.live_covered, t.live_last_covered) for t in targets}


def _stored_matches_rule(org, plan) -> dict[str, tuple[bool, datetime.date | None]]:
    stored = _stored(org, plan)
    assert stored == _live(org, plan)
    return stored


def _page_percent(client, plan) -> float:
    response = client.get(reverse("rounds:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    return response.context["figures"].percent


def _round(org, start: str, end: str):
    return RoundFactory(
        organization=org,
        start_date=datetime.date.fromisoformat(start),
        end_date=datetime.date.fromisoformat(end),
    )


def test_moving_an_inspection_into_mobilization_stores_its_unit_as_covered(
    org, plan, unit_tree, office_user, login
):
    inspection = InspectionFactory(
        organization=org,
        round=_round(org, "2025-03-01", "2025-06-30"),
        unit=unit_tree["mianyang"],
        stage=Stage.PREPARATION,
    )
    IntelligenceRequestFactory(inspection=inspection, answered_on=datetime.date(2025, 3, 5))
    before = _stored_matches_rule(org, plan)["绵阳分公司"]

    lifecycle.start_mobilization(inspection=inspection, actor=office_user, reason="情况已收集")

    assert before == (False, None)
    assert _stored_matches_rule(org, plan)["绵阳分公司"] == (True, datetime.date(2025, 3, 1))
    assert _page_percent(login(office_user), plan) == 25.0


def test_recording_an_extension_visit_stores_the_sub_unit_as_covered(
    org, plan, unit_tree, office_user, login
):
    inspection = InspectionFactory(
        organization=org,
        round=_round(org, "2025-03-01", "2025-06-30"),
        unit=unit_tree["jinjiang"],
        stage=Stage.ONSITE,
    )

    services.record_extension_visit(
        inspection=inspection,
        actor=office_user,
        unit=unit_tree["outlet"],
        occasion="onsite",
        visited_on=datetime.date(2025, 4, 2),
        visit_reference="第一次走访",
    )

    stored = _stored_matches_rule(org, plan)
    assert stored["春熙路分局"] == (True, datetime.date(2025, 4, 2))
    assert stored["锦江区分公司"] == (True, datetime.date(2025, 3, 1))
    assert _page_percent(login(office_user), plan) == 50.0


def test_a_closed_rounds_dates_cannot_move_its_coverage_away(
    org, plan, unit_tree, office_user, login
):
    """Its inspections are closed: the round is a record, its dates stay (and so does the
    coverage they earned)."""
    rnd = _round(org, "2025-03-01", "2025-06-30")
    InspectionFactory(organization=org, round=rnd, unit=unit_tree["chengdu"], stage=Stage.CLOSED)
    covered_before = _stored_matches_rule(org, plan)["成都分公司"]

    with pytest.raises(DomainError):
        team_services.update_round(
            round=rnd,
            actor=office_user,
            name=rnd.name,
            kind=rnd.kind,
            start_date=datetime.date(2023, 3, 1),
            end_date=datetime.date(2023, 6, 30),
            focus_areas=rnd.focus_areas,
        )

    assert covered_before == (True, datetime.date(2025, 3, 1))
    assert _stored_matches_rule(org, plan)["成都分公司"] == covered_before
    assert _page_percent(login(office_user), plan) == 25.0


def test_a_target_added_later_is_stored_with_its_coverage(org, unit_tree, office_user, login):
    InspectionFactory(
        organization=org,
        round=_round(org, "2025-03-01", "2025-06-30"),
        unit=unit_tree["mianyang"],
        stage=Stage.CLOSED,
    )
    plan = CoveragePlan.objects.create(
        organization=org, name="规划", start_year=2025, end_year=2025
    )

    services.add_targets(plan=plan, actor=office_user, unit=unit_tree["mianyang"])
    services.add_targets(plan=plan, actor=office_user, unit=unit_tree["chengdu"])

    stored = _stored_matches_rule(org, plan)
    assert stored == {"绵阳分公司": (True, datetime.date(2025, 3, 1)), "成都分公司": (False, None)}
    assert _page_percent(login(office_user), plan) == 50.0


def test_changing_the_plan_period_recomputes_what_counts(org, plan, unit_tree, office_user, login):
    InspectionFactory(
        organization=org,
        round=_round(org, "2023-03-01", "2023-06-30"),
        unit=unit_tree["mianyang"],
        stage=Stage.CLOSED,
    )
    assert _stored_matches_rule(org, plan)["绵阳分公司"] == (False, datetime.date(2023, 3, 1))

    plan = services.update_plan(
        plan=plan, actor=office_user, name=plan.name, start_year=2023, end_year=2025
    )

    assert _stored_matches_rule(org, plan)["绵阳分公司"] == (True, datetime.date(2023, 3, 1))
    assert _page_percent(login(office_user), plan) == 25.0


def test_unassigning_a_planned_inspection_leaves_the_stored_coverage_equal_to_the_rule(
    org, plan, unit_tree, office_user
):
    rnd = _round(org, "2025-03-01", "2025-06-30")
    team = TeamFactory(organization=org, round=rnd)
    InspectionFactory(organization=org, round=rnd, unit=unit_tree["chengdu"], stage=Stage.CLOSED)
    planned = InspectionFactory(
        organization=org, round=rnd, team=team, unit=unit_tree["mianyang"], stage=Stage.PLANNING
    )

    team_services.unassign_unit(inspection=planned, actor=office_user)

    stored = _stored_matches_rule(org, plan)
    assert stored["绵阳分公司"] == (False, None)
    assert stored["成都分公司"] == (True, datetime.date(2025, 3, 1))


def test_the_uncovered_filter_and_the_suggestion_read_the_stored_coverage(
    org, plan, unit_tree, office_user, login
):
    InspectionFactory(
        organization=org,
        round=_round(org, "2025-03-01", "2025-06-30"),
        unit=unit_tree["chengdu"],
        stage=Stage.CLOSED,
    )
    InspectionFactory(
        organization=org,
        round=_round(org, "2021-03-01", "2021-06-30"),
        unit=unit_tree["outlet"],
        stage=Stage.CLOSED,
    )
    client = login(office_user)

    response = client.get(reverse("rounds:plan_detail", args=[plan.pk]), {"status": "uncovered"})

    assert [t.unit.name for t in response.context["targets"]] == [
        "锦江区分公司",
        "春熙路分局",
        "绵阳分公司",
    ]
    assert [t["name"] for t in response.context["suggestions"]] == [
        "锦江区分公司",  # never covered, first in the tree
        "绵阳分公司",
        "春熙路分局",  # last covered in 2021
    ]


def test_refreshing_changes_only_what_differs(org, plan, unit_tree):
    InspectionFactory(
        organization=org,
        round=_round(org, "2025-03-01", "2025-06-30"),
        unit=unit_tree["chengdu"],
        stage=Stage.CLOSED,
    )
    CoverageTarget.objects.for_org(org).update(covered=False, last_covered=None)

    assert services.refresh_coverage(organization=org) == 1
    assert services.refresh_coverage(organization=org) == 0
    assert _stored_matches_rule(org, plan)["成都分公司"] == (True, datetime.date(2025, 3, 1))


def test_every_rows_remove_button_posts_through_the_one_csrf_form(
    org, plan, unit_tree, office_user, login
):
    client = login(office_user)
    target = plan.targets.get(unit=unit_tree["jinjiang"])

    html = client.get(reverse("rounds:plan_detail", args=[plan.pk])).content.decode()

    remove = reverse("rounds:plan_target_remove", args=[target.pk])
    assert f'form="target-remove" formaction="{remove}"' in html
    assert html.count('<form id="target-remove" method="post">') == 1
    assert f' action="{remove}"' not in html  # no form (and CSRF token) per row
