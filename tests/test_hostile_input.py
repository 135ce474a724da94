"""Hostile query strings never cause a server error.

Walks the URL configuration like the isolation harness (its route list and object URLs are
reused), signs in as a member holding every role, and sends each GET page and API list the
query parameters it declares — the names of its GET forms' fields, its filterset's filters —
plus the usual suspects, with values a form must turn into a validation error: huge and
negative integers, impossible dates, non-numbers, NUL bytes. Any answer below 500 passes; what
matters is that bad input is handled, not how."""

from __future__ import annotations

import re

import pytest

from tests.test_isolation import SCOPED, Route, _url

HOSTILE_VALUES = [
    "99999999999999999999999",
    "-1",
    "-99999999999999999999999",
    "99999-01-01",
    "0000-00-00",
    "2024-13-45",
    "abc",
    "1e309",
    "nan",
    "\x00",
    "1\x00",
    "%00",
    "",
]
COMMON_PARAMS = {
    "page",
    "defaults_from",
    "q",
    "ordering",
    "history_page",
    "year",
    "kind",
    "unit",
    "parent",
    "round",
    "team",
    "status",
    "stage",
    "role",
    "active",
    "specialty",
    "suggest",
    "request",
    "start",
    "end",
    "date",
    "cursor",
    "limit",
    "offset",
}
GET_ROUTES = [route for route in SCOPED if route.handles("get")]
_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')


def _declared_params(route: Route, page: str) -> set[str]:
    names = set(_NAME.findall(page)) - {"csrfmiddlewaretoken"}
    filterset = getattr(route.view_class, "filterset_class", None)
    if filterset is not None:
        names |= set(filterset.base_filters)
    names |= set(getattr(route.view_class, "filterset_fields", None) or ())
    return names


@pytest.mark.parametrize("route", GET_ROUTES, ids=str)
def test_hostile_query_strings_never_cause_a_server_error(route, login, all_roles_user, org):
    client = login(all_roles_user)
    client.raise_request_exception = False  # a 500 is an answer to count, not to stop at
    url = _url(route, org)
    page = client.get(url)
    assert page.status_code < 500, f"{url} fails even without a query string"
    body = b"".join(page.streaming_content) if page.streaming else page.content  # a download
    declared = _declared_params(route, body.decode(errors="replace"))

    failures = []
    for value in HOSTILE_VALUES:
        # Each declared parameter alone (so one invalid field cannot hide another's crash),
        # then every name at once.
        queries = [(name, {name: value}) for name in sorted(declared)]
        queries.append(("(all)", dict.fromkeys(declared | COMMON_PARAMS, value)))
        for label, query in queries:
            status = client.get(url, query).status_code
            if status >= 500:
                failures.append((label, value, status))
    assert failures == [], f"{url}: {failures}"
