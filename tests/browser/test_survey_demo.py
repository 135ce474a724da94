"""Issue 9's "Done when" for surveys, on the demo data in a browser: five anonymous responses
come in on a phone — three through printed one-time codes, two through the open link reached
from the announcement's page — and the team reads them in the aggregated results: the
response rate, 综合满意度 and each leader's grades. Screenshots in artifacts/screenshots/."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from accounts.demo import DEMO_PASSWORD, seed_accounts
from accounts.models import Organization, Unit, User
from rounds.demo import seed_rounds
from rounds.models import Announcement
from surveys.demo import seed_surveys
from surveys.models import ResponseCode, Survey
from tests.browser.conftest import SCREENSHOTS
from xuncha.tenancy import org_scope

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo() -> Organization:
    seed_accounts()
    seed_rounds()
    seed_surveys()
    return Organization.objects.get(code="sctelecom")


def _answer(page: Page, grade: str) -> None:
    page.click(f"#question-1 label:text-is('{grade}')")
    for row in page.locator(".survey-grid-row").all():
        row.locator(f"label:text-is('{grade}')").click()
    with page.expect_navigation():
        page.click("#submit-answers")
    assert "答卷已提交" in page.locator("#thanks").inner_text()


def test_five_responses_show_in_the_results(page, sign_in, live_server, demo):
    with org_scope(demo):
        survey = Survey.objects.for_org(demo).get(purpose="evaluation")
        codes = list(
            ResponseCode.objects.for_org(demo)
            .filter(survey=survey, used_on__isnull=True)
            .values_list("code", flat=True)[:3]
        )
        token = Announcement.objects.for_org(demo).get(inspection=survey.inspection).token
        unit = Unit.objects.for_org(demo).get(code="sc-cd")
    page.set_viewport_size(PHONE)
    for code, grade in zip(codes, ("好", "较好", "好"), strict=True):
        page.goto(f"{live_server.url}{reverse('surveys:survey_code')}")
        page.fill("#code", code)
        with page.expect_navigation():
            page.click("#code-submit")
        _answer(page, grade)
    for grade in ("好", "一般"):
        page.context.clear_cookies()  # another phone
        page.goto(f"{live_server.url}/a/{token}/?unit={unit.pk}&for=survey")
        with page.expect_navigation():
            page.click("#form-survey")
        with page.expect_navigation():
            page.click(f"#open-surveys a:text-is('{survey.title}')")
        page.screenshot(path=SCREENSHOTS / "survey_demo_link_phone.png", full_page=True)
        _answer(page, grade)

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(User.objects.get(username="sc_team_leader"), DEMO_PASSWORD)
    page.goto(f"{live_server.url}{reverse('surveys:survey_results', args=[survey.pk])}")
    page.screenshot(path=SCREENSHOTS / "survey_demo_results.png", full_page=True)

    assert page.locator("#response-count").inner_text() == "25"
    assert "一次性测评码 17" in page.locator("#by-channel").inner_text()
    assert "开放链接 8" in page.locator("#by-channel").inner_text()
    assert page.locator("#response-rate").inner_text() == "41.7%"
    assert page.locator(".leader-grades tr[data-leader]").count() == 5
    assert page.locator("#satisfaction").inner_text().endswith("%")
