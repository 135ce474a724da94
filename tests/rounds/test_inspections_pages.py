"""Editing pages of an inspection: schedule, settings, preparation, work plan, problems."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from accounts.roles import Role
from rounds.models import (
    Inspection,
    InspectionSettings,
    IntelligenceItem,
    IntelligenceRequest,
    Milestone,
    Problem,
    StagePlan,
    TeamMember,
    WorkTask,
)
from tests.factories import (
    InspectionFactory,
    IntelligenceRequestFactory,
    MembershipFactory,
    MilestoneFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    WorkTaskFactory,
)
from xuncha.tenancy import dangerously_unscoped

SETTINGS = reverse("rounds:inspection_settings")


@pytest.fixture
def inspection(org) -> Inspection:
    round_ = RoundFactory(organization=org, focus_areas=["personnel", "funds"])
    inspection = InspectionFactory(round=round_, team=TeamFactory(round=round_))
    TeamMemberFactory(team=inspection.team, role=TeamMember.Role.LEADER)
    return inspection


def _url(name: str, inspection: Inspection) -> str:
    return reverse(f"rounds:{name}", args=[inspection.pk])


def _team_user(inspection: Inspection):
    user = MembershipFactory(
        organization=inspection.organization, user=UserFactory(), roles=(Role.TEAM_MEMBER,)
    ).user
    assign_perm("rounds.view_inspection", user, inspection)
    return user


def _schedule(**dates: str) -> dict[str, str]:
    data = {f"{stage}_{edge}": "" for stage in ["planning", "onsite"] for edge in ["start", "end"]}
    return {**data, **dates}


def test_schedule_saves_planned_dates(login, office_user, inspection):
    data = _schedule(onsite_start="2025-04-01", onsite_end="2025-04-30")

    response = login(office_user).post(_url("inspection_schedule", inspection), data)

    plan = StagePlan.objects.get(inspection=inspection, stage="onsite")
    assert response.status_code == 302
    assert (plan.planned_start, plan.planned_end) == (
        datetime.date(2025, 4, 1),
        datetime.date(2025, 4, 30),
    )


def test_schedule_with_an_end_before_its_start_saves_nothing(login, office_user, inspection):
    data = _schedule(
        onsite_start="2025-04-30", onsite_end="2025-04-01", planning_start="2025-03-01"
    )

    response = login(office_user).post(_url("inspection_schedule", inspection), data)

    assert response.status_code == 200
    assert "onsite_end" in response.context["form"].errors
    assert not StagePlan.objects.exists()


def test_schedule_fills_defaults_from_a_date(login, office_user, inspection, org):
    InspectionSettings.objects.create(organization=org, onsite_days=20)
    url = _url("inspection_schedule", inspection)

    response = login(office_user).get(url, {"defaults_from": "2025-03-01"})

    initial = response.context["form"].initial
    assert initial["planning_start"] == datetime.date(2025, 3, 1)
    assert initial["onsite_end"] - initial["onsite_start"] == datetime.timedelta(days=19)
    assert not StagePlan.objects.exists()  # shown for review, saved only when posted


def test_leadership_may_not_edit_the_schedule(login, leadership_user, inspection):
    assert login(leadership_user).get(_url("inspection_schedule", inspection)).status_code == 403


def test_settings_page_saves_the_organizations_defaults(login, office_user, org):
    data = {
        "onsite_days": 45,
        "rectification_months": 3,
        "min_supervision_visits": 2,
        "report_months": "6, 3",
    }

    response = login(office_user).post(SETTINGS, data)

    saved = InspectionSettings.objects.get(organization=org)
    assert response.status_code == 302
    assert (saved.onsite_days, saved.report_months) == (45, "3,6")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("report_months", "3,six"),
        ("report_months", "0,3"),
        ("report_months", ""),
        ("onsite_days", 0),
    ],
)
def test_settings_page_rejects_bad_values(login, office_user, org, field, value):
    data = {"onsite_days": 30, "rectification_months": 2, "min_supervision_visits": 2}
    data["report_months"] = "3,6,12"

    response = login(office_user).post(SETTINGS, {**data, field: value})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not InspectionSettings.objects.filter(organization=org).exists()


def test_settings_page_shows_defaults_without_creating_a_row(login, admin_user, org):
    response = login(admin_user).get(SETTINGS)

    assert response.context["form"].initial["onsite_days"] == 30
    assert not InspectionSettings.objects.filter(organization=org).exists()


def test_settings_page_is_refused_to_leadership(login, leadership_user):
    assert login(leadership_user).get(SETTINGS).status_code == 403


def test_work_plan_defaults_to_the_rounds_focus_areas(login, office_user, inspection):
    inspection.focus_areas = []
    inspection.save(update_fields=["focus_areas"])

    response = login(office_user).get(_url("inspection_workplan", inspection))

    assert response.context["form"].initial["focus_areas"] == ["personnel", "funds"]


def test_work_plan_saves_focus_areas_and_text(login, office_user, inspection):
    data = {"focus_areas": ["procurement", "funds"], "work_plan": "听取汇报，个别谈话"}

    login(office_user).post(_url("inspection_workplan", inspection), data)

    inspection.refresh_from_db()
    assert inspection.focus_areas == ["procurement", "funds"]
    assert inspection.work_plan == "听取汇报，个别谈话"


def test_a_team_member_may_not_edit_the_work_plan(login, inspection):
    url = _url("inspection_workplan", inspection)

    assert login(_team_user(inspection)).post(url, {"work_plan": "x"}).status_code == 403


def test_a_task_is_assigned_to_a_team_member(login, office_user, inspection):
    member = TeamMemberFactory(team=inspection.team)
    url = reverse("rounds:worktask_create", args=[inspection.pk])

    response = login(office_user).post(url, {"assignee": member.pk, "description": "财务检查"})

    assert response.status_code == 302
    assert WorkTask.objects.get().assignee == member


def test_a_task_for_someone_outside_the_team_is_refused(login, office_user, inspection):
    outsider = TeamMemberFactory(team=TeamFactory(round=inspection.round))
    url = reverse("rounds:worktask_create", args=[inspection.pk])

    response = login(office_user).post(url, {"assignee": outsider.pk, "description": "x"})

    assert response.status_code == 200
    assert "assignee" in response.context["form"].errors
    with dangerously_unscoped():  # every organization's rows
        assert not WorkTask.objects.exists()


def test_detail_and_work_plan_name_the_team_and_each_tasks_assignee(login, office_user, inspection):
    deputy = TeamMemberFactory(team=inspection.team, role="deputy", inspector__name="钱副组长")
    TeamMemberFactory(team=inspection.team, inspector__name="孙组员")
    WorkTaskFactory(inspection=inspection, assignee=deputy, description="财务检查")
    client = login(office_user)

    detail = client.get(_url("inspection_detail", inspection)).content.decode()
    work_plan = client.get(_url("inspection_workplan", inspection)).content.decode()

    team = detail.split('id="team"')[1].split("</section>")[0]
    assert team.index("钱副组长") < team.index("孙组员")  # by role
    assert "<strong>钱副组长</strong> — 财务检查" in detail
    assert "<strong>钱副组长</strong> — 财务检查" in work_plan


def test_a_task_is_removed(login, office_user, inspection):
    task = WorkTaskFactory(inspection=inspection, assignee=TeamMemberFactory(team=inspection.team))

    client = login(office_user)

    asked = client.post(_url("worktask_delete", inspection), {"task": task.pk})
    assert task.description in asked.content.decode()
    assert WorkTask.objects.exists()
    client.post(_url("worktask_delete", inspection), {"task": task.pk, "confirmed": "1"})

    assert not WorkTask.objects.exists()


def test_a_milestone_is_added_and_marked_done(login, office_user, inspection):
    client = login(office_user)
    url = reverse("rounds:milestone_create", args=[inspection.pk])
    client.post(url, {"title": "召开进驻动员会", "due_on": "2025-04-01"})
    milestone = Milestone.objects.get(inspection=inspection)

    client.post(
        _url("milestone_done", inspection), {"milestone": milestone.pk, "done_on": "2025-04-02"}
    )

    milestone.refresh_from_db()
    assert milestone.done_on == datetime.date(2025, 4, 2)


def test_a_milestone_of_another_inspection_is_not_touched(login, office_user, inspection):
    foreign = MilestoneFactory(inspection=InspectionFactory(round=inspection.round))

    data = {"milestone": foreign.pk, "done_on": "2025-04-02"}  # valid but for the milestone

    login(office_user).post(_url("milestone_done", inspection), data)

    foreign.refresh_from_db()
    assert foreign.done_on is None


def test_intelligence_is_requested_from_a_department(login, office_user, inspection):
    url = reverse("rounds:intelligence_request_create", args=[inspection.pk])
    data = {"department": "audit", "requested_on": "2025-03-01", "due_on": "2025-03-10"}

    response = login(office_user).post(url, {**data, "note": "近三年审计发现问题"})

    assert response.status_code == 302
    assert IntelligenceRequest.objects.get().note == "近三年审计发现问题"


def test_a_request_due_before_it_is_made_saves_nothing(login, office_user, inspection):
    url = reverse("rounds:intelligence_request_create", args=[inspection.pk])
    data = {"department": "audit", "requested_on": "2025-03-10", "due_on": "2025-03-01"}

    response = login(office_user).post(url, data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not IntelligenceRequest.objects.exists()


def test_the_answer_of_a_request_is_recorded(login, office_user, inspection):
    request = IntelligenceRequestFactory(
        inspection=inspection, requested_on=datetime.date(2025, 3, 1)
    )
    url = reverse("rounds:intelligence_request_answer", args=[inspection.pk])

    login(office_user).post(url, {"request": request.pk, "answered_on": "2025-03-06"})

    request.refresh_from_db()
    assert request.answered_on == datetime.date(2025, 3, 6)


def test_an_intelligence_item_is_recorded_in_answer(login, office_user, inspection):
    request = IntelligenceRequestFactory(
        inspection=inspection, requested_on=datetime.date(2025, 3, 1)
    )
    url = reverse("rounds:intelligence_item_create", args=[inspection.pk])
    data = {"request": request.pk, "source": "audit", "year": 2023, "summary": "招标不规范"}

    login(office_user).post(url, data)

    item = IntelligenceItem.objects.get()
    assert (item.request, item.year, item.recorded_by) == (request, 2023, office_user)


def test_an_intelligence_item_older_than_three_years_saves_nothing(login, office_user, inspection):
    request = IntelligenceRequestFactory(
        inspection=inspection, requested_on=datetime.date(2025, 3, 1)
    )
    url = reverse("rounds:intelligence_item_create", args=[inspection.pk])
    data = {"request": request.pk, "source": "hr", "year": 2020, "summary": "旧问题"}

    response = login(office_user).post(url, data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not IntelligenceItem.objects.exists()


def test_a_team_member_records_a_problem(login, inspection):
    url = reverse("rounds:problem_create", args=[inspection.pk])
    data = {"category": "four_styles", "severity": "serious", "description": "违规发放津补贴"}

    response = login(_team_user(inspection)).post(url, data)

    assert response.status_code == 302
    assert Problem.objects.get().description == "违规发放津补贴"


def test_leadership_does_not_record_problems(login, leadership_user, inspection):
    url = reverse("rounds:problem_create", args=[inspection.pk])

    assert login(leadership_user).get(url).status_code == 403


def test_a_problem_without_description_saves_nothing(login, office_user, inspection):
    url = reverse("rounds:problem_create", args=[inspection.pk])

    response = login(office_user).post(url, {"category": "conduct", "severity": "minor"})

    assert "description" in response.context["form"].errors
    assert not Problem.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "inspection_detail",
        "inspection_schedule",
        "inspection_workplan",
        "worktask_create",
        "milestone_create",
        "intelligence_request_create",
        "intelligence_request_answer",
        "intelligence_item_create",
        "problem_create",
    ],
)
def test_the_office_opens_every_page(login, office_user, inspection, name):
    assert login(office_user).get(_url(name, inspection)).status_code == 200
