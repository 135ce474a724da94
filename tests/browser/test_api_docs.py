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


def test_the_documentation_page_lists_every_resource(sign_in, live_server, office_user):
    page = sign_in(office_user)
    errors = _open_docs(page, live_server)

    tags = {name.strip() for name in page.locator(".opblock-tag span").all_inner_texts()}

    assert tags == _schema_tags()  # every resource, and only those
    operations = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert page.locator(".opblock").count() == sum(len(item) for item in operations.values())
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
