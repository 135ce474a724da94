"""The request's organization: resolved once, from the signed-in user's own memberships.

``TenantMiddleware`` sets ``request.org``, ``request.membership`` and ``request.memberships``
(see ``OrgRequest``) and runs the whole request inside that organization's scope — never from
the request body. A request without an organization runs in a scope where any tenant query
raises; a superuser on the Django admin runs unscoped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse

from accounts.models import ApiToken, Membership, Organization
from accounts.selectors import membership_active_list
from accounts.tokens import resolve_api_token
from xuncha.tenancy import TenantRequest, dangerously_unscoped, no_org_scope, org_scope

SESSION_ORG_KEY = "xuncha_org_id"


class OrgRequest(TenantRequest):
    """The request as ``TenantMiddleware`` leaves it (for typing views and services)."""

    org: Organization | None
    membership: Membership | None
    memberships: list[Membership]
    # Set when the request presented an API key: the token it named, or why it was refused.
    api_token: ApiToken | None
    api_token_refusal: str | None


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
        request.api_token, request.api_token_refusal = None, None
        key = api_key(request)
        if key is not None:
            return self._as_token(request, key)
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

    def _as_token(self, request: OrgRequest, key: str) -> HttpResponse:
        """An API call with a key runs as the key's membership, whatever session it carries;
        a refused key leaves the caller anonymous (the API answers 401 with the reason)."""
        resolved = resolve_api_token(key)
        token = resolved.token
        request.api_token, request.api_token_refusal = token, resolved.refusal
        if token is None:
            request.user = AnonymousUser()
            request.memberships, request.membership, request.org = [], None, None
            with no_org_scope():
                return self.get_response(request)
        membership = token.membership
        request.user = membership.user
        request.memberships = [membership]
        request.membership, request.org = membership, membership.organization
        with org_scope(membership.organization):
            return self.get_response(request)


def api_key(request: HttpRequest) -> str | None:
    """The key of ``Authorization: Bearer <key>`` on an API path, else None."""
    if not request.path.startswith("/api/"):
        return None
    scheme, _, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return key.strip() if scheme.lower() == "bearer" else None
