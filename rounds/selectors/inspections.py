"""Reads of inspections. Which of them a member may see or act on is ``rounds.permissions``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Membership, Organization
from accounts.rows import pk_url
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


def inspection_rows(*, org: Organization, ids: list[int]) -> list[dict[str, Any]]:
    """What the list page shows for the inspections ``ids`` (one page of ``inspection_list``'s
    keys, in its order): one query for the page's rows, labels and URLs resolved once.

    The list pages the keys and loads only its page: sorting three thousand bare keys is half
    the work of sorting them with every column of four joined tables."""
    rows = (
        Inspection.objects.for_org(org)
        .filter(pk__in=ids)
        .select_related("round", "team", "unit")
        .only(
            "stage", "stage_entered_at", "created_at", "look_back_of_id",
            "round__name", "team__name", "unit__name",
        )
    )  # fmt: skip
    by_pk = {inspection.pk: inspection for inspection in rows}
    url = pk_url("rounds:inspection_detail")
    page = []
    for pk in ids:
        inspection = by_pk[pk]
        since = inspection.stage_entered_at or inspection.created_at
        page.append(
            {
                "url": url(pk),
                "unit": inspection.unit.name,
                "look_back": inspection.look_back_of_id is not None,
                "round": inspection.round.name,
                "team": inspection.team.name if inspection.team else "",
                "stage": inspection.stage,  # its code: {% stage_badge %} labels and colours it
                "since": timezone.localtime(since).date() if since else None,
            }
        )
    return page


def inspection_settings(*, org: Organization) -> InspectionSettings:
    settings = InspectionSettings.objects.for_org(org).first()
    return settings or InspectionSettings(organization=org)
