"""Tenant-scoped reads for accounts. Every function takes the organization explicitly."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from accounts.models import Membership, MembershipRole, Organization, Unit, User
from accounts.roles import VIEW_ALL_UNITS
from xuncha.tenancy import dangerously_unscoped


def active_memberships(*, user: User) -> list[Membership]:
    """All active memberships of a user across tenants: the only cross-tenant read, used to
    resolve the current organization from the user's own session."""
    with dangerously_unscoped():
        return list(
            Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
            .select_related("organization")
            .prefetch_related(Prefetch("role_rows", queryset=MembershipRole.objects.all()))
            .order_by("organization__name")
        )


def membership_list(
    *, org: Organization, search: str = "", role: str = "", active: bool | None = None
) -> QuerySet[Membership]:
    qs = (
        Membership.objects.for_org(org)
        .select_related("user")
        .prefetch_related("role_rows")
        .order_by("user__username")
    )
    if search:
        qs = qs.filter(
            Q(user__username__icontains=search)
            | Q(user__full_name__icontains=search)
            | Q(user__email__icontains=search)
        )
    if role:
        qs = qs.filter(role_rows__role=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def unit_tree(
    *, org: Organization, search: str = "", include_inactive: bool = True
) -> QuerySet[Unit]:
    qs = Unit.objects.for_org(org).select_related("parent")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("path")


def subtree(*, unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.for_org(unit.organization).filter(path__startswith=unit.path)


def units_visible_to(
    *, org: Organization, membership: Membership, search: str = ""
) -> QuerySet[Unit]:
    """Units a member may see: all of them, or only those granted to them (liaisons)."""
    if membership.has_perm(VIEW_ALL_UNITS):
        return unit_tree(org=org, search=search)
    return granted_units(org=org, user=membership.user, search=search)


def granted_units(*, org: Organization, user: User, search: str = "") -> QuerySet[Unit]:
    """Units granted to ``user`` object by object (django-guardian)."""
    return get_objects_for_user(
        user, "accounts.view_unit", unit_tree(org=org, search=search), accept_global_perms=False
    )
