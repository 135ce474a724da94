"""The shared upload checks: a file is what its content says, Office files are real packages
within bounds, names are made safe, and each refusal says what may be sent."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from files.checks import (
    DOCUMENTS,
    IMAGES,
    Kind,
    NotAccepted,
    TooLarge,
    check_upload,
    safe_name,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


OFFICE = "application/vnd.openxmlformats-officedocument"
DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


@pytest.mark.parametrize(
    ("data", "kind", "mime"),
    [
        (PDF, Kind.PDF, "application/pdf"),
        (PNG, Kind.PNG, "image/png"),
        (JPEG, Kind.JPEG, "image/jpeg"),
        (
            DOCX,
            Kind.DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (_xlsx(), Kind.XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
    ids=["pdf", "png", "jpeg", "docx", "xlsx"],
)
def test_a_file_is_what_its_content_says(data, kind, mime):
    checked = check_upload(name="证据材料", data=data)

    assert (checked.kind, checked.mime, checked.size) == (kind, mime, len(data))
    assert checked.name == f"证据材料.{kind.value}"


def test_a_name_does_not_make_a_file_what_it_claims():
    html = b"<html><script>alert(1)</script></html>"

    with pytest.raises(NotAccepted) as refusal:
        check_upload(name="会议纪要.pdf", data=html)

    assert refusal.value.message == "只接受以下类型的文件：PDF、JPG、PNG、DOCX、XLSX、PPTX。"


def test_the_extension_follows_the_content():
    assert check_upload(name="照片.pdf", data=PNG).name == "照片.png"


def test_a_forged_office_file_says_so():
    with pytest.raises(NotAccepted) as refusal:
        check_upload(name="会议纪要.docx", data=_zip({"[Content_Types].xml": b"<Types/>"}))

    assert refusal.value.message == "只接受以下类型的文件：PDF、JPG、PNG、DOCX、XLSX、PPTX。"


def test_a_kind_the_caller_does_not_allow_is_refused():
    with pytest.raises(NotAccepted):
        check_upload(name="a.pdf", data=PDF, allowed=IMAGES)


@pytest.mark.parametrize(
    "data",
    [
        _zip({"[Content_Types].xml": b"<Types/>", "word/../../etc/passwd": b"x"}),
        _zip({"word/document.xml": b"<w:document/>"}),  # no content types
        b"PK\x03\x04" + b"\x00" * 60,  # a zip header and nothing that opens
        _zip({"evil.exe": b"MZ" + b"\x00" * 100}),  # a zip, but not an Office package
    ],
    ids=["member-leaving-the-package", "no-content-types", "broken-zip", "plain-zip"],
)
def test_a_forged_office_file_is_refused(data):
    with pytest.raises(NotAccepted):
        check_upload(name="会议纪要.docx", data=data)


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = _zip(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (300 * 1024 * 1024)}
    )

    with pytest.raises(TooLarge) as refusal:
        check_upload(name="bomb.docx", data=bomb)

    assert len(bomb) < 1024 * 1024
    assert refusal.value.message == "文件解压后远大于其本身，未予接收。"


def test_a_file_over_the_limit_is_refused_unread():
    with pytest.raises(TooLarge) as refusal:
        check_upload(name="a.pdf", data=PDF + b"0" * 1048576, max_bytes=1048576)

    assert refusal.value.message == "文件超过 1 MB。"


def test_an_empty_file_is_refused():
    with pytest.raises(NotAccepted):
        check_upload(name="a.pdf", data=b"")


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\张三\\桌面\\情况说明.pdf", "情况说明.pdf"),
        ("报告\x00<script>.pdf", "报告script.pdf"),
        ("  ...  ", "文件.pdf"),
        ("巡察" * 100 + ".pdf", "巡察" * 58 + ".pdf"),
        ("a\u202egpj.exe", "agpj.pdf"),  # a right-to-left override hides the real extension
    ],
    ids=["path", "windows-path", "nul-and-markup", "nothing-left", "too-long", "rtl-override"],
)
def test_a_name_is_made_safe(sent, kept):
    assert safe_name(sent, Kind.PDF) == kept


def test_documents_allow_the_usual_office_files():
    assert {Kind.PDF, Kind.DOCX, Kind.XLSX, Kind.PPTX} <= DOCUMENTS
