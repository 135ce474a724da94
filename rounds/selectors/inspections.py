"""Reads of inspections. Which of them a member may see or act on is ``rounds.permissions``."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Membership, Organization
from rounds.models import Inspection, InspectionSettings
from rounds.permissions import inspections_viewable
from rounds.taxonomy import Stage


def inspection_all(*, org: Organization) -> QuerySet[Inspection]:
    """Every inspection of ``org`` (to fetch one by key in a page that checks access itself)."""
    return Inspection.objects.for_org(org).select_related("round", "unit", "team", "created_by")


def inspection_list(
    *,
    org: Organization,
    membership: Membership,
    round_id: int | None = None,
    stage: str = "",
    search: str = "",
) -> QuerySet[Inspection]:
    """The inspections ``membership`` may see, filtered as the list page asks."""
    rows = inspections_viewable(membership)
    if round_id is not None:
        rows = rows.filter(round_id=round_id)
    if stage in Stage.values:
        rows = rows.filter(stage=stage)
    if search:
        rows = rows.filter(Q(unit__name__icontains=search) | Q(unit__code__icontains=search))
    return rows.order_by("-round__start_date", "unit__path", "pk")


def inspection_settings(*, org: Organization) -> InspectionSettings:
    settings = InspectionSettings.objects.for_org(org).first()
    return settings or InspectionSettings(organization=org)
