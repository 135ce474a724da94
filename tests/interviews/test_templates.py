"""The office's interview templates (outlines, checklists) and the tenant's interview rule."""

from __future__ import annotations

from django.urls import reverse

from interviews import services
from interviews.models import ChecklistTemplate, InterviewSettings, OutlineTemplate


def test_the_office_sees_the_default_templates(login, office_user, org):
    services.ensure_default_templates(org=org)

    page = login(office_user).get(reverse("interviews:templates")).content.decode()

    assert "主要负责人谈话提纲" in page
    assert "下属单位主要负责人" in page


def test_the_office_adds_the_defaults_with_the_button(login, office_user, org):
    login(office_user).post(reverse("interviews:templates_defaults"))

    assert ChecklistTemplate.objects.for_org(org).count() == 3


def test_the_office_edits_an_outline_one_question_per_line(login, office_user, org):
    services.ensure_default_templates(org=org)
    outline = OutlineTemplate.objects.for_org(org).get(role="employee")
    url = reverse("interviews:outline_edit", args=[outline.pk])
    data = {
        "name": outline.name,
        "role": "employee",
        "questions": "问题一\n\n问题二",
        "active": "on",
    }

    login(office_user).post(url, data)

    outline.refresh_from_db()
    assert outline.questions == ["问题一", "问题二"]


def test_a_new_checklist_template(login, office_user, org):
    data = {"name": "三必访", "evidence": "interview", "items": "退休老干部\n一线员工\n合作伙伴"}

    login(office_user).post(reverse("interviews:checklist_template_create"), data)

    assert ChecklistTemplate.objects.for_org(org).get(name="三必访").items == [
        "退休老干部",
        "一线员工",
        "合作伙伴",
    ]


def test_a_name_taken_is_an_error_on_the_form(login, office_user, org):
    services.ensure_default_templates(org=org)
    data = {"name": "四必谈", "evidence": "interview", "items": "主要领导"}

    response = login(office_user).post(reverse("interviews:checklist_template_create"), data)

    assert "已有同名模板" in response.content.decode()


def test_the_office_sets_the_interview_rule(login, office_user, org):
    login(office_user).post(reverse("interviews:settings"), {"min_interviewers_in_person": "3"})

    assert InterviewSettings.objects.for_org(org).get().min_interviewers_in_person == 3


def test_a_team_member_cannot_manage_templates(login, team_member_user):
    assert login(team_member_user).get(reverse("interviews:templates")).status_code == 403


def test_an_edited_template_leaves_started_checklists_alone(
    org, office_user, inspection, checklists
):
    template = ChecklistTemplate.objects.for_org(org).get(name="四必谈")
    services.save_checklist_template(
        org=org,
        actor=office_user,
        template=template,
        name="四必谈",
        evidence="interview",
        items=["只有一项"],
    )

    assert checklists[2].items.count() == 4
