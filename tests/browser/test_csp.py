"""No page breaks the Content Security Policy (styles and scripts from our own files only):
htmx's indicator styles come from xuncha.css instead of an injected <style> (the htmx-config
meta tag of base.html), and nothing else is written inline."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from accounts.models import Membership

pytestmark = pytest.mark.browser

# Violations as the page itself sees them, from before its first script runs.
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def console(page: Page) -> list[str]:
    """The browser console's errors (Chromium reports each refused inline style there)."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.add_init_script(WATCH)
    return errors


def _violations(page: Page, console: list[str]) -> list[str]:
    return [text for text in console if "Content Security Policy" in text] + page.evaluate(
        "window.__cspViolations"
    )


def test_the_sign_in_page_breaks_no_policy(page, live_server, console, db):
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.wait_for_load_state("load")

    assert _violations(page, console) == []
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.locator("head style").count() == 0


def test_the_working_pages_break_no_policy(
    sign_in, live_server, console, org, admin_user, unit_tree
):
    member = Membership.objects.get(organization=org, user=admin_user)
    page = sign_in(admin_user)
    seen = {}
    for url in (
        reverse("home"),
        reverse("accounts:unit_tree"),
        reverse("accounts:unit_create"),
        reverse("accounts:member_list"),
        reverse("accounts:member_edit", args=[member.pk]),
        reverse("rounds:inspector_list"),
    ):
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("load")
        seen[url] = _violations(page, console)
        console.clear()

    assert seen == {url: [] for url in seen}


def test_the_indicator_styles_come_from_our_stylesheet(sign_in, live_server, admin_user):
    page = sign_in(admin_user)
    opacity = page.evaluate(
        """() => {
          const probe = document.createElement("span");
          probe.className = "htmx-indicator";
          document.body.append(probe);
          return getComputedStyle(probe).opacity;
        }"""
    )

    assert opacity == "0"
