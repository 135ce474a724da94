"""Keeping an upload and handing it out: checked once, stored privately, every download logged.

``store_upload`` reads at most ``max_bytes + 1`` bytes of the upload (a larger one is refused
without being read whole), checks it (``files.checks``), saves it under a random name in the
``private`` storage and records it; if the row cannot be written, the saved bytes are removed.
``attachment_response`` serves a file the caller has already allowed ``actor`` to read: views
that serve files belong to the app owning the record the file is attached to, and check their
permission on that record first (there is no generic download address).
"""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _

from files.checks import DOCUMENTS, MAX_BYTES, Kind, TooLarge, check_upload
from files.models import FileDownload, StoredFile
from xuncha.tenancy import check_org

if TYPE_CHECKING:
    from accounts.models import Organization, User

# Nothing a browser may run or render from a downloaded file, and nothing kept in caches.
ATTACHMENT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cache-Control": "private, no-store",
}


def private_storage() -> Storage:
    return storages["private"]


def _read_bounded(upload: UploadedFile, max_bytes: int) -> bytes:
    """The upload's bytes, never more than ``max_bytes + 1`` of them read."""
    too_large = TooLarge(
        _("The file is larger than %(size)s MB.") % {"size": f"{max_bytes / 1048576:g}"}
    )
    if upload.size is not None and upload.size > max_bytes:
        raise too_large
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    return data


def store_upload(
    *,
    org: Organization,
    actor: User | None,
    upload: UploadedFile,
    allowed: frozenset[Kind] = DOCUMENTS,
    max_bytes: int = MAX_BYTES,
) -> StoredFile:
    """The checked upload, kept; raises ``NotAccepted`` / ``TooLarge`` with nothing stored."""
    check_org(org)
    data = _read_bounded(upload, max_bytes)
    checked = check_upload(name=upload.name or "", data=data, allowed=allowed, max_bytes=max_bytes)
    storage = private_storage()
    path = storage.save(f"{org.pk}/{uuid.uuid4().hex}.{checked.kind.value}", ContentFile(data))
    try:
        with transaction.atomic():
            return StoredFile.objects.create(
                organization=org,
                name=checked.name,
                kind=checked.kind.value,
                mime=checked.mime,
                size=checked.size,
                sha256=hashlib.sha256(data).hexdigest(),
                path=path,
                uploaded_by=actor,
            )
    except BaseException:
        storage.delete(path)
        raise


def record_download(*, file: StoredFile, actor: User | None) -> FileDownload:
    return FileDownload.objects.create(
        organization_id=file.organization_id, file=file, downloaded_by=actor
    )


def attachment_response(*, file: StoredFile, actor: User | None) -> FileResponse:
    """``file`` as a download, logged; the caller has checked that ``actor`` may read it."""
    record_download(file=file, actor=actor)
    response = FileResponse(
        private_storage().open(file.path, "rb"),
        as_attachment=True,
        filename=file.name,
        content_type=file.mime,
    )
    for header, value in ATTACHMENT_HEADERS.items():
        response[header] = value
    return response
