"""Production's error pages, as the tests and `make demo` run (DEBUG off): the site's own 403,
404, 500 and expired-form pages in its layout, and a refused request logged in one line."""

from __future__ import annotations

import io
import logging
import sys

import pytest
from django.test import Client
from django.urls import reverse
from django.views.defaults import server_error

from tests.factories import PASSWORD
from xuncha.log_filters import OneLineRefusals

LAYOUT = "css/xuncha.css"  # every page of the site's layout links its stylesheet


def test_a_refused_page_is_the_sites_403(login, office_user):
    response = login(office_user).get(reverse("accounts:member_list"))

    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    assert LAYOUT in response.content.decode()


def test_an_unknown_address_is_the_sites_404(login, office_user):
    response = login(office_user).get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert LAYOUT in response.content.decode()


def test_a_server_error_is_the_sites_500(rf):
    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "服务器错误" in response.content.decode()
    assert LAYOUT in response.content.decode()


def test_a_form_without_its_csrf_token_is_the_sites_expired_form_page(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("accounts:login"), {"username": "office", "password": PASSWORD})

    assert response.status_code == 403
    assert "表单已失效" in response.content.decode()
    assert LAYOUT in response.content.decode()


@pytest.fixture
def console() -> io.StringIO:
    """What the console handler of settings.LOGGING writes, while the test runs."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, OneLineRefusals) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous or sys.stderr)


def test_a_refused_page_is_one_line_in_the_log(login, office_user, console):
    client = login(office_user)

    client.get(reverse("accounts:member_list"))

    lines = [line for line in console.getvalue().splitlines() if "/manage/members/" in line]
    assert lines == ["Forbidden (Permission denied): /manage/members/"]
    assert "Traceback" not in console.getvalue()


def test_a_bad_host_is_one_line_in_the_log(client, console):
    client.get("/", headers={"host": "evil.example"})

    assert "Invalid HTTP_HOST header: 'evil.example'" in console.getvalue()
    assert "Traceback" not in console.getvalue()


def test_a_server_error_keeps_its_traceback():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("django.request", logging.ERROR, "", 0, "x", (), sys.exc_info())
    record.status_code = 500

    OneLineRefusals().filter(record)

    assert record.exc_info is not None
