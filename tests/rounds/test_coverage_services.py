"""Coverage plan and extension-visit services: the business rules, without the web layer."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts import services as unit_services
from accounts.errors import DomainError
from rounds.models import CoveragePlan, ExtensionVisit
from rounds.services import coverage as services
from rounds.taxonomy import Stage
from tests.factories import CoveragePlanFactory, InspectionFactory, UnitFactory
from xuncha.tenancy import dangerously_unscoped

VISIT = {
    "occasion": ExtensionVisit.Occasion.ONSITE,
    "visited_on": datetime.date(2025, 4, 1),
    "visit_reference": "第一次现场走访",
}


@pytest.fixture
def plan(org) -> CoveragePlan:
    return CoveragePlanFactory(organization=org, start_year=2024, end_year=2026)


def _targeted(plan) -> dict[str, int | None]:
    return dict(plan.targets.values_list("unit__name", "planned_year"))


def test_create_plan_records_its_author(org, office_user):
    plan = services.create_plan(
        org=org, actor=office_user, name="2024—2026年巡察规划", start_year=2024, end_year=2026
    )

    assert (plan.organization, plan.created_by, plan.years) == (
        org,
        office_user,
        [2024, 2025, 2026],
    )


@pytest.mark.parametrize(("start", "end"), [(2026, 2024), (2024, 2034)])
def test_create_plan_refuses_bad_periods(org, office_user, start, end):
    with pytest.raises(DomainError):
        services.create_plan(
            org=org, actor=office_user, name="规划", start_year=start, end_year=end
        )

    assert not CoveragePlan.objects.exists()


def test_ten_year_plan_is_allowed(org, office_user):
    plan = services.create_plan(
        org=org, actor=office_user, name="十年", start_year=2024, end_year=2033
    )

    assert len(plan.years) == 10


def test_update_plan_refuses_to_strand_planned_targets(plan, unit_tree, office_user):
    name = plan.name
    services.add_targets(
        plan=plan, actor=office_user, unit=unit_tree["mianyang"], planned_year=2026
    )

    with pytest.raises(DomainError):
        services.update_plan(plan=plan, actor=office_user, name="x", start_year=2024, end_year=2025)

    plan.refresh_from_db()
    assert (plan.name, plan.end_year) == (name, 2026)


def test_add_targets_takes_a_whole_subtree(plan, unit_tree, office_user):
    added = services.add_targets(
        plan=plan, actor=office_user, unit=unit_tree["chengdu"], include_subunits=True
    )

    assert added == 3
    assert set(_targeted(plan)) == {"成都分公司", "锦江区分公司", "春熙路分局"}


def test_add_targets_without_sub_units_takes_the_unit_only(plan, unit_tree, office_user):
    services.add_targets(plan=plan, actor=office_user, unit=unit_tree["chengdu"])

    assert _targeted(plan) == {"成都分公司": None}


def test_adding_a_targeted_unit_again_is_idempotent(plan, unit_tree, office_user):
    services.add_targets(plan=plan, actor=office_user, unit=unit_tree["jinjiang"])

    added = services.add_targets(
        plan=plan, actor=office_user, unit=unit_tree["chengdu"], include_subunits=True
    )

    assert added == 2
    assert plan.targets.count() == 3


def test_adding_again_with_a_year_schedules_the_existing_targets(plan, unit_tree, office_user):
    services.add_targets(plan=plan, actor=office_user, unit=unit_tree["jinjiang"])

    services.add_targets(
        plan=plan, actor=office_user, unit=unit_tree["jinjiang"], planned_year=2025
    )

    assert _targeted(plan) == {"锦江区分公司": 2025}


def test_inactive_unit_cannot_be_added(plan, unit_tree, office_user):
    unit_services.deactivate_unit(unit=unit_tree["mianyang"], actor=office_user)
    unit_tree["mianyang"].refresh_from_db()

    with pytest.raises(DomainError):
        services.add_targets(plan=plan, actor=office_user, unit=unit_tree["mianyang"])

    assert not plan.targets.exists()


def test_subtree_add_skips_inactive_sub_units(plan, unit_tree, office_user):
    unit_services.deactivate_unit(unit=unit_tree["outlet"], actor=office_user)

    services.add_targets(
        plan=plan, actor=office_user, unit=unit_tree["chengdu"], include_subunits=True
    )

    assert set(_targeted(plan)) == {"成都分公司", "锦江区分公司"}


def test_another_organizations_unit_cannot_be_added(plan, other_org, office_user):
    foreign = UnitFactory(organization=other_org)

    with pytest.raises(DomainError):
        services.add_targets(plan=plan, actor=office_user, unit=foreign)

    assert not plan.targets.exists()


@pytest.mark.parametrize("year", [2023, 2027])
def test_planned_year_must_be_within_the_plan(plan, unit_tree, office_user, year):
    with pytest.raises(DomainError):
        services.add_targets(
            plan=plan, actor=office_user, unit=unit_tree["mianyang"], planned_year=year
        )

    assert not plan.targets.exists()


def test_remove_target(plan, unit_tree, office_user):
    services.add_targets(
        plan=plan, actor=office_user, unit=unit_tree["chengdu"], include_subunits=True
    )
    target = plan.targets.get(unit=unit_tree["jinjiang"])

    services.remove_target(target=target, actor=office_user)

    assert set(_targeted(plan)) == {"成都分公司", "春熙路分局"}


@pytest.fixture
def onsite(org, unit_tree):
    """The inspection of 锦江区分公司, on site."""
    return InspectionFactory(organization=org, unit=unit_tree["jinjiang"], stage=Stage.ONSITE)


def test_extension_visit_of_a_sub_unit_is_recorded(onsite, unit_tree, office_user):
    visit = services.record_extension_visit(
        inspection=onsite, actor=office_user, unit=unit_tree["outlet"], **VISIT
    )

    assert (visit.unit, visit.inspection, visit.recorded_by) == (
        unit_tree["outlet"],
        onsite,
        office_user,
    )
    assert visit.organization == onsite.organization


@pytest.mark.parametrize("name", ["jinjiang", "chengdu", "mianyang"])  # itself, parent, unrelated
def test_extension_visit_must_be_a_sub_unit(onsite, unit_tree, office_user, name):
    with pytest.raises(DomainError):
        services.record_extension_visit(
            inspection=onsite, actor=office_user, unit=unit_tree[name], **VISIT
        )

    assert not ExtensionVisit.objects.exists()


def test_extension_visit_unit_must_be_in_the_same_organization(onsite, other_org, office_user):
    foreign = UnitFactory(organization=other_org)
    foreign.path = onsite.unit.path + "99999999/"  # even if its path looks like a descendant

    with pytest.raises(DomainError):
        services.record_extension_visit(inspection=onsite, actor=office_user, unit=foreign, **VISIT)

    with dangerously_unscoped():  # every organization's rows
        assert not ExtensionVisit.objects.exists()


@pytest.mark.parametrize(
    ("stage", "occasion"),
    [
        (Stage.ONSITE, "onsite"),
        (Stage.FEEDBACK, "onsite"),  # recorded after the on-site phase
        (Stage.RECTIFICATION, "supervision"),
        (Stage.CLOSED, "acceptance"),
    ],
)
def test_extension_visit_is_recorded_once_its_occasion_is_reached(
    onsite, unit_tree, office_user, stage, occasion
):
    onsite.stage = stage

    services.record_extension_visit(
        inspection=onsite,
        actor=office_user,
        unit=unit_tree["outlet"],
        **VISIT | {"occasion": occasion},
    )

    assert ExtensionVisit.objects.get().occasion == occasion


@pytest.mark.parametrize(
    ("stage", "occasion"),
    [
        (Stage.PREPARATION, "onsite"),
        (Stage.ONSITE, "supervision"),
        (Stage.RECTIFICATION, "acceptance"),
        (Stage.CLOSED, "chat"),
    ],
)
def test_extension_visit_before_its_occasion_is_refused(
    onsite, unit_tree, office_user, stage, occasion
):
    onsite.stage = stage

    with pytest.raises(DomainError):
        services.record_extension_visit(
            inspection=onsite,
            actor=office_user,
            unit=unit_tree["outlet"],
            **VISIT | {"occasion": occasion},
        )

    assert not ExtensionVisit.objects.exists()


def test_extension_visit_cannot_be_in_the_future(onsite, unit_tree, office_user):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(DomainError):
        services.record_extension_visit(
            inspection=onsite,
            actor=office_user,
            unit=unit_tree["outlet"],
            **VISIT | {"visited_on": tomorrow},
        )

    assert not ExtensionVisit.objects.exists()
