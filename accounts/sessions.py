"""Idle sessions end: a signed-in session unused for SESSION_IDLE_TIMEOUT_MINUTES is signed out.

The last activity is kept in the session and rewritten at most once a minute, so an ordinary
page view does not cost a session write."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LAST_SEEN_KEY = "xuncha_last_seen"
_REFRESH_SECONDS = 60


def mark_session_active(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: a new session starts active."""
    request.session[LAST_SEEN_KEY] = int(time.time())


class IdleSessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60:
                logout(request)  # flushes the session; the view sees an anonymous visitor
            elif now - last_seen >= _REFRESH_SECONDS or LAST_SEEN_KEY not in request.session:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
