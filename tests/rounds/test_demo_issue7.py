"""`make demo` shows issue 7's work on the pages each role uses: a reopened inspection waiting
for leadership, an archived round, a team change with its reason, an approved recusal with its
replacement, and a work queue with entries for the office, leadership and a team leader."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Organization, User
from rounds.models import Inspection, Team
from xuncha.tenancy import org_scope


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent: nothing entered twice
    return Organization.objects.get(code="sctelecom")


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _section(html: str, anchor: str) -> str:
    """The text of one work-queue card, up to the next card."""
    start = html.index(f'id="{anchor}"')
    end = html.find('class="card h-100 queue-section"', start + 1)
    return _text(html[start : end if end != -1 else len(html)])


def _detail(demo, unit_code: str) -> str:
    with org_scope(demo):
        inspection = Inspection.objects.for_org(demo).get(unit__code=unit_code)
    return reverse("rounds:inspection_detail", args=[inspection.pk])


def test_the_reopened_inspection_shows_the_leaderships_reason(demo, login):
    html = _page(login(User.objects.get(username="sc_office")), _detail(demo, "sc-yb-cp"))

    timeline = _text(html[html.index('class="list-group-item timeline-entry"') :])
    assert "整改验收合格，销号" in timeline  # it was closed
    assert "群众来信反映公务用车问题整改不到位，重新组织验收" in timeline  # and reopened
    leadership = User.objects.get(username="sc_leadership")
    assert timeline.count(leadership.full_name) >= 2  # who closed it and who reopened it


def test_the_archived_round_is_listed_only_with_the_archived_filter(demo, login):
    client = login(User.objects.get(username="sc_office"))
    rounds = reverse("rounds:round_list")

    listed = _text(_page(client, rounds))
    with_archived = _text(_page(client, f"{rounds}?archived=on"))

    assert "2025年第二轮巡察" not in listed
    assert "2026年第一轮巡察" in listed
    assert "2025年第二轮巡察" in with_archived


def test_the_team_page_shows_the_removal_reason_and_the_recusal_replacement(demo, login):
    with org_scope(demo):
        team = Team.objects.for_org(demo).get(round__name="2026年第一轮巡察", name="第一巡察组")
    html = _page(
        login(User.objects.get(username="sc_office")), reverse("rounds:team_detail", args=[team.pk])
    )

    history = _text(html[html.index('id="history"') :])
    assert "林涛" in history
    assert "抽调参加省公司审计专项工作" in history
    page = _text(html)
    assert "配偶在成都分公司市场部任职" in page  # 黄磊's approved declaration
    assert 'class="small recusal-replacement">由周敏替代<' in html  # works 成都 for 黄磊


def test_the_inspection_page_names_the_replacement_not_the_recused_member(demo, login):
    html = _page(login(User.objects.get(username="sc_office")), _detail(demo, "sc-cd"))
    team = _text(html[html.index('id="team"') :])

    assert "<s>黄磊</s>" in html[html.index('id="team"') :]
    assert "已回避，由周敏替代" in team
    assert "林涛" not in team  # removed from the team


@pytest.mark.parametrize(
    ("username", "anchor", "unit"),
    [
        ("sc_office", "queue-rounds-recusals", "绵阳分公司"),
        ("sc_leadership", "queue-rounds-closing", "翠屏区分公司"),
        ("sc_team_leader", "queue-rounds-led", "成都分公司"),
    ],
)
def test_the_home_queue_has_work_for_each_role(demo, login, username, anchor, unit):
    html = _page(login(User.objects.get(username=username)), reverse("home"))

    section = _section(html, anchor)

    assert "暂无待办" not in section
    assert unit in section
