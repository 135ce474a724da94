"""Past work entered after the fact: stage moves and records carry the day they took effect,
kept apart from the time they were entered; the pages show the effective day."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django import forms
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Organization, User
from rounds.models import Inspection, Milestone, Problem, Round, StageTransition, TeamMember
from rounds.selectors.timeline import inspection_timeline, stage_row_list, stage_transition_list
from rounds.services import inspections as services
from rounds.services import lifecycle
from rounds.taxonomy import Stage
from tests.factories import (
    InspectionFactory,
    IntelligenceRequestFactory,
    MilestoneFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
)
from xuncha.tenancy import org_scope

D = datetime.date


@pytest.fixture
def round_(org) -> Round:  # 2025-03-01 to 2025-06-30
    return RoundFactory(organization=org, name="2025年第一轮巡察")


@pytest.fixture
def inspection(round_, unit_tree) -> Inspection:
    inspection = InspectionFactory(round=round_, unit=unit_tree["jinjiang"], focus_areas=["funds"])
    inspection.team = TeamFactory(round=round_)
    inspection.save(update_fields=["team"])
    TeamMemberFactory(team=inspection.team, role=TeamMember.Role.LEADER)
    TeamMemberFactory(team=inspection.team, role=TeamMember.Role.MEMBER)
    IntelligenceRequestFactory(inspection=inspection, answered_on=D(2025, 3, 5))
    return inspection


def _advance_url(inspection: Inspection) -> str:
    return reverse("rounds:inspection_advance", args=[inspection.pk])


def _detail(inspection: Inspection) -> str:
    return reverse("rounds:inspection_detail", args=[inspection.pk])


def _timeline(html: str) -> list[str]:
    """Each timeline entry's text, whitespace collapsed."""
    entries = re.findall(r'<li class="list-group-item timeline-entry".*?</li>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", entry).split()) for entry in entries]


def _move(inspection: Inspection, actor, to_stage: str, day: D | None) -> None:
    lifecycle.advance(inspection=inspection, actor=actor, to_stage=to_stage, effective_on=day)


def test_a_back_dated_move_shows_its_day_and_time_of_entry_on_the_timeline(
    login, office_user, inspection
):
    client = login(office_user)
    client.post(_advance_url(inspection), {"to_stage": "preparation", "effective_on": "2025-03-10"})
    entered = timezone.localtime(StageTransition.objects.get().at).strftime("%Y-%m-%d %H:%M")

    entries = _timeline(client.get(_detail(inspection)).content.decode())

    assert entries[1].startswith("2025-03-10 制定方案 → 巡前准备")
    assert f"（录入于 {entered}）" in entries[1]


def test_a_move_entered_as_it_happens_shows_one_time(login, office_user, inspection):
    client = login(office_user)
    client.post(_advance_url(inspection), {"to_stage": "preparation"})
    step = StageTransition.objects.get()

    entries = _timeline(client.get(_detail(inspection)).content.decode())

    assert step.effective_at == step.at
    assert entries[1].startswith(timezone.localtime(step.at).strftime("%Y-%m-%d %H:%M"))
    assert "录入于" not in entries[1]


def _invalid_date() -> str:
    with translation.override("zh-hans"):
        return str(forms.DateField.default_error_messages["invalid"])


def _tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (_tomorrow, "生效日期不能晚于今天"),
        (
            lambda: "2024-11-28",  # three months before the round starts is 2024-11-29
            "生效日期2024-11-28与2025年第一轮巡察（2025-03-01至2025-06-30）相距过远",
        ),
        (lambda: "2025-13-40", None),  # not a date: the form's own message
    ],
)
def test_a_refused_effective_date_is_explained_and_saves_nothing(
    login, office_user, inspection, day, message
):
    data = {"to_stage": "preparation", "effective_on": day()}
    message = message or "生效日期：" + _invalid_date()

    response = login(office_user).post(_advance_url(inspection), data, follow=True)

    inspection.refresh_from_db()
    assert message in response.content.decode()
    assert inspection.stage == Stage.PLANNING
    assert not StageTransition.objects.exists()


def test_a_move_dated_before_the_previous_move_is_refused(login, office_user, inspection):
    _move(inspection, office_user, Stage.PREPARATION, D(2025, 3, 10))
    data = {"to_stage": "mobilization", "effective_on": "2025-03-09"}

    response = login(office_user).post(_advance_url(inspection), data, follow=True)

    inspection.refresh_from_db()
    assert "生效日期不能早于2025-03-10（上一次阶段变更生效的日期）。" in response.content.decode()
    assert inspection.stage == Stage.PREPARATION
    assert StageTransition.objects.count() == 1


def test_the_stage_entry_time_is_the_effective_time(office_user, inspection):
    _move(inspection, office_user, Stage.PREPARATION, D(2025, 3, 10))

    inspection.refresh_from_db()
    step = StageTransition.objects.get()
    entered = timezone.localtime(inspection.stage_entered_at)
    assert (entered.date(), entered.time()) == (D(2025, 3, 10), datetime.time(0, 0))
    assert step.effective_at == inspection.stage_entered_at
    assert step.at > step.effective_at  # the time of entry stays recorded


def test_a_back_dated_close_is_closed_on_its_day(office_user, leadership_user, inspection):
    inspection.stage = Stage.ACCEPTANCE
    inspection.save(update_fields=["stage"])

    lifecycle.close_inspection(
        inspection=inspection, actor=leadership_user, effective_on=D(2025, 6, 30)
    )

    inspection.refresh_from_db()
    assert timezone.localdate(inspection.closed_at) == D(2025, 6, 30)


def test_the_inspection_list_shows_the_effective_day(login, office_user, inspection):
    _move(inspection, office_user, Stage.PREPARATION, D(2025, 3, 10))

    response = login(office_user).get(reverse("rounds:inspection_list"))

    assert [row["since"] for row in response.context["rows"]] == [D(2025, 3, 10)]


def test_stage_rows_enter_and_leave_on_effective_days(office_user, inspection):
    _move(inspection, office_user, Stage.PREPARATION, D(2025, 3, 10))
    _move(inspection, office_user, Stage.MOBILIZATION, D(2025, 3, 24))
    transitions = list(stage_transition_list(inspection=inspection))

    rows = {row.stage: row for row in stage_row_list(inspection, [], transitions)}

    preparation = rows[Stage.PREPARATION]
    assert timezone.localdate(preparation.entered_at) == D(2025, 3, 10)
    assert timezone.localdate(preparation.left_at) == D(2025, 3, 24)


def test_planning_began_on_an_unknown_day_when_moves_precede_the_entry(office_user, inspection):
    _move(inspection, office_user, Stage.PREPARATION, D(2025, 3, 10))
    transitions = list(stage_transition_list(inspection=inspection))

    created = inspection_timeline(inspection, transitions)[0]
    planning = stage_row_list(inspection, [], transitions)[0]

    assert (created.created, created.at, created.entered_at) == (True, None, inspection.created_at)
    assert (planning.entered_at, timezone.localdate(planning.left_at)) == (None, D(2025, 3, 10))


def test_two_moves_on_one_day_keep_their_order(office_user, inspection):
    _move(inspection, office_user, Stage.PREPARATION, D(2025, 3, 10))
    _move(inspection, office_user, Stage.MOBILIZATION, D(2025, 3, 10))

    steps = inspection_timeline(inspection, list(stage_transition_list(inspection=inspection)))

    assert [step.to_stage for step in steps] == ["planning", "preparation", "mobilization"]


def test_a_move_dated_today_is_not_back_dated(office_user, inspection):
    _move(inspection, office_user, Stage.PREPARATION, timezone.localdate())

    step = StageTransition.objects.get()
    assert step.effective_at == step.at


def test_the_history_records_the_effective_time(office_user, inspection):
    _move(inspection, office_user, Stage.PREPARATION, D(2025, 3, 10))

    event = StageTransition.pgh_event_models["insert"].objects.get()  # type: ignore[attr-defined]
    assert timezone.localdate(event.effective_at) == D(2025, 3, 10)
    assert event.at == StageTransition.objects.get().at


def test_a_problem_keeps_the_day_it_was_found(login, office_user, inspection):
    url = reverse("rounds:problem_create", args=[inspection.pk])
    data = {
        "category": "funds",
        "severity": "serious",
        "description": "小金库",
        "found_on": "2025-04-02",
    }

    client = login(office_user)
    client.post(url, data)

    assert Problem.objects.get().found_on == D(2025, 4, 2)
    assert "发现于2025-04-02" in client.get(_detail(inspection)).content.decode()


def test_a_problem_found_tomorrow_is_refused_on_its_field(login, office_user, inspection):
    url = reverse("rounds:problem_create", args=[inspection.pk])
    data = {
        "category": "funds",
        "severity": "serious",
        "description": "小金库",
        "found_on": _tomorrow(),
    }

    response = login(office_user).post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors["found_on"][0].startswith("发现日期不能晚于今天")
    assert not Problem.objects.exists()


def test_a_problem_entered_without_a_day_was_found_today(office_user, inspection):
    problem = services.add_problem(
        inspection=inspection,
        actor=office_user,
        category="funds",
        severity="minor",
        description="x",
    )

    assert problem.found_on == timezone.localdate()


def test_a_milestone_done_tomorrow_is_refused(office_user, inspection):
    milestone = MilestoneFactory(inspection=inspection)

    with pytest.raises(Exception, match="完成日期不能晚于今天"):
        services.mark_milestone_done(
            milestone=milestone,
            actor=office_user,
            done_on=timezone.localdate() + datetime.timedelta(days=1),
        )

    assert Milestone.objects.get().done_on is None


def test_an_intelligence_answer_dated_tomorrow_is_refused(login, office_user, inspection):
    request = IntelligenceRequestFactory(inspection=inspection, requested_on=D(2025, 3, 1))
    url = reverse("rounds:intelligence_request_answer", args=[inspection.pk])

    response = login(office_user).post(url, {"request": request.pk, "answered_on": _tomorrow()})

    request.refresh_from_db()
    assert response.context["form"].errors["answered_on"][0].startswith("回复日期不能晚于今天")
    assert request.answered_on is None


def test_the_demo_past_inspection_shows_its_2025_days(db, login):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent: moves are not entered twice
    sichuan = Organization.objects.get(code="sctelecom")
    with org_scope(sichuan):
        inspection = Inspection.objects.for_org(sichuan).get(unit__code="sc-yb")

    html = login(User.objects.get(username="sc_office")).get(_detail(inspection)).content.decode()

    days = [entry.split()[0] for entry in _timeline(html)]
    assert days == [
        "—",
        "2025-09-08",
        "2025-09-22",
        "2025-09-23",
        "2025-10-23",
        "2025-11-22",
        "2025-12-06",
        "2026-02-06",
        "2026-03-08",
    ]
    assert all("录入于" in entry for entry in _timeline(html))
    assert "发现于2025-10-03" in html
