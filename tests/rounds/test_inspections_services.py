"""Services around an inspection: settings, schedule, intelligence, work plan, look-back."""

from __future__ import annotations

import datetime

import pytest

from accounts.errors import DomainError
from rounds.models import (
    Inspection,
    InspectionSettings,
    IntelligenceItem,
    Problem,
    Round,
    StagePlan,
    StageTransition,
    WorkTask,
)
from rounds.services import inspections as services
from rounds.taxonomy import Stage
from tests.factories import (
    InspectionFactory,
    IntelligenceRequestFactory,
    ProblemFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
)
from xuncha.tenancy import dangerously_unscoped

D = datetime.date


@pytest.fixture
def inspection(org) -> Inspection:
    return InspectionFactory(round=RoundFactory(organization=org))


@pytest.fixture
def closed(inspection) -> Inspection:
    inspection.stage = Stage.CLOSED
    inspection.save(update_fields=["stage"])
    ProblemFactory(inspection=inspection, description="超标准公务接待", severity="major")
    ProblemFactory(inspection=inspection, description="选人用人程序不规范")
    return inspection


@pytest.fixture
def look_back_round(org) -> Round:
    return RoundFactory(organization=org, kind=Round.Kind.LOOK_BACK, name="2026年回头看")


def _settings(**values) -> InspectionSettings:
    return InspectionSettings(**{"onsite_days": 30, "rectification_months": 2, **values})


def test_settings_are_created_for_the_organization(org, office_user):
    services.update_inspection_settings(
        org=org,
        actor=office_user,
        onsite_days=45,
        rectification_months=3,
        min_supervision_visits=3,
        report_months=[12, 3, 6, 3],
    )

    saved = InspectionSettings.objects.get(organization=org)
    assert (saved.onsite_days, saved.rectification_months, saved.report_months) == (45, 3, "3,6,12")


@pytest.mark.parametrize("months", [[], [0, 3], [-1]])
def test_settings_refuse_report_months_that_are_not_positive(org, office_user, months):
    with pytest.raises(DomainError):
        services.update_inspection_settings(
            org=org,
            actor=office_user,
            onsite_days=30,
            rectification_months=2,
            min_supervision_visits=2,
            report_months=months,
        )

    assert not InspectionSettings.objects.filter(organization=org).exists()


def test_default_schedule_runs_stages_back_to_back():
    schedule = services.default_schedule(settings=_settings(), start=D(2025, 3, 1))

    assert schedule[Stage.PLANNING] == (D(2025, 3, 1), D(2025, 3, 7))
    assert schedule[Stage.PREPARATION][0] == D(2025, 3, 8)
    assert Stage.CLOSED not in schedule
    ends = [end for _start, end in schedule.values()]
    starts = [start for start, _end in schedule.values()]
    assert [end + datetime.timedelta(days=1) for end in ends[:-1]] == starts[1:]


def test_default_onsite_stage_lasts_the_configured_days_inclusive():
    schedule = services.default_schedule(settings=_settings(onsite_days=30), start=D(2025, 3, 1))

    start, end = schedule[Stage.ONSITE]
    assert end == start + datetime.timedelta(days=29)


def test_default_rectification_lasts_the_configured_months():
    schedule = services.default_schedule(
        settings=_settings(rectification_months=2), start=D(2025, 3, 1)
    )

    start, end = schedule[Stage.RECTIFICATION]
    assert start == D(2025, 6, 5)
    assert end == D(2025, 8, 4)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [(D(2025, 1, 31), 1, D(2025, 2, 28)), (D(2025, 11, 15), 2, D(2026, 1, 15))],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert services.add_months(day, months) == expected


def test_schedule_saves_one_row_per_stage_and_updates_it(inspection, office_user):
    dates = {Stage.ONSITE: (D(2025, 4, 1), D(2025, 4, 30))}
    services.save_schedule(inspection=inspection, actor=office_user, dates=dates)
    dates = {Stage.ONSITE: (D(2025, 4, 2), D(2025, 5, 1))}
    services.save_schedule(inspection=inspection, actor=office_user, dates=dates)

    plan = StagePlan.objects.get(inspection=inspection)
    assert (plan.stage, plan.planned_start, plan.planned_end) == (
        "onsite",
        D(2025, 4, 2),
        D(2025, 5, 1),
    )


def test_schedule_refuses_an_end_before_the_start_and_saves_nothing(inspection, office_user):
    dates = {
        Stage.PLANNING: (D(2025, 3, 1), D(2025, 3, 7)),
        Stage.ONSITE: (D(2025, 4, 30), D(2025, 4, 1)),
    }

    with pytest.raises(DomainError):
        services.save_schedule(inspection=inspection, actor=office_user, dates=dates)

    assert not StagePlan.objects.filter(inspection=inspection).exists()


@pytest.mark.parametrize(
    ("year", "accepted"), [(2025, True), (2022, True), (2021, False), (2026, False)]
)
def test_intelligence_concerns_the_three_years_before_the_request(
    inspection, office_user, year, accepted
):
    request = IntelligenceRequestFactory(inspection=inspection, requested_on=D(2025, 3, 1))
    add = {"inspection": inspection, "actor": office_user, "source": "audit", "request": request}

    if accepted:
        services.add_intelligence_item(year=year, summary="审计发现问题", **add)
    else:
        with pytest.raises(DomainError):
            services.add_intelligence_item(year=year, summary="审计发现问题", **add)

    assert IntelligenceItem.objects.filter(inspection=inspection).count() == int(accepted)


def test_intelligence_refuses_another_inspections_request(inspection, office_user, org):
    other = IntelligenceRequestFactory(inspection=InspectionFactory(round=inspection.round))

    with pytest.raises(DomainError):
        services.add_intelligence_item(
            inspection=inspection,
            actor=office_user,
            source="hr",
            year=2024,
            summary="x",
            request=other,
        )


def test_a_request_cannot_be_answered_before_it_was_made(inspection, office_user):
    request = IntelligenceRequestFactory(inspection=inspection, requested_on=D(2025, 3, 1))

    with pytest.raises(DomainError):
        services.answer_intelligence_request(
            request=request, actor=office_user, answered_on=D(2025, 2, 28)
        )

    request.refresh_from_db()
    assert request.answered_on is None


def test_a_task_goes_to_a_member_of_the_inspections_team(inspection, office_user):
    inspection.team = TeamFactory(round=inspection.round)
    member = TeamMemberFactory(team=inspection.team)

    task = services.add_task(
        inspection=inspection, actor=office_user, assignee=member, description="负责财务检查"
    )

    assert (task.assignee, task.inspection) == (member, inspection)


@pytest.mark.parametrize("has_team", [True, False])
def test_a_task_refuses_someone_outside_the_team(inspection, office_user, has_team):
    if has_team:
        inspection.team = TeamFactory(round=inspection.round)
    outsider = TeamMemberFactory(team=TeamFactory(round=inspection.round))

    with pytest.raises(DomainError):
        services.add_task(
            inspection=inspection, actor=office_user, assignee=outsider, description="x"
        )

    with dangerously_unscoped():  # every organization's rows
        assert not WorkTask.objects.exists()


def test_work_plan_refuses_unknown_focus_areas(inspection, office_user):
    with pytest.raises(DomainError):
        services.save_work_plan(
            inspection=inspection, actor=office_user, focus_areas=["gossip"], work_plan=""
        )


def test_look_back_copies_the_problems_for_rechecking(closed, look_back_round, office_user):
    look_back = services.create_look_back(
        inspection=closed, actor=office_user, target_round=look_back_round
    )

    copies = Problem.objects.filter(inspection=look_back).order_by("pk")
    assert (look_back.unit, look_back.look_back_of, look_back.stage) == (
        closed.unit,
        closed,
        "planning",
    )
    assert [(p.description, p.inherited_from.inspection) for p in copies] == [
        ("超标准公务接待", closed),
        ("选人用人程序不规范", closed),
    ]
    assert copies[0].severity == "major"


def test_look_back_records_its_creation_in_the_timeline(closed, look_back_round, office_user):
    look_back = services.create_look_back(
        inspection=closed, actor=office_user, target_round=look_back_round
    )

    step = StageTransition.objects.get(inspection=look_back)
    assert (step.from_stage, step.to_stage, step.actor) == ("", "planning", office_user)
    assert str(closed.unit) in step.reason


def test_look_back_needs_a_closed_inspection(inspection, look_back_round, office_user):
    with pytest.raises(DomainError):
        services.create_look_back(
            inspection=inspection, actor=office_user, target_round=look_back_round
        )

    assert not Inspection.objects.filter(round=look_back_round).exists()


def test_look_back_needs_a_look_back_round(closed, org, office_user):
    routine = RoundFactory(organization=org, kind=Round.Kind.ROUTINE)

    with pytest.raises(DomainError):
        services.create_look_back(inspection=closed, actor=office_user, target_round=routine)

    assert not Inspection.objects.filter(round=routine).exists()


def test_look_back_refuses_a_round_of_another_organization(closed, other_org, office_user):
    foreign = RoundFactory(organization=other_org, kind=Round.Kind.LOOK_BACK)

    with pytest.raises(DomainError):
        services.create_look_back(inspection=closed, actor=office_user, target_round=foreign)


def test_look_back_refuses_a_unit_already_in_the_round(closed, look_back_round, office_user):
    InspectionFactory(round=look_back_round, unit=closed.unit)

    with pytest.raises(DomainError):
        services.create_look_back(
            inspection=closed, actor=office_user, target_round=look_back_round
        )

    assert Problem.objects.filter(inspection__round=look_back_round).count() == 0


@pytest.mark.parametrize("result", ["resolved", "recurred"])
def test_an_inherited_problem_is_rechecked(closed, look_back_round, office_user, result):
    look_back = services.create_look_back(
        inspection=closed, actor=office_user, target_round=look_back_round
    )
    problem = Problem.objects.filter(inspection=look_back).first()

    services.recheck_problem(problem=problem, actor=office_user, result=result)

    problem.refresh_from_db()
    assert problem.recheck == result


def test_only_inherited_problems_are_rechecked(inspection, office_user):
    problem = ProblemFactory(inspection=inspection)

    with pytest.raises(DomainError):
        services.recheck_problem(problem=problem, actor=office_user, result="resolved")


def test_a_closed_inspection_takes_no_new_problem(closed, office_user):
    with pytest.raises(DomainError):
        services.add_problem(
            inspection=closed,
            actor=office_user,
            category="conduct",
            severity="minor",
            description="x",
        )
