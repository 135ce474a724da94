"""Issue 7 §5, "a look an office would trust", in a real browser: the Tabler layout with its
sidebar, the pool list as stacked cards on a phone (390 px) and as a table on a desktop, a
detail page with its stage badge, and not one Content Security Policy complaint on the way.
Screenshots: artifacts/screenshots/look_*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from rounds.services.pool import create_inspector
from rounds.taxonomy import Stage
from tests.browser.conftest import SCREENSHOTS
from tests.factories import InspectionFactory, RoundFactory, TeamFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Every console error of the page (a CSP refusal is one) and every failed static file."""
    errors: list[str] = []

    def _console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", _console)
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    return errors


@pytest.fixture
def pool(org, unit_tree) -> None:
    people = [
        ("欧阳建国", "纪委副书记", ["discipline", "party"], True, unit_tree["chengdu"]),
        ("李秀英", "组织部副部长", ["organization"], True, unit_tree["jinjiang"]),
        ("陈静", "审计部高级审计师", ["audit", "finance"], False, unit_tree["outlet"]),
        ("孙丽", "法律事务部主任", ["legal"], False, None),
        ("黄磊", "市场经营部经理", ["business"], False, unit_tree["mianyang"]),
    ]
    for name, position, skills, leader, home in people:
        create_inspector(
            org=org,
            actor=None,
            name=name,
            position=position,
            specialties=skills,
            leader_eligible=leader,
            home_unit=home,
        )


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"look_{name}.png", full_page=True)


def test_pool_list_on_a_phone_is_stacked_cards(
    sign_in, live_server, office_user, pool, console_errors
):
    page = sign_in(office_user)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/pool/")
    names = page.locator("#inspectors tbody td.stack-title")
    expect(names).to_have_count(5)
    widths = [box["width"] for box in (cell.bounding_box() for cell in names.all()) if box]
    assert len(widths) == 5
    assert min(widths) > 300, widths  # a card's full width, not a squeezed column
    head = page.locator("#inspectors thead").bounding_box()
    assert head
    assert head["height"] <= 1  # left for screen readers only
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "pool_phone")
    assert console_errors == []


def test_pool_list_on_a_desktop_is_a_table_beside_the_sidebar(
    sign_in, live_server, office_user, pool, console_errors
):
    page = sign_in(office_user)
    page.goto(f"{live_server.url}/pool/")
    expect(page.locator("#sidebar-menu")).to_be_visible()
    expect(page.locator("#sidebar-menu a.nav-link.active")).to_have_text("巡察人才库")
    expect(page.locator("#breadcrumbs li")).to_have_text(["首页", "巡察人才库"])
    expect(page.locator("#inspectors thead th").first).to_have_text("姓名")
    sidebar = page.locator("#sidebar").bounding_box()
    table = page.locator("#inspectors").bounding_box()
    assert sidebar
    assert table
    assert table["x"] >= sidebar["x"] + sidebar["width"]
    _shot(page, "pool_desktop")
    assert console_errors == []


def test_sidebar_collapses_on_a_phone_and_opens_from_the_menu_button(
    sign_in, live_server, office_user, pool, console_errors
):
    page = sign_in(office_user)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/pool/")
    expect(page.locator("#sidebar-menu")).to_be_hidden()
    page.click("#sidebar-toggle")
    expect(page.locator("#sidebar-menu a[href='/rounds/']")).to_be_visible()
    page.wait_for_selector("#sidebar-menu.show:not(.collapsing)")
    _shot(page, "sidebar_phone_open")
    page.click("#sidebar-menu a[href='/rounds/']")
    expect(page.locator("main h1")).to_have_text("巡察轮次")
    expect(page.locator("#sidebar-menu")).to_be_hidden()
    assert console_errors == []


def test_inspection_page_shows_its_stage_badge_and_the_user_menu_signs_out(
    sign_in, live_server, office_user, org, unit_tree, console_errors
):
    rnd = RoundFactory(organization=org, name="2026年第一轮巡察")
    team = TeamFactory(round=rnd, name="第一巡察组")
    inspection = InspectionFactory(
        round=rnd, team=team, unit=unit_tree["chengdu"], stage=Stage.ONSITE
    )
    page = sign_in(office_user)
    page.goto(f"{live_server.url}/inspections/{inspection.pk}/")
    badge = page.locator("#current-stage")
    expect(badge).to_have_text("现场巡察")
    expect(badge).to_have_class("badge stage-badge bg-blue-lt")
    expect(page.locator("#breadcrumbs li")).to_have_count(3)
    _shot(page, "inspection_detail")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "inspection_detail_phone")
    page.click("#user-menu")
    page.click("#sign-out")
    expect(page.locator("#id_username")).to_be_visible()
    assert console_errors == []
