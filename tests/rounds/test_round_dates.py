"""A round's dates keep its mobilized inspections inside it, and a change of dates that alters
which plan targets count as covered is confirmed before it is saved."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.errors import DomainError
from rounds.models import CoveragePlan, CoverageTarget, Inspection, Round, StageTransition
from rounds.selectors.round_dates import plan_coverage_change_list
from rounds.services import coverage
from rounds.services import teams as team_services
from rounds.taxonomy import Stage
from tests.factories import (
    CoveragePlanFactory,
    ExtensionVisitFactory,
    InspectionFactory,
    RoundFactory,
)

D = datetime.date.fromisoformat


@pytest.fixture
def round_(org) -> Round:
    """Deployed on 1 December 2024, until the end of June 2025."""
    return RoundFactory(
        organization=org, name="第三轮巡察", start_date=D("2024-12-01"), end_date=D("2025-06-30")
    )


def _mobilized(round_: Round, unit, day: str, stage: str = Stage.MOBILIZATION) -> Inspection:
    """An inspection of ``unit`` in ``round_`` that moved into mobilization on ``day``."""
    inspection = InspectionFactory(round=round_, unit=unit, stage=stage)
    moment = timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T09:00"))
    StageTransition.objects.create(
        organization=round_.organization,
        inspection=inspection,
        from_stage=Stage.PREPARATION,
        to_stage=Stage.MOBILIZATION,
        at=moment,
        effective_at=moment,
    )
    return inspection


@pytest.fixture
def plan_2024(org, unit_tree, office_user) -> CoveragePlan:
    """A one-year plan, 2024, targeting 成都分公司 and 绵阳分公司."""
    plan = CoveragePlanFactory(organization=org, name="2024年规划", start_year=2024, end_year=2024)
    for unit in ("chengdu", "mianyang"):
        coverage.add_targets(plan=plan, actor=office_user, unit=unit_tree[unit])
    return plan


def _update(round_: Round, actor, start: str, end: str) -> Round:
    return team_services.update_round(
        round=round_,
        actor=actor,
        name=round_.name,
        kind=round_.kind,
        start_date=D(start),
        end_date=D(end),
        focus_areas=round_.focus_areas,
    )


def _form(round_: Round, start: str, end: str, **extra: str) -> dict:
    return {
        "name": round_.name,
        "kind": round_.kind,
        "start_date": start,
        "end_date": end,
        "focus_areas": round_.focus_areas,
        "description": "",
        **extra,
    }


def _edit_url(round_: Round) -> str:
    return reverse("rounds:round_edit", args=[round_.pk])


def _dates(round_: Round) -> tuple[datetime.date, datetime.date]:
    round_.refresh_from_db()
    return round_.start_date, round_.end_date


def _covered(plan: CoveragePlan) -> int:
    return CoverageTarget.objects.filter(plan=plan, covered=True).count()


# -- mobilized inspections stay inside the round ----------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"), [("2025-01-11", "2025-06-30"), ("2024-12-01", "2025-01-09")]
)
def test_new_dates_cannot_leave_out_a_mobilized_inspection(
    office_user, round_, unit_tree, start, end
):
    _mobilized(round_, unit_tree["chengdu"], "2025-01-10")

    with pytest.raises(DomainError, match="成都分公司（2025-01-10进驻）"):
        _update(round_, office_user, start, end)

    assert _dates(round_) == (D("2024-12-01"), D("2025-06-30"))


def test_an_inspection_past_mobilization_holds_the_dates_too(office_user, round_, unit_tree):
    _mobilized(round_, unit_tree["mianyang"], "2025-01-10", stage=Stage.RECTIFICATION)

    with pytest.raises(DomainError, match="绵阳分公司"):
        _update(round_, office_user, "2025-02-01", "2025-06-30")


def test_dates_that_still_hold_every_mobilization_are_saved(office_user, round_, unit_tree):
    _mobilized(round_, unit_tree["chengdu"], "2025-01-10")

    _update(round_, office_user, "2025-01-10", "2025-05-31")

    assert _dates(round_) == (D("2025-01-10"), D("2025-05-31"))


def test_inspections_not_yet_mobilized_do_not_hold_the_dates(office_user, round_, unit_tree):
    InspectionFactory(round=round_, unit=unit_tree["chengdu"], stage=Stage.PREPARATION)

    _update(round_, office_user, "2025-03-01", "2025-06-30")

    assert _dates(round_) == (D("2025-03-01"), D("2025-06-30"))


def test_the_edit_form_names_the_inspections_and_saves_nothing(
    login, office_user, round_, unit_tree
):
    _mobilized(round_, unit_tree["chengdu"], "2025-01-10")
    _mobilized(round_, unit_tree["mianyang"], "2025-01-20")

    response = login(office_user).post(_edit_url(round_), _form(round_, "2025-01-15", "2025-06-30"))

    errors = response.context["form"].errors["start_date"][0]
    assert response.status_code == 200
    assert "成都分公司（2025-01-10进驻）" in errors
    assert "绵阳分公司" not in errors  # mobilized inside the new dates
    assert _dates(round_) == (D("2024-12-01"), D("2025-06-30"))


# -- a change of coverage is confirmed first --------------------------------------------------


def test_the_change_per_plan_leaves_out_units_covered_anyway(
    org, office_user, round_, unit_tree, plan_2024
):
    _mobilized(round_, unit_tree["chengdu"], "2025-01-10")
    _mobilized(round_, unit_tree["mianyang"], "2025-01-10")
    other = InspectionFactory(round=RoundFactory(organization=org), unit=unit_tree["jinjiang"])
    ExtensionVisitFactory(inspection=other, unit=unit_tree["mianyang"], visited_on=D("2024-05-01"))

    changes = plan_coverage_change_list(
        round=round_, start_date=D("2025-01-01"), end_date=D("2025-06-30")
    )

    assert [(c.plan_name, c.lost, c.gained) for c in changes] == [("2024年规划", 1, 0)]


def test_moving_into_a_plans_years_is_a_gain(office_user, org, unit_tree, plan_2024):
    later = RoundFactory(organization=org, start_date=D("2025-03-01"), end_date=D("2025-06-30"))
    _mobilized(later, unit_tree["chengdu"], "2025-03-05")

    changes = plan_coverage_change_list(
        round=later, start_date=D("2024-12-15"), end_date=D("2025-06-30")
    )

    assert [(c.lost, c.gained) for c in changes] == [(0, 1)]


def test_a_coverage_change_asks_first_and_saves_nothing(
    login, office_user, round_, unit_tree, plan_2024
):
    _mobilized(round_, unit_tree["chengdu"], "2025-01-10")
    covered = _covered(plan_2024)

    response = login(office_user).post(_edit_url(round_), _form(round_, "2025-01-01", "2025-06-30"))

    assert response.status_code == 200
    assert response.templates[0].name == "_confirm.html"
    assert "巡察规划“2024年规划”将减少1个已覆盖单位。" in response.content.decode()
    assert _dates(round_) == (D("2024-12-01"), D("2025-06-30"))
    assert (covered, _covered(plan_2024)) == (1, 1)


def test_the_confirmation_carries_the_typed_values_back(
    login, office_user, round_, unit_tree, plan_2024
):
    _mobilized(round_, unit_tree["chengdu"], "2025-01-10")

    response = login(office_user).post(_edit_url(round_), _form(round_, "2025-01-01", "2025-06-30"))

    carried = dict(response.context["carried"])
    assert (carried["start_date"], carried["end_date"]) == ("2025-01-01", "2025-06-30")
    assert response.context["action"] == _edit_url(round_)


def test_a_confirmed_coverage_change_is_saved_and_uncovers_the_unit(
    login, office_user, round_, unit_tree, plan_2024
):
    _mobilized(round_, unit_tree["chengdu"], "2025-01-10")
    data = _form(round_, "2025-01-01", "2025-06-30", confirmed="1")

    response = login(office_user).post(_edit_url(round_), data)

    assert response.url == reverse("rounds:round_detail", args=[round_.pk])
    assert _dates(round_) == (D("2025-01-01"), D("2025-06-30"))
    assert _covered(plan_2024) == 0


def test_a_change_that_keeps_coverage_is_saved_at_once(
    login, office_user, round_, unit_tree, plan_2024
):
    _mobilized(round_, unit_tree["chengdu"], "2025-01-10")

    response = login(office_user).post(_edit_url(round_), _form(round_, "2024-12-20", "2025-05-31"))

    assert response.status_code == 302
    assert _dates(round_) == (D("2024-12-20"), D("2025-05-31"))
    assert _covered(plan_2024) == 1


def test_a_refused_change_is_refused_before_any_question(
    login, office_user, round_, unit_tree, plan_2024
):
    """Moving the start past a mobilization would also uncover the unit: the refusal comes
    first, not a confirmation of a change that cannot be saved."""
    _mobilized(round_, unit_tree["chengdu"], "2025-01-10")

    response = login(office_user).post(_edit_url(round_), _form(round_, "2025-02-01", "2025-06-30"))

    assert response.templates[0].name == "rounds/teams/round_form.html"
    assert "start_date" in response.context["form"].errors
    assert _dates(round_) == (D("2024-12-01"), D("2025-06-30"))
