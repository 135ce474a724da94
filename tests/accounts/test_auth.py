"""Sign-in, sign-out, throttling and password change, through the real views."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")
WRONG_PASSWORD = "Wrong-horse-41"
HOME_IP = "10.1.1.1"


def _sign_in(client: Client, username: str, password: str, ip: str = HOME_IP, **data: str):
    return client.post(LOGIN, {"username": username, "password": password, **data}, REMOTE_ADDR=ip)


def _fail_five_times(username: str, ip: str = HOME_IP) -> None:
    for _ in range(5):
        _sign_in(Client(), username, WRONG_PASSWORD, ip=ip)


@pytest.fixture
def locked_office(office_user):
    """The office user after five wrong passwords from HOME_IP."""
    _fail_five_times(office_user.username)
    return office_user


def test_login_page_renders_for_anonymous(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content
    assert b'name="otp_token"' in response.content


def test_good_credentials_sign_in_and_go_home(client, office_user):
    response = _sign_in(client, "office", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(office_user.pk)
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_shows_form_error_and_does_not_sign_in(client, office_user):
    response = _sign_in(client, "office", WRONG_PASSWORD)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert SESSION_KEY not in client.session


def test_next_to_another_site_is_ignored(client, office_user):
    response = _sign_in(client, "office", PASSWORD, next="https://evil.example/")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_next_on_this_site_is_followed(client, office_user):
    response = _sign_in(client, "office", PASSWORD, next=reverse("accounts:unit_tree"))

    assert response["Location"] == reverse("accounts:unit_tree")


def test_sign_out_ends_the_session(login, office_user):
    client = login(office_user)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert SESSION_KEY not in client.session


def test_five_failures_lock_out_even_the_right_password(client, locked_office):
    response = _sign_in(client, "office", PASSWORD)

    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert SESSION_KEY not in client.session


def test_lockout_page_says_for_how_many_minutes(client, locked_office):
    response = _sign_in(client, "office", PASSWORD)

    assert "15 分钟" in response.content.decode()


def test_behind_a_proxy_the_forwarded_client_address_is_throttled(client, office_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = "198.51.100.1, 203.0.113.7"  # the client sent the first entry itself
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(5):
        client.post(
            LOGIN, {"username": "office", "password": "x"}, **proxy, HTTP_X_FORWARDED_FOR=spoofed
        )

    response = client.post(
        LOGIN,
        {"username": "office", "password": PASSWORD},
        **proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )

    assert response.status_code == 302  # another client behind the same proxy still gets in
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


def test_failures_are_recorded_per_username_and_ip(locked_office):
    attempt = AccessAttempt.objects.get()

    assert (attempt.username, attempt.ip_address) == ("office", HOME_IP)
    assert attempt.failures_since_start == 5


def test_four_failures_do_not_lock_out(client, office_user):
    for _ in range(4):
        _sign_in(Client(), "office", WRONG_PASSWORD)

    response = _sign_in(client, "office", PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(office_user.pk)


def test_lockout_does_not_spread_to_other_usernames_from_the_same_ip(
    client, locked_office, leadership_user
):
    response = _sign_in(client, "leader", PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(leadership_user.pk)


def test_lockout_does_not_spread_to_the_same_username_from_another_ip(client, locked_office):
    response = _sign_in(client, "office", PASSWORD, ip="10.2.2.2")

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(locked_office.pk)


def test_successful_sign_in_resets_the_failure_count(client, office_user):
    for _ in range(4):
        _sign_in(Client(), "office", WRONG_PASSWORD)

    _sign_in(client, "office", PASSWORD)

    assert not AccessAttempt.objects.filter(username="office").exists()


def test_passwords_are_hashed_with_argon2(office_user):
    assert office_user.password.startswith("argon2")


def test_password_change_with_wrong_old_password_keeps_the_password(login, office_user):
    client = login(office_user)
    data = {"old_password": WRONG_PASSWORD, "new_password1": "Fresh-Lantern-77"}

    response = client.post(
        reverse("accounts:password_change"), {**data, "new_password2": "Fresh-Lantern-77"}
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    office_user.refresh_from_db()
    assert office_user.check_password(PASSWORD)


def test_password_change_with_right_old_password_changes_it(login, office_user):
    client = login(office_user)
    data = {"old_password": PASSWORD, "new_password1": "Fresh-Lantern-77"}

    response = client.post(
        reverse("accounts:password_change"), {**data, "new_password2": "Fresh-Lantern-77"}
    )

    assert response["Location"] == reverse("accounts:password_change_done")
    office_user.refresh_from_db()
    assert office_user.check_password("Fresh-Lantern-77")
    assert office_user.password.startswith("argon2")
    assert client.session[SESSION_KEY] == str(office_user.pk)


def test_password_change_needs_sign_in(client):
    response = client.get(reverse("accounts:password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_refused_page_explains_itself_in_the_site_layout(login, office_user):
    response = login(office_user).get(reverse("accounts:member_list"))

    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    assert "无权访问" in response.content.decode()


def test_a_missing_page_does_not_say_whose_it_is(login, office_user):
    response = login(office_user).get(reverse("accounts:unit_detail", args=[999999]))

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
