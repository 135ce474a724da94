"""Safe file handling, once for every upload (evidence, document deliveries, petition photos,
imports): what a file *is* comes from its content, never its name or the browser's claim.

``check_upload(name=…, data=…, allowed=…)`` returns a ``CheckedFile`` — its kind, MIME type and
a sanitized file name with the kind's own extension — or raises ``DomainError`` with a message
for the person who sent it:

- the size limit is checked first (the request itself was already refused above
  ``MAX_UPLOAD_SIZE`` before it was read: ``xuncha.request_guards``);
- the kind is sniffed from the bytes (``filetype``) and must be one the caller allows;
- an Office file (DOCX, XLSX, PPTX) must be a real OOXML package: a zip that opens, holds
  ``[Content_Types].xml`` and the part of its kind, no member path leaving the package, and
  unpacks to a bounded size, member count and compression ratio (a zip bomb is refused unread);
- the name loses any path, control and reserved characters, keeps Chinese, and is cut to a
  length every file system takes.

Storing, serving as an attachment and logging downloads build on this (document requests).
The app imports nothing of the domain apps: every one of them may use it.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath, PureWindowsPath

import filetype  # type: ignore[import-untyped]
from django.utils.translation import gettext as _

from xuncha.tenancy.errors import DomainError


class Kind(StrEnum):
    PDF = "pdf"
    JPEG = "jpg"
    PNG = "png"
    DOCX = "docx"
    XLSX = "xlsx"
    PPTX = "pptx"


MIME = {
    Kind.PDF: "application/pdf",
    Kind.JPEG: "image/jpeg",
    Kind.PNG: "image/png",
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Kind.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# The part an OOXML package of each kind must hold.
OOXML_PART = {Kind.DOCX: "word/", Kind.XLSX: "xl/", Kind.PPTX: "ppt/"}
DOCUMENTS = frozenset({Kind.PDF, Kind.DOCX, Kind.XLSX, Kind.PPTX, Kind.JPEG, Kind.PNG})
IMAGES = frozenset({Kind.JPEG, Kind.PNG})

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_RATIO = 100  # unpacked / packed, for the package and each member
MAX_NAME_LENGTH = 120
_RESERVED = set('<>:"/\\|?*')


class NotAccepted(DomainError):
    """The file is not one of the kinds asked for, or not a valid file of its kind."""


class TooLarge(DomainError):
    """The file is over the size limit, or unpacks to far more than its size."""


@dataclass(frozen=True)
class CheckedFile:
    kind: Kind
    mime: str
    name: str
    size: int


def _label(allowed: frozenset[Kind]) -> str:
    return "、".join(kind.value.upper() for kind in Kind if kind in allowed)


def sniff(data: bytes) -> Kind | None:
    """The kind the bytes are, among ours; None for anything else."""
    guess = filetype.guess(data[:8192])
    extension = guess.extension if guess is not None else None
    if extension == "jpeg":
        extension = "jpg"
    if extension == "zip" or (extension is None and data.startswith(b"PK\x03\x04")):
        return _ooxml_kind(data)
    try:
        return Kind(extension) if extension else None
    except ValueError:
        return None


def _ooxml_kind(data: bytes) -> Kind | None:
    """A zip is an Office file only by its parts (filetype reads the first member's name)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return None
    return next(
        (k for k, part in OOXML_PART.items() if any(n.startswith(part) for n in names)), None
    )


def check_package(data: bytes, kind: Kind) -> None:
    """An OOXML file is a real package of its kind that unpacks within bounds."""
    not_kind = NotAccepted(
        _("The file is not a valid %(kind)s file.") % {"kind": kind.value.upper()}
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise not_kind from None
    names = [entry.filename for entry in entries]
    if "[Content_Types].xml" not in names or not any(
        name.startswith(OOXML_PART[kind]) for name in names
    ):
        raise not_kind
    if any(name.startswith("/") or ".." in PurePosixPath(name).parts for name in names):
        raise not_kind
    unpacked = sum(entry.file_size for entry in entries)
    too_big = TooLarge(_("The file unpacks to far more than its size; it was not accepted."))
    if len(entries) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
        raise too_big
    if unpacked > MAX_RATIO * max(len(data), 1) or any(
        entry.file_size > MAX_RATIO * max(entry.compress_size, 1) and entry.file_size > 1 << 20
        for entry in entries
    ):
        raise too_big


def safe_name(name: str, kind: Kind) -> str:
    """The sent name without any path, control or reserved character, with ``kind``'s
    extension, at most ``MAX_NAME_LENGTH`` characters; "file" when nothing is left."""
    base = PureWindowsPath(PurePosixPath(name).name).name  # both kinds of separators
    base = unicodedata.normalize("NFC", base)
    kept = "".join(
        char
        for char in base
        if char not in _RESERVED and not unicodedata.category(char).startswith("C")
    )
    stem = kept.rsplit(".", 1)[0] if "." in kept else kept
    stem = stem.strip(" .") or _("file")
    return f"{stem[: MAX_NAME_LENGTH - len(kind.value) - 1]}.{kind.value}"


def check_upload(
    *, name: str, data: bytes, allowed: frozenset[Kind] = DOCUMENTS, max_bytes: int = MAX_BYTES
) -> CheckedFile:
    """What the file is, by its content, or a refusal naming what may be sent."""
    if len(data) > max_bytes:
        raise TooLarge(
            _("The file is larger than %(size)s MB.") % {"size": f"{max_bytes / 1048576:g}"}
        )
    if not data:
        raise NotAccepted(_("The file is empty."))
    kind = sniff(data)
    if kind is None or kind not in allowed:
        raise NotAccepted(
            _("Only these kinds of file are accepted: %(kinds)s.") % {"kinds": _label(allowed)}
        )
    if kind in OOXML_PART:
        check_package(data, kind)
    return CheckedFile(kind=kind, mime=MIME[kind], name=safe_name(name, kind), size=len(data))
