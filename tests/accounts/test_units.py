"""Unit tree pages and the units API: browsing for every member, editing for administrators."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Membership, Unit
from tests.factories import UnitFactory
from xuncha.tenancy import dangerously_unscoped

TREE = reverse("accounts:unit_tree")
API = "/api/units/"


def _listed(response) -> list[str]:
    """Names of the units linked in the tree, in page order."""
    return re.findall(r'<a href="/units/\d+/" class="[^"]*">([^<]+)</a>', response.content.decode())


def _detail(unit: Unit) -> str:
    return reverse("accounts:unit_detail", args=[unit.pk])


def test_tree_lists_units_in_path_order(login, admin_user, unit_tree):
    UnitFactory(parent=unit_tree["chengdu"], name="高新区分公司", code="cd-gx")

    response = login(admin_user).get(TREE)

    assert _listed(response) == [
        "成都分公司",
        "锦江区分公司",
        "春熙路分局",
        "高新区分公司",
        "绵阳分公司",
    ]


def test_tree_rows_show_depth_kind_and_deactivation(login, admin_user, unit_tree):
    services.deactivate_unit(unit=unit_tree["outlet"], actor=admin_user)
    client = login(admin_user)

    items = re.findall(
        r"<li class=\"list-group-item py-1\">(.*?)</li>", _tree_html(client.get(TREE))
    )
    searched = re.findall(
        r"<li class=\"list-group-item py-1\">(.*?)</li>",
        _tree_html(client.get(TREE, {"q": "cd-jj-1"})),
    )

    outlet = next(item for item in items if "春熙路分局" in item)
    assert [item.count('<span class="indent"></span>') for item in items] == [0, 1, 2, 0]
    assert f'href="{_detail(unit_tree["outlet"])}" class="unit-inactive"' in outlet
    assert str(Unit.Kind.OUTLET.label) in outlet
    assert "badge" in outlet
    assert "badge" not in items[0]
    assert len(searched) == 1
    assert "indent" not in searched[0]


def _tree_html(response) -> str:
    return response.content.decode().replace("\n", " ")


def test_tree_is_paginated_by_200(login, admin_user, org):
    for n in range(201):
        UnitFactory(organization=org, name=f"第{n:03d}单位", code=f"u{n:03d}")
    client = login(admin_user)

    first, second = client.get(TREE), client.get(TREE, {"page": 2})

    assert len(_listed(first)) == 200
    assert _listed(second) == ["第200单位"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [("锦江", ["锦江区分公司"]), ("cd-jj", ["锦江区分公司", "春熙路分局"]), ("不存在", [])],
)
def test_tree_search_matches_name_or_code(login, admin_user, unit_tree, q, expected):
    response = login(admin_user).get(TREE, {"q": q})

    assert _listed(response) == expected


def test_detail_shows_ancestors_and_children(login, office_user, unit_tree):
    response = login(office_user).get(_detail(unit_tree["jinjiang"]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "成都分公司" in content
    assert "春熙路分局" in content
    assert "绵阳分公司" not in content


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("unit_create", "绵阳分公司"),  # a parent to choose
        ("unit_edit", 'value="锦江区分公司"'),
        ("unit_move", "绵阳分公司"),  # a new parent to choose
    ],
)
def test_admin_opens_unit_forms(login, admin_user, unit_tree, name, shown):
    args = [] if name == "unit_create" else [unit_tree["jinjiang"].pk]

    response = login(admin_user).get(reverse(f"accounts:{name}", args=args))

    assert response.status_code == 200
    assert shown in response.content.decode()


def test_move_form_offers_no_unit_of_the_moved_subtree(login, admin_user, unit_tree):
    url = reverse("accounts:unit_move", args=[unit_tree["jinjiang"].pk])

    response = login(admin_user).get(url)

    choices = [unit.name for unit in response.context["form"].fields["parent"].queryset]
    assert choices == ["成都分公司", "绵阳分公司"]


def test_admin_creates_unit_under_parent(login, admin_user, unit_tree):
    chengdu = unit_tree["chengdu"]
    data = {"name": "高新区分公司", "code": "cd-gx", "kind": "county_branch", "parent": chengdu.pk}

    response = login(admin_user).post(reverse("accounts:unit_create"), data)

    unit = Unit.objects.get(code="cd-gx")
    assert response.status_code == 302
    assert response.url == _detail(unit)
    assert (unit.name, unit.kind) == ("高新区分公司", "county_branch")
    assert (unit.parent, unit.depth) == (chengdu, 1)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"code": "成都 01"}, "code"),
        ({"code": "cd"}, "__all__"),  # in use by 成都分公司
        ({"kind": "planet"}, "kind"),
    ],
)
def test_create_unit_with_bad_input_shows_error(login, admin_user, unit_tree, overrides, field):
    data = {"name": "高新区分公司", "code": "cd-gx", "kind": "county_branch"} | overrides

    response = login(admin_user).post(reverse("accounts:unit_create"), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Unit.objects.count() == 4


def test_create_unit_without_name_shows_django_required_message(login, admin_user, org):
    data = {"name": "", "code": "cd", "kind": "branch"}

    response = login(admin_user).post(reverse("accounts:unit_create"), data)

    assert "此项为必填项。" in response.content.decode()
    assert not Unit.objects.exists()


def test_the_parent_unit_select_shows_the_tree(login, admin_user, unit_tree):
    html = login(admin_user).get(reverse("accounts:unit_create")).content.decode()

    select = html[html.index('<select name="parent"') :]
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", select[: select.index("</select>")])
    assert labels == ["（顶级）", "成都分公司", "— 锦江区分公司", "— — 春熙路分局", "绵阳分公司"]


def test_admin_edits_unit(login, admin_user, unit_tree):
    mianyang = unit_tree["mianyang"]
    data = {"name": "绵阳市分公司", "code": "my-city", "kind": "soe"}

    response = login(admin_user).post(reverse("accounts:unit_edit", args=[mianyang.pk]), data)

    mianyang.refresh_from_db()
    assert response.status_code == 302
    assert (mianyang.name, mianyang.code, mianyang.kind) == ("绵阳市分公司", "my-city", "soe")


def test_edit_unit_to_a_code_in_use_shows_error(login, admin_user, unit_tree):
    mianyang = unit_tree["mianyang"]
    data = {"name": "绵阳市分公司", "code": "cd", "kind": "soe"}

    response = login(admin_user).post(reverse("accounts:unit_edit", args=[mianyang.pk]), data)

    mianyang.refresh_from_db()
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["__all__"]
    assert (mianyang.name, mianyang.code) == ("绵阳分公司", "my")


def test_admin_moves_unit_with_its_subtree(login, admin_user, unit_tree):
    jinjiang, outlet, mianyang = unit_tree["jinjiang"], unit_tree["outlet"], unit_tree["mianyang"]
    url = reverse("accounts:unit_move", args=[jinjiang.pk])

    response = login(admin_user).post(url, {"parent": mianyang.pk})

    outlet.refresh_from_db()
    assert response.status_code == 302
    assert Unit.objects.get(pk=jinjiang.pk).parent == mianyang
    assert (outlet.path, outlet.depth) == (f"{mianyang.path}{jinjiang.pk:08d}/{outlet.pk:08d}/", 2)


def test_admin_moves_unit_to_top_level(login, admin_user, unit_tree):
    jinjiang = unit_tree["jinjiang"]

    response = login(admin_user).post(
        reverse("accounts:unit_move", args=[jinjiang.pk]), {"parent": ""}
    )

    jinjiang.refresh_from_db()
    assert response.status_code == 302
    assert (jinjiang.parent, jinjiang.depth) == (None, 0)


@pytest.mark.parametrize("target", ["chengdu", "outlet", "inactive", "other_org"])
def test_refused_move_shows_error_and_changes_nothing(
    login, admin_user, unit_tree, other_org_unit, target
):
    chengdu = unit_tree["chengdu"]
    inactive = UnitFactory(organization=chengdu.organization, name="已撤销单位", code="gone")
    services.deactivate_unit(unit=inactive, actor=admin_user)
    parent = (unit_tree | {"inactive": inactive, "other_org": other_org_unit})[target]
    with dangerously_unscoped():  # every organization's rows
        before = list(Unit.objects.values_list("pk", "parent_id", "path", "depth"))

    response = login(admin_user).post(
        reverse("accounts:unit_move", args=[chengdu.pk]), {"parent": parent.pk}
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["parent"]
    with dangerously_unscoped():  # every organization's rows
        assert list(Unit.objects.values_list("pk", "parent_id", "path", "depth")) == before


CONFIRMED = {"confirmed": "1"}


def test_deactivating_asks_first_and_lists_the_sub_units(login, admin_user, unit_tree):
    chengdu = unit_tree["chengdu"]
    url = reverse("accounts:unit_deactivate", args=[chengdu.pk])
    client = login(admin_user)

    asked = client.post(url)

    content = asked.content.decode()
    assert asked.status_code == 200
    assert 'name="confirmed" value="1"' in content
    assert "锦江区分公司" in content
    assert "春熙路分局" in content
    assert all(Unit.objects.values_list("is_active", flat=True))  # nothing changed yet

    response = client.post(url, CONFIRMED)

    active = dict(Unit.objects.values_list("code", "is_active"))
    assert response.status_code == 302
    assert active == {"cd": False, "cd-jj": False, "cd-jj-1": False, "my": True}


def test_admin_reactivates_unit_alone_or_with_its_sub_units(login, admin_user, unit_tree):
    chengdu = unit_tree["chengdu"]
    services.deactivate_unit(unit=chengdu, actor=admin_user)
    url = reverse("accounts:unit_reactivate", args=[chengdu.pk])
    client = login(admin_user)

    asked = client.post(url)
    assert asked.status_code == 200
    assert 'name="with_subunits"' in asked.content.decode()  # the subtree is offered back

    assert client.post(url, CONFIRMED).status_code == 302
    active = dict(Unit.objects.values_list("code", "is_active"))
    assert active == {"cd": True, "cd-jj": False, "cd-jj-1": False, "my": True}

    services.deactivate_unit(unit=chengdu, actor=admin_user)
    assert client.post(url, {**CONFIRMED, "with_subunits": "on"}).status_code == 302
    assert all(Unit.objects.values_list("is_active", flat=True))


def test_reactivate_under_inactive_parent_is_refused(login, admin_user, unit_tree):
    jinjiang = unit_tree["jinjiang"]
    services.deactivate_unit(unit=unit_tree["chengdu"], actor=admin_user)

    response = login(admin_user).post(
        reverse("accounts:unit_reactivate", args=[jinjiang.pk]), CONFIRMED
    )

    assert response.status_code == 302
    assert Unit.objects.get(pk=jinjiang.pk).is_active is False


def test_deactivate_needs_post(login, admin_user, unit_tree):
    chengdu = unit_tree["chengdu"]

    response = login(admin_user).get(reverse("accounts:unit_deactivate", args=[chengdu.pk]))

    assert response.status_code == 405
    assert Unit.objects.get(pk=chengdu.pk).is_active is True


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "unit_edit"),
        ("post", "unit_edit"),
        ("get", "unit_move"),
        ("post", "unit_move"),
        ("post", "unit_deactivate"),
        ("post", "unit_reactivate"),
    ],
)
def test_office_cannot_change_units(login, office_user, unit_tree, method, name):
    mianyang = unit_tree["mianyang"]
    data = {"name": "改名", "code": "renamed", "kind": "soe", "parent": unit_tree["chengdu"].pk}
    data["confirmed"] = "1"

    response = getattr(login(office_user), method)(
        reverse(f"accounts:{name}", args=[mianyang.pk]), data
    )

    mianyang.refresh_from_db()
    assert response.status_code == 403
    assert (mianyang.name, mianyang.parent, mianyang.is_active) == ("绵阳分公司", None, True)


@pytest.mark.parametrize("method", ["get", "post"])
def test_office_cannot_create_units(login, office_user, org, method):
    data = {"name": "高新区分公司", "code": "cd-gx", "kind": "county_branch"}

    response = getattr(login(office_user), method)(reverse("accounts:unit_create"), data)

    assert response.status_code == 403
    assert not Unit.objects.exists()


def test_office_sees_the_tree(login, office_user, unit_tree):
    response = login(office_user).get(TREE)

    assert response.status_code == 200
    assert _listed(response) == ["成都分公司", "锦江区分公司", "春熙路分局", "绵阳分公司"]


@pytest.mark.parametrize(
    ("method", "name"), [("get", "unit_detail"), ("get", "unit_edit"), ("post", "unit_deactivate")]
)
def test_unit_of_another_organization_is_404(login, admin_user, other_org_unit, method, name):
    url = reverse(f"accounts:{name}", args=[other_org_unit.pk])

    response = getattr(login(admin_user), method)(url)

    assert response.status_code == 404
    with dangerously_unscoped():  # every organization's rows
        assert Unit.objects.get(pk=other_org_unit.pk).is_active is True


def test_liaison_tree_lists_only_granted_units(login, granted_liaison):
    response = login(granted_liaison).get(TREE)

    assert _listed(response) == ["成都分公司"]


@pytest.mark.parametrize("q", ["cd", "分公司"])
def test_liaison_search_finds_only_granted_units(login, granted_liaison, unit_tree, q):
    response = login(granted_liaison).get(TREE, {"q": q})

    assert _listed(response) == ["成都分公司"]


def test_liaison_sees_detail_of_granted_unit(login, granted_liaison, unit_tree):
    response = login(granted_liaison).get(_detail(unit_tree["chengdu"]))

    assert response.status_code == 200
    assert "锦江区分公司" not in response.content.decode()  # a child, but not granted


@pytest.mark.parametrize(("persona", "size"), [("office_user", 3), ("granted_liaison", 1)])
def test_detail_counts_only_visible_units_of_the_subtree(request, login, unit_tree, persona, size):
    client = login(request.getfixturevalue(persona))

    response = client.get(_detail(unit_tree["chengdu"]))

    assert response.context["subtree_size"] == size


@pytest.mark.parametrize("unit", ["jinjiang", "mianyang"])
def test_liaison_gets_404_for_ungranted_unit_of_same_organization(
    login, granted_liaison, unit_tree, unit
):
    response = login(granted_liaison).get(_detail(unit_tree[unit]))

    assert response.status_code == 404


def test_liaison_without_grants_sees_no_units(login, liaison_user, unit_tree):
    client = login(liaison_user)

    assert _listed(client.get(TREE)) == []
    assert client.get(API).json()["results"] == []


def test_api_lists_only_granted_units_to_liaison(login, granted_liaison, unit_tree):
    response = login(granted_liaison).get(API)

    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["成都分公司"]


def test_api_lists_all_units_in_path_order(login, office_user, unit_tree):
    response = login(office_user).get(API)

    names = [row["name"] for row in response.json()["results"]]
    assert names == ["成都分公司", "锦江区分公司", "春熙路分局", "绵阳分公司"]


def test_api_unit_of_ungranted_unit_is_404_for_liaison(login, granted_liaison, unit_tree):
    client = login(granted_liaison)

    assert client.get(f"{API}{unit_tree['chengdu'].pk}/").status_code == 200
    assert client.get(f"{API}{unit_tree['jinjiang'].pk}/").status_code == 404


def _add_units(org, admin_user, liaison_user, count: int) -> None:
    """Adds ``count`` units and grants the liaison all units, so every persona lists them all."""
    UnitFactory.create_batch(count, organization=org)
    membership = Membership.objects.for_org(org).get(user=liaison_user)
    services.set_granted_units(
        membership=membership, actor=admin_user, units=Unit.objects.for_org(org)
    )


@pytest.mark.parametrize(
    ("persona", "url", "queries"),
    [
        ("admin_user", TREE, 6),
        ("admin_user", API, 5),  # a cursor page counts nothing
        ("liaison_user", TREE, 7),
        ("liaison_user", API, 6),
    ],
)
def test_unit_lists_run_the_same_queries_for_3_and_30_units(
    request, login, org, admin_user, liaison_user, django_assert_num_queries, persona, url, queries
):
    client = login(request.getfixturevalue(persona))

    for count in (3, 27):
        _add_units(org, admin_user, liaison_user, count)
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
