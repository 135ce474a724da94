"""The API token page in a real browser: an org admin reaches it from the sidebar, makes a
token and sees its key once, beside a service account with its own token; at a desktop and a
phone (390 px) size, no wider than the window. Screenshots:
artifacts/screenshots/api-tokens-desktop.png and api-tokens-phone.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Membership
from accounts.roles import Role
from accounts.tokens import create_api_token, create_service_account
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def service_account(org, admin_user) -> Membership:
    admin = Membership.objects.for_org(org).get(user=admin_user)
    account = create_service_account(
        org=org, actor=admin_user, name="集团OA系统", roles=[Role.OFFICE, Role.LEADERSHIP]
    )
    create_api_token(membership=account, actor=admin_user, actor_membership=admin, name="OA同步")
    create_api_token(membership=admin, actor=admin_user, actor_membership=admin, name="统计脚本")
    return account


def test_an_admin_makes_a_token_and_sees_its_key_once(
    sign_in, live_server, admin_user, service_account
):
    page = sign_in(admin_user)
    page.click("#sidebar-menu a[href='/manage/api-tokens/']")
    expect(page.locator("main h1")).to_have_text("API 令牌")
    page.fill("#id_name", "数据仓库同步")
    page.fill("#id_expires_at", "2030-06-30")
    with page.expect_navigation():
        page.click("#new-token button[type=submit]")

    key = page.locator("#new-key-value")
    expect(key).to_have_text(re.compile(r"^xc_[0-9a-f]{8}_[\w-]{43}$"))
    expect(page.locator("#new-key-warning")).to_contain_text("只显示这一次")
    expect(page.locator("#token-list td.stack-title")).to_have_text(["数据仓库同步", "统计脚本"])
    expect(page.locator(f"#service-account-{service_account.pk} td.stack-title")).to_have_text(
        ["OA同步"]
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{size}: {overflow}px wider than the window"
        page.screenshot(path=SCREENSHOTS / f"api-tokens-{size}.png", full_page=True)
