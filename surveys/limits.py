"""The abuse limits of the public survey pages, kept in the cache (Redis), never in the
database: a per-client count keyed by a hash of the address (with a secret-derived pepper, so
the cache holds no address either), and a signed cookie marking a browser that answered a
survey through its open link."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from accounts.throttling import client_ip

CODE_FAILURES = 10  # wrong codes a client may type per window before it is made to wait
LINK_ANSWERS = 30  # answers through open links per client and window (a meeting hall's wifi)
WINDOW = 15 * 60  # seconds
COOKIE_AGE = 90 * 24 * 3600
_SALT = "surveys.answered"


def _client_key(request: HttpRequest, what: str) -> str:
    pepper = hashlib.sha256(f"surveys-limits:{settings.SECRET_KEY}".encode()).digest()
    digest = hmac.new(pepper, client_ip(request).encode(), hashlib.sha256).hexdigest()[:32]
    return f"surveys:{what}:{digest}"


def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def _bump(key: str) -> None:
    if cache.add(key, 1, timeout=WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW)


def code_guessing_blocked(request: HttpRequest) -> bool:
    return _count(_client_key(request, "code")) >= CODE_FAILURES


def count_code_failure(request: HttpRequest) -> None:
    _bump(_client_key(request, "code"))


def link_blocked(request: HttpRequest) -> bool:
    return _count(_client_key(request, "link")) >= LINK_ANSWERS


def count_link_answer(request: HttpRequest) -> None:
    _bump(_client_key(request, "link"))


def _cookie_name(token: str) -> str:
    return "xs_" + hashlib.sha256(token.encode()).hexdigest()[:12]


def has_answered(request: HttpRequest, token: str) -> bool:
    value = request.get_signed_cookie(
        _cookie_name(token), default=None, salt=_SALT, max_age=COOKIE_AGE
    )
    return value == "1"


def mark_answered(response: HttpResponse, token: str) -> None:
    response.set_signed_cookie(
        _cookie_name(token),
        "1",
        salt=_SALT,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG and settings.SESSION_COOKIE_SECURE,
    )
