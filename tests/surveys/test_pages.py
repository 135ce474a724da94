"""The team's and the office's survey pages: who sees what."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from surveys import services
from surveys.models import Survey, SurveySubject, SurveyTemplate
from tests.factories import InspectionFactory, MembershipFactory, TeamFactory, seat_on_team
from tests.surveys.helpers import answers_for, make_survey, submit


@pytest.fixture
def survey(org, office_user, team_member_user):
    survey = make_survey(org, office_user)
    seat_on_team(survey.inspection.team, team_member_user)
    submit(survey, answers_for(survey, text="建议加强基层调研"))
    return survey


def _get(client, name: str, survey):
    return client.get(reverse(f"surveys:{name}", args=[survey.pk]))


@pytest.mark.parametrize("user", ["team_member_user", "office_user", "leadership_user"])
def test_the_results_are_read_by_team_office_and_leadership(login, request, survey, user):
    response = _get(login(request.getfixturevalue(user)), "survey_results", survey)
    assert response.status_code == 200
    assert "张明" in response.content.decode()


@pytest.mark.parametrize("name", ["survey_results", "survey_texts", "survey_detail"])
def test_a_liaison_finds_no_survey_page(login, liaison_user, survey, name):
    assert _get(login(liaison_user), name, survey).status_code in {403, 404}


@pytest.mark.parametrize("name", ["survey_results", "survey_texts"])
def test_a_liaison_is_told_the_answers_do_not_exist(login, liaison_user, survey, name):
    assert _get(login(liaison_user), name, survey).status_code == 404


def test_the_free_texts_are_the_teams(login, team_member_user, survey):
    response = _get(login(team_member_user), "survey_texts", survey)
    assert "建议加强基层调研" in response.content.decode()


@pytest.mark.parametrize("user", ["office_user", "leadership_user"])
def test_the_free_texts_are_not_found_by_office_or_leadership(login, request, survey, user):
    assert _get(login(request.getfixturevalue(user)), "survey_texts", survey).status_code == 404


def test_another_teams_member_finds_no_answers(login, org, survey):
    other = MembershipFactory(organization=org, roles=[Role.TEAM_MEMBER]).user
    inspection = InspectionFactory(
        organization=org, round__organization=org, team=TeamFactory(round__organization=org)
    )
    seat_on_team(inspection.team, other)
    client = login(other)
    assert _get(client, "survey_results", survey).status_code == 404
    assert _get(client, "survey_texts", survey).status_code == 404


def test_the_results_page_shows_the_figures(login, office_user, survey):
    body = _get(login(office_user), "survey_results", survey).content.decode()
    assert 'id="response-count">1<' in body
    assert 'id="response-rate">10.0%<' in body


def test_the_survey_page_shows_its_history(login, office_user, survey):
    services.update_survey(
        survey=survey, actor=office_user, title="新的标题", expected_respondents=60, open_link=True
    )
    body = _get(login(office_user), "survey_detail", survey).content.decode()
    assert "修改记录" in body
    assert "新的标题" in body


def test_the_team_makes_a_survey_from_a_template(login, org, team_member_user, survey):
    template = SurveyTemplate.objects.for_org(org).get(purpose="satisfaction")
    url = reverse("surveys:survey_create", args=[survey.inspection_id])
    response = login(team_member_user).post(
        url,
        {
            "template": template.pk,
            "unit": survey.unit_id,
            "expected_respondents": 40,
            "open_link": "on",
        },
    )
    made = Survey.objects.for_org(org).exclude(pk=survey.pk).get()
    assert response["Location"] == reverse("surveys:survey_detail", args=[made.pk])
    assert made.questions.count() == template.questions.count()


def test_the_leaders_are_typed_one_per_line(login, org, office_user, team_member_user):
    survey = make_survey(org, office_user)
    services.close_survey(survey=survey, actor=office_user)
    draft = services.create_survey(
        inspection=survey.inspection, actor=office_user, template=survey.template, unit=survey.unit
    )
    seat_on_team(survey.inspection.team, team_member_user)
    url = reverse("surveys:survey_subjects", args=[draft.pk])
    login(team_member_user).post(url, {"subjects": "张明 党委书记、总经理\n\n李华　纪委书记"})
    rows = SurveySubject.objects.for_org(org).filter(survey=draft)
    assert [(row.name, row.title) for row in rows] == [
        ("张明", "党委书记、总经理"),
        ("李华", "纪委书记"),
    ]


def test_opening_asks_for_confirmation(login, office_user, org):
    survey = make_survey(org, office_user)
    services.close_survey(survey=survey, actor=office_user)
    client = login(office_user)
    url = reverse("surveys:survey_open", args=[survey.pk])
    assert "开始“" in client.post(url).content.decode()
    client.post(url, {"confirmed": "1"})
    assert Survey.objects.for_org(org).get(pk=survey.pk).status == "open"


def test_the_sheet_prints_every_code_with_its_qr(login, office_user, survey):
    batch = services.issue_codes(survey=survey, actor=office_user, label="干部大会", count=5)
    response = login(office_user).get(reverse("surveys:code_batch_print", args=[batch.pk]))
    body = response.content.decode()
    assert body.count('class="slip-code"') == 5
    assert body.count("<svg") == 5
    assert batch.codes.first().code in body


def test_a_liaison_cannot_print_codes(login, liaison_user, office_user, survey):
    batch = services.issue_codes(survey=survey, actor=office_user, label="干部大会", count=1)
    response = login(liaison_user).get(reverse("surveys:code_batch_print", args=[batch.pk]))
    assert response.status_code in {403, 404}


@pytest.mark.parametrize("size", [2, 12])  # paged by 20
def test_the_survey_list_costs_the_same_for_few_and_many(
    login, org, office_user, django_assert_num_queries, size
):
    inspection = InspectionFactory(
        organization=org,
        round__organization=org,
        stage="onsite",
        team=TeamFactory(round__organization=org),
    )
    for _ in range(size):
        make_survey(org, office_user, inspection=inspection)
    client = login(office_user)
    url = reverse("surveys:survey_list", args=[inspection.pk])
    client.get(url)
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


def test_the_office_lists_and_edits_templates(login, admin_user, org):
    client = login(admin_user)
    body = client.get(reverse("surveys:template_list")).content.decode()
    assert "领导班子民主测评" in body
    template = SurveyTemplate.objects.for_org(org).get(purpose="evaluation")
    client.post(
        reverse("surveys:template_detail", args=[template.pk]),
        {
            "kind": "single",
            "text": "对选人用人工作的评价",
            "options": "+好\n+较好\n一般\n差",
            "scale": 5,
            "required": "on",
        },
    )
    assert template.questions.filter(text="对选人用人工作的评价").exists()


def test_a_team_member_does_not_manage_templates(login, team_member_user):
    assert login(team_member_user).get(reverse("surveys:template_list")).status_code == 403


@pytest.mark.parametrize("responses", [1, 15])
def test_the_results_page_costs_the_same_for_few_and_many(
    login, org, office_user, django_assert_num_queries, responses
):
    survey = make_survey(org, office_user)
    for index in range(responses):
        submit(survey, answers_for(survey, grade=("good", "average")[index % 2]))
    client = login(office_user)
    url = reverse("surveys:survey_results", args=[survey.pk])
    client.get(url)
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200
