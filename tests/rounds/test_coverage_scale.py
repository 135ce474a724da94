"""Coverage at the size of a real tenant: figures stay right and cost what a page of plans costs
(one query for the list's counts, however many plans and targets), the suggestion reads the
never-covered before the covered-before."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rounds.models import CoverageTarget
from rounds.selectors.coverage import plan_list, plan_suggested_targets
from rounds.services.coverage import refresh_coverage
from rounds.taxonomy import Stage
from tests.factories import (
    CoveragePlanFactory,
    ExtensionVisitFactory,
    InspectionFactory,
    RoundFactory,
    UnitFactory,
)


def _plan_with_targets(org, count: int, *, start_year: int = 2024):
    """A plan of ``count`` fresh units: every third inspected, every third visited."""
    plan = CoveragePlanFactory(organization=org, start_year=start_year, end_year=start_year + 2)
    rnd = RoundFactory(
        organization=org,
        start_date=datetime.date(start_year, 3, 1),
        end_date=datetime.date(start_year, 6, 30),
    )
    units = UnitFactory.create_batch(count, organization=org)
    CoverageTarget.objects.bulk_create(
        CoverageTarget(organization=org, plan=plan, unit=unit) for unit in units
    )
    for n, unit in enumerate(units):
        if n % 3 == 0:
            InspectionFactory(organization=org, round=rnd, unit=unit, stage=Stage.CLOSED)
        elif n % 3 == 1:
            ExtensionVisitFactory(
                organization=org, unit=unit, visited_on=datetime.date(start_year, 5, 1)
            )
    return plan


def test_plan_list_counts_targets_and_coverage_of_each_plan(org):
    _plan_with_targets(org, 9, start_year=2024)
    _plan_with_targets(org, 6, start_year=2020)

    rows = {(p.start_year, p.target_count, p.covered_count) for p in plan_list(org=org)}

    assert rows == {(2024, 9, 6), (2020, 6, 4)}


def test_coverage_earned_outside_the_plan_years_does_not_count_in_the_list(org):
    plan = _plan_with_targets(org, 6, start_year=2020)
    plan.start_year, plan.end_year = 2023, 2025
    plan.save()
    refresh_coverage(organization=org, plan_ids=[plan.pk])

    assert plan_list(org=org).get().covered_count == 0


def test_plan_list_runs_one_query_for_3_and_30_plans_with_many_targets(org):
    counts = []
    for plans in (3, 27):
        for _ in range(plans):
            _plan_with_targets(org, 12)
        with CaptureQueriesContext(connection) as captured:
            rows = list(plan_list(org=org))
        counts.append(len(captured.captured_queries))
        assert {row.covered_count for row in rows} == {8}
    assert counts == [1, 1]


def test_suggestion_puts_never_covered_first_then_the_longest_uncovered(org):
    plan = CoveragePlanFactory(organization=org, start_year=2025, end_year=2027)
    never, old, older = UnitFactory.create_batch(3, organization=org)
    for unit, year in ((old, 2022), (older, 2019)):
        rnd = RoundFactory(
            organization=org,
            start_date=datetime.date(year, 3, 1),
            end_date=datetime.date(year, 6, 30),
        )
        InspectionFactory(organization=org, round=rnd, unit=unit, stage=Stage.CLOSED)
    CoverageTarget.objects.bulk_create(
        CoverageTarget(organization=org, plan=plan, unit=unit) for unit in (old, older, never)
    )
    refresh_coverage(organization=org, plan_ids=[plan.pk])  # bulk_create bypasses the services

    suggested = plan_suggested_targets(org=org, plan=plan, limit=3)

    assert [(t.unit, t.last_covered) for t in suggested] == [
        (never, None),
        (older, datetime.date(2019, 3, 1)),
        (old, datetime.date(2022, 3, 1)),
    ]


def test_suggestion_limit_counts_both_kinds(org):
    plan = _plan_with_targets(org, 9, start_year=2024)
    plan.start_year, plan.end_year = 2027, 2029  # the 2024 coverage now came before the plan
    plan.save()
    refresh_coverage(organization=org, plan_ids=[plan.pk])

    suggested = plan_suggested_targets(org=org, plan=plan, limit=4)

    # 3 never covered, then 1 of the 6 covered before: 4 in all, not 4 of each kind.
    assert [t.last_covered is None for t in suggested] == [True, True, True, False]
