"""The 修改记录 panel on record pages: who, when, which field, old → new; paged; tenant-bound."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Unit
from history.selectors import history_for
from history.tracking import event_model
from rounds.services import pool as pool_services
from tests.factories import InspectorFactory, RoundFactory, TeamFactory, TeamMemberFactory


def _page(client, name: str, obj, **query) -> str:
    response = client.get(reverse(name, args=[obj.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def _history(html: str) -> str:
    return html[html.index('id="history"') :]


def test_a_unit_edit_shows_in_its_history(login, admin_user, unit_tree):
    client, unit = login(admin_user), unit_tree["mianyang"]
    client.post(
        reverse("accounts:unit_edit", args=[unit.pk]),
        {"name": "绵阳市分公司", "code": "my", "kind": "soe"},
    )

    panel = _history(_page(client, "accounts:unit_detail", unit))

    assert "修改记录" in _page(client, "accounts:unit_detail", unit)
    assert admin_user.full_name in panel
    assert "名称：</span> 绵阳分公司 → 绵阳市分公司" in panel
    assert "类别：</span> 市州分公司 → 国有企业" in panel


def test_a_unit_move_shows_the_parent_by_name(login, admin_user, unit_tree):
    client, unit = login(admin_user), unit_tree["jinjiang"]
    client.post(reverse("accounts:unit_move", args=[unit.pk]), {"parent": unit_tree["mianyang"].pk})

    panel = _history(_page(client, "accounts:unit_detail", unit))

    assert "上级单位：</span> 成都分公司 → 绵阳分公司" in panel


def test_a_unit_moved_with_its_parent_says_so(login, admin_user, unit_tree):
    account_services.move_unit(
        unit=unit_tree["jinjiang"], actor=admin_user, new_parent=unit_tree["mianyang"]
    )

    panel = _history(_page(login(admin_user), "accounts:unit_detail", unit_tree["outlet"]))

    assert "随上级单位一同移动。" in panel


def test_an_inspector_edit_shows_in_its_history(login, office_user, org, unit_tree):
    inspector = pool_services.create_inspector(
        org=org, actor=None, name="张伟", home_unit=unit_tree["jinjiang"], specialties=["audit"]
    )
    client = login(office_user)
    client.post(
        reverse("rounds:inspector_edit", args=[inspector.pk]),
        {
            "name": "张伟",
            "home_unit": unit_tree["mianyang"].pk,
            "leader_eligible": "on",
            "is_active": "on",
            "specialties": ["legal"],
        },
    )

    panel = _history(_page(client, "rounds:inspector_detail", inspector))

    assert office_user.full_name in panel
    assert "所在单位：</span> 锦江区分公司 → 绵阳分公司" in panel
    assert "可任组长：</span> 否 → 是" in panel
    assert "专长：</span> — → 法务" in panel


def test_an_inspectors_name_reads_as_a_persons_in_its_history(login, office_user, org):
    inspector = pool_services.create_inspector(org=org, actor=None, name="张伟")
    client = login(office_user)
    url = reverse("rounds:inspector_edit", args=[inspector.pk])
    client.post(url, {"name": "张玮", "is_active": "on"})

    panel = _history(_page(client, "rounds:inspector_detail", inspector))

    assert "姓名：</span> 张伟 → 张玮" in panel


def test_a_team_edit_shows_in_its_history(login, office_user, org):
    team = TeamFactory(round=RoundFactory(organization=org), name="第一巡察组")
    client = login(office_user)
    client.post(
        reverse("rounds:team_edit", args=[team.pk]),
        {"name": "第一巡察组", "authorization_ref": "8号", "authorized_on": "2025-03-01"},
    )

    panel = _history(_page(client, "rounds:team_detail", team))

    assert office_user.full_name in panel
    assert "组长授权（文号）：</span> — → 8号" in panel
    assert "授权日期：</span> — → 2025-03-01" in panel


def test_a_team_lists_its_members_joining(login, office_user, org):
    team = TeamFactory(round=RoundFactory(organization=org))
    TeamMemberFactory(team=team, inspector=InspectorFactory(organization=org, name="钱组员"))

    panel = _history(_page(login(office_user), "rounds:team_detail", team))

    assert "巡察人员：</span> — → 钱组员" in panel


def test_an_unchanged_edit_form_writes_no_event(login, admin_user, unit_tree):
    unit = unit_tree["mianyang"]

    login(admin_user).post(
        reverse("accounts:unit_edit", args=[unit.pk]),
        {"name": unit.name, "code": unit.code, "kind": unit.kind},
    )

    labels = event_model(Unit).objects.filter(pgh_obj_id=unit.pk).values_list("pgh_label")
    assert list(labels) == [("insert",)]


def test_history_is_paged_newest_first(admin_user, unit_tree):
    unit = unit_tree["mianyang"]
    for n in range(25):
        account_services.update_unit(unit=unit, actor=admin_user, name=f"名{n}", code="my", kind="")

    first, second = history_for(unit, page=1), history_for(unit, page=2)

    assert (len(first.entries), first.has_next, len(second.entries), second.has_next) == (
        20,
        True,
        6,
        False,
    )
    assert first.entries[0].changes[0].new == "名24"


@pytest.mark.parametrize("page", ["2", "abc", "-1", "9" * 40])
def test_any_history_page_answers(login, admin_user, unit_tree, page):
    html = _page(
        login(admin_user), "accounts:unit_detail", unit_tree["mianyang"], history_page=page
    )

    assert 'id="history"' in html


def test_the_page_links_to_older_changes(login, admin_user, unit_tree):
    unit = unit_tree["mianyang"]
    for n in range(21):
        account_services.update_unit(unit=unit, actor=admin_user, name=f"名{n}", code="my", kind="")

    panel = _history(_page(login(admin_user), "accounts:unit_detail", unit))

    assert "?history_page=2#history" in panel


def test_another_organization_cannot_open_the_record_or_its_history(login, outsider, unit_tree):
    response = login(outsider).get(reverse("accounts:unit_detail", args=[unit_tree["mianyang"].pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("moves", [3, 30])
def test_the_panel_costs_the_same_for_few_and_many_changes(
    admin_user, unit_tree, django_assert_num_queries, moves
):
    unit = unit_tree["outlet"]
    for n in range(moves):
        parent = unit_tree["mianyang"] if n % 2 == 0 else unit_tree["jinjiang"]
        account_services.move_unit(unit=unit, actor=admin_user, new_parent=parent)

    with django_assert_num_queries(1):  # the events with their actors and the units they name
        history_for(unit)
