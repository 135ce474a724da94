"""Object-level grants (django-guardian rows) derived from the facts, by one function.

A grant is never the record of a decision: the facts are (active membership, roles, unit
grants here; team membership and assignment in rounds). ``sync_grants`` recomputes what a
user should hold in one organization and adds or removes guardian rows to match. Every service
that changes a fact calls it, so a grant cannot outlive its reason.

Apps contribute a ``GrantSource`` at start-up (``register_grant_source`` from their
AppConfig.ready), so accounts derives rounds' grants without importing rounds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from accounts.models import Membership, Organization, UnitGrant, UnitUserObjectPermission, User
from accounts.roles import VIEW_OWN_UNITS
from accounts.selectors import membership_get


@dataclass(frozen=True)
class GrantSource:
    """One kind of grant: the direct-FK guardian table holding it, the codenames it manages
    there, and the (codename, object pk) pairs an *active* membership should hold."""

    table: type[Any]
    codenames: tuple[str, ...]
    wanted: Callable[[Membership], Iterable[tuple[str, int]]]


_SOURCES: list[GrantSource] = []


def register_grant_source(source: GrantSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def _sync_source(
    source: GrantSource, user: User, organization: Organization, membership: Membership | None
) -> None:
    model = source.table._meta.get_field("content_object").related_model
    perms = dict(
        Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(model), codename__in=source.codenames
        ).values_list("codename", "pk")
    )
    wanted = set()
    if membership is not None:
        wanted = {(perms[codename], pk) for codename, pk in source.wanted(membership)}
    rows = source.table.objects.filter(
        user=user, permission_id__in=perms.values(), content_object__organization=organization
    )
    current = {
        (perm, obj): pk
        for pk, perm, obj in rows.values_list("pk", "permission_id", "content_object_id")
    }
    stale = [pk for key, pk in current.items() if key not in wanted]
    if stale:
        source.table.objects.filter(pk__in=stale).delete()
    source.table.objects.bulk_create(
        source.table(user=user, permission_id=perm, content_object_id=obj)
        for perm, obj in sorted(wanted - current.keys())
    )


def sync_grants(*, user: User, organization: Organization) -> None:
    """Make ``user``'s object grants in ``organization`` match the facts: none at all unless
    the user and the membership are active; otherwise what each registered source derives."""
    membership = membership_get(org=organization, user=user) if user.is_active else None
    for source in _SOURCES:
        _sync_source(source, user, organization, membership)


def sync_grants_of(*, users: Iterable[User], organization: Organization) -> None:
    for user in {user.pk: user for user in users}.values():
        sync_grants(user=user, organization=organization)


def _unit_grants(membership: Membership) -> Iterable[tuple[str, int]]:
    if not membership.has_perm(VIEW_OWN_UNITS):
        return []
    rows = UnitGrant.objects.for_org(membership.organization).filter(membership=membership)
    return [("view_unit", unit_pk) for unit_pk in rows.values_list("unit_id", flat=True)]


UNIT_GRANTS = GrantSource(
    table=UnitUserObjectPermission, codenames=("view_unit",), wanted=_unit_grants
)
register_grant_source(UNIT_GRANTS)
