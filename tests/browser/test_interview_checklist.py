# ruff: noqa: F811 - the interview fixtures are imported from tests/interviews
"""The team leader records a face-to-face talk held by two interviewers, ticking 四必谈·主要领导,
and sees the item done on the checklist page — on a desktop and on a phone (390 px), without
breaking the Content Security Policy. Screenshots in artifacts/screenshots/."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from interviews.models import Interview
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_announcement import _violations, console  # noqa: F401 - fixture
from tests.interviews.conftest import (  # noqa: F401 - fixtures
    checklists,
    inspection,
    interviewers,
    item_named,
    leader,
    team,
)

pytestmark = pytest.mark.browser


def _record(page: Page, live_server, inspection, interviewers) -> None:
    page.goto(f"{live_server.url}{reverse('interviews:interview_create', args=[inspection.pk])}")
    page.fill("#id_interviewee_name", "张明")
    page.fill("#id_interviewee_position", "党委书记、总经理")
    page.select_option("#id_category", "leadership")
    page.select_option("#id_method", "in_person")
    page.fill("#id_held_at", "2025-04-02T09:30")
    page.fill("#id_place", "成都分公司巡察组谈话室")
    for person in interviewers:
        page.get_by_label(person.name, exact=True).check()
    page.get_by_label("四必谈 · 主要领导", exact=True).check()
    page.fill("#id_notes", "谈及“三重一大”决策程序。")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "interview-form-desktop.png", full_page=True)
    with page.expect_navigation():
        page.click("#save-interview")


def test_a_team_records_an_interview_that_ticks_a_checklist_item(
    sign_in, live_server, console, leader, inspection, interviewers, checklists
):
    page = sign_in(leader)

    _record(page, live_server, inspection, interviewers)

    interview = Interview.objects.get(inspection=inspection)
    assert page.url.endswith(reverse("interviews:interview_detail", args=[interview.pk]))
    assert "四必谈 · 主要领导" in page.locator("#ticked").inner_text()
    page.screenshot(path=SCREENSHOTS / "interview-detail-desktop.png", full_page=True)
    page.goto(f"{live_server.url}{reverse('interviews:checklist', args=[inspection.pk])}")
    item = item_named(inspection, "四必谈", "主要领导")
    row = page.locator(f"#item-{item.pk}")
    assert "is-done" in row.get_attribute("class")
    assert row.locator(".item-status").inner_text() == "完成"
    assert "张明" in row.inner_text()
    page.screenshot(path=SCREENSHOTS / "interview-checklist-desktop.png", full_page=True)
    assert _violations(page, console) == []


def test_the_checklist_page_on_a_phone(
    sign_in, live_server, console, leader, inspection, interviewers, checklists
):
    page = sign_in(leader)
    _record(page, live_server, inspection, interviewers)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}{reverse('interviews:checklist', args=[inspection.pk])}")

    assert page.locator(".checklist-item.is-done").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / "interview-checklist-phone.png", full_page=True)
    assert _violations(page, console) == []
