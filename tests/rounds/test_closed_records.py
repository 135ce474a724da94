"""A closed inspection (and a round whose inspections are all closed) is read-only for everyone;
reopening is a leadership action with a reason, written on the timeline."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.errors import DomainError
from rounds.models import (
    Inspection,
    IntelligenceRequest,
    Milestone,
    Problem,
    StagePlan,
    StageTransition,
    TeamMember,
    WorkTask,
)
from rounds.services import inspections as services
from rounds.services import teams as team_services
from rounds.services.closed import reopen_inspection
from rounds.taxonomy import Stage
from tests.factories import (
    InspectionFactory,
    InspectorFactory,
    MilestoneFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
    WorkTaskFactory,
)


@pytest.fixture
def closed(org) -> Inspection:
    round_ = RoundFactory(
        organization=org,
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 6, 30),
        focus_areas=["personnel"],
    )
    inspection = InspectionFactory(
        organization=org, round=round_, team=TeamFactory(round=round_), stage=Stage.CLOSED
    )
    TeamMemberFactory(team=inspection.team, role=TeamMember.Role.LEADER)
    return inspection


def _url(name: str, inspection: Inspection) -> str:
    return reverse(f"rounds:{name}", args=[inspection.pk])


def _counts(inspection: Inspection) -> tuple:
    return (
        WorkTask.objects.filter(inspection=inspection).count(),
        Milestone.objects.filter(inspection=inspection).count(),
        Problem.objects.filter(inspection=inspection).count(),
        IntelligenceRequest.objects.filter(inspection=inspection).count(),
        StagePlan.objects.filter(inspection=inspection).count(),
        tuple(Inspection.objects.filter(pk=inspection.pk).values_list("work_plan", "focus_areas")),
    )


def test_every_edit_of_a_closed_inspection_is_refused_over_http(login, office_user, closed):
    member = TeamMember.objects.get(team=closed.team)
    task = WorkTaskFactory(inspection=closed, assignee=member)
    milestone = MilestoneFactory(inspection=closed)
    before = _counts(closed)
    client = login(office_user)
    posts = [
        ("inspection_workplan", {"focus_areas": ["funds"], "work_plan": "改写"}),
        ("inspection_schedule", {"onsite_start": "2025-04-01", "onsite_end": "2025-04-30"}),
        ("worktask_create", {"assignee": member.pk, "description": "新任务"}),
        ("worktask_delete", {"task": task.pk, "confirmed": "1"}),
        ("milestone_create", {"title": "新节点", "due_on": "2025-04-01"}),
        ("milestone_done", {"milestone": milestone.pk, "done_on": "2025-04-02"}),
        ("problem_create", {"category": "party", "severity": "minor", "description": "新问题"}),
        ("intelligence_request_create", {"department": "审计部", "requested_on": "2025-03-02"}),
    ]

    for name, data in posts:
        response = client.post(_url(name, closed), data, follow=True)

        assert response.redirect_chain[-1][0] == _url("inspection_detail", closed), name
        # The refusal, not the closed page's own notice (本次巡察已办结，记录只读。).
        assert "须由领导小组说明理由后重新打开" in response.content.decode(), name
    assert _counts(closed) == before


def test_a_closed_inspection_page_shows_no_edit_control(login, office_user, closed):
    content = login(office_user).get(_url("inspection_detail", closed)).content.decode()

    assert 'id="closed-notice"' in content
    for name in ("inspection_workplan", "inspection_schedule", "problem_create"):
        assert f'href="{_url(name, closed)}"' not in content
    assert _url("inspection_reopen", closed) not in content  # the office cannot reopen


def test_the_services_refuse_a_closed_inspection_whatever_the_caller_holds(office_user, closed):
    stale = Inspection.objects.get(pk=closed.pk)
    stale.stage = Stage.ACCEPTANCE  # an instance read before closing
    member = TeamMember.objects.get(team=closed.team)

    calls = [
        lambda: services.save_work_plan(
            inspection=stale, actor=office_user, focus_areas=["funds"], work_plan="x"
        ),
        lambda: services.add_task(
            inspection=stale, actor=office_user, assignee=member, description="x"
        ),
        lambda: services.add_milestone(
            inspection=stale, actor=office_user, title="x", due_on=datetime.date(2025, 4, 1)
        ),
    ]
    for call in calls:
        with pytest.raises(DomainError, match="只读|read-only"):
            call()
    assert not WorkTask.objects.filter(inspection=closed).exists()


def test_a_round_whose_inspections_are_all_closed_keeps_its_teams(office_user, closed):
    with pytest.raises(DomainError):
        team_services.add_member(
            team=closed.team, actor=office_user, inspector=InspectorFactory(), role="member"
        )
    with pytest.raises(DomainError):
        team_services.create_team(round=closed.round, actor=office_user, name="第九组")
    assert TeamMember.objects.filter(team=closed.team).count() == 1

    InspectionFactory(organization=closed.organization, round=closed.round, stage=Stage.ONSITE)
    team_services.create_team(round=closed.round, actor=office_user, name="第九组")  # open again


def test_leadership_reopens_with_a_reason_on_the_timeline(
    login, leadership_user, office_user, closed
):
    client = login(leadership_user)
    page = client.get(_url("inspection_detail", closed)).content.decode()
    assert _url("inspection_reopen", closed) in page

    asked = client.post(_url("inspection_reopen", closed))
    assert asked.status_code == 200
    assert 'name="reason"' in asked.content.decode()
    refused = client.post(_url("inspection_reopen", closed), {"confirmed": "1", "reason": " "})
    assert refused.status_code == 400
    assert Inspection.objects.get(pk=closed.pk).stage == Stage.CLOSED

    client.post(
        _url("inspection_reopen", closed), {"confirmed": "1", "reason": "整改不实，重新验收"}
    )

    closed.refresh_from_db()
    step = StageTransition.objects.filter(inspection=closed).latest("at")
    assert (closed.stage, closed.closed_at) == (Stage.ACCEPTANCE, None)
    assert (step.from_stage, step.to_stage, step.actor) == ("closed", "acceptance", leadership_user)
    assert "整改不实，重新验收" in step.reason
    detail = client.get(_url("inspection_detail", closed)).content.decode()
    assert "整改不实，重新验收" in detail  # on the timeline
    services.add_milestone(  # editable again
        inspection=closed, actor=office_user, title="重新验收", due_on=datetime.date(2025, 6, 1)
    )


def test_only_leadership_reopens(login, office_user, closed):
    response = login(office_user).post(
        _url("inspection_reopen", closed), {"confirmed": "1", "reason": "想改"}
    )

    assert response.status_code == 403
    assert Inspection.objects.get(pk=closed.pk).stage == Stage.CLOSED
    with pytest.raises(DomainError):
        reopen_inspection(inspection=closed, actor=office_user, reason="想改")
