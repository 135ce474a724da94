"""Keeping an upload: checked, stored privately under a random name, recorded in one step —
or refused with nothing kept."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from django.core.files.uploadedfile import UploadedFile

from accounts.models import User
from files import services
from files.checks import NotAccepted, TooLarge
from files.models import StoredFile
from history.tracking import event_model
from tests.files import samples
from tests.files.conftest import stored_paths

OFFICE = "application/vnd.openxmlformats-officedocument"


@pytest.mark.parametrize(
    ("name", "data", "kind", "mime"),
    [
        ("巡察工作方案.pdf", samples.pdf(), "pdf", "application/pdf"),
        ("现场照片.png", samples.png(), "png", "image/png"),
        ("党委会议纪要.docx", samples.docx(), "docx", f"{OFFICE}.wordprocessingml.document"),
    ],
    ids=["pdf", "png", "docx"],
)
def test_an_upload_is_kept_with_its_row(org, office_user, private_root, name, data, kind, mime):
    stored = services.store_upload(org=org, actor=office_user, upload=samples.upload(name, data))

    row = StoredFile.objects.for_org(org).get()
    assert (row.pk, row.name, row.kind, row.mime, row.size) == (
        stored.pk,
        name,
        kind,
        mime,
        len(data),
    )
    assert (row.sha256, row.uploaded_by, row.organization) == (
        hashlib.sha256(data).hexdigest(),
        office_user,
        org,
    )
    assert (private_root / row.path).read_bytes() == data


def test_the_stored_name_is_random_not_the_senders(org, office_user, private_root):
    upload = samples.upload("../../etc/巡察工作方案.pdf", samples.pdf())

    stored = services.store_upload(org=org, actor=office_user, upload=upload)

    assert re.fullmatch(rf"{org.pk}/[0-9a-f]{{32}}\.pdf", stored.path)
    assert stored_paths(private_root) == [stored.path]
    assert stored.name == "巡察工作方案.pdf"


def test_two_uploads_of_one_name_are_two_files(org, office_user, private_root):
    first = services.store_upload(
        org=org, actor=office_user, upload=samples.upload("a.pdf", samples.pdf())
    )
    second = services.store_upload(
        org=org, actor=office_user, upload=samples.upload("a.pdf", samples.pdf())
    )

    assert first.path != second.path
    assert len(stored_paths(private_root)) == 2


BOMB = samples.zipped(
    {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (300 * 1024 * 1024)}
)


@pytest.mark.parametrize(
    ("name", "data", "refusal"),
    [
        ("通知.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", NotAccepted),
        ("会议纪要.docx", BOMB, TooLarge),
    ],
    ids=["html-named-pdf", "zip-bomb-docx"],
)
def test_a_forged_file_is_refused_and_nothing_kept(
    org, office_user, private_root, name, data, refusal
):
    with pytest.raises(refusal):
        services.store_upload(org=org, actor=office_user, upload=samples.upload(name, data))

    assert StoredFile.objects.for_org(org).count() == 0
    assert stored_paths(private_root) == []


class CountingFile(io.BytesIO):
    """Counts the bytes anything reads from it."""

    bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_an_upload_over_its_declared_size_is_refused_unread(org, office_user, private_root):
    body = CountingFile(samples.pdf() + b"0" * 2 * 1048576)
    upload = UploadedFile(body, name="大文件.pdf", size=len(body.getvalue()))

    with pytest.raises(TooLarge) as refusal:
        services.store_upload(org=org, actor=office_user, upload=upload, max_bytes=1048576)

    assert (refusal.value.message, body.bytes_read) == ("文件超过 1 MB。", 0)
    assert stored_paths(private_root) == []


def test_an_upload_of_unknown_size_is_read_only_past_the_limit(org, office_user, private_root):
    body = CountingFile(samples.pdf() + b"0" * 2 * 1048576)
    upload = UploadedFile(body, name="大文件.pdf", size=None)

    with pytest.raises(TooLarge):
        services.store_upload(org=org, actor=office_user, upload=upload, max_bytes=1048576)

    assert body.bytes_read == 1048576 + 1
    assert stored_paths(private_root) == []


def test_a_row_that_cannot_be_written_leaves_no_file(org, private_root):
    unsaved = User(username="nobody")

    with pytest.raises(ValueError, match="unsaved related object"):
        services.store_upload(org=org, actor=unsaved, upload=samples.upload("a.pdf", samples.pdf()))

    assert StoredFile.objects.for_org(org).count() == 0
    assert stored_paths(private_root) == []


def test_storing_records_an_insert_event_of_its_organization(org, office_user):
    stored = services.store_upload(
        org=org, actor=office_user, upload=samples.upload("方案.pdf", samples.pdf())
    )

    (event,) = event_model(StoredFile).objects.filter(pgh_obj_id=stored.pk)

    assert (event.pgh_label, event.name, event.organization_id) == ("insert", "方案.pdf", org.pk)
