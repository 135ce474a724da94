"""Issue 3's "Done when", through the browser as the inspection office: a 3-year coverage plan
at 0%, a round with two teams built from the pool (and a refused conflict of interest), one
inspection walked to 现场巡察 with its timeline, and the plan's coverage rising above 0%."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from rounds.models import Inspection, TeamMember
from rounds.services.pool import create_inspector
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

SAVE = "main form[method=post] button[type=submit]"
ADVANCE = "#waiting-for form button[type=submit]"


def _pool(org, unit_tree) -> dict:
    """Two possible team leaders, five members, and one person from 成都分公司."""
    people = [
        ("王建国", ["party", "discipline"], True, None),
        ("李秀英", ["discipline", "organization"], True, None),
        ("陈静", ["audit", "finance"], False, None),
        ("孙丽", ["legal"], False, None),
        ("黄磊", ["business"], False, None),
        ("高洁", ["organization", "party"], False, None),
        ("刘洋", ["organization"], False, unit_tree["chengdu"]),
    ]
    return {
        name: create_inspector(
            org=org,
            actor=None,
            name=name,
            specialties=skills,
            leader_eligible=leader,
            home_unit=home,
        )
        for name, skills, leader, home in people
    }


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"walkthrough_{name}.png", full_page=True)


def _percent(page: Page) -> float:
    return float(page.locator("#coverage-percent").inner_text().rstrip("%"))


def _create_plan(page: Page, base: str, chengdu) -> str:
    page.goto(f"{base}/plans/")
    page.click("main a[href='/plans/new/']")
    page.fill("#id_name", "2025—2027年巡察规划")
    page.fill("#id_start_year", "2025")
    page.fill("#id_end_year", "2027")
    page.click(SAVE)
    page.click("main a#add-targets")
    page.select_option("#id_unit", str(chengdu.pk))
    expect(page.locator("#id_include_subunits")).to_be_checked()
    page.select_option("#id_planned_year", "2026")
    page.click("form[action$='/targets/add/'] button[type=submit]")
    expect(page.locator("main .alert-success")).to_contain_text("3")
    expect(page.locator("#targets tbody tr")).to_have_count(3)
    assert _percent(page) == 0
    _shot(page, "plan")
    return page.url


def _new_team(page: Page, name: str, ref: str) -> None:
    page.click("main a[href$='/teams/new/']")
    page.fill("#id_name", name)
    page.fill("#id_authorization_ref", ref)
    page.fill("#id_authorized_on", "2026-02-20")
    page.click(SAVE)
    expect(page.locator("main h1")).to_have_text(name)


def _add_member(page: Page, inspector, role: str) -> None:
    page.click("main a[href$='/members/add/']")
    page.select_option("#id_inspector", str(inspector.pk))
    page.select_option("#id_role", role)
    page.click(SAVE)


def _assign(page: Page, unit) -> None:
    page.click("main a[href$='/units/assign/']")
    page.select_option("#id_unit", str(unit.pk))
    page.click(SAVE)
    expect(page.locator("#assigned-units")).to_contain_text(unit.name)


def _build_round(page: Page, base: str, people: dict, units: dict) -> str:
    page.goto(f"{base}/rounds/")
    page.click("main a[href='/rounds/new/']")
    page.fill("#id_name", "2026年第一轮巡察")
    page.select_option("#id_kind", "routine")
    page.fill("#id_start_date", "2026-03-01")
    page.fill("#id_end_date", "2026-12-31")
    for area in ("political", "personnel"):
        page.check(f"input[name=focus_areas][value={area}]")
    page.click(SAVE)
    round_url = page.url
    _new_team(page, "第一巡察组", "川电信党委〔2026〕12号")
    _add_member(page, people["王建国"], "leader")
    for name in ("陈静", "孙丽", "黄磊"):
        _add_member(page, people[name], "member")
    expect(page.locator("#members tbody tr")).to_have_count(4)
    _assign(page, units["chengdu"])
    _add_member(page, people["刘洋"], "member")  # home unit 成都分公司: refused
    expect(page.locator("main .alert-danger")).to_contain_text("刘洋不得巡察成都分公司")
    assert page.url.endswith("/members/add/")
    _shot(page, "team_refused")
    assert not TeamMember.objects.filter(inspector=people["刘洋"]).exists()
    page.goto(round_url)
    _new_team(page, "第二巡察组", "川电信党委〔2026〕13号")
    _add_member(page, people["李秀英"], "leader")
    for name in ("高洁", "刘洋"):  # 刘洋 may serve on a team not inspecting 成都分公司
        _add_member(page, people[name], "member")
    _assign(page, units["mianyang"])
    expect(page.locator("#members tbody tr")).to_have_count(3)
    page.goto(round_url)
    expect(page.locator("#inspections tbody tr")).to_have_count(2)
    return round_url


def _advance(page: Page, reason: str, stage: str) -> None:
    page.fill("#id_reason", reason)
    page.click(ADVANCE)
    expect(page.locator("main .alert-success")).to_contain_text(stage)
    expect(page.locator("#current-stage")).to_have_text(stage)


def _walk_to_onsite(page: Page) -> None:
    page.click("#schedule a[href$='/schedule/']")
    page.fill("#id_defaults_from", "2026-03-01")
    page.click("main form[method=get] button[type=submit]")
    expect(page.locator("#id_onsite_start")).not_to_have_value("")
    page.click(SAVE)
    expect(page.locator("#schedule")).to_contain_text("2026-03")
    page.click("#work-plan a[href$='/work-plan/']")
    expect(page.locator("input[name=focus_areas][value=political]")).to_be_checked()
    page.check("input[name=focus_areas][value=four_styles]")
    page.fill("#id_work_plan", "聚焦党的领导、党的建设、全面从严治党。")
    page.click(SAVE)
    expect(page.locator("main .alert-success")).to_be_visible()
    page.click("main .breadcrumb-item:nth-child(3) a")  # back to the inspection (after 首页, 巡察)
    _advance(page, "工作方案已审定", "巡前准备")
    page.fill("#id_reason", "尚未征询情况")  # refused: no intelligence requested yet
    page.click(ADVANCE)
    expect(page.locator("main .alert-danger")).to_contain_text("请至少向一个职能部门发出情况征询函")
    expect(page.locator("#current-stage")).to_have_text("巡前准备")
    _shot(page, "refused_move")
    page.click("#preparation a[href$='/intelligence/requests/new/']")
    page.select_option("#id_department", "audit")
    page.fill("#id_requested_on", "2026-03-02")
    page.fill("#id_note", "请提供近三年审计发现的问题及整改情况。")
    page.click(SAVE)
    page.click("#preparation a[href*='/intelligence/answer/']")
    page.fill("#id_answered_on", "2026-03-09")
    page.click(SAVE)
    expect(page.locator("#preparation tbody")).to_contain_text("2026-03-09")
    _advance(page, "巡前情况已汇总", "进驻动员")
    _publish_announcement(page)
    _advance(page, "进驻动员会已召开", "现场巡察")


def _publish_announcement(page: Page) -> None:
    """The on-site stage waits for the announcement (巡察公告): written, then published."""
    expect(page.locator("#waiting-for")).to_contain_text("在现场巡察开始前发布巡察公告")
    page.click("#announcement-link")
    expect(page.locator("#id_period_start")).not_to_have_value("")  # the planned on-site dates
    page.fill("#id_phone", "028-86001234")
    page.click("#announcement-form button[type=submit]")
    page.click("#publish")
    page.click("#confirmation button[type=submit]")
    expect(page.locator("#published")).to_be_visible()
    page.click("main .breadcrumb-item:nth-child(3) a")  # back to the inspection


def _check_timeline(page: Page, actor: str) -> None:
    """Created, then each move with its source → target stage and who made it, in order."""
    entries = page.locator("#timeline li.timeline-entry")
    expect(entries).to_have_count(4)
    stages = ["planning", "preparation", "mobilization", "onsite"]
    assert [entries.nth(i).get_attribute("data-to") for i in range(4)] == stages
    created, *moves = entries.all_inner_texts()
    assert re.search("巡察已创建\\s*→\\s*制定方案", created), created
    steps = [("制定方案", "巡前准备"), ("巡前准备", "进驻动员"), ("进驻动员", "现场巡察")]
    for text, (source, target) in zip(moves, steps, strict=True):
        assert re.search(f"{source}\\s*→\\s*{target}", text), text
        assert actor in text


def test_office_plans_round_and_walks_inspection_to_onsite(
    sign_in, live_server, office_user, org, unit_tree
):
    people = _pool(org, unit_tree)
    page = sign_in(office_user)
    base = live_server.url
    plan_url = _create_plan(page, base, unit_tree["chengdu"])
    round_url = _build_round(page, base, people, unit_tree)

    page.goto(round_url)
    page.click("#inspections a:text-is('成都分公司')")
    _walk_to_onsite(page)
    _check_timeline(page, office_user.display_name)
    _shot(page, "timeline")
    assert Inspection.objects.get(unit=unit_tree["chengdu"]).stage == "onsite"

    page.goto(plan_url)
    assert _percent(page) > 0  # 1 of 3 target units: 33.3%
    expect(page.locator("#targets tbody tr", has_text="成都分公司")).to_contain_text("已覆盖")
    _shot(page, "coverage")
