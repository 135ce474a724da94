"""Tenant-scoped reads for accounts. Every function takes the organization explicitly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.safestring import SafeString, mark_safe
from guardian.shortcuts import get_objects_for_user

from accounts.models import (
    ApiToken,
    Membership,
    MembershipRole,
    Organization,
    Unit,
    UnitGrant,
    User,
)
from accounts.roles import MANAGE_MEMBERS, VIEW_ALL_UNITS, VIEW_OWN_UNITS
from accounts.rows import choice_labels, pk_url
from xuncha.tenancy import dangerously_unscoped


def membership_active_list(*, user: User) -> list[Membership]:
    """All active memberships of a user across tenants: the only cross-tenant read, used to
    resolve the current organization from the user's own session."""
    with dangerously_unscoped():
        return list(
            Membership.objects.filter(user=user, is_active=True, organization__is_active=True)
            .select_related("organization")
            .prefetch_related(Prefetch("role_rows", queryset=MembershipRole.objects.all()))
            .order_by("organization__name")
        )


def membership_identity_is_shared(*, membership: Membership) -> bool:
    """Whether the member's account also belongs to another organization: its name and e-mail
    are then not one organization's to change (cross-tenant existence check, nothing read)."""
    with dangerously_unscoped():
        return (
            Membership.objects.filter(user_id=membership.user_id)
            .exclude(organization_id=membership.organization_id)
            .exists()
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


@dataclass(slots=True)
class UnitTreeRow:
    """One line of the unit tree page, display values resolved once for the page."""

    pk: int
    name: str
    code: str
    kind_label: str
    is_active: bool
    depth: int
    url: str
    indent: SafeString  # the depth's indent marks, or nothing when the list is a search


def unit_tree_rows(units: QuerySet[Unit]) -> QuerySet[Unit, Any]:
    """Units (of ``unit_tree`` or ``unit_visible_list``) as the plain values the tree shows."""
    return units.values("pk", "name", "code", "kind", "is_active", "depth")


INDENT = '<span class="indent"></span>'


def unit_tree_display(values: Any, *, indented: bool = True) -> list[UnitTreeRow]:
    """Rows of ``unit_tree_rows`` values: kind labels, links and indents built once per page."""
    kinds = choice_labels(Unit, "kind")
    url = pk_url("accounts:unit_detail")
    indents: dict[int, SafeString] = {}
    rows = []
    for row in values:
        depth = row["depth"]
        if depth not in indents:
            indents[depth] = mark_safe(INDENT * depth if indented else "")  # noqa: S308 (constant)
        rows.append(
            UnitTreeRow(
                pk=row["pk"],
                name=row["name"],
                code=row["code"],
                kind_label=kinds.get(row["kind"], row["kind"]),
                is_active=row["is_active"],
                depth=depth,
                url=url(row["pk"]),
                indent=indents[depth],
            )
        )
    return rows


def unit_subtree(*, unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.for_org(unit.organization).filter(path__startswith=unit.path)


def unit_visible_list(
    *, org: Organization, membership: Membership, search: str = ""
) -> QuerySet[Unit]:
    """Units a member may see: all of them, or only those granted to them (liaisons)."""
    if membership.has_perm(VIEW_ALL_UNITS):
        return unit_tree(org=org, search=search)
    if not membership.has_perm(VIEW_OWN_UNITS):  # the grant alone does not open a unit
        return Unit.objects.for_org(org).none()
    return unit_granted_list(org=org, user=membership.user, search=search)


def unit_granted_list(*, org: Organization, user: User, search: str = "") -> QuerySet[Unit]:
    """Units granted to ``user`` object by object (django-guardian)."""
    return get_objects_for_user(
        user, "accounts.view_unit", unit_tree(org=org, search=search), accept_global_perms=False
    )


def unit_grant_units(*, membership: Membership) -> QuerySet[Unit]:
    """The units given to ``membership`` (the facts, kept while it is deactivated)."""
    org = membership.organization
    given = UnitGrant.objects.for_org(org).filter(membership=membership).values("unit_id")
    return unit_tree(org=org).filter(pk__in=given)


def membership_get(*, org: Organization, user: User | None) -> Membership | None:
    """The active membership of ``user`` in ``org`` (services check who acts)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Membership.objects.for_org(org)
        .filter(user=user, is_active=True)
        .prefetch_related(Prefetch("role_rows", queryset=MembershipRole.objects.for_org(org)))
        .first()
    )


def api_token_list(*, membership: Membership) -> QuerySet[ApiToken]:
    """The tokens of one membership, revoked and expired ones too, newest first."""
    return ApiToken.objects.for_org(membership.organization).filter(membership=membership)


def api_token_manageable_list(*, membership: Membership) -> QuerySet[ApiToken]:
    """The tokens ``membership`` may revoke: its own and, for an org admin, those of the
    organization's service accounts (``accounts.tokens.can_manage_tokens_of``)."""
    mine = Q(membership=membership)
    if membership.has_perm(MANAGE_MEMBERS):
        mine |= Q(membership__user__is_service_account=True)
    return (
        ApiToken.objects.for_org(membership.organization)
        .filter(mine)
        .select_related("membership__user")
    )


def membership_service_account_list(*, org: Organization) -> QuerySet[Membership]:
    """The organization's service accounts (machines calling the API), each with its roles
    and its tokens (newest first), in a constant number of queries."""
    return (
        Membership.objects.for_org(org)
        .filter(user__is_service_account=True)
        .select_related("user")
        .prefetch_related(
            Prefetch("role_rows", queryset=MembershipRole.objects.for_org(org)),
            Prefetch("api_tokens", queryset=ApiToken.objects.for_org(org)),
        )
        .order_by("user__full_name", "pk")
    )
