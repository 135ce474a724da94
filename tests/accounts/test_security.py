"""Security review findings of issue 6: the admin site, identity across organizations, the
second factor before password change and at login, and the browsable API."""

from __future__ import annotations

import importlib
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import clear_url_caches, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

import xuncha.urls
from accounts import services
from accounts.api import UnitViewSet
from accounts.errors import DomainError
from accounts.forms import OrgSecurityForm
from accounts.models import Membership
from accounts.roles import Role
from tests.factories import PASSWORD, UnitFactory, UserFactory

LOGIN = reverse("accounts:login")
TWO_FACTOR = reverse("accounts:two_factor")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def admin_mounted(settings):
    """The URL configuration as it is built with ADMIN_ENABLED=true."""
    settings.ADMIN_ENABLED = True
    importlib.reload(xuncha.urls)
    clear_url_caches()
    yield
    settings.ADMIN_ENABLED = False
    importlib.reload(xuncha.urls)
    clear_url_caches()


def test_admin_is_not_mounted_unless_enabled(superuser, login):
    response = login(superuser).get("/admin/")

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/admin/", "/admin/accounts/user/"])
def test_superuser_without_verified_device_cannot_reach_admin_pages(
    admin_mounted, superuser, login, path
):
    response = login(superuser).get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_superuser_cannot_sign_in_to_admin_with_password_only(admin_mounted, superuser):
    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    client = Client()

    client.post("/admin/login/", {"username": "root", "password": PASSWORD})

    assert SESSION_KEY not in client.session
    assert client.get("/admin/").status_code == 302


# --- identity fields of a member of several organizations -------------------------------------


def _update(membership: Membership, actor, **overrides):
    values = {
        "roles": sorted(membership.roles),
        "is_active": True,
        "full_name": membership.user.full_name,
        "email": membership.user.email,
        "title": "",
    }
    return services.update_member(membership=membership, actor=actor, **values | overrides)


@pytest.mark.parametrize(
    "change", [{"full_name": "冒名顶替"}, {"email": "attacker@example.cn"}], ids=["name", "email"]
)
def test_one_organizations_admin_cannot_change_a_shared_members_identity(
    two_org_user, org, admin_user, change
):
    membership = Membership.objects.for_org(org).get(user=two_org_user)

    with pytest.raises(DomainError):
        _update(membership, admin_user, **change)

    two_org_user.refresh_from_db()
    assert (two_org_user.full_name, two_org_user.email) != ("冒名顶替", "attacker@example.cn")


def test_a_shared_members_roles_still_change(two_org_user, org, admin_user):
    membership = Membership.objects.for_org(org).get(user=two_org_user)

    _update(membership, admin_user, roles=[Role.LEADERSHIP])

    assert Membership.objects.for_org(org).get(user=two_org_user).roles == {Role.LEADERSHIP}


def test_a_platform_admin_may_change_a_shared_members_identity(two_org_user, org, superuser):
    membership = Membership.objects.for_org(org).get(user=two_org_user)

    _update(membership, superuser, full_name="王芳")

    two_org_user.refresh_from_db()
    assert two_org_user.full_name == "王芳"


def test_member_of_one_organization_keeps_an_editable_identity(office_user, org, admin_user):
    membership = Membership.objects.for_org(org).get(user=office_user)

    _update(membership, admin_user, full_name="王芳")

    office_user.refresh_from_db()
    assert office_user.full_name == "王芳"


def _edit_url(org, user) -> str:
    return reverse("accounts:member_edit", args=[Membership.objects.for_org(org).get(user=user).pk])


def test_member_edit_form_shows_identity_of_a_shared_member_as_read_only(
    two_org_user, org, admin_user, login
):
    response = login(admin_user).get(_edit_url(org, two_org_user))

    form = response.context["form"]
    assert form.fields["full_name"].disabled
    assert form.fields["email"].disabled
    assert form.fields["full_name"].help_text


def test_posting_a_shared_members_identity_changes_nothing_of_it(
    two_org_user, org, admin_user, login
):
    name, email = two_org_user.full_name, two_org_user.email
    data = {"full_name": "冒名顶替", "email": "attacker@example.cn", "roles": [Role.LEADERSHIP]}

    response = login(admin_user).post(_edit_url(org, two_org_user), data | {"is_active": "on"})

    assert response.status_code == 302
    two_org_user.refresh_from_db()
    assert (two_org_user.full_name, two_org_user.email) == (name, email)
    assert Membership.objects.for_org(org).get(user=two_org_user).roles == {Role.LEADERSHIP}


# --- the second factor -----------------------------------------------------------------------


def test_leadership_is_among_the_roles_a_tenant_may_require_two_factor_for():
    choices = dict(OrgSecurityForm().fields["two_factor_roles"].choices)

    assert Role.LEADERSHIP.value in choices


@pytest.fixture
def office_2fa_org(org):
    org.two_factor_roles = [Role.OFFICE]
    org.save(update_fields=["two_factor_roles"])
    return org


@pytest.mark.parametrize("method", ["get", "post"])
def test_password_change_waits_for_the_second_factor(office_2fa_org, office_user, login, method):
    client = login(office_user)
    data = {
        "old_password": PASSWORD,
        "new_password1": "a-New-pass-1",
        "new_password2": "a-New-pass-1",
    }

    response = getattr(client, method)(reverse("accounts:password_change"), data)

    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)
    office_user.refresh_from_db()
    assert office_user.check_password(PASSWORD)


def test_password_change_opens_when_two_factor_is_not_required(org, office_user, login):
    response = login(office_user).get(reverse("accounts:password_change"))

    assert response.status_code == 200


def _comparable(response) -> str:
    """The page without what changes on every response (CSRF token, CSP nonce)."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    return re.sub(r'nonce="[^"]*"', "", text)


def test_right_password_without_code_answers_like_a_wrong_password(client, office_user):
    TOTPDevice.objects.create(user=office_user, name="phone", confirmed=True)

    without_code = client.post(LOGIN, {"username": "office", "password": PASSWORD})
    wrong_password = client.post(LOGIN, {"username": "office", "password": "not-the-password"})

    assert without_code.status_code == wrong_password.status_code == 200
    assert _comparable(without_code) == _comparable(wrong_password)
    assert SESSION_KEY not in client.session


def test_right_password_with_wrong_code_answers_like_a_wrong_password(client, office_user):
    TOTPDevice.objects.create(user=office_user, name="phone", confirmed=True)

    wrong_code = client.post(
        LOGIN, {"username": "office", "password": PASSWORD, "otp_token": "000000"}
    )
    wrong_password = client.post(
        LOGIN, {"username": "office", "password": "not-the-password", "otp_token": "000000"}
    )

    assert _comparable(wrong_code) == _comparable(wrong_password)


# --- the API --------------------------------------------------------------------------------


@pytest.fixture
def browsable_api(monkeypatch):
    """The renderers of a DEBUG deployment (DRF reads them once, at import)."""
    monkeypatch.setattr(UnitViewSet, "renderer_classes", [JSONRenderer, BrowsableAPIRenderer])


def test_browsable_api_filter_form_lists_only_units_the_caller_sees(
    browsable_api, granted_liaison, unit_tree, other_org_unit, login
):
    UnitFactory(organization=unit_tree["chengdu"].organization, name="保密的单位", code="secret")

    response = login(granted_liaison).get(reverse("api:unit-list"), {"format": "api"})

    assert response.status_code == 200
    assert "成都分公司" in response.content.decode()
    for hidden in ("绵阳分公司", "保密的单位", "西秀区委"):
        assert hidden not in response.content.decode()


def test_filtering_by_a_parent_the_caller_cannot_see_is_refused(granted_liaison, unit_tree, login):
    response = login(granted_liaison).get(
        reverse("api:unit-list"), {"parent": unit_tree["mianyang"].pk}
    )

    assert response.status_code == 400


def test_production_api_offers_json_only(admin_user, unit_tree, login):
    response = login(admin_user).get(reverse("api:unit-list"), {"format": "api"})

    assert response.status_code in {404, 406} or response["Content-Type"] == "application/json"
    assert "text/html" not in response.get("Content-Type", "")


def test_production_api_answers_browsers_in_json(admin_user, unit_tree, login):
    response = login(admin_user).get(reverse("api:unit-list"), HTTP_ACCEPT="text/html")

    assert response["Content-Type"] == "application/json"
