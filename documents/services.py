"""Document requests (调阅): the team asks the inspected unit for documents, the unit's
liaison answers with files, the team gives the originals back.

- ``request_documents``: one request per item picked from the tenant's checklist of usual
  documents (``UsualDocument``) and per free item, all to one unit with one due date.
- ``update_document_request`` / ``withdraw_document_request`` (not once delivered).
- ``answer_document_request``: the liaison's answer — one or more files and a note. Every file
  goes through ``files.services.store_upload`` (checked by its content); a refused file
  (a forged PDF, a zip posing as a DOCX, a zip bomb) refuses the whole answer and leaves
  nothing behind: no row, and no bytes of the files stored before it in the same answer.
  The first answer marks the request delivered.
- ``mark_returned``: the team gave the originals back.

Work on a closed inspection is refused (``rounds.services.closed``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import Organization, Unit, User
from accounts.selectors import membership_get
from documents.models import DeliveryFile, DocumentDelivery, DocumentRequest, UsualDocument
from documents.selectors import document_request_liaison_list, unit_request_choices
from files.models import StoredFile
from files.services import private_storage, store_upload
from rounds.models import Inspection
from rounds.services.closed import check_open, while_open

MAX_FILES = 10  # per answer
MAX_ITEMS = 50  # requests made at once

DEFAULT_ITEMS: list[tuple[str, str]] = [
    (
        "党委会、“三重一大”决策会议纪要",
        "近三年党委会、总经理办公会等“三重一大”事项决策会议纪要及议题材料。",
    ),
    ("财务凭证及账簿", "近三年会计凭证、总账及明细账，重大资金支付审批材料。"),
    ("选人用人档案", "干部选拔任用工作纪实材料、动议及考察材料、个人有关事项报告。"),
    ("工程项目及招投标资料", "工程建设项目立项、招投标、合同及结算资料。"),
    ("审计及上轮巡察整改报告", "近三年内外部审计报告及上一轮巡察反馈问题整改报告。"),
    ("内控制度文件", "现行内部管理制度、议事规则及授权审批制度汇编。"),
    ("公务用车及接待台账", "公务用车使用登记、公务接待审批单及台账。"),
]


# --- The checklist of usual documents --------------------------------------------------------


@transaction.atomic
def ensure_default_items(*, org: Organization) -> list[UsualDocument]:
    """The tenant's checklist; the default items when it has none yet (idempotent)."""
    items = list(UsualDocument.objects.for_org(org).order_by("position", "pk"))
    if items:
        return items
    return UsualDocument.objects.bulk_create(
        UsualDocument(organization=org, name=name, description=text, position=index)
        for index, (name, text) in enumerate(DEFAULT_ITEMS, start=1)
    )


def _check_name(org: Organization, name: str, item: UsualDocument | None = None) -> str:
    name = name.strip()
    if not name:
        raise DomainError(_("Enter the document's name."), field="name")
    others = UsualDocument.objects.for_org(org).filter(name=name)
    if item is not None:
        others = others.exclude(pk=item.pk)
    if others.exists():
        raise DomainError(_("The checklist already has “%(name)s”.") % {"name": name}, field="name")
    return name


@transaction.atomic
def add_usual_document(
    *, org: Organization, actor: User, name: str, description: str = ""
) -> UsualDocument:
    name = _check_name(org, name)
    last = (
        UsualDocument.objects.for_org(org).order_by("-position").values_list("position", flat=True)
    )
    return UsualDocument.objects.create(
        organization=org,
        name=name,
        description=description.strip(),
        position=(last.first() or 0) + 1,
    )


@transaction.atomic
def update_usual_document(
    *, item: UsualDocument, actor: User, name: str, description: str, is_active: bool
) -> UsualDocument:
    locked = UsualDocument.objects.for_org(item.organization).select_for_update().get(pk=item.pk)
    values = {
        "name": _check_name(item.organization, name, locked),
        "description": description.strip(),
        "is_active": is_active,
    }
    changed = [key for key, value in values.items() if getattr(locked, key) != value]
    for key in changed:
        setattr(locked, key, values[key])
    if changed:
        locked.save(update_fields=changed)
    return locked


# --- Requests --------------------------------------------------------------------------------


def _check_unit(inspection: Inspection, unit: Unit) -> None:
    if not unit_request_choices(inspection=inspection).filter(pk=unit.pk).exists():
        raise DomainError(
            _("Address the request to %(unit)s or one of its sub-units.")
            % {"unit": inspection.unit},
            field="unit",
        )


def _check_due(due_on: datetime.date, requested_on: datetime.date) -> None:
    if due_on < requested_on:
        raise DomainError(_("The due date cannot be before the request."), field="due_on")


def _locked(document_request: DocumentRequest) -> DocumentRequest:
    org = document_request.organization
    return (
        DocumentRequest.objects.for_org(org)
        .select_for_update(of=("self",))
        .select_related("inspection", "unit")
        .get(pk=document_request.pk)
    )


@transaction.atomic
@while_open
def request_documents(
    *,
    inspection: Inspection,
    actor: User,
    unit: Unit,
    due_on: datetime.date,
    usual_items: Sequence[UsualDocument] = (),
    free_items: Sequence[str] = (),
    description: str = "",
    team_notes: str = "",
) -> list[DocumentRequest]:
    """One request per usual item and per free item (a title), all to ``unit`` by ``due_on``."""
    org = inspection.organization
    _check_unit(inspection, unit)
    today = timezone.localdate()
    _check_due(due_on, today)
    usual = [item for item in usual_items if item.organization_id == org.pk]
    titles: list[tuple[str, str, UsualDocument | None]] = [
        (item.name, item.description, item) for item in usual
    ]
    seen = {title for title, _text, _item in titles}
    for raw in free_items:
        title = raw.strip()
        if title and title not in seen:
            seen.add(title)
            titles.append((title[:200], "", None))
    if not titles:
        raise DomainError(_("Pick at least one document or name one."), field="usual_items")
    if len(titles) > MAX_ITEMS:
        raise DomainError(
            _("Request at most %(count)s documents at once.") % {"count": MAX_ITEMS},
            field="free_items",
        )
    extra = description.strip()
    return DocumentRequest.objects.bulk_create(
        DocumentRequest(
            organization=org,
            inspection=inspection,
            unit=unit,
            title=title,
            description="\n".join(part for part in (text, extra) if part),
            from_usual=item,
            requested_by=actor,
            requested_on=today,
            due_on=due_on,
            team_notes=team_notes.strip(),
        )
        for title, text, item in titles
    )


@transaction.atomic
def update_document_request(
    *,
    document_request: DocumentRequest,
    actor: User,
    title: str,
    description: str,
    unit: Unit,
    due_on: datetime.date,
    team_notes: str,
) -> DocumentRequest:
    check_open(document_request.inspection)
    locked = _locked(document_request)
    if locked.status in {DocumentRequest.Status.WITHDRAWN, DocumentRequest.Status.RETURNED}:
        raise DomainError(_("A withdrawn or returned request cannot be changed."))
    title = title.strip()
    if not title:
        raise DomainError(_("Name the document requested."), field="title")
    if unit.pk != locked.unit_id:
        if locked.status != DocumentRequest.Status.REQUESTED:
            raise DomainError(_("A delivered request stays with its unit."), field="unit")
        _check_unit(locked.inspection, unit)
    _check_due(due_on, locked.requested_on)
    values = {
        "title": title[:200],
        "description": description.strip(),
        "unit_id": unit.pk,
        "due_on": due_on,
        "team_notes": team_notes.strip(),
    }
    changed = [key for key, value in values.items() if getattr(locked, key) != value]
    for key in changed:
        setattr(locked, key, values[key])
    if changed:
        locked.save(update_fields=[key.removesuffix("_id") for key in changed])
    return locked


@transaction.atomic
def withdraw_document_request(
    *, document_request: DocumentRequest, actor: User, reason: str
) -> DocumentRequest:
    """The team no longer needs it: only while nothing was delivered."""
    check_open(document_request.inspection)
    locked = _locked(document_request)
    if locked.status != DocumentRequest.Status.REQUESTED:
        raise DomainError(_("Only a request not yet delivered can be withdrawn."))
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for withdrawing the request."), field="reason")
    locked.status, locked.withdrawn_reason = DocumentRequest.Status.WITHDRAWN, reason
    locked.save(update_fields=["status", "withdrawn_reason"])
    return locked


@transaction.atomic
def mark_returned(*, document_request: DocumentRequest, actor: User) -> DocumentRequest:
    """The team gave the delivered originals back to the unit."""
    check_open(document_request.inspection)
    locked = _locked(document_request)
    if locked.status != DocumentRequest.Status.DELIVERED:
        raise DomainError(_("Only a delivered request can be marked returned."))
    locked.status, locked.returned_at, locked.returned_by = (
        DocumentRequest.Status.RETURNED,
        timezone.now(),
        actor,
    )
    locked.save(update_fields=["status", "returned_at", "returned_by"])
    return locked


# --- The liaison's answer --------------------------------------------------------------------


def _check_liaison(document_request: DocumentRequest, actor: User) -> None:
    membership = membership_get(org=document_request.organization, user=actor)
    if (
        membership is None
        or not document_request_liaison_list(membership=membership)
        .filter(pk=document_request.pk)
        .exists()
    ):
        raise DomainError(_("Only a liaison of the unit may answer this request."))


def _store_all(org: Organization, actor: User, uploads: Sequence[UploadedFile]) -> list[StoredFile]:
    """Every upload checked and stored, or none: a refused one removes those stored before it."""
    stored: list[StoredFile] = []
    upload_name = ""
    try:
        for upload in uploads:
            upload_name = upload.name or ""
            stored.append(store_upload(org=org, actor=actor, upload=upload))
    except BaseException as error:
        storage = private_storage()
        for row in stored:
            storage.delete(row.path)
        if isinstance(error, DomainError):  # said on the form's field, naming the file
            message = _("%(name)s: %(reason)s") % {"name": upload_name, "reason": error.message}
            raise type(error)(message, field="files") from error
        raise
    return stored


@transaction.atomic
def answer_document_request(
    *,
    document_request: DocumentRequest,
    actor: User,
    uploads: Sequence[UploadedFile],
    note: str = "",
) -> DocumentDelivery:
    """The liaison delivers ``uploads`` with ``note``; the first answer marks it delivered."""
    check_open(document_request.inspection)
    _check_liaison(document_request, actor)
    locked = _locked(document_request)
    if not locked.is_open:
        raise DomainError(_("This request is closed: it was withdrawn or returned."))
    if not uploads:
        raise DomainError(_("Attach at least one file."), field="files")
    if len(uploads) > MAX_FILES:
        raise DomainError(
            _("Attach at most %(count)s files at once.") % {"count": MAX_FILES}, field="files"
        )
    org = locked.organization
    stored = _store_all(org, actor, uploads)
    try:
        now = timezone.now()
        delivery = DocumentDelivery.objects.create(
            organization=org,
            request=locked,
            note=note.strip(),
            delivered_by=actor,
            delivered_at=now,
        )
        DeliveryFile.objects.bulk_create(
            DeliveryFile(organization=org, delivery=delivery, file=row) for row in stored
        )
        if locked.status == DocumentRequest.Status.REQUESTED:
            locked.status, locked.delivered_at, locked.delivered_by = (
                DocumentRequest.Status.DELIVERED,
                now,
                actor,
            )
            locked.save(update_fields=["status", "delivered_at", "delivered_by"])
    except BaseException:
        storage = private_storage()
        for row in stored:
            storage.delete(row.path)
        raise
    return delivery
