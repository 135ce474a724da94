"""The API documentation page in a real browser: Swagger UI from our own files reads the
schema and lists every resource, without breaking the Content Security Policy, on a desktop and
on a phone."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator
from playwright.sync_api import Page

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_csp import WATCH

pytestmark = pytest.mark.browser


def _schema_tags() -> set[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {tag for item in schema["paths"].values() for op in item.values() for tag in op["tags"]}


def _open_docs(page: Page, live_server) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: errors.append(f"failed {r.url}"))
    page.add_init_script(WATCH)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-tag", timeout=20_000)
    return errors


def _scrolled_through(page: Page) -> tuple[set[str], set[str]]:
    """The resources (tags) and operations the page shows from top to bottom: past a hundred
    operations Swagger UI renders only those near the viewport, so the page is scrolled."""
    tags: set[str] = set()
    blocks: set[str] = set()
    unchanged = 0
    while unchanged < 5:
        before = (len(tags), len(blocks))
        tags |= {t.strip() for t in page.locator(".opblock-tag span").all_inner_texts()}
        blocks |= {block.get_attribute("id") or "" for block in page.locator(".opblock").all()}
        page.mouse.wheel(0, 700)
        page.wait_for_timeout(100)
        unchanged = unchanged + 1 if (len(tags), len(blocks)) == before else 0
    return tags, blocks - {""}


def test_the_documentation_page_lists_every_resource(sign_in, live_server, office_user):
    page = sign_in(office_user)
    errors = _open_docs(page, live_server)

    tags, blocks = _scrolled_through(page)

    assert tags == _schema_tags()  # every resource, and only those
    operations = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert len(blocks) == sum(len(item) for item in operations.values())
    assert [e for e in errors if "Content Security Policy" in e or "failed" in e] == []
    assert page.evaluate("window.__cspViolations") == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "api-docs-desktop.png")


def test_the_documentation_page_fits_a_phone(sign_in, live_server, office_user):
    page = sign_in(office_user)
    page.set_viewport_size({"width": 390, "height": 844})
    _open_docs(page, live_server)

    width = page.evaluate("document.documentElement.scrollWidth")

    assert width <= 390
    page.screenshot(path=SCREENSHOTS / "api-docs-phone.png")
