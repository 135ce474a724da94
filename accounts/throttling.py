"""The client address that login throttling counts failures against."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """With ``TRUSTED_PROXY_COUNT`` = N proxies in front, each appending the address it saw to
    X-Forwarded-For, the client is the N-th entry from the right; anything further left was sent
    by the client itself and cannot be trusted. Without proxies: REMOTE_ADDR."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
