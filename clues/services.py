"""Petitions (信访举报): the public's submission through the announcement's page, the team's
record of what came by phone, letter, visit, mailbox or e-mail, its status, and the log of
every read.

The public form is captcha-free but rate-limited, per visitor (a keyed hash of the address,
counted in the cache: the address is never stored) and per inspection; over a limit nothing
is stored (``RateLimited``). Photos are checked by their content before anything is kept: a
refused one leaves no row and no file. The submitter gets a receipt code, shown once and kept
only hashed (``clues.crypto``).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import DomainError
from accounts.models import Membership, Unit, User
from accounts.phones import check_phone
from clues.crypto import (
    Identity,
    decrypt_identity,
    encrypt_identity,
    new_receipt_code,
    receipt_hash,
)
from clues.models import Channel, Petition, PetitionAttachment, PetitionRead, Status
from clues.permissions import can_read_petitions, can_reveal_identity
from files.checks import IMAGES, MAX_BYTES, Kind, TooLarge, check_upload
from files.models import StoredFile
from files.services import private_storage, store_upload
from rounds.models import Inspection
from rounds.selectors.announcements import announcement_unit_list
from rounds.services.announcements import accepts_input
from rounds.services.closed import check_open, while_open

PUBLIC_KINDS = IMAGES  # photos from a phone
STAFF_KINDS = IMAGES | {Kind.PDF}  # and scanned letters
MAX_FILES = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_CONTENT = 10_000

# (count, seconds): per visitor and per inspection for submissions, per visitor for checks.
CLIENT_LIMIT = (5, 3600)
INSPECTION_LIMIT = (200, 3600)
STATUS_CHECK_LIMIT = (10, 600)

# What the holder of a receipt code reads about their petition.
PUBLIC_STATUS = {
    Status.RECEIVED: gettext_lazy("Received: the inspection team has registered it."),
    Status.UNDER_REVIEW: gettext_lazy("Under review: the inspection team is looking into it."),
    Status.HANDLED: gettext_lazy("Handled: the inspection team has dealt with it."),
}


class RateLimited(DomainError):
    """Too many submissions or checks in a while: refused, nothing stored (HTTP 429)."""


def _take(key: str, limit: tuple[int, int]) -> bool:
    """Count one more in the fixed window of ``limit`` (count, seconds) under ``key``; False
    once the count is over."""
    count, seconds = limit
    window = int(time.time() // seconds)
    full_key = f"clues:{key}:{window}"
    cache.add(full_key, 0, timeout=seconds)
    try:
        used = cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.set(full_key, 1, timeout=seconds)
        used = 1
    return used <= count


def _too_many() -> RateLimited:
    return RateLimited(
        _(
            "Too many petitions were sent from here in a short time. Please wait an hour and "
            "try again, or call the team's phone on the announcement."
        )
    )


def check_status_rate(*, client: str) -> None:
    """Count one status check of ``client``; refuse once there were too many."""
    if not _take(f"status:{client}", STATUS_CHECK_LIMIT):
        raise RateLimited(
            _("Too many receipt codes were checked from here. Please wait a few minutes.")
        )


# --- Checks ----------------------------------------------------------------------------------


def _checked_text(*, content: str, subject_persons: str) -> tuple[str, str]:
    content, subject_persons = content.strip(), subject_persons.strip()
    if not content:
        raise DomainError(_("Describe what you want to report."), field="content")
    if len(content) > MAX_CONTENT:
        raise DomainError(
            _("Keep the content under %(count)s characters.") % {"count": MAX_CONTENT},
            field="content",
        )
    if len(subject_persons) > 500:
        raise DomainError(_("Keep this under 500 characters."), field="subject_persons")
    return content, subject_persons


def _checked_identity(*, is_anonymous: bool, identity: Identity | None) -> str:
    """The ciphertext to store ("" for an anonymous petition)."""
    if is_anonymous:
        return ""
    if identity is None or not identity.name.strip():
        raise DomainError(_("Give your name, or send the petition anonymously."), field="name")
    cleaned = Identity(
        name=identity.name.strip()[:100],
        phone=check_phone(identity.phone),
        contact=identity.contact.strip()[:200],
        work_unit=identity.work_unit.strip()[:200],
    )
    return encrypt_identity(cleaned)


def _check_files(uploads: Sequence[UploadedFile], allowed: frozenset[Kind], max_bytes: int) -> None:
    """Every upload is what it must be, before any is kept (a refused one stores nothing)."""
    if len(uploads) > MAX_FILES:
        raise DomainError(
            _("Attach at most %(count)s files.") % {"count": MAX_FILES}, field="attachments"
        )
    for upload in uploads:
        if upload.size is not None and upload.size > max_bytes:
            raise TooLarge(
                _("The file is larger than %(size)s MB.") % {"size": f"{max_bytes / 1048576:g}"},
                field="attachments",
            )
        upload.seek(0)
        data = upload.read(max_bytes + 1)
        try:
            check_upload(name=upload.name or "", data=data, allowed=allowed, max_bytes=max_bytes)
        except DomainError as error:
            raise DomainError(
                f"{upload.name or _('file')}: {error.message}", field="attachments"
            ) from None


def _attach(
    *,
    petition: Petition,
    actor: User | None,
    uploads: Sequence[UploadedFile],
    allowed: frozenset[Kind],
    max_bytes: int,
) -> None:
    stored: list[StoredFile] = []
    try:
        for upload in uploads:
            stored.append(
                store_upload(
                    org=petition.organization,
                    actor=actor,
                    upload=upload,
                    allowed=allowed,
                    max_bytes=max_bytes,
                )
            )
        PetitionAttachment.objects.bulk_create(
            PetitionAttachment(organization=petition.organization, petition=petition, file=file)
            for file in stored
        )
    except BaseException:
        for file in stored:
            private_storage().delete(file.path)
        raise


def _check_unit(inspection: Inspection, unit: Unit) -> None:
    if not announcement_unit_list(inspection=inspection).filter(pk=unit.pk).exists():
        raise DomainError(_("Choose the inspected unit or one of its sub-units."), field="unit")


# --- The public's petition -------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    petition: Petition
    code: str  # shown once, never stored


@transaction.atomic
def submit_petition(
    *,
    inspection: Inspection,
    unit: Unit,
    client: str | None,
    is_anonymous: bool,
    identity: Identity | None = None,
    subject_persons: str = "",
    content: str,
    photos: Sequence[UploadedFile] = (),
) -> Receipt:
    """A petition from the public page: refused once the on-site work is over and over the
    rate limits of ``client`` (the visitor's keyed address; ``None`` counts nothing: the demo's
    seed, which is no visitor); its receipt code is returned once."""
    if not accepts_input(inspection):
        raise DomainError(
            _("The on-site work of this inspection has ended: it no longer accepts petitions.")
        )
    _check_unit(inspection, unit)
    content, subject_persons = _checked_text(content=content, subject_persons=subject_persons)
    sealed = _checked_identity(is_anonymous=is_anonymous, identity=identity)
    _check_files(photos, PUBLIC_KINDS, MAX_PHOTO_BYTES)
    if client is not None and (
        not _take(f"client:{client}", CLIENT_LIMIT)
        or not _take(f"inspection:{inspection.pk}", INSPECTION_LIMIT)
    ):
        raise _too_many()
    code = new_receipt_code()
    petition = Petition.objects.create(
        organization=inspection.organization,
        inspection=inspection,
        unit=unit,
        channel=Channel.ONLINE,
        is_anonymous=is_anonymous,
        identity=sealed,
        subject_persons=subject_persons,
        content=content,
        received_on=timezone.localdate(),
        receipt_hash=receipt_hash(code),
    )
    _attach(
        petition=petition,
        actor=None,
        uploads=photos,
        allowed=PUBLIC_KINDS,
        max_bytes=MAX_PHOTO_BYTES,
    )
    return Receipt(petition=petition, code=code)


# --- The team's records ----------------------------------------------------------------------


def _check_reader(membership: Membership, inspection: Inspection) -> None:
    if not can_read_petitions(membership, inspection):
        raise DomainError(_("Only the inspection's team and the clue handlers handle petitions."))


@transaction.atomic
@while_open
def record_petition(
    *,
    inspection: Inspection,
    actor: User,
    membership: Membership,
    channel: str,
    received_on: datetime.date,
    unit: Unit | None = None,
    is_anonymous: bool = True,
    identity: Identity | None = None,
    subject_persons: str = "",
    content: str,
    attachments: Sequence[UploadedFile] = (),
) -> Petition:
    """A petition the team received by phone, letter, visit, mailbox or e-mail."""
    _check_reader(membership, inspection)
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise DomainError(_("Choose how the petition was received."), field="channel")
    if received_on > timezone.localdate():
        raise DomainError(_("The day received cannot be in the future."), field="received_on")
    unit = unit or inspection.unit
    _check_unit(inspection, unit)
    content, subject_persons = _checked_text(content=content, subject_persons=subject_persons)
    sealed = _checked_identity(is_anonymous=is_anonymous, identity=identity)
    _check_files(attachments, STAFF_KINDS, MAX_BYTES)
    petition = Petition.objects.create(
        organization=inspection.organization,
        inspection=inspection,
        unit=unit,
        channel=channel,
        is_anonymous=is_anonymous,
        identity=sealed,
        subject_persons=subject_persons,
        content=content,
        received_on=received_on,
        received_by=actor,
    )
    _attach(
        petition=petition,
        actor=actor,
        uploads=attachments,
        allowed=STAFF_KINDS,
        max_bytes=MAX_BYTES,
    )
    return petition


@transaction.atomic
def change_petition_status(
    *, petition: Petition, actor: User, membership: Membership, status: str
) -> Petition:
    """Move the petition's coarse status (the clue ledger refines it later)."""
    check_open(petition.inspection)
    locked = Petition.objects.for_org(petition.organization).select_for_update().get(pk=petition.pk)
    _check_reader(membership, petition.inspection)
    if status not in Status.values:
        raise DomainError(_("Choose a status."), field="status")
    if locked.status != status:
        locked.status = status
        locked.save(update_fields=["status"])
    petition.status = locked.status
    return petition


def log_petition_read(
    *, petition: Petition, reader: User, what: str, via_api: bool = False
) -> PetitionRead:
    """Write down that ``reader`` read ``what`` of ``petition`` (its details, its reporter's
    identity or an attachment)."""
    return PetitionRead.objects.create(
        organization_id=petition.organization_id,
        petition=petition,
        reader=reader,
        what=PetitionRead.What(what),
        via_api=via_api,
    )


def reveal_identity(*, petition: Petition, actor: User, membership: Membership) -> Identity | None:
    """The reporter's identity, decrypted for ``actor`` (the clue handlers, the team's leader
    and deputies), the reveal logged; None for an anonymous petition."""
    if not can_reveal_identity(membership, petition.inspection):
        raise DomainError(
            _("Only the team leader and the clue handlers may see who sent a petition.")
        )
    if petition.is_anonymous:
        return None
    log_petition_read(petition=petition, reader=actor, what=PetitionRead.What.IDENTITY)
    return decrypt_identity(petition.identity)
