"""A democratic evaluation answered on a phone through a printed one-time code, then its
results on a desktop: the grade of each leader. Screenshots in artifacts/screenshots/."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from surveys import services
from surveys.models import Response
from tests.factories import seat_on_team
from tests.surveys.helpers import make_survey

pytestmark = pytest.mark.browser


@pytest.fixture
def survey(org, office_user):
    return make_survey(org, office_user)


@pytest.fixture
def code(survey, office_user) -> str:
    batch = services.issue_codes(survey=survey, actor=office_user, label="干部大会", count=3)
    return batch.codes.order_by("pk").first().code


def _answer_on_a_phone(page: Page, url: str, code: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    page.fill("#code", code.lower().replace("-", ""))  # as typed off the slip
    with page.expect_navigation():
        page.click("#code-submit")
    page.click("#question-1 label:has-text('较好')")
    for row in page.locator(".survey-grid-row").all():
        row.locator("label:has-text('好')").first.click()
    page.locator(".survey-grid-row").nth(2).locator("label:has-text('一般')").click()
    page.fill("#question-3 textarea", "希望加强基层调研。")


def test_a_survey_answered_on_a_phone_through_a_one_time_code(page, live_server, survey, code):
    _answer_on_a_phone(page, f"{live_server.url}{reverse('surveys:survey_code')}", code)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="artifacts/screenshots/survey_code_form_phone.png", full_page=True)

    with page.expect_navigation():
        page.click("#submit-answers")

    assert "答卷已提交" in page.locator("#thanks").inner_text()
    assert Response.objects.for_org(survey.organization).filter(survey=survey).count() == 1


def test_a_used_code_is_refused(page, live_server, survey, code):
    url = f"{live_server.url}{reverse('surveys:survey_code')}"
    _answer_on_a_phone(page, url, code)
    with page.expect_navigation():
        page.click("#submit-answers")

    page.goto(f"{url}?code={code}")

    assert "已使用" in page.locator("#code-error").inner_text()


def test_the_results_show_each_leaders_grades(
    page, sign_in, live_server, survey, code, org, team_member_user
):
    _answer_on_a_phone(page, f"{live_server.url}{reverse('surveys:survey_code')}", code)
    with page.expect_navigation():
        page.click("#submit-answers")
    seat_on_team(survey.inspection.team, team_member_user)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(team_member_user)

    page.goto(f"{live_server.url}{reverse('surveys:survey_results', args=[survey.pk])}")

    assert page.locator("#response-count").inner_text() == "1"
    row = page.locator(".leader-grades tr[data-leader='王磊']")
    assert row.locator("td.positive").inner_text() == "0.0%"
    first = page.locator(".leader-grades tr[data-leader='张明'] td.positive")
    assert first.inner_text() == "100.0%"


def test_the_sheet_of_slips_and_the_survey_page(
    page, sign_in, live_server, survey, code, office_user
):
    sign_in(office_user)
    page.goto(f"{live_server.url}{reverse('surveys:survey_detail', args=[survey.pk])}")
    page.screenshot(path="artifacts/screenshots/survey_detail_desktop.png", full_page=True)
    assert page.locator("#leaders td").first.inner_text() == "张明"

    with page.expect_navigation():
        page.click("#batches a")

    assert page.locator("#slips .slip").count() == 3
    assert page.locator("#slips .slip-code").first.inner_text() == code
    page.screenshot(path="artifacts/screenshots/survey_code_sheet.png", full_page=True)
    page.goto(f"{live_server.url}{reverse('surveys:template_list')}")
    with page.expect_navigation():
        page.click("#templates a >> nth=0")
    page.screenshot(path="artifacts/screenshots/survey_template_desktop.png", full_page=True)
    assert page.locator("#template-questions li").count() >= 3
