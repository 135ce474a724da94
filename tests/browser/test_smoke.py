"""Smoke tests through a real browser: sign-in, language, organization switch, unit tree."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.browser

NAV = "#sidebar-menu"


def test_office_signs_in_and_sees_home_in_chinese(
    sign_in, live_server, office_user, org, unit_tree
):
    page = sign_in(office_user)
    assert page.url == f"{live_server.url}/"
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("main h1")).to_have_text(org.name)
    expect(page.locator("#queue-office h2")).to_have_text("巡察办")
    sidebar_bg = page.locator("#sidebar").evaluate("n => getComputedStyle(n).backgroundColor")
    assert sidebar_bg == "oklch(0.2686 0 0)", "Tabler CSS did not load"
    expect(page.locator(f"{NAV} a[href='/units/']")).to_have_text("单位")


def test_language_switch_to_english_and_back(sign_in, office_user):
    page = sign_in(office_user)
    page.click("#language-switcher button[value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(f"{NAV} a[href='/units/']")).to_have_text("Units")
    page.click("#language-switcher button[value=zh-hans]")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator(f"{NAV} a[href='/units/']")).to_have_text("单位")


def test_user_with_two_memberships_switches_organization(sign_in, office_user, org, other_org):
    MembershipFactory(organization=other_org, user=office_user, roles=(Role.OFFICE,))
    page = sign_in(office_user)
    current = page.locator("main h1").inner_text()
    target = other_org if current == org.name else org
    page.select_option("#org-switcher select", label=target.name)
    page.click("#org-switcher button[type=submit]")
    expect(page.locator("main h1")).to_have_text(target.name)
    expect(page.locator("#org-switcher select option:checked")).to_have_text(target.name)


def test_org_admin_creates_sub_unit_in_tree(sign_in, live_server, admin_user, unit_tree):
    page = sign_in(admin_user)
    page.goto(f"{live_server.url}/units/")
    page.click("main a[href='/units/new/']")
    page.fill("#id_name", "青羊区分公司")
    page.fill("#id_code", "cd-qy")
    page.select_option("#id_kind", "county_branch")
    page.select_option("#id_parent", label="成都分公司")
    page.click("main form button[type=submit]")
    expect(page.locator("main .alert-success")).to_contain_text("青羊区分公司")
    page.goto(f"{live_server.url}/units/")
    names = page.locator("#unit-tree li a").all_inner_texts()
    assert names.index("成都分公司") < names.index("青羊区分公司") < names.index("绵阳分公司")
    new_item = page.locator("#unit-tree li", has_text="青羊区分公司")
    expect(new_item.locator("span.indent")).to_have_count(1)


def test_wrong_password_shows_error_and_stays_on_login(sign_in, live_server, office_user):
    page = sign_in(office_user, password="not-the-password")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    expect(page.locator("main .alert-danger")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value(office_user.username)
    expect(page.locator("#user-menu")).to_have_count(0)
