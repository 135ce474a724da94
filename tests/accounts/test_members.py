"""Member administration, the home page counts and the organization switcher."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.middleware import SESSION_ORG_KEY
from accounts.models import Membership, User
from accounts.roles import Role
from accounts.selectors import unit_granted_list
from tests.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory
from xuncha.tenancy import org_scope

MEMBERS = reverse("accounts:member_list")
CREATE = reverse("accounts:member_create")
SWITCH = reverse("accounts:switch_org")


def _listed(response) -> list[str]:
    """Usernames in the member table, in page order."""
    return re.findall(r'<a href="/manage/members/\d+/">([^<]+)</a>', response.content.decode())


def _membership(org, user) -> Membership:
    with org_scope(org):  # the test may read either organization's memberships
        return Membership.objects.for_org(org).get(user=user)


def _edit_url(org, user) -> str:
    return reverse("accounts:member_edit", args=[_membership(org, user).pk])


def _edit_data(**overrides) -> dict:
    data = {"full_name": "王芳", "email": "wangfang@example.cn", "title": "科员", "is_active": "on"}
    return data | overrides


def test_member_list_is_paginated_by_25(login, admin_user, org):
    MembershipFactory.create_batch(30, organization=org)
    client = login(admin_user)

    first, second = client.get(MEMBERS), client.get(MEMBERS, {"page": 2})

    assert len(_listed(first)) == 25
    assert len(_listed(second)) == 6
    assert set(_listed(first)).isdisjoint(_listed(second))


@pytest.mark.parametrize(
    ("q", "expected"),
    [("zhang", ["zhangsan"]), ("李四", ["lisi"]), ("mianyang.example", ["lisi"]), ("王", [])],
)
def test_member_list_searches_username_name_and_email(login, admin_user, org, q, expected):
    zhang = UserFactory(username="zhangsan", full_name="张三", email="zs@chengdu.example.cn")
    li = UserFactory(username="lisi", full_name="李四", email="ls@mianyang.example.cn")
    MembershipFactory(organization=org, user=zhang)
    MembershipFactory(organization=org, user=li)

    response = login(admin_user).get(MEMBERS, {"q": q})

    assert _listed(response) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.LIAISON, ["liaison"]),
        (Role.ORG_ADMIN, ["admin"]),
        (Role.CLUE_HANDLER, []),
        ("no-such-role", ["admin", "liaison", "office"]),
    ],
)
def test_member_list_filters_by_role(login, admin_user, office_user, liaison_user, role, expected):
    response = login(admin_user).get(MEMBERS, {"role": role})

    assert _listed(response) == expected


@pytest.mark.parametrize(
    ("active", "expected"), [("1", ["admin"]), ("0", ["office"]), ("", ["admin", "office"])]
)
def test_member_list_filters_by_active(login, org, admin_user, office_user, active, expected):
    Membership.objects.filter(user=office_user).update(is_active=False)

    response = login(admin_user).get(MEMBERS, {"active": active})

    assert _listed(response) == expected


def test_member_list_filter_applies_on_later_pages(login, admin_user, org):
    MembershipFactory.create_batch(30, organization=org, roles=(Role.LIAISON,))

    response = login(admin_user).get(MEMBERS, {"role": Role.LIAISON, "page": 2})

    assert len(_listed(response)) == 5
    assert "admin" not in _listed(response)


def test_admin_creates_member(login, admin_user, org):
    data = {"username": "wangfang", "full_name": "王芳", "email": "wf@example.cn", "title": "科员"}
    data |= {"roles": [Role.OFFICE, Role.TEAM_MEMBER], "password": PASSWORD}

    response = login(admin_user).post(CREATE, data)

    membership = Membership.objects.for_org(org).get(user__username="wangfang")
    assert response.status_code == 302
    assert response.url == reverse("accounts:member_edit", args=[membership.pk])
    assert membership.roles == {Role.OFFICE, Role.TEAM_MEMBER}
    assert (membership.user.full_name, membership.title) == ("王芳", "科员")
    assert membership.user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "office"}, "username"),  # taken by office_user
        ({"username": "OFFICE"}, "username"),
        ({"username": "王 芳"}, "username"),
        ({"password": "12345678"}, "password"),
        ({"password": "wangfang2026"}, "password"),  # too similar to the username
        ({"password": ""}, "password"),
        ({"roles": []}, "roles"),
        ({"roles": ["emperor"]}, "roles"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_create_member_with_bad_input_shows_error(login, admin_user, office_user, overrides, field):
    data = {"username": "wangfang", "full_name": "王芳", "email": "", "title": ""}
    data |= {"roles": [Role.OFFICE], "password": PASSWORD} | overrides

    response = login(admin_user).post(CREATE, data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert sorted(User.objects.values_list("username", flat=True)) == ["admin", "office"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"roles": []}, "此项为必填项。"), ({"email": "x@"}, "请输入有效的电子邮箱地址。")],
)
def test_create_member_shows_django_validation_messages(login, admin_user, overrides, message):
    data = {"username": "wangfang", "full_name": "王芳", "roles": [Role.OFFICE]}
    data |= {"password": PASSWORD} | overrides

    response = login(admin_user).post(CREATE, data)

    assert message in response.content.decode()
    assert not User.objects.filter(username="wangfang").exists()


def test_edit_form_shows_member_with_current_grants(login, org, admin_user, granted_liaison):
    response = login(admin_user).get(_edit_url(org, granted_liaison))

    form = response.context["form"]
    assert response.status_code == 200
    assert "liaison" in response.content.decode()
    assert form.initial["roles"] == [Role.LIAISON]
    assert [unit.name for unit in form.initial["units"]] == ["成都分公司"]


def test_edit_form_lists_the_unit_tree_indented_with_the_grants_selected(
    login, org, admin_user, granted_liaison
):
    html = login(admin_user).get(_edit_url(org, granted_liaison)).content.decode()

    select = html[html.index('<select name="units"') :]
    options = re.findall(r"<option[^>]*>[^<]*</option>", select[: select.index("</select>")])
    assert " multiple" in select[: select.index(">")]
    assert [re.sub(r' value="\d+"', "", option) for option in options] == [
        "<option selected>成都分公司</option>",
        "<option>— 锦江区分公司</option>",
        "<option>— — 春熙路分局</option>",
        "<option>绵阳分公司</option>",
    ]


def test_admin_changes_member_roles(login, org, admin_user, office_user):
    data = _edit_data(roles=[Role.LEADERSHIP, Role.TEAM_LEADER])

    response = login(admin_user).post(_edit_url(org, office_user), data)

    assert response.status_code == 302
    assert response.url == MEMBERS
    assert _membership(org, office_user).roles == {Role.LEADERSHIP, Role.TEAM_LEADER}


def test_admin_deactivates_member(login, org, admin_user, office_user):
    data = _edit_data(roles=[Role.OFFICE])
    del data["is_active"]

    response = login(admin_user).post(_edit_url(org, office_user), data)

    assert response.status_code == 302
    assert _membership(org, office_user).is_active is False


def test_admin_saves_member_profile(login, org, admin_user, office_user):
    login(admin_user).post(_edit_url(org, office_user), _edit_data(roles=[Role.OFFICE]))

    office_user.refresh_from_db()
    assert (office_user.full_name, office_user.email) == ("王芳", "wangfang@example.cn")
    assert _membership(org, office_user).title == "科员"


@pytest.mark.parametrize("granted", [["chengdu", "mianyang"], []])
def test_admin_sets_units_granted_to_member(
    login, org, admin_user, granted_liaison, unit_tree, granted
):
    data = _edit_data(roles=[Role.LIAISON], units=[unit_tree[name].pk for name in granted])

    login(admin_user).post(_edit_url(org, granted_liaison), data)

    units = unit_granted_list(org=org, user=granted_liaison)
    assert sorted(unit.code for unit in units) == sorted(unit_tree[n].code for n in granted)


@pytest.mark.parametrize(
    "change", [{"roles": [Role.OFFICE]}, {"roles": [Role.ORG_ADMIN], "is_active": ""}]
)
def test_last_admin_cannot_be_removed(login, org, admin_user, change):
    data = _edit_data() | change

    response = login(admin_user).post(_edit_url(org, admin_user), data)

    membership = _membership(org, admin_user)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["__all__"]
    assert (membership.roles, membership.is_active) == ({Role.ORG_ADMIN}, True)


def test_admin_role_can_be_removed_while_another_admin_remains(login, org, admin_user):
    second = MembershipFactory(organization=org, roles=(Role.ORG_ADMIN,)).user

    response = login(admin_user).post(_edit_url(org, admin_user), _edit_data(roles=[Role.OFFICE]))

    assert response.status_code == 302
    assert _membership(org, admin_user).roles == {Role.OFFICE}
    assert _membership(org, second).roles == {Role.ORG_ADMIN}


@pytest.mark.parametrize("persona", ["office_user", "leadership_user", "liaison_user"])
@pytest.mark.parametrize(
    ("method", "page"),
    [("get", "list"), ("get", "create"), ("post", "create"), ("get", "edit"), ("post", "edit")],
)
def test_only_admins_reach_member_pages(request, login, org, admin_user, persona, method, page):
    user = request.getfixturevalue(persona)
    url = {"list": MEMBERS, "create": CREATE, "edit": _edit_url(org, admin_user)}[page]
    data = _edit_data(username="wangfang", roles=[Role.OFFICE], password=PASSWORD)

    response = getattr(login(user), method)(url, data)

    assert response.status_code == 403
    assert _membership(org, admin_user).roles == {Role.ORG_ADMIN}
    assert not User.objects.filter(username="wangfang").exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_member_of_another_organization_is_404(login, other_org, admin_user, outsider, method):
    url = _edit_url(other_org, outsider)

    response = getattr(login(admin_user), method)(url, _edit_data(roles=[Role.OFFICE]))

    assert response.status_code == 404
    with org_scope(other_org):
        assert _membership(other_org, outsider).roles == set(Role.values)


def test_member_list_runs_the_same_queries_for_3_and_30_members(
    login, org, admin_user, django_assert_num_queries
):
    client = login(admin_user)

    for count in (3, 27):
        MembershipFactory.create_batch(count, organization=org, roles=(Role.OFFICE, Role.LIAISON))
        with django_assert_num_queries(7):
            assert client.get(MEMBERS).status_code == 200


def test_switching_organization_shows_the_other_units(
    login, org, other_org, two_org_user, unit_tree, other_org_unit
):
    client = login(two_org_user)
    tree = reverse("accounts:unit_tree")

    client.post(SWITCH, {"organization": other_org.pk})
    in_other = client.get(tree).content.decode()
    client.post(SWITCH, {"organization": org.pk})
    in_ours = client.get(tree).content.decode()

    assert ("西秀区委" in in_other, "成都分公司" in in_other) == (True, False)
    assert ("西秀区委" in in_ours, "成都分公司" in in_ours) == (False, True)


def test_switching_to_an_organization_one_is_not_member_of_changes_nothing(
    login, other_org, admin_user, unit_tree, other_org_unit
):
    client = login(admin_user)

    response = client.post(SWITCH, {"organization": other_org.pk})
    content = client.get(reverse("accounts:unit_tree")).content.decode()

    assert response.status_code == 302
    assert SESSION_ORG_KEY not in client.session
    assert ("西秀区委" in content, "成都分公司" in content) == (False, True)


def test_switching_to_an_inactive_membership_changes_nothing(
    login, org, other_org, two_org_user, other_org_unit
):
    client = login(two_org_user)
    client.post(SWITCH, {"organization": org.pk})
    with org_scope(other_org):
        Membership.objects.filter(user=two_org_user).update(is_active=False)

    client.post(SWITCH, {"organization": other_org.pk})

    assert client.session[SESSION_ORG_KEY] == org.pk
    assert "西秀区委" not in client.get(reverse("accounts:unit_tree")).content.decode()


def test_switching_into_a_third_organization_is_refused(login, org, two_org_user):
    stranger = OrganizationFactory(name="贵州某公司党委", code="gz")
    client = login(two_org_user)
    client.post(SWITCH, {"organization": org.pk})

    client.post(SWITCH, {"organization": stranger.pk})

    assert client.session[SESSION_ORG_KEY] == org.pk
