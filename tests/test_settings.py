"""xuncha/settings.py reads every deployment choice from the environment.

Each case starts Django in a fresh interpreter, because settings are read once at import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
# Variables the cases decide for themselves; anything the test run inherited is dropped.
CONTROLLED = (
    "DEBUG",
    "SECRET_KEY",
    "XUNCHA_ALLOW_DEV_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "STATIC_MANIFEST",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DJANGO_SETTINGS_MODULE",
    "TRUSTED_PROXY_COUNT",
    "SESSION_IDLE_TIMEOUT_MINUTES",
    "DATA_UPLOAD_MAX_MEMORY_SIZE",
    "MAX_UPLOAD_SIZE",
    "ADMIN_ENABLED",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
)
SETUP = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='xuncha.settings'; django.setup()"
REPORT = """
import json
from django.conf import settings as s
print(json.dumps({
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "DB_ENGINE": s.DATABASES["default"]["ENGINE"],
    "DB_HOST": s.DATABASES["default"]["HOST"],
    "CELERY_TASK_ALWAYS_EAGER": s.CELERY_TASK_ALWAYS_EAGER,
    "CELERY_BROKER_URL": s.CELERY_BROKER_URL,
    "SECURE_PROXY_SSL_HEADER": s.SECURE_PROXY_SSL_HEADER,
    "SESSION_IDLE_TIMEOUT_MINUTES": s.SESSION_IDLE_TIMEOUT_MINUTES,
    "DATA_UPLOAD_MAX_MEMORY_SIZE": s.DATA_UPLOAD_MAX_MEMORY_SIZE,
    "MAX_UPLOAD_SIZE": s.MAX_UPLOAD_SIZE,
    "ADMIN_ENABLED": s.ADMIN_ENABLED,
    "RENDERERS": s.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"],
}))
"""
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "a-real-production-secret"}
POSTGRES_URL = "postgres://xuncha:pw@db.internal:5432/xuncha"
REDIS_URL = "redis://cache.internal:6379/0"


def _start_django(code: str = SETUP, **env: str) -> subprocess.CompletedProcess[str]:
    inherited = {key: value for key, value in os.environ.items() if key not in CONTROLLED}
    # Loading settings makes no connection: a named server keeps the embedded one out of it.
    env.setdefault("DATABASE_URL", POSTGRES_URL)
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _settings_with(**env: str) -> dict:
    result = _start_django(f"{SETUP}\n{REPORT}", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_production_refuses_to_start_without_secret_key():
    result = _start_django(DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_development_starts_without_secret_key():
    result = _start_django(DEBUG="true")

    assert result.returncode == 0, result.stderr


def test_production_turns_on_https_protections():
    loaded = _settings_with(**PRODUCTION)

    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["SECURE_HSTS_SECONDS"] > 0
    assert loaded["SECURE_SSL_REDIRECT"] is True


def test_database_url_names_the_postgresql_server():
    loaded = _settings_with(**PRODUCTION, DATABASE_URL=POSTGRES_URL)

    assert loaded["DB_ENGINE"] == "django.db.backends.postgresql"
    assert loaded["DB_HOST"] == "db.internal"


def test_a_database_url_of_another_engine_is_refused():
    result = _start_django(**PRODUCTION, DATABASE_URL="sqlite:///db.sqlite3")

    assert result.returncode != 0
    assert "DATABASE_URL must name a PostgreSQL database" in result.stderr


def test_without_redis_url_tasks_run_in_process():
    loaded = _settings_with(**PRODUCTION)

    assert loaded["CELERY_TASK_ALWAYS_EAGER"] is True


def test_with_redis_url_tasks_go_to_that_broker():
    loaded = _settings_with(**PRODUCTION, REDIS_URL=REDIS_URL)

    assert loaded["CELERY_TASK_ALWAYS_EAGER"] is False
    assert loaded["CELERY_BROKER_URL"] == REDIS_URL


def test_defaults_are_simplified_chinese_and_china_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("headers", "lang_attribute"),
    [
        ({}, b'lang="zh-Hans"'),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, b'lang="en"'),
        ({"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}, b'lang="en"'),
    ],
)
def test_login_page_language_follows_the_browser(client, db, headers, lang_attribute):
    response = client.get(reverse("accounts:login"), **headers)

    assert response.status_code == 200
    assert lang_attribute in response.content


def test_cookies_are_secure_off_debug_unless_the_plain_http_demo_says_not():
    production = _settings_with(**PRODUCTION)
    demo = _settings_with(**PRODUCTION, SESSION_COOKIE_SECURE="false", CSRF_COOKIE_SECURE="false")

    assert (production["SESSION_COOKIE_SECURE"], production["CSRF_COOKIE_SECURE"]) == (True, True)
    assert (demo["SESSION_COOKIE_SECURE"], demo["CSRF_COOKIE_SECURE"]) == (False, False)
