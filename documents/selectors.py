"""Reads of document requests (调阅): the team's list of an inspection's requests, and the
liaison's — the requests addressed to the units granted to them, never anything else of the
inspection.

Which requests a liaison reaches (``document_request_liaison_list``): those addressed to one of the
units they may see as a liaison (``accounts.selectors.unit_visible_list``: the units granted
to them; all units for a member whose other role sees every unit), and every request of an
inspection of such a unit (the liaison of the inspected unit coordinates the answers of its
sub-units). The grant is read at every request: withdrawing it closes the pages at once.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import Membership, Organization, Unit
from accounts.selectors import unit_subtree, unit_visible_list
from documents.capabilities import ANSWER_REQUESTS
from documents.models import DeliveryFile, DocumentDelivery, DocumentRequest, UsualDocument
from rounds.models import Announcement, Inspection

STATUS_FILTERS = ("requested", "overdue", "delivered", "returned", "withdrawn")


def usual_document_list(
    *, org: Organization, offered_only: bool = False
) -> QuerySet[UsualDocument]:
    items = UsualDocument.objects.for_org(org)
    return items.filter(is_active=True) if offered_only else items


def _filtered(
    requests: QuerySet[DocumentRequest], status: str, today: datetime.date | None
) -> QuerySet[DocumentRequest]:
    if status == "overdue":
        return requests.filter(DocumentRequest.overdue_q(today))
    if status in DocumentRequest.Status.values:
        return requests.filter(status=status)
    return requests


def document_request_list(
    *, inspection: Inspection, status: str = "", today: datetime.date | None = None
) -> QuerySet[DocumentRequest]:
    """The inspection's requests, soonest due first, each with its unit and ``file_count``;
    ``status`` one of ``STATUS_FILTERS`` (``overdue``: due before today, not delivered)."""
    requests = DocumentRequest.objects.for_org(inspection.organization).filter(
        inspection=inspection
    )
    return (
        _filtered(requests, status, today)
        .select_related("unit", "requested_by", "delivered_by")
        .annotate(file_count=Count("deliveries__files"))
        .order_by("due_on", "pk")
    )


def document_request_status_counts(*, inspection: Inspection) -> dict[str, int]:
    """How many of the inspection's requests are in each status, and ``overdue``: one query."""
    rows = DocumentRequest.objects.for_org(inspection.organization).filter(inspection=inspection)
    overdue = DocumentRequest.overdue_q()
    counts = rows.aggregate(
        overdue=Count("pk", filter=overdue),
        **{value: Count("pk", filter=Q(status=value)) for value in DocumentRequest.Status.values},
    )
    return {key: counts[key] for key in STATUS_FILTERS}


def document_request_viewable(*, membership: Membership) -> QuerySet[DocumentRequest]:
    """Requests of the inspections the member may see (``rounds.permissions``)."""
    from rounds.permissions import inspections_viewable

    return DocumentRequest.objects.for_org(membership.organization).filter(
        inspection__in=inspections_viewable(membership)
    )


def document_request_detail(*, pk: int, org: Organization) -> DocumentRequest | None:
    return (
        DocumentRequest.objects.for_org(org)
        .select_related(
            "inspection__unit",
            "inspection__round",
            "unit",
            "from_usual",
            "requested_by",
            "delivered_by",
            "returned_by",
        )
        .filter(pk=pk)
        .first()
    )


def delivery_list(*, document_request: DocumentRequest) -> QuerySet[DocumentDelivery]:
    """The request's deliveries, oldest first, each with its files (two queries)."""
    org = document_request.organization
    files = DeliveryFile.objects.for_org(org).select_related("file").order_by("pk")
    return (
        DocumentDelivery.objects.for_org(org)
        .filter(request=document_request)
        .select_related("delivered_by")
        .prefetch_related(Prefetch("files", queryset=files))
        .order_by("delivered_at", "pk")
    )


def delivery_file_get(*, document_request: DocumentRequest, pk: str) -> DeliveryFile | None:
    """A file delivered for ``document_request`` (``None`` for any other id, or none)."""
    if not pk.isdigit() or len(pk) > 18:
        return None
    return (
        DeliveryFile.objects.for_org(document_request.organization)
        .select_related("file")
        .filter(pk=int(pk), delivery__request=document_request)
        .first()
    )


# --- The liaison's ---------------------------------------------------------------------------


def unit_liaison_list(*, membership: Membership) -> QuerySet[Unit]:
    """The units whose requests the member answers as a liaison (none without the
    capability)."""
    if not membership.is_active or not membership.has_perm(ANSWER_REQUESTS):
        return Unit.objects.for_org(membership.organization).none()
    return unit_visible_list(org=membership.organization, membership=membership)


def document_request_liaison_list(
    *, membership: Membership, status: str = "", today: datetime.date | None = None
) -> QuerySet[DocumentRequest]:
    """The requests addressed to the liaison's units or to an inspection of one of them."""
    units = unit_liaison_list(membership=membership).values("pk")
    requests = DocumentRequest.objects.for_org(membership.organization).filter(
        Q(unit__in=units) | Q(inspection__unit__in=units)
    )
    return (
        _filtered(requests, status, today)
        .select_related("unit", "inspection__unit", "inspection__round")
        .annotate(file_count=Count("deliveries__files"))
        .order_by("due_on", "pk")
    )


def document_request_liaison_get(*, membership: Membership, pk: int) -> DocumentRequest | None:
    return (
        document_request_liaison_list(membership=membership)
        .select_related("delivered_by", "returned_by")
        .filter(pk=pk)
        .first()
    )


def document_request_open_count(*, membership: Membership) -> int:
    """Requests still waiting for the liaison's answer (the home page's count)."""
    return document_request_liaison_list(membership=membership, status="requested").count()


def inspection_liaison_list(
    *, membership: Membership, listed: bool = False
) -> QuerySet[Inspection]:
    """The inspections the liaison reaches: those of their units (they are its contact), and
    those with a request addressed to one of their units. ``listed``: only those the portal
    lists — announced (published) or with requests to them. Each with ``published`` (the
    announcement is out)."""
    org = membership.organization
    units = unit_liaison_list(membership=membership).values("pk")
    published = Announcement.objects.for_org(org).filter(
        inspection=OuterRef("pk"), published_at__isnull=False
    )
    requests = DocumentRequest.objects.for_org(org).filter(
        Q(unit__in=units) | Q(inspection__unit__in=units), inspection=OuterRef("pk")
    )
    own = Q(unit__in=units) & Q(Exists(published)) if listed else Q(unit__in=units)
    reached = own | Q(Exists(requests))
    return (
        Inspection.objects.for_org(org)
        .filter(reached)
        .annotate(published=Exists(published))
        .select_related("unit", "round")
        .order_by("-round__start_date", "unit__path")
    )


def announcement_liaison_get(*, inspection: Inspection) -> Announcement | None:
    """The published announcement of an inspection (the liaison reached it through
    ``inspection_liaison_list``)."""
    return (
        Announcement.objects.for_org(inspection.organization)
        .filter(inspection=inspection, published_at__isnull=False)
        .first()
    )


def unit_request_choices(*, inspection: Inspection) -> QuerySet[Unit]:
    """The units a request of ``inspection`` may be addressed to: its unit and sub-units."""
    return (
        unit_subtree(unit=inspection.unit)
        .filter(Q(pk=inspection.unit_id) | Q(is_active=True))
        .order_by("path")
    )
