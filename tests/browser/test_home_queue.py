"""The home page's work queue for every role, signed in through the real form, at a desktop
(1280×800) and a phone (390×844) size: each role's queue is shown, the page is no wider than
the phone, and each leaves artifacts/screenshots/home-<role>-<size>.png to look at."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from accounts.roles import Role
from rounds.models import StagePlan, TeamMember
from rounds.services import teams as team_services
from rounds.taxonomy import Stage
from tests.browser.conftest import SCREENSHOTS
from tests.factories import (
    PASSWORD,
    InspectionFactory,
    IntelligenceRequestFactory,
    MembershipFactory,
    RecusalFactory,
    RoundFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
    WorkTaskFactory,
    seat_on_team,
)

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _user(org, *roles: str, username: str, name: str) -> User:
    user = UserFactory(username=username, full_name=name)
    MembershipFactory(organization=org, user=user, roles=roles)
    return user


@pytest.fixture
def people(org, office_user) -> dict[str, User]:
    """A tenant with work in every section: inspections held by gates, an answer overdue, a
    stage overrun, a recusal to decide, an inspection to close, a team with its tasks."""
    units = [
        UnitFactory(organization=org, name=name)
        for name in ("成都分公司", "绵阳分公司", "宜宾分公司", "南充分公司", "德阳分公司")
    ]
    round_ = RoundFactory(organization=org, name="2025年第一轮巡察")
    team = TeamFactory(round=round_, name="第一巡察组")
    leader = _user(org, Role.TEAM_LEADER, username="team_leader", name="赵志强")
    member = _user(org, Role.TEAM_MEMBER, username="team_member", name="陈静")
    leader_seat = seat_on_team(team, leader, role=TeamMember.Role.LEADER, actor=office_user)
    member_seat = seat_on_team(team, member, actor=office_user)
    led = team_services.assign_unit(team=team, actor=office_user, unit=units[0])
    WorkTaskFactory(inspection=led, assignee=member_seat, description="负责选人用人专项检查")
    InspectionFactory(round=round_, unit=units[1], focus_areas=[])
    preparing = InspectionFactory(round=round_, unit=units[2], stage=Stage.PREPARATION)
    IntelligenceRequestFactory(inspection=preparing, due_on=TODAY - 2 * DAY)
    IntelligenceRequestFactory(inspection=preparing, department="finance", due_on=TODAY + DAY)
    late = InspectionFactory(round=round_, unit=units[3], stage=Stage.ONSITE)
    StagePlan.objects.create(
        organization=org, inspection=late, stage=Stage.ONSITE, planned_end=TODAY - 5 * DAY
    )
    InspectionFactory(round=round_, unit=units[4], stage=Stage.ACCEPTANCE)
    RecusalFactory(member=leader_seat, unit=units[1])
    MembershipFactory(organization=org, user=UserFactory(full_name="王芳"), roles=())
    return {
        "office": office_user,
        "leadership": _user(org, Role.LEADERSHIP, username="leadership", name="李书记"),
        "team_leader": leader,
        "team_member": member,
        "org_admin": _user(org, Role.ORG_ADMIN, username="org_admin", name="系统管理员"),
        "liaison": _user(org, Role.LIAISON, username="liaison", name="张联络"),
        "dept_reviewer": _user(org, Role.DEPT_REVIEWER, username="reviewer", name="周审核"),
        "clue_handler": _user(org, Role.CLUE_HANDLER, username="discipline", name="吴纪检"),
    }


@pytest.fixture
def context_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


@pytest.mark.parametrize(
    "role",
    [
        "office",
        "leadership",
        "team_leader",
        "team_member",
        "org_admin",
        "liaison",
        "dept_reviewer",
        "clue_handler",
    ],
)
def test_home_shows_each_roles_queue_at_desktop_and_phone_size(
    context_page, live_server, people, role
):
    page = context_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", people[role].username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == f"{live_server.url}/"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        queue = page.locator(f"#queue-{role}")
        expect(queue).to_be_visible()
        expect(queue.locator(".queue-entry, .queue-empty, .queue-not-built").first).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{role} at {size}: {overflow}px wider than the window"
        page.screenshot(path=SCREENSHOTS / f"home-{role}-{size}.png", full_page=True)
