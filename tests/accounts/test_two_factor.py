"""Two-factor sign-in: enrolment, verification, and the TOTP code at login."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from tests.factories import PASSWORD

TWO_FACTOR = reverse("accounts:two_factor")


def _code(device: TOTPDevice, drift: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, drift=device.drift + drift)
    return f"{value:0{device.digits}d}"


def _wrong_code(device: TOTPDevice) -> str:
    accepted = {_code(device, drift) for drift in range(-device.tolerance, device.tolerance + 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


@pytest.fixture
def office_2fa_org(org):
    org.two_factor_roles = [Role.OFFICE]
    org.save(update_fields=["two_factor_roles"])
    return org


@pytest.fixture
def enrolling(office_2fa_org, office_user, login):
    """The office user, signed in by password, with the enrolment page opened once."""
    client = login(office_user)
    client.get(TWO_FACTOR)
    return client, TOTPDevice.objects.get(user=office_user)


@pytest.fixture
def enrolled_device(office_2fa_org, office_user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=office_user, name="phone", confirmed=True)


def test_required_role_without_otp_is_sent_to_two_factor(office_2fa_org, office_user, login):
    response = login(office_user).get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == f"{TWO_FACTOR}?{urlencode({'next': '/'})}"


def test_redirect_to_two_factor_keeps_the_whole_query_string(office_2fa_org, office_user, login):
    wanted = f"{reverse('accounts:unit_tree')}?kind=branch&page=2"

    response = login(office_user).get(wanted)

    assert response["Location"] == f"{TWO_FACTOR}?{urlencode({'next': wanted})}"


def test_role_not_required_passes_without_otp(office_2fa_org, leadership_user, login):
    response = login(leadership_user).get(reverse("home"))

    assert response.status_code == 200


def test_enrolment_page_shows_qr_and_creates_unconfirmed_device(office_2fa_org, office_user, login):
    response = login(office_user).get(TWO_FACTOR)

    assert response.status_code == 200
    assert b'id="totp-qr"' in response.content
    assert b'name="token"' in response.content
    device = TOTPDevice.objects.get(user=office_user)
    assert device.confirmed is False


def test_reopening_enrolment_reuses_the_unconfirmed_device(enrolling, office_user):
    client, device = enrolling

    client.get(TWO_FACTOR)

    assert list(TOTPDevice.objects.filter(user=office_user)) == [device]


def test_wrong_code_leaves_device_unconfirmed(enrolling):
    client, device = enrolling

    response = client.post(TWO_FACTOR, {"token": _wrong_code(device)})

    assert response.status_code == 400
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get(reverse("home")).status_code == 302


def test_malformed_code_is_rejected(enrolling):
    client, device = enrolling

    response = client.post(TWO_FACTOR, {"token": "12ab"})

    assert response.status_code == 400
    assert "token" in response.context["form"].errors


def test_right_code_confirms_device_and_opens_home(enrolling):
    client, device = enrolling

    response = client.post(TWO_FACTOR, {"token": _code(device), "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get(reverse("home")).status_code == 200


def test_two_factor_next_to_another_site_is_ignored(enrolling):
    client, device = enrolling

    response = client.post(TWO_FACTOR, {"token": _code(device), "next": "https://evil.example/"})

    assert response["Location"] == reverse("home")


def test_enrolled_user_verifies_without_a_new_qr(enrolled_device, office_user, login):
    client = login(office_user)

    page = client.get(TWO_FACTOR)
    response = client.post(TWO_FACTOR, {"token": _code(enrolled_device)})

    assert b'id="totp-qr"' not in page.content
    assert response["Location"] == reverse("home")
    assert TOTPDevice.objects.filter(user=office_user).count() == 1


def test_enrolled_user_cannot_sign_in_without_code(client, enrolled_device):
    response = client.post(reverse("accounts:login"), {"username": "office", "password": PASSWORD})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert SESSION_KEY not in client.session


def test_enrolled_user_cannot_sign_in_with_wrong_code(client, enrolled_device):
    data = {"username": "office", "password": PASSWORD, "otp_token": _wrong_code(enrolled_device)}

    response = client.post(reverse("accounts:login"), data)

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_enrolled_user_signs_in_with_code_and_is_not_prompted_again(client, enrolled_device):
    data = {"username": "office", "password": PASSWORD, "otp_token": _code(enrolled_device)}

    response = client.post(reverse("accounts:login"), data)

    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(enrolled_device.user_id)
    assert client.get(reverse("home")).status_code == 200


def test_code_at_login_is_ignored_for_users_without_a_device(client, office_user):
    data = {"username": "office", "password": PASSWORD, "otp_token": "123456"}

    response = client.post(reverse("accounts:login"), data)

    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(office_user.pk)


def test_unconfirmed_device_does_not_block_sign_in(client, enrolling):
    response = client.post(reverse("accounts:login"), {"username": "office", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(TWO_FACTOR)


def test_two_factor_page_needs_sign_in(client):
    response = client.get(TWO_FACTOR)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- A wrong code, then the right one (django-otp's throttle, accounts.two_factor) -----------


def test_right_code_straight_after_a_wrong_one_is_accepted(enrolled_device, office_user, login):
    client = login(office_user)
    client.post(TWO_FACTOR, {"token": _wrong_code(enrolled_device)})

    response = client.post(TWO_FACTOR, {"token": _code(enrolled_device)})

    assert response["Location"] == reverse("home")


def test_sign_in_with_the_right_code_straight_after_a_wrong_one(client, enrolled_device):
    login_url = reverse("accounts:login")
    data = {"username": "office", "password": PASSWORD}
    client.post(login_url, {**data, "otp_token": _wrong_code(enrolled_device)})

    response = client.post(login_url, {**data, "otp_token": _code(enrolled_device)})

    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(enrolled_device.user_id)


def test_after_two_wrong_codes_the_page_says_how_long_to_wait(enrolled_device, office_user, login):
    client = login(office_user)
    for _ in range(2):
        client.post(TWO_FACTOR, {"token": _wrong_code(enrolled_device)})

    response = client.post(TWO_FACTOR, {"token": _code(enrolled_device)})

    assert response.status_code == 400
    assert response.context["form"].errors["token"] == [
        "验证码输错次数过多：请等待2秒，再输入当前显示的验证码。"
    ]
    assert client.get(reverse("home")).status_code == 302


def test_once_the_wait_is_over_the_right_code_is_accepted(enrolled_device, office_user, login):
    client = login(office_user)
    for _ in range(2):
        client.post(TWO_FACTOR, {"token": _wrong_code(enrolled_device)})
    waited = timezone.now() - timedelta(seconds=2)
    TOTPDevice.objects.filter(pk=enrolled_device.pk).update(throttling_failure_timestamp=waited)

    response = client.post(TWO_FACTOR, {"token": _code(enrolled_device)})

    assert response["Location"] == reverse("home")


# --- The sign-in form never writes the password back into the page -------------------------
SECRET = "Wrong-horse-guess-77"


def test_a_wrong_password_is_not_written_back(client, office_user):
    data = {"username": "office", "password": SECRET}

    response = client.post(reverse("accounts:login"), data)

    assert response.status_code == 200
    assert SECRET not in response.content.decode()


def test_the_right_password_with_a_wrong_code_is_not_written_back(client, enrolled_device):
    data = {"username": "office", "password": PASSWORD, "otp_token": _wrong_code(enrolled_device)}

    response = client.post(reverse("accounts:login"), data)

    assert response.status_code == 200
    assert PASSWORD not in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_a_wrong_code_at_sign_in_is_answered_in_chinese(client, enrolled_device):
    data = {"username": "office", "password": PASSWORD, "otp_token": _wrong_code(enrolled_device)}

    response = client.post(reverse("accounts:login"), data)

    assert response.context["form"].non_field_errors() == [
        "请输入正确的用户名和密码（均区分大小写）。"
    ]
