"""An organization admin resets a member's second factor (a lost or replaced phone): their
authenticator app is removed, they set up a new one, and the member's 修改记录 shows who did it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership
from accounts.roles import Role
from history.selectors import history_for
from tests.accounts.test_two_factor import _code
from tests.factories import PASSWORD, MembershipFactory


@pytest.fixture
def member(org, office_user) -> Membership:
    return Membership.objects.get(organization=org, user=office_user)


@pytest.fixture
def device(office_user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=office_user, name="phone", confirmed=True)


def _reset_url(member: Membership) -> str:
    return reverse("accounts:member_second_factor_reset", args=[member.pk])


def _member_page(member: Membership) -> str:
    return reverse("accounts:member_edit", args=[member.pk])


def test_the_member_page_offers_the_reset_when_an_app_is_set_up(login, admin_user, member, device):
    html = login(admin_user).get(_member_page(member)).content.decode()

    assert f'action="{_reset_url(member)}"' in html


def test_the_member_page_offers_no_reset_without_an_app(login, admin_user, member):
    html = login(admin_user).get(_member_page(member)).content.decode()

    assert _reset_url(member) not in html
    assert "尚未设置身份验证器应用。" in html


def test_the_reset_asks_first_and_changes_nothing(login, admin_user, member, device):
    response = login(admin_user).post(_reset_url(member))

    assert response.status_code == 200
    assert "重置干部" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_confirmed_reset_removes_the_members_app(login, admin_user, member, device):
    client = login(admin_user)

    response = client.post(_reset_url(member), {"confirmed": "1"})

    assert response["Location"] == _member_page(member)
    assert not TOTPDevice.objects.filter(user=member.user).exists()
    page = client.get(_member_page(member)).content.decode()
    assert f"已重置{member.user}的双因素认证。" in page


def test_the_reset_is_on_the_members_history_with_who_did_it(login, admin_user, member, device):
    client = login(admin_user)
    client.post(_reset_url(member), {"confirmed": "1"})

    newest = history_for(member).entries[0]

    assert newest.person == admin_user.display_name
    assert [change.label for change in newest.changes] == ["双因素认证重置时间"]
    assert "双因素认证重置时间" in client.get(_member_page(member)).content.decode()


def test_after_the_reset_the_member_sets_up_a_new_app(
    client, login, admin_user, org, member, device
):
    org.two_factor_roles = [Role.OFFICE]
    org.save(update_fields=["two_factor_roles"])
    data = {"username": "office", "password": PASSWORD, "otp_token": _code(device)}
    client.post(reverse("accounts:login"), data)
    assert client.get(reverse("home")).status_code == 200

    login(admin_user).post(_reset_url(member), {"confirmed": "1"})

    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:two_factor"))
    assert b'id="totp-qr"' in client.get(reverse("accounts:two_factor")).content


def test_a_member_without_an_app_is_refused(login, admin_user, member):
    client = login(admin_user)

    response = client.post(_reset_url(member), {"confirmed": "1"}, follow=True)

    assert f"{member.user}尚未设置身份验证器应用。" in response.content.decode()
    assert Membership.objects.get(pk=member.pk).second_factor_reset_at is None


def test_a_person_of_other_organizations_is_refused(login, admin_user, member, device, other_org):
    MembershipFactory(organization=other_org, user=member.user, roles=(Role.OFFICE,))

    response = login(admin_user).post(_reset_url(member), {"confirmed": "1"}, follow=True)

    assert "其身份验证器应用只能由本人更换" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_only_those_who_manage_members_may_reset(login, office_user, member, device):
    response = login(office_user).post(_reset_url(member), {"confirmed": "1"})

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
