"""The request's organization: resolved once, from the signed-in user's own memberships.

``TenantMiddleware`` sets ``request.org``, ``request.membership`` and ``request.memberships``
(see ``OrgRequest``) and runs the whole request inside that organization's scope — never from
the request body. A request without an organization runs in a scope where any tenant query
raises; a superuser on the Django admin runs unscoped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse

from accounts.models import Membership, Organization
from accounts.selectors import membership_active_list
from xuncha.tenancy import TenantRequest, dangerously_unscoped, no_org_scope, org_scope

SESSION_ORG_KEY = "xuncha_org_id"


class OrgRequest(TenantRequest):
    """The request as ``TenantMiddleware`` leaves it (for typing views and services)."""

    org: Organization | None
    membership: Membership | None
    memberships: list[Membership]


def user_memberships(request: HttpRequest) -> list[Membership]:
    """The signed-in user's active memberships: the organizations they may work in."""
    user = request.user
    return membership_active_list(user=user) if user.is_authenticated else []


def resolve_membership(request: HttpRequest, memberships: list[Membership]) -> Membership | None:
    """The membership of the organization chosen in this session, else the first one."""
    wanted = request.session.get(SESSION_ORG_KEY)
    for membership in memberships:
        if membership.organization_id == wanted:
            return membership
    return memberships[0] if memberships else None


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, http_request: HttpRequest) -> HttpResponse:
        request = cast(OrgRequest, http_request)
        request.memberships = user_memberships(request)
        membership = resolve_membership(request, request.memberships)
        request.membership = membership
        request.org = membership.organization if membership else None
        if request.org is not None:
            with org_scope(request.org):
                return self.get_response(request)
        if request.path.startswith("/admin/") and request.user.is_superuser:
            with dangerously_unscoped():
                return self.get_response(request)
        with no_org_scope():
            return self.get_response(request)
