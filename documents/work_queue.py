"""The liaison's section of the home page's work queue: the document requests waiting for
their answer, soonest due first, each linking to the request's page where they answer
(registered from ``DocumentsConfig.ready``)."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership
from accounts.roles import Role
from accounts.rows import pk_url
from accounts.work_queue import Entry, Section, Step, register_section
from documents.capabilities import ANSWER_REQUESTS
from documents.models import DocumentRequest
from documents.selectors import unit_liaison_list


def waiting_rows(membership: Membership) -> QuerySet[DocumentRequest] | None:
    """Requests still to answer, addressed to the liaison's units (``None``: not a liaison)."""
    if not membership.is_active or not membership.has_perm(ANSWER_REQUESTS):
        return None
    unit_keys = unit_liaison_list(membership=membership).values("pk")
    return (
        DocumentRequest.objects.for_org(membership.organization)
        .filter(
            Q(unit__in=unit_keys) | Q(inspection__unit__in=unit_keys),
            status=DocumentRequest.Status.REQUESTED,
        )
        .annotate(unit_name=F("unit__name"), round_name=F("inspection__round__name"))
        .order_by("due_on", "pk")
    )


def waiting_entries(membership: Membership, rows: list[DocumentRequest]) -> list[Entry]:
    url = pk_url("documents:liaison_request")
    today = timezone.localdate()
    return [
        Entry(
            title=row.title,
            url=url(row.pk),
            context=f"{row.unit_name} · {row.round_name}",  # type: ignore[attr-defined]
            badge=_("Overdue") if row.due_on < today else _("Due %(day)s") % {"day": row.due_on},
            tone="danger" if row.due_on < today else "warning",
        )
        for row in rows
    ]


def _portal(membership: Membership) -> Step:
    return Step(gettext_lazy("All document requests"), reverse("documents:liaison_requests"))


SECTION = Section(
    key="documents.requests_waiting",
    role=Role.LIAISON,
    title=gettext_lazy("Documents requested from your unit"),
    empty=gettext_lazy("No document request is waiting for your answer."),
    rows=waiting_rows,
    entries=waiting_entries,
    next_step=_portal,
)


def register() -> None:
    register_section(SECTION)
