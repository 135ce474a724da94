"""Reads of petitions: an inspection's for its team, the tenant's for the clue handlers, one
petition with its attachments, and the public status check by receipt code.

Reading a petition's detail, identity or attachment is logged by the services
(``clues.services.log_petition_read``), not here: these functions only read."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from accounts.models import Membership, Organization
from clues.crypto import receipt_hash
from clues.models import Channel, Petition, PetitionAttachment, PetitionRead, Status
from clues.permissions import petitions_readable
from rounds.models import Inspection
from xuncha.tenancy import dangerously_unscoped


def _filtered(petitions: QuerySet[Petition], *, channel: str, status: str) -> QuerySet[Petition]:
    if channel in Channel.values:
        petitions = petitions.filter(channel=channel)
    if status in Status.values:
        petitions = petitions.filter(status=status)
    return petitions


def petition_list(
    *, inspection: Inspection, channel: str = "", status: str = ""
) -> QuerySet[Petition]:
    """The petitions an inspection received, newest first, with their attachment counts."""
    petitions = Petition.objects.for_org(inspection.organization).filter(inspection=inspection)
    return (
        _filtered(petitions, channel=channel, status=status)
        .select_related("unit", "received_by")
        .annotate(attachment_count=Count("attachments"))
    )


def petition_all(
    *, membership: Membership, channel: str = "", status: str = ""
) -> QuerySet[Petition]:
    """Every petition ``membership`` reads (the clue handlers': the tenant's), newest first."""
    return (
        _filtered(petitions_readable(membership), channel=channel, status=status)
        .select_related("unit", "received_by", "inspection__unit", "inspection__round")
        .annotate(attachment_count=Count("attachments"))
    )


def petition_get(*, membership: Membership, pk: int) -> Petition | None:
    """The petition, if ``membership`` reads it (None otherwise: the page says 404)."""
    return (
        petitions_readable(membership)
        .select_related("inspection__unit", "inspection__round", "unit", "received_by")
        .filter(pk=pk)
        .first()
    )


def petition_attachment_list(*, petition: Petition) -> QuerySet[PetitionAttachment]:
    return (
        PetitionAttachment.objects.for_org(petition.organization)
        .filter(petition=petition)
        .select_related("file")
    )


def petition_attachment_get(*, membership: Membership, pk: int) -> PetitionAttachment | None:
    return (
        PetitionAttachment.objects.for_org(membership.organization)
        .filter(pk=pk, petition__in=petitions_readable(membership))
        .select_related("file", "petition__inspection")
        .first()
    )


def petition_read_list(*, petition: Petition, limit: int = 20) -> list[PetitionRead]:
    """The latest reads of ``petition`` (the access log), newest first."""
    return list(
        PetitionRead.objects.for_org(petition.organization)
        .filter(petition=petition)
        .select_related("reader")[:limit]
    )


@dataclass(frozen=True)
class PublicStatus:
    """All the public status check tells the holder of a receipt code."""

    status: str
    received_on: datetime.date


def petition_public_status(*, code: str) -> PublicStatus | None:
    """The status of the petition whose receipt code is ``code``, None for any other code. The
    one cross-tenant read of the status page: the code names its petition alone."""
    hashed = receipt_hash(code)
    if hashed is None:
        return None
    with dangerously_unscoped():
        row = (
            Petition.objects.filter(receipt_hash=hashed, organization__is_active=True)
            .values_list("status", "received_on")
            .first()
        )
    return PublicStatus(status=row[0], received_on=row[1]) if row is not None else None


def petition_count(*, org: Organization, inspection: Inspection) -> int:
    return Petition.objects.for_org(org).filter(inspection=inspection).count()
