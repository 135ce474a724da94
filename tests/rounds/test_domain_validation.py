"""Values an inspection office would never enter are refused by the services (``DomainError``
on the field concerned), shown on that field of the form (``is-invalid`` and the message under
it), and save nothing: round periods, leader authorizations, stage plans, inspection settings
and plan names. The inspector pool's rules are in ``test_pool_validation``."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts.errors import DomainError
from rounds.models import CoveragePlan, InspectionSettings, Round, StagePlan, Team
from rounds.services import coverage as coverage_services
from rounds.services import inspections as inspection_services
from rounds.services import teams as team_services
from tests.factories import (
    CoveragePlanFactory,
    InspectionFactory,
    RoundFactory,
    TeamFactory,
)
from tests.form_errors import field_error

D = datetime.date


def refusal(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    return caught.value


# --- 1. round periods: start ≤ end, at most 366 days ----------------------------------------

ROUND = {"name": "2025年第二轮巡察", "kind": "routine", "description": ""}


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2025, 9, 1), D(2026, 9, 2)),
        (D(2025, 3, 1), D(2035, 3, 1)),
        (D(2025, 9, 1), D(2025, 8, 31)),
    ],
    ids=["367-days", "ten-years", "end-before-start"],
)
def test_a_round_period_no_office_runs_is_refused_on_the_end_date(org, office_user, start, end):
    error = refusal(
        team_services.create_round,
        org=org,
        actor=office_user,
        start_date=start,
        end_date=end,
        **ROUND,
    )

    assert error.field == "end_date"
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    ("start", "end"), [(D(2024, 1, 1), D(2024, 12, 31)), (D(2025, 3, 1), D(2026, 3, 1))]
)
def test_a_round_of_a_full_year_is_accepted(org, office_user, start, end):
    team_services.create_round(org=org, actor=office_user, start_date=start, end_date=end, **ROUND)

    assert Round.objects.get().end_date == end


def test_round_form_shows_an_overlong_period_on_the_end_date(login, office_user):
    data = ROUND | {"start_date": "2025-09-01", "end_date": "2027-09-01"}

    response = login(office_user).post(reverse("rounds:round_create"), data)

    assert field_error(response, "end_date") == (
        "一轮巡察最长 366 天；2025-09-01 至 2027-09-01 共 731 天，请检查年份。"
    )
    assert not Round.objects.exists()


def test_round_edit_form_refuses_an_end_before_the_start_and_keeps_the_round(
    login, office_user, org
):
    round_ = RoundFactory(organization=org)
    data = ROUND | {"start_date": "2025-03-01", "end_date": "2025-02-01", "confirmed": "1"}

    response = login(office_user).post(reverse("rounds:round_edit", args=[round_.pk]), data)

    assert field_error(response, "end_date") == "结束日期不能早于开始日期。"
    round_.refresh_from_db()
    assert (round_.start_date, round_.end_date) == (D(2025, 3, 1), D(2025, 6, 30))


def test_shortening_a_round_past_a_team_authorization_is_refused(org, office_user):
    team = TeamFactory(round=RoundFactory(organization=org), authorized_on=D(2025, 6, 20))
    fields = ROUND | {"start_date": D(2025, 3, 1), "end_date": D(2025, 5, 31)}

    error = refusal(team_services.update_round, round=team.round, actor=office_user, **fields)

    assert error.field == "end_date"
    assert team.name in error.message
    assert Round.objects.get().end_date == D(2025, 6, 30)


def test_shortening_a_round_past_a_planned_stage_is_refused(org, office_user):
    inspection = InspectionFactory(round=RoundFactory(organization=org))
    StagePlan.objects.create(
        organization=org, inspection=inspection, stage="onsite", planned_end=D(2025, 6, 15)
    )
    fields = ROUND | {"start_date": D(2025, 3, 1), "end_date": D(2025, 5, 31)}

    error = refusal(team_services.update_round, round=inspection.round, actor=office_user, **fields)

    assert (error.field, inspection.unit.name in error.message) == ("end_date", True)
    assert Round.objects.get().end_date == D(2025, 6, 30)


# --- 2. a leader's authorization belongs to its round ----------------------------------------
# The round runs 2025-03-01 to 2025-06-30 (RoundFactory).


@pytest.mark.parametrize(
    "day",
    [D(2025, 7, 1), D(2026, 3, 1), D(2024, 9, 1)],
    ids=["day-after-the-end", "a-year-later", "half-a-year-before"],
)
def test_an_authorization_outside_its_round_is_refused(org, office_user, day):
    round_ = RoundFactory(organization=org)

    error = refusal(
        team_services.create_team,
        round=round_,
        actor=office_user,
        name="第二巡察组",
        authorization_ref="川电党〔2025〕7号",
        authorized_on=day,
    )

    assert error.field == "authorized_on"
    assert not Team.objects.exists()


def test_an_authorization_of_a_round_in_year_one_is_judged_not_a_crash(org, office_user):
    """Found by fuzzing the API: the earliest allowed day of a round starting in year 1 lies
    before any date there is."""
    round_ = RoundFactory(organization=org, start_date=D(1, 1, 5), end_date=D(1, 6, 30))

    team = team_services.create_team(
        round=round_,
        actor=office_user,
        name="第二巡察组",
        authorization_ref="7号",
        authorized_on=D(1, 1, 1),
    )

    assert team.authorized_on == D(1, 1, 1)


@pytest.mark.parametrize("day", [D(2025, 2, 20), D(2025, 3, 1), D(2025, 6, 30), D(2024, 9, 2)])
def test_an_authorization_before_or_during_its_round_is_accepted(org, office_user, day):
    round_ = RoundFactory(organization=org)

    team = team_services.create_team(
        round=round_,
        actor=office_user,
        name="第二巡察组",
        authorization_ref="7号",
        authorized_on=day,
    )

    assert team.authorized_on == day


def test_team_form_shows_an_authorization_after_the_round_on_its_date(login, office_user, org):
    round_ = RoundFactory(organization=org)
    data = {"name": "第二巡察组", "authorization_ref": "7号", "authorized_on": "2025-08-01"}

    response = login(office_user).post(reverse("rounds:team_create", args=[round_.pk]), data)

    assert field_error(response, "authorized_on") == (
        "授权日期 2025-08-01 晚于本轮巡察结束日期（2025-06-30）：组长“一次一授权”，"
        "应在本轮开始前或进行中授权。"
    )
    assert not Team.objects.exists()


def test_team_edit_form_refuses_a_new_date_and_keeps_the_old(login, office_user, org):
    team = TeamFactory(
        round=RoundFactory(organization=org), authorization_ref="7号", authorized_on=D(2025, 3, 1)
    )
    data = {"name": team.name, "authorization_ref": "7号", "authorized_on": "2023-03-01"}

    response = login(office_user).post(reverse("rounds:team_edit", args=[team.pk]), data)

    assert "本轮" in field_error(response, "authorized_on")
    team.refresh_from_db()
    assert team.authorized_on == D(2025, 3, 1)


def test_a_team_keeps_an_authorization_date_stored_before_the_rule(org, office_user):
    team = TeamFactory(
        round=RoundFactory(organization=org), authorization_ref="7号", authorized_on=D(2020, 1, 1)
    )

    team_services.update_team(
        team=team,
        actor=office_user,
        name="第九巡察组",
        authorization_ref="7号",
        authorized_on=D(2020, 1, 1),
    )

    assert Team.objects.get().name == "第九巡察组"


# --- 3. the schedule: stages in order, inside the round --------------------------------------


@pytest.fixture
def inspection(org):
    return InspectionFactory(round=RoundFactory(organization=org))


def _save(inspection, actor, **dates):
    return inspection_services.save_schedule(inspection=inspection, actor=actor, dates=dates)


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        (
            {"planning": (D(2025, 3, 10), D(2025, 3, 20)), "preparation": (D(2025, 3, 5), None)},
            "preparation_start",
        ),
        (
            {
                "planning": (D(2025, 3, 1), D(2025, 3, 20)),
                "onsite": (D(2025, 3, 5), D(2025, 3, 15)),
            },
            "onsite_end",
        ),
        ({"planning": (D(2025, 3, 10), None), "onsite": (None, D(2025, 3, 5))}, "onsite_end"),
        ({"planning": (D(2025, 2, 20), D(2025, 3, 5))}, "planning_start"),
        ({"acceptance": (D(2025, 6, 1), D(2025, 7, 31))}, "acceptance_end"),
        ({"onsite": (D(2025, 4, 30), D(2025, 4, 1))}, "onsite_end"),
    ],
    ids=[
        "starts-before-the-stage-before",
        "ends-before-the-stage-before",
        "ends-before-the-stage-before-starts",
        "starts-before-the-round",
        "ends-after-the-round",
        "ends-before-it-starts",
    ],
)
def test_a_schedule_out_of_order_or_outside_the_round_is_refused(
    inspection, office_user, dates, field
):
    error = refusal(_save, inspection=inspection, actor=office_user, **dates)

    assert error.field == field
    assert not StagePlan.objects.exists()


def test_overlapping_stages_in_order_are_accepted(inspection, office_user):
    _save(
        inspection,
        office_user,
        mobilization=(D(2025, 4, 1), D(2025, 4, 1)),
        onsite=(D(2025, 4, 1), D(2025, 4, 30)),
        reporting=(D(2025, 4, 25), D(2025, 5, 20)),
    )

    assert StagePlan.objects.count() == 3


def test_a_stage_is_checked_against_the_stages_already_planned(inspection, office_user):
    _save(inspection, office_user, onsite=(D(2025, 4, 1), D(2025, 4, 30)))

    error = refusal(
        _save, inspection=inspection, actor=office_user, planning=(D(2025, 4, 10), D(2025, 4, 20))
    )

    assert error.field == "onsite_start"
    assert list(StagePlan.objects.values_list("stage", flat=True)) == ["onsite"]


def test_schedule_form_shows_a_stage_planned_before_the_one_before_it_on_that_date(
    login, office_user, org
):
    inspection = InspectionFactory(round=RoundFactory(organization=org))
    data = {f"{stage}_{edge}": "" for stage in ["planning", "onsite"] for edge in ["start", "end"]}
    data |= {"planning_start": "2025-03-10", "planning_end": "2025-03-20"}
    data |= {"onsite_start": "2025-03-05", "onsite_end": "2025-04-05"}
    url = reverse("rounds:inspection_schedule", args=[inspection.pk])

    response = login(office_user).post(url, data)

    assert field_error(response, "onsite_start") == (
        "“现场巡察”的开始日期不能早于“制定方案”的开始日期（2025-03-10）。"
    )
    assert not StagePlan.objects.exists()


def test_schedule_form_shows_a_date_outside_the_round_on_that_date(login, office_user, org):
    inspection = InspectionFactory(round=RoundFactory(organization=org))
    url = reverse("rounds:inspection_schedule", args=[inspection.pk])

    response = login(office_user).post(url, {"acceptance_end": "2025-12-31"})

    assert "不在本轮巡察期间" in field_error(response, "acceptance_end")
    assert not StagePlan.objects.exists()


# --- 4. inspection settings within what an office would set ----------------------------------

SETTINGS = {"onsite_days": 30, "rectification_months": 2, "min_supervision_visits": 2}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("onsite_days", 6),
        ("onsite_days", 121),
        ("rectification_months", 0),
        ("rectification_months", 13),
        ("min_supervision_visits", -1),
        ("min_supervision_visits", 11),
    ],
)
def test_settings_out_of_bounds_are_refused_on_their_field(org, office_user, field, value):
    error = refusal(
        inspection_services.update_inspection_settings,
        org=org,
        actor=office_user,
        report_months=[3, 6, 12],
        **SETTINGS | {field: value},
    )

    assert error.field == field
    assert not InspectionSettings.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"onsite_days": 7, "rectification_months": 1, "min_supervision_visits": 0},
        {"onsite_days": 120, "rectification_months": 12, "min_supervision_visits": 10},
    ],
    ids=["lowest", "highest"],
)
def test_settings_at_their_bounds_are_saved(org, office_user, values):
    inspection_services.update_inspection_settings(
        org=org, actor=office_user, report_months=[3], **values
    )

    saved = InspectionSettings.objects.get()
    assert (saved.onsite_days, saved.rectification_months, saved.min_supervision_visits) == (
        tuple(values.values())
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("onsite_days", 365, "现场巡察时间应为 7 至 120 天。"),
        ("rectification_months", 24, "整改期限应为 1 至 12 个月。"),
        ("min_supervision_visits", 50, "整改督导最少次数应为 0 至 10 次。"),
    ],
)
def test_settings_form_shows_a_value_out_of_bounds_on_its_field(
    login, office_user, field, value, message
):
    data = SETTINGS | {"report_months": "3,6,12", field: value}

    response = login(office_user).post(reverse("rounds:inspection_settings"), data)

    assert field_error(response, field) == message
    assert not InspectionSettings.objects.exists()


# --- 6. one plan per name in an organization -------------------------------------------------

PLAN = {"start_year": 2024, "end_year": 2026, "description": ""}


def test_a_second_plan_of_the_same_name_is_refused_on_the_name(org, office_user):
    CoveragePlanFactory(organization=org, name="2024—2026年巡察规划")

    error = refusal(
        coverage_services.create_plan,
        org=org,
        actor=office_user,
        name="2024—2026年巡察规划",
        **PLAN,
    )

    assert error.field == "name"
    assert CoveragePlan.objects.count() == 1


def test_another_organization_may_use_the_same_plan_name(org, other_org, office_user):
    CoveragePlanFactory(organization=other_org, name="2024—2026年巡察规划")

    coverage_services.create_plan(org=org, actor=office_user, name="2024—2026年巡察规划", **PLAN)

    assert CoveragePlan.objects.filter(organization=org).count() == 1


def test_renaming_a_plan_to_a_taken_name_is_refused(org, office_user):
    CoveragePlanFactory(organization=org, name="2024—2026年巡察规划")
    plan = CoveragePlanFactory(organization=org, name="2027—2029年巡察规划")

    error = refusal(
        coverage_services.update_plan,
        plan=plan,
        actor=office_user,
        name="2024—2026年巡察规划",
        **PLAN,
    )

    assert error.field == "name"
    plan.refresh_from_db()
    assert plan.name == "2027—2029年巡察规划"


def test_saving_a_plan_under_its_own_name_is_accepted(org, office_user):
    plan = CoveragePlanFactory(organization=org, name="2024—2026年巡察规划")

    coverage_services.update_plan(
        plan=plan, actor=office_user, name="2024—2026年巡察规划", **PLAN | {"description": "新"}
    )

    plan.refresh_from_db()
    assert plan.description == "新"


def test_the_database_refuses_a_duplicate_plan_name_too(org):
    CoveragePlanFactory(organization=org, name="2024—2026年巡察规划")

    with pytest.raises(IntegrityError):
        CoveragePlanFactory(organization=org, name="2024—2026年巡察规划")


def test_a_concurrent_duplicate_reaching_the_database_gets_the_same_refusal(org):
    CoveragePlanFactory(organization=org, name="2024—2026年巡察规划")

    with (
        pytest.raises(DomainError) as caught,
        coverage_services._saving_plan_name("2024—2026年巡察规划"),
    ):
        CoveragePlanFactory(organization=org, name="2024—2026年巡察规划")

    assert caught.value.field == "name"
    assert CoveragePlan.objects.count() == 1


def test_plan_form_shows_a_taken_name_on_the_name(login, office_user, org):
    CoveragePlanFactory(organization=org, name="2024—2026年巡察规划")
    data = PLAN | {"name": "2024—2026年巡察规划"}

    response = login(office_user).post(reverse("rounds:plan_create"), data)

    assert field_error(response, "name") == (
        "已有名为“2024—2026年巡察规划”的巡察规划，请换一个名称。"
    )
    assert CoveragePlan.objects.count() == 1


def test_plan_edit_form_refuses_a_taken_name_and_keeps_the_old(login, office_user, org):
    CoveragePlanFactory(organization=org, name="2024—2026年巡察规划")
    plan = CoveragePlanFactory(organization=org, name="2027—2029年巡察规划")
    data = PLAN | {"name": "2024—2026年巡察规划", "confirmed": "1"}

    response = login(office_user).post(reverse("rounds:plan_edit", args=[plan.pk]), data)

    assert "已有名为" in field_error(response, "name")
    plan.refresh_from_db()
    assert plan.name == "2027—2029年巡察规划"
