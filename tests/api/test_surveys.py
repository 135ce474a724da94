"""Surveys in the API: made, opened and closed through the page's services, their results
aggregated; no answer is given one by one, and another team's or tenant's survey is a 404."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accounts.roles import Role
from surveys.models import Survey, SurveyTemplate
from tests.factories import MembershipFactory, seat_on_team
from tests.surveys.helpers import answers_for, make_survey, submit


def _json(data: object) -> dict:
    return {"data": json.dumps(data), "content_type": "application/json"}


@pytest.fixture
def survey(org, office_user, team_member_user):
    survey = make_survey(org, office_user)
    seat_on_team(survey.inspection.team, team_member_user)
    return survey


def test_the_results_are_aggregated(api, office_user, survey):
    for grade in ("good", "good", "good", "fairly_good", "poor"):
        submit(survey, answers_for(survey, grade=grade))
    body = api(office_user).get(reverse("api:survey-results", args=[survey.pk])).json()
    grid = next(q for q in body["questions"] if q["kind"] == "grid")
    assert body["responses"] == 5
    assert body["response_rate"] == 50.0
    assert grid["rows"][0]["label"] == "张明"
    assert grid["rows"][0]["positive_percent"] == 80.0


def test_the_team_makes_a_survey(api, org, team_member_user, survey):
    template = SurveyTemplate.objects.for_org(org).get(purpose="satisfaction")
    url = reverse("api:inspection-survey-list", args=[survey.inspection_id])
    response = api(team_member_user).post(
        url, **_json({"template": template.pk, "unit": survey.unit_id, "open_link": True})
    )
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    assert len(response.json()["questions"]) == template.questions.count()


def test_a_unit_outside_the_inspection_is_refused(api, org, team_member_user, survey):
    from tests.factories import UnitFactory

    template = SurveyTemplate.objects.for_org(org).get(purpose="satisfaction")
    url = reverse("api:inspection-survey-list", args=[survey.inspection_id])
    response = api(team_member_user).post(
        url, **_json({"template": template.pk, "unit": UnitFactory(organization=org).pk})
    )
    assert response.status_code == 400
    assert "unit" in response.json()["fields"]


def test_closing_goes_through_the_service(api, org, team_member_user, survey):
    response = api(team_member_user).post(reverse("api:survey-close", args=[survey.pk]))
    assert response.json()["status"] == "closed"
    assert Survey.objects.for_org(org).get(pk=survey.pk).closed_at is not None


def test_a_sheet_of_codes_answers_with_its_codes(api, team_member_user, survey):
    url = reverse("api:survey-codes", args=[survey.pk])
    response = api(team_member_user).post(url, **_json({"label": "干部大会", "count": 4}))
    assert response.status_code == 201
    assert len(set(response.json()["codes"])) == 4


def test_leaders_with_answers_are_refused_with_the_pages_message(api, team_member_user, survey):
    submit(survey, answers_for(survey))
    url = reverse("api:survey-leaders", args=[survey.pk])
    response = api(team_member_user).post(url, **_json({"subjects": [{"name": "赵六"}]}))
    assert response.status_code == 400
    assert response.json()["message"] == "该问卷已有答卷，测评对象不能再修改。"


def test_a_liaison_reads_no_survey(api, org, liaison_user, survey):
    response = api(liaison_user).get(reverse("api:survey-results", args=[survey.pk]))
    assert response.status_code in {403, 404}


def test_another_teams_member_finds_no_survey(api, org, survey):
    other = MembershipFactory(organization=org, roles=[Role.TEAM_MEMBER]).user
    response = api(other).get(reverse("api:survey-detail", args=[survey.pk]))
    assert response.status_code == 404


def test_leadership_reads_but_does_not_close(api, leadership_user, survey):
    client = api(leadership_user)
    assert client.get(reverse("api:survey-results", args=[survey.pk])).status_code == 200
    assert client.post(reverse("api:survey-close", args=[survey.pk])).status_code == 403


def test_no_answer_is_served(api, office_user, survey):
    submit(survey, answers_for(survey, text="只给巡察组看的意见"))
    client = api(office_user)
    for url in (
        reverse("api:survey-detail", args=[survey.pk]),
        reverse("api:survey-results", args=[survey.pk]),
        reverse("api:inspection-survey-list", args=[survey.inspection_id]),
    ):
        assert "只给巡察组看的意见" not in client.get(url).content.decode()


@pytest.mark.parametrize("size", [2, 8])
def test_the_list_costs_the_same_for_few_and_many(
    api, org, office_user, survey, django_assert_num_queries, size
):
    for _ in range(size):
        make_survey(org, office_user, inspection=survey.inspection)
    client = api(office_user)
    url = reverse("api:inspection-survey-list", args=[survey.inspection_id])
    client.get(url)
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
