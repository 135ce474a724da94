"""The shared look (issue 7 §5): the sidebar grouped by task and filtered by role, breadcrumbs,
one badge colour per stage, empty states that name the next step, icons that exist, and pages
that keep the CSP strict (no inline script or style). In a browser: tests/browser/test_look.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse

from rounds.taxonomy import Stage
from rounds.templatetags.stages import STAGE_COLOURS
from tests.factories import InspectionFactory, InspectorFactory

ROOT = Path(settings.BASE_DIR)


def _nav(response) -> list[str]:
    menu = response.content.decode().split('id="nav-menu"')[1].split("</ul>")[0]
    return re.findall(r'class="nav-link[^"]*" href="([^"]+)"', menu)


def _groups(response) -> list[str]:
    menu = response.content.decode().split('id="nav-menu"')[1].split("</ul>")[0]
    return re.findall(r'nav-group" role="presentation">([^<]+)</li>', menu)


def _crumbs(response) -> list[str]:
    trail = response.content.decode().split('id="breadcrumbs">')[1].split("</ol>")[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li.*?</li>", trail)]


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        ("office_user", ["/", "/plans/", "/rounds/", "/pool/", "/inspections/", "/units/",
                         "/survey-templates/", "/interview-templates/", "/document-checklist/",
                         "/inspections/settings/", "/manage/api-tokens/"]),
        ("admin_user", ["/", "/plans/", "/rounds/", "/pool/", "/inspections/", "/units/",
                        "/manage/members/", "/survey-templates/", "/interview-templates/",
                        "/document-checklist/", "/manage/settings/", "/inspections/settings/",
                        "/manage/api-tokens/"]),
        ("team_member_user", ["/", "/inspections/", "/units/", "/manage/api-tokens/"]),
        ("liaison_user", ["/", "/liaison/", "/units/", "/manage/api-tokens/"]),
        ("clue_handler_user", ["/", "/petitions/", "/units/", "/manage/api-tokens/"]),
    ],
)  # fmt: skip
def test_sidebar_shows_each_role_only_its_links(request, login, persona, links):
    response = login(request.getfixturevalue(persona)).get(reverse("accounts:unit_tree"))

    assert _nav(response) == links


def test_sidebar_groups_the_office_links_by_task(login, office_user):
    response = login(office_user).get(reverse("accounts:unit_tree"))

    assert _groups(response) == [
        "规划与轮次",
        "巡察组与人员库",
        "巡察工作",
        "单位与成员",
        "现场工作模板",
        "设置",
        "账号",
    ]


def test_team_member_sees_only_the_groups_of_their_links(login, team_member_user):
    response = login(team_member_user).get(reverse("accounts:unit_tree"))

    assert _groups(response) == ["巡察工作", "单位与成员", "账号"]


def test_sidebar_marks_the_section_of_a_detail_page(login, office_user, org):
    inspector = InspectorFactory(organization=org)

    response = login(office_user).get(reverse("rounds:inspector_detail", args=[inspector.pk]))

    assert re.findall(r'class="nav-link active" href="([^"]+)"', response.content.decode()) == [
        "/pool/"
    ]


def test_breadcrumbs_run_from_home_to_the_page(login, office_user, org):
    inspector = InspectorFactory(organization=org, name="欧阳建国")

    response = login(office_user).get(reverse("rounds:inspector_detail", args=[inspector.pk]))

    assert _crumbs(response) == ["首页", "巡察人才库", "欧阳建国"]


def test_home_page_has_no_breadcrumbs(login, office_user):
    response = login(office_user).get(reverse("home"))

    assert 'id="breadcrumbs"' not in response.content.decode()


def test_each_stage_has_its_own_badge_colour():
    assert set(STAGE_COLOURS) == set(Stage.values)
    assert len(set(STAGE_COLOURS.values())) == len(Stage.values)


@pytest.mark.parametrize(
    ("stage", "colour", "label"),
    [
        (Stage.ONSITE, "blue", "现场巡察"),
        (Stage.CLOSED, "green", "已完成"),
        ("gone", "secondary", "gone"),
    ],
)
def test_stage_badge_renders_the_label_in_the_stage_colour(stage, colour, label):
    template = Template("{% load stages %}{% stage_badge stage %}")

    assert template.render(Context({"stage": stage})) == (
        f'<span class="badge stage-badge bg-{colour}-lt" data-stage="{stage}">{label}</span>'
    )


def test_inspection_list_and_page_show_the_same_stage_badge(login, office_user, org, unit_tree):
    inspection = InspectionFactory(organization=org, unit=unit_tree["chengdu"], stage="feedback")
    client = login(office_user)
    badge = 'class="badge stage-badge bg-purple-lt" data-stage="feedback"'

    page = client.get(reverse("rounds:inspection_detail", args=[inspection.pk])).content.decode()
    listed = client.get(reverse("rounds:inspection_list")).content.decode()

    assert (badge in page, badge in listed) == (True, True)


def _empty_state(response) -> tuple[str, str]:
    block = response.content.decode().split('id="empty-state"')[1].split("</div>\n</div>")[0]
    title = re.search(r'class="empty-title">([^<]+)<', block).group(1)
    action = re.search(r'<a class="btn btn-primary" href="([^"]+)"', block)
    return title, action.group(1) if action else ""


NO_MATCH = "没有符合条件的"


@pytest.mark.parametrize(
    ("persona", "path", "query", "title", "action"),
    [
        ("office_user", "/pool/", {}, "巡察人才库还没有人员。", "/pool/new/"),
        ("leadership_user", "/pool/", {}, "巡察人才库还没有人员。", ""),
        ("office_user", "/pool/", {"q": "无"}, NO_MATCH + "巡察人员。", "/pool/"),
        ("office_user", "/inspections/", {"q": "无"}, NO_MATCH + "巡察。", "/inspections/"),
        ("office_user", "/inspections/", {}, "还没有巡察。", ""),
        ("office_user", "/rounds/", {}, "还没有巡察轮次。", "/rounds/new/"),
        ("office_user", "/rounds/", {"year": "1990"}, NO_MATCH + "巡察轮次。", "/rounds/"),
        ("office_user", "/plans/", {}, "暂无巡察规划。", "/plans/new/"),
        ("leadership_user", "/plans/", {}, "暂无巡察规划。", ""),
        ("admin_user", "/units/", {}, "暂无单位。", "/units/new/"),
        ("admin_user", "/units/", {"q": "无"}, "没有符合搜索条件的单位。", "/units/"),
        ("admin_user", "/manage/members/", {"q": "无"}, NO_MATCH + "成员。", "/manage/members/"),
    ],
)
def test_empty_list_says_what_to_do_next(request, login, persona, path, query, title, action):
    response = login(request.getfixturevalue(persona)).get(path, query)

    assert _empty_state(response) == (title, action)


def test_empty_extension_visit_list_offers_to_record_one(login, office_user, org, unit_tree):
    inspection = InspectionFactory(organization=org, unit=unit_tree["chengdu"])
    url = reverse("rounds:extension_visit_list", args=[inspection.pk])

    response = login(office_user).get(url)

    assert _empty_state(response) == (
        "尚未登记延伸巡察。",
        reverse("rounds:extension_visit_create", args=[inspection.pk]),
    )


def test_list_rows_carry_the_labels_of_their_stacked_cards(login, office_user, org):
    InspectorFactory(organization=org, name="欧阳建国", position="纪委副书记")

    html = login(office_user).get(reverse("rounds:inspector_list")).content.decode()

    assert '<table class="table table-vcenter table-hover card-table table-stack"' in html
    assert '<td class="stack-title"><a href=' in html
    assert '<td data-label="职务">纪委副书记</td>' in html


def test_every_icon_a_template_names_is_in_the_sprite():
    sprite = (ROOT / "static/vendor/tabler-icons/sprite.svg").read_text()
    named = set()
    for template in (ROOT / "templates").rglob("*.html"):
        named |= set(re.findall(r'icon="([a-z0-9-]+)"', template.read_text()))
        named |= set(re.findall(r'icon\|default:"([a-z0-9-]+)"', template.read_text()))

    assert named
    assert {name for name in named if f'id="tabler-{name}"' not in sprite} == set()


def test_pages_load_scripts_from_static_files_only(login, office_user, org, unit_tree):
    inspection = InspectionFactory(organization=org, unit=unit_tree["chengdu"])
    client = login(office_user)
    urls = [reverse("home"), reverse("rounds:inspector_list"), reverse("accounts:unit_tree"),
            reverse("rounds:inspection_detail", args=[inspection.pk])]  # fmt: skip

    pages = [client.get(url).content.decode() for url in urls]

    assert [re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", page) for page in pages] == [[]] * 4
    assert [re.findall(r"<[^>]+\sstyle=", page) for page in pages] == [[]] * 4


def test_no_template_comment_spans_lines():
    """``{# … #}`` is one line only: a comment spread over two shows on the page as text."""
    templates = Path(__file__).resolve().parent.parent / "templates"
    opened = [
        f"{path.relative_to(templates)}:{number}"
        for path in templates.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert opened == []
