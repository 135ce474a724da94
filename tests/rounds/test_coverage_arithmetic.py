"""Coverage arithmetic: which targets a plan counts as covered, the figures and the suggestion."""

from __future__ import annotations

import datetime

import pytest

from accounts import services as unit_services
from rounds.models import CoveragePlan
from rounds.selectors import coverage as selectors
from rounds.services import coverage as services
from rounds.taxonomy import Stage
from tests.factories import (
    CoveragePlanFactory,
    ExtensionVisitFactory,
    InspectionFactory,
    RoundFactory,
    UnitFactory,
)

TODAY = datetime.date(2025, 6, 1)


@pytest.fixture
def plan(org, unit_tree, office_user) -> CoveragePlan:
    """2024–2026, targeting the four units of the tree."""
    plan = CoveragePlanFactory(organization=org, start_year=2024, end_year=2026)
    for root in ("chengdu", "mianyang"):
        services.add_targets(
            plan=plan, actor=office_user, unit=unit_tree[root], include_subunits=True
        )
    return plan


def _round(org, start: str, end: str):
    return RoundFactory(
        organization=org,
        start_date=datetime.date.fromisoformat(start),
        end_date=datetime.date.fromisoformat(end),
    )


def _covered(org, plan) -> dict[str, bool]:
    return {t.unit.name: t.covered for t in selectors.plan_target_list(org=org, plan=plan)}


def _figures(org, plan, today=TODAY):
    return selectors.plan_figures(org=org, plan=plan, today=today)


def test_plan_without_targets_is_zero_percent(org):
    plan = CoveragePlanFactory(organization=org)

    figures = _figures(org, plan)

    assert (figures.total, figures.covered, figures.percent) == (0, 0, 0.0)


@pytest.mark.parametrize("stage", Stage)
def test_only_closed_or_running_inspections_cover(org, plan, unit_tree, stage):
    InspectionFactory(organization=org, unit=unit_tree["mianyang"], stage=stage)

    covered = _covered(org, plan)["绵阳分公司"]

    assert covered is (stage not in {Stage.PLANNING, Stage.PREPARATION})


def test_coverage_grows_as_inspections_move_and_close(org, plan, unit_tree):
    inspections = [
        InspectionFactory(organization=org, unit=unit_tree[name])
        for name in ("chengdu", "mianyang")
    ]
    seen = [_figures(org, plan).percent]
    for inspection, stage in zip(inspections, (Stage.MOBILIZATION, Stage.CLOSED), strict=True):
        inspection.stage = stage
        inspection.save()
        services.refresh_coverage(organization=org, unit_ids=[inspection.unit_id])
        seen.append(_figures(org, plan).percent)

    assert seen == [0.0, 25.0, 50.0]


@pytest.mark.parametrize(
    ("start", "end", "covers"),
    [
        ("2023-03-01", "2023-06-30", False),  # before the period
        ("2027-03-01", "2027-06-30", False),  # after it
        ("2023-11-01", "2024-02-28", True),  # straddles the first year
        ("2026-11-01", "2027-01-31", True),  # straddles the last year
    ],
)
def test_only_rounds_overlapping_the_period_cover(org, plan, unit_tree, start, end, covers):
    rnd = _round(org, start, end)
    InspectionFactory(organization=org, round=rnd, unit=unit_tree["mianyang"], stage=Stage.CLOSED)

    assert _covered(org, plan)["绵阳分公司"] is covers


def test_extension_visit_covers_the_visited_sub_unit(org, plan, unit_tree):
    inspection = InspectionFactory(organization=org, unit=unit_tree["jinjiang"], stage="onsite")
    ExtensionVisitFactory(organization=org, inspection=inspection, unit=unit_tree["outlet"])

    assert _covered(org, plan) == {
        "成都分公司": False,
        "锦江区分公司": True,
        "春熙路分局": True,
        "绵阳分公司": False,
    }


def test_extension_visit_outside_the_period_does_not_cover(org, plan, unit_tree):
    visit_day = datetime.date(2023, 12, 31)
    ExtensionVisitFactory(organization=org, unit=unit_tree["outlet"], visited_on=visit_day)

    assert _covered(org, plan)["春熙路分局"] is False


def test_another_organizations_inspection_never_counts(org, other_org, plan, unit_tree):
    InspectionFactory(organization=other_org, stage=Stage.CLOSED)

    assert _figures(org, plan).covered == 0


def test_coverage_per_level_is_labelled_by_the_kinds_at_that_level(org, plan, unit_tree):
    InspectionFactory(organization=org, unit=unit_tree["chengdu"], stage=Stage.CLOSED)
    InspectionFactory(organization=org, unit=unit_tree["outlet"], stage=Stage.ONSITE)

    levels = _figures(org, plan).levels

    assert [(lv.depth, lv.kinds, lv.covered, lv.total, lv.percent) for lv in levels] == [
        (0, ["branch"], 1, 2, 50.0),
        (1, ["county_branch"], 0, 1, 0.0),
        (2, ["outlet"], 1, 1, 100.0),
    ]


def test_remaining_per_year_counts_uncovered_targets_by_planned_year(org, plan, unit_tree):
    years = {"chengdu": 2024, "jinjiang": 2025, "outlet": 2026, "mianyang": 2026}
    plan.targets.update(planned_year=None)
    for name, year in years.items():
        plan.targets.filter(unit=unit_tree[name]).update(planned_year=year)
    InspectionFactory(organization=org, unit=unit_tree["mianyang"], stage=Stage.CLOSED)

    figures = _figures(org, plan)

    assert [(row.year, row.remaining) for row in figures.per_year] == [(2025, 1), (2026, 1)]
    assert (figures.overdue, figures.unscheduled) == (1, 0)


def test_unscheduled_remainder_and_even_split(org, plan, unit_tree):
    plan.targets.filter(unit=unit_tree["outlet"]).update(planned_year=2026)

    figures = _figures(org, plan)

    assert figures.unscheduled == 3
    assert figures.remaining_years == [2025, 2026]
    assert figures.even_split == 2  # 4 uncovered over 2 remaining years


@pytest.mark.parametrize(
    ("today", "years", "split"),
    [
        (datetime.date(2023, 12, 31), [2024, 2025, 2026], 2),  # not started: every year
        (datetime.date(2026, 1, 1), [2026], 4),  # last year
        (datetime.date(2027, 1, 1), [], None),  # period over
    ],
)
def test_even_split_uses_the_remaining_years_including_this_one(org, plan, today, years, split):
    figures = _figures(org, plan, today=today)

    assert (figures.remaining_years, figures.even_split) == (years, split)


def test_suggestion_puts_never_covered_first_then_oldest_coverage(org, plan, unit_tree):
    old_round = _round(org, "2019-03-01", "2019-06-30")
    InspectionFactory(organization=org, round=old_round, unit=unit_tree["chengdu"], stage="closed")
    ExtensionVisitFactory(
        organization=org, unit=unit_tree["jinjiang"], visited_on=datetime.date(2021, 5, 1)
    )

    suggested = selectors.plan_suggested_targets(org=org, plan=plan)

    assert [t.unit.name for t in suggested] == [
        "春熙路分局",
        "绵阳分公司",
        "成都分公司",
        "锦江区分公司",
    ]
    assert [t.last_covered for t in suggested][2:] == [
        datetime.date(2019, 3, 1),
        datetime.date(2021, 5, 1),
    ]


def test_suggestion_skips_covered_and_deactivated_units_and_is_limited(
    org, plan, unit_tree, office_user
):
    InspectionFactory(organization=org, unit=unit_tree["chengdu"], stage=Stage.ONSITE)
    unit_services.deactivate_unit(unit=unit_tree["outlet"], actor=office_user)

    suggested = selectors.plan_suggested_targets(org=org, plan=plan, limit=1)

    assert [t.unit.name for t in suggested] == ["锦江区分公司"]


def test_last_covered_is_the_latest_inspection_or_visit_ever(org, plan, unit_tree):
    InspectionFactory(organization=org, unit=unit_tree["mianyang"], stage=Stage.CLOSED)
    ExtensionVisitFactory(
        organization=org, unit=unit_tree["mianyang"], visited_on=datetime.date(2025, 9, 1)
    )

    target = selectors.plan_target_list(org=org, plan=plan).get(unit=unit_tree["mianyang"])

    assert target.last_covered == datetime.date(2025, 9, 1)


def test_evidence_tells_how_each_target_is_covered(org, plan, unit_tree):
    inspection = InspectionFactory(organization=org, unit=unit_tree["jinjiang"], stage="closed")
    visit = ExtensionVisitFactory(organization=org, inspection=inspection, unit=unit_tree["outlet"])
    targets = list(selectors.plan_target_list(org=org, plan=plan))

    selectors.plan_target_evidence(org=org, plan=plan, targets=targets)

    how = {t.unit.name: (t.covering_inspections, t.covering_visits) for t in targets}
    assert how["锦江区分公司"] == ([inspection], [])
    assert how["春熙路分局"] == ([], [visit])
    assert how["绵阳分公司"] == ([], [])


def test_evidence_lists_the_latest_inspection_and_visit_first(org, plan, unit_tree):
    def inspect(start: datetime.date) -> object:
        round_ = RoundFactory(
            organization=org, start_date=start, end_date=start + datetime.timedelta(days=60)
        )
        return InspectionFactory(round=round_, unit=unit_tree["jinjiang"], stage=Stage.CLOSED)

    older, newer = inspect(datetime.date(2024, 3, 1)), inspect(datetime.date(2025, 3, 1))
    early, late = (
        ExtensionVisitFactory(
            organization=org, inspection=newer, unit=unit_tree["jinjiang"], visited_on=on
        )
        for on in (datetime.date(2025, 4, 1), datetime.date(2025, 5, 1))
    )
    targets = list(selectors.plan_target_list(org=org, plan=plan))

    selectors.plan_target_evidence(org=org, plan=plan, targets=targets)

    (jinjiang,) = [t for t in targets if t.unit_id == unit_tree["jinjiang"].pk]
    assert jinjiang.covering_inspections == [newer, older]
    assert [i.round_name for i in jinjiang.covering_inspections] == [
        newer.round.name,
        older.round.name,
    ]
    assert jinjiang.covering_visits == [late, early]
    assert [v.inspected_unit_name for v in jinjiang.covering_visits] == ["锦江区分公司"] * 2


def test_plan_list_counts_targets_and_covered_targets(org, plan, unit_tree):
    InspectionFactory(organization=org, unit=unit_tree["outlet"], stage=Stage.FEEDBACK)
    CoveragePlanFactory(organization=org, name="空规划", start_year=2020, end_year=2022)

    rows = selectors.plan_list(org=org)

    assert [(p.name, p.target_count, p.covered_count) for p in rows] == [
        (plan.name, 4, 1),
        ("空规划", 0, 0),
    ]


def test_plan_list_uses_each_plans_own_period(org, plan, unit_tree, office_user):
    InspectionFactory(organization=org, unit=unit_tree["outlet"], stage=Stage.CLOSED)
    later = CoveragePlanFactory(organization=org, start_year=2027, end_year=2029)
    services.add_targets(plan=later, actor=office_user, unit=unit_tree["outlet"])

    counts = {p.pk: p.covered_count for p in selectors.plan_list(org=org)}

    assert counts == {plan.pk: 1, later.pk: 0}


def test_unit_added_after_the_tree_counts_at_its_level(org, plan, unit_tree, office_user):
    new = UnitFactory(parent=unit_tree["mianyang"], name="涪城区分公司", kind="county_branch")
    services.add_targets(plan=plan, actor=office_user, unit=new)

    level = _figures(org, plan).levels[1]

    assert (level.depth, level.total) == (1, 2)
