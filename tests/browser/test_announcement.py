"""The announcement in a browser: its public page on a phone (390 px wide) and the printable
sheet of QR codes, neither breaking the Content Security Policy. Screenshots in
artifacts/screenshots/."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from rounds.models import Announcement, Inspection
from rounds.taxonomy import Stage
from tests.factories import AnnouncementFactory, InspectionFactory, RoundFactory, UnitFactory

pytestmark = pytest.mark.browser

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def console(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(WATCH)
    return errors


def _violations(page: Page, console: list[str]) -> list[str]:
    return [text for text in console if "Content Security Policy" in text] + page.evaluate(
        "window.__cspViolations"
    )


@pytest.fixture
def inspection(org) -> Inspection:
    unit = UnitFactory(organization=org, name="成都分公司")
    for name in ("锦江区分公司", "青羊区分公司", "金牛区分公司"):
        UnitFactory(organization=org, parent=unit, name=name)
    return InspectionFactory(round=RoundFactory(organization=org), unit=unit, stage=Stage.ONSITE)


@pytest.fixture
def announcement(inspection) -> Announcement:
    return AnnouncementFactory(
        inspection=inspection,
        scope="贯彻落实党中央决策部署、全面从严治党、选人用人和基层党组织建设等情况。",
        postal_box="成都市第12号信箱",
        reception_hours="工作日8:30—17:30",
        published_at=timezone.now(),
    )


def test_the_public_page_on_a_phone(page, live_server, console, announcement):
    page.set_viewport_size({"width": 390, "height": 844})
    url = reverse("rounds:announcement_public", args=[announcement.token])

    page.goto(f"{live_server.url}{url}?unit={announcement.inspection.unit_id}&for=petition")

    assert page.locator("#unit").inner_text() == "成都分公司"
    assert "信访举报码" in page.locator("#purpose").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert _violations(page, console) == []


def test_the_printable_page(sign_in, live_server, console, office_user, announcement):
    page = sign_in(office_user)
    url = reverse("rounds:announcement_print", args=[announcement.inspection_id])

    page.goto(f"{live_server.url}{url}")

    assert page.locator("#qr-sheet svg").count() == 8
    assert page.locator("#qr-sheet h2").all_inner_texts()[0] == "成都分公司"
    assert _violations(page, console) == []
