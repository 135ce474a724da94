"""Reads of announcements: the team's own, and the public page's lookup by token."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Organization, Unit
from rounds.models import Announcement, Inspection
from xuncha.tenancy import dangerously_unscoped


def announcement_get(*, inspection: Inspection) -> Announcement | None:
    return (
        Announcement.objects.for_org(inspection.organization).filter(inspection=inspection).first()
    )


def announcement_organization(*, token: str) -> Organization | None:
    """The organization of the published announcement with ``token`` (``None`` when there is
    none, or its organization is inactive). The one cross-tenant read of the public page: the
    token names its organization, and the page then runs in that organization's scope."""
    if not token or len(token) > 64:
        return None
    with dangerously_unscoped():
        row = (
            Announcement.objects.filter(token=token, published_at__isnull=False)
            .select_related("organization")
            .first()
        )
    if row is None or not row.organization.is_active:
        return None
    return row.organization


def announcement_public_get(*, org: Organization, token: str) -> Announcement | None:
    """The published announcement with ``token``, with its inspection, round and unit (inside
    ``org_scope(org)``)."""
    return (
        Announcement.objects.for_org(org)
        .filter(token=token, published_at__isnull=False)
        .select_related("inspection__unit", "inspection__round")
        .first()
    )


def announcement_unit_list(*, inspection: Inspection) -> QuerySet[Unit]:
    """The inspected unit and each of its active sub-units, in tree order: one pair of codes
    each."""
    unit = inspection.unit
    return (
        Unit.objects.for_org(inspection.organization)
        .filter(Q(pk=unit.pk) | Q(path__startswith=unit.path, is_active=True))
        .order_by("path")
    )
