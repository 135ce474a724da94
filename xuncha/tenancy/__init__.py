"""The one way to reach tenant data.

Every tenant-owned model inherits ``TenantModel``: its default manager is a django-scopes
``ScopedManager`` that filters by the active organization and *raises* when no organization is
active, so a forgotten filter fails closed instead of returning every tenant's rows.

``TenantMiddleware`` resolves ``request.org`` and ``request.membership`` from the signed-in
user's memberships (never from the request body) and runs the whole request inside that scope.
HTML views inherit ``tenancy.views.OrgViewMixin``, API views ``OrgAPIMixin``; a test walks the URL
configuration and fails on any routed view that uses neither and is not listed in
``PUBLIC_URL_NAMES``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django_scopes import ScopedManager, scope, scopes_disabled

if TYPE_CHECKING:
    from accounts.models import Membership, Organization

SESSION_ORG_KEY = "xuncha_org_id"

# URL names reachable without an organization. Reviewed list: adding a name here needs a reason.
PUBLIC_URL_NAMES = frozenset(
    {
        "accounts:login",  # sign-in itself
        "accounts:logout",  # sign-out must work for anyone
        "accounts:no_org",  # signed-in user without any active membership
        "accounts:two_factor",  # enrolling/verifying TOTP happens before scoped pages
        "accounts:password_change",  # own account, no tenant data
        "accounts:password_change_done",
        "accounts:switch_org",  # validates the target against the user's own memberships
        "set_language",  # Django's language switch
        "healthz",  # load-balancer probe, answers "ok" only
    }
)


class _TenantManagerBase(models.Manager):
    def for_org(self, org: Organization) -> models.QuerySet:
        """Rows of ``org``, whatever scope is active: the explicit form selectors use."""
        if org is None or org.pk is None:
            raise ValueError("for_org needs a saved organization")
        return self.with_scope(organization=org.pk).all()  # type: ignore[attr-defined]


def TenantManager() -> models.Manager:  # noqa: N802 - reads as a class at the call site
    return ScopedManager(_manager_class=_TenantManagerBase, organization="organization")


class TenantModel(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        abstract = True


@contextmanager
def org_scope(org: Organization) -> Iterator[None]:
    """Run a block inside one organization (tasks, commands, public pages)."""
    if org is None or org.pk is None:
        raise ValueError("org_scope needs a saved organization")
    with scope(organization=org.pk):
        yield


@contextmanager
def no_org_scope() -> Iterator[None]:
    """A request without an organization: any tenant query raises."""
    with scope(_enabled=True):
        yield


# Named to shout: platform-wide reads (admin for superusers, membership resolution).
dangerously_unscoped = scopes_disabled


def user_memberships(request: HttpRequest) -> list[Membership]:
    """The signed-in user's active memberships: the organizations they may work in."""
    from accounts.selectors import active_memberships

    return active_memberships(user=request.user) if request.user.is_authenticated else []


def resolve_membership(request: HttpRequest, memberships: list[Membership]) -> Membership | None:
    """The membership of the organization chosen in this session, else the first one."""
    wanted = request.session.get(SESSION_ORG_KEY)
    for membership in memberships:
        if membership.organization_id == wanted:
            return membership
    return memberships[0] if memberships else None


class TenantMiddleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
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
