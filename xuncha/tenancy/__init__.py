"""The one way to reach tenant data.

Every tenant-owned model inherits ``TenantModel``: its default manager is a django-scopes
``ScopedManager`` that filters by the active organization and *raises* when no organization is
active, so a forgotten filter fails closed instead of returning every tenant's rows.

The scope is set once per unit of work: by ``accounts.middleware.TenantMiddleware`` for a request
(from the signed-in user's memberships, never from the request body), by ``org_scope`` in tasks,
commands and public pages. ``Model.objects.for_org(org)`` names the organization explicitly and
*checks* it against the active scope: handed another organization it raises
``CrossTenantAccess``; only ``dangerously_unscoped`` crosses tenants.

HTML views inherit ``tenancy.views.OrgViewMixin``, API views ``OrgAPIMixin``; a test walks the URL
configuration and fails on any routed view that uses neither and is not listed in
``PUBLIC_URL_NAMES``.

The kernel imports no app (a test parses it): organizations appear here only as saved model
instances, memberships only through the ``TenantMembership`` protocol.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar, Protocol, Self, TypeVar

from django.db import models
from django.http import HttpRequest
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django_scopes import ScopedManager, ScopeError, get_scope, scopes_disabled
from django_scopes.state import state as _scope_state

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
        "rounds:announcement_public",  # 巡察公告 for the public: unguessable token, org_scope
        "surveys:survey_code",  # a printed one-time code: single use, rate-limited, org_scope
        "surveys:survey_link",  # a survey's open link: unguessable token, limits, org_scope
        "surveys:announcement_survey",  # the announcement's 测评码: its token, org_scope
        "clues:petition_public",  # 信访举报 form of the announcement: its token, org_scope
        "clues:petition_status",  # status by receipt code: rate-limited, tells status only
    }
)

_M = TypeVar("_M", bound=models.Model)


class CrossTenantAccess(ScopeError):
    """Code running for one organization asked for another organization's rows."""


class TenantMembership(Protocol):
    """What the kernel's view bases need of a membership (``accounts.models.Membership``)."""

    organization_id: int

    def has_perm(self, permission: str) -> bool: ...

    def needs_second_factor(self, user: Any) -> bool: ...


class TenantRequest(HttpRequest):
    """A request as the tenancy middleware leaves it, in the kernel's terms; views and services
    of the apps use ``accounts.middleware.OrgRequest``, which names the concrete models."""

    org: models.Model | None
    membership: TenantMembership | None
    memberships: Sequence[TenantMembership]


def _saved_pk(org: models.Model | None, what: str) -> Any:
    if org is None or org.pk is None:
        raise ValueError(f"{what} needs a saved organization")
    return org.pk


def active_org_id() -> Any:
    """The organization of the active scope, ``None`` without one (or with scopes disabled)."""
    current = get_scope()
    if not current.get("_enabled", True):
        return None
    return current.get("organization")


def check_org(org: models.Model) -> None:
    """Refuse to work for ``org`` unless it is the active scope's (or scopes are disabled)."""
    pk = _saved_pk(org, "for_org")
    current = get_scope()
    if not current.get("_enabled", True):
        return  # dangerously_unscoped: the one explicit way across tenants
    active = current.get("organization")
    if active is None:
        raise ScopeError(
            f"for_org(organization {pk}) outside an organization scope: "
            "run the block inside org_scope(org) (tasks, commands, public pages)."
        )
    if active != pk:
        raise CrossTenantAccess(
            f"for_org(organization {pk}) inside the scope of organization {active}: "
            "another tenant's rows are reached only through dangerously_unscoped()."
        )


class TenantManager(models.Manager[_M]):
    """The manager of every tenant model; at runtime wrapped by django-scopes (``scoped()``)."""

    def for_org(self, org: models.Model) -> models.QuerySet[_M]:
        """Rows of ``org``, which must be the active scope's organization (see ``check_org``)."""
        check_org(org)
        return self.with_scope(organization=org.pk).all()  # type: ignore[attr-defined]

    @classmethod
    def scoped(cls) -> TenantManager[Any]:
        return ScopedManager(_manager_class=cls, organization="organization")


class TenantModel(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[TenantManager[Self]] = TenantManager.scoped()

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field) -> str:  # noqa: N802 - Django's name
        # Django's own hashes every (value, label) pair on each call, which translates every
        # label of the field; list pages show a label on every row. Only values are hashed here.
        value = getattr(self, field.attname)
        labels = {make_hashable(choice): label for choice, label in field.flatchoices}
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


@contextmanager
def _exact_scope(**values: Any) -> Iterator[None]:
    # Replaces the whole scope instead of merging into the enclosing one (django-scopes'
    # ``scope()`` merges): an organization never survives into a block meant to have none, and
    # a request started inside another scope (a test's) runs in its own scope only.
    token = _scope_state.set(values)
    try:
        yield
    finally:
        _scope_state.reset(token)


@contextmanager
def org_scope(org: models.Model) -> Iterator[None]:
    """Run a block inside one organization (requests, tasks, commands, public pages)."""
    pk = _saved_pk(org, "org_scope")
    with _exact_scope(_enabled=True, organization=pk):
        yield


@contextmanager
def no_org_scope() -> Iterator[None]:
    """A request without an organization: any tenant query raises."""
    with _exact_scope(_enabled=True):
        yield


# Named to shout: platform-wide reads (admin for superusers, membership resolution).
dangerously_unscoped = scopes_disabled
