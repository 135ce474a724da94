"""Template context of every page: the current organization and the switcher's memberships."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def tenant_context(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "current_org": getattr(request, "org", None),
        "current_membership": membership,
        "user_memberships": getattr(request, "memberships", []),
    }
