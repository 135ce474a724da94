"""Request size limits, the idle session timeout, the proxy header, admin and API renderers:
settings read from the environment (in a fresh interpreter) and the behaviour they switch on."""

from __future__ import annotations

import io
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.sessions import LAST_SEEN_KEY
from tests.test_settings import PRODUCTION, _settings_with

POOL_IMPORT = reverse("rounds:inspector_import")


def test_proxy_ssl_header_is_ignored_without_a_trusted_proxy():
    loaded = _settings_with(**PRODUCTION)

    assert loaded["SECURE_PROXY_SSL_HEADER"] is None


def test_proxy_ssl_header_is_believed_behind_a_trusted_proxy():
    loaded = _settings_with(**PRODUCTION, TRUSTED_PROXY_COUNT="1")

    assert loaded["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_size_limits_and_idle_timeout_have_safe_defaults():
    loaded = _settings_with(**PRODUCTION)

    assert loaded["DATA_UPLOAD_MAX_MEMORY_SIZE"] == 2 * 1024 * 1024
    assert loaded["MAX_UPLOAD_SIZE"] == 20 * 1024 * 1024
    assert loaded["SESSION_IDLE_TIMEOUT_MINUTES"] == 30
    assert loaded["ADMIN_ENABLED"] is False


def test_size_limits_and_idle_timeout_follow_the_environment():
    loaded = _settings_with(
        **PRODUCTION,
        DATA_UPLOAD_MAX_MEMORY_SIZE="1000",
        MAX_UPLOAD_SIZE="2000",
        SESSION_IDLE_TIMEOUT_MINUTES="5",
        ADMIN_ENABLED="true",
    )

    assert (loaded["DATA_UPLOAD_MAX_MEMORY_SIZE"], loaded["MAX_UPLOAD_SIZE"]) == (1000, 2000)
    assert loaded["SESSION_IDLE_TIMEOUT_MINUTES"] == 5
    assert loaded["ADMIN_ENABLED"] is True


@pytest.mark.parametrize(
    ("debug", "renderers"),
    [
        ("false", ["rest_framework.renderers.JSONRenderer"]),
        (
            "true",
            [
                "rest_framework.renderers.JSONRenderer",
                "rest_framework.renderers.BrowsableAPIRenderer",
            ],
        ),
    ],
)
def test_browsable_api_only_in_development(debug, renderers):
    loaded = _settings_with(**PRODUCTION | {"DEBUG": debug})

    assert loaded["RENDERERS"] == renderers


class RecordingInput(io.BytesIO):
    """A request body that remembers whether anyone read it."""

    was_read = False

    def read(self, *args):
        self.was_read = True
        return super().read(*args)

    def readline(self, *args):
        self.was_read = True
        return super().readline(*args)


def test_request_over_the_upload_limit_is_refused_unread(settings, login, office_user):
    settings.MAX_UPLOAD_SIZE = 1000
    body = RecordingInput(b"x" * 1001)

    response = login(office_user).generic(
        "POST",
        POOL_IMPORT,
        CONTENT_LENGTH="1001",
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        HTTP_ACCEPT_LANGUAGE="en",
        **{"wsgi.input": body},
    )

    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert body.was_read is False


def test_upload_limit_message_is_in_the_visitors_language(settings, client, db):
    settings.MAX_UPLOAD_SIZE = 1024 * 1024

    response = client.generic(
        "POST", reverse("accounts:login"), b"x" * (1024 * 1024 + 1), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 413
    assert "1 MB" in response.content.decode()
    assert "too large" not in response.content.decode()


def test_request_within_the_limit_goes_through(settings, client, db):
    settings.MAX_UPLOAD_SIZE = 1000

    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})

    assert response.status_code == 200


def _age_session(client: Client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds
    session.save()


def test_session_idle_longer_than_the_timeout_is_signed_out(settings, login, office_user):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    client = login(office_user)
    _age_session(client, 31 * 60)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert SESSION_KEY not in client.session


def test_session_used_within_the_timeout_stays_and_is_refreshed(settings, login, office_user):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    client = login(office_user)
    _age_session(client, 29 * 60)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert time.time() - client.session[LAST_SEEN_KEY] < 60
