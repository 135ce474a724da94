"""A kept file leaves only as an attachment nothing can run, and every download is logged."""

from __future__ import annotations

import pytest

from files import services
from files.models import FileDownload
from history.tracking import event_model
from tests.files import samples

PDF = samples.pdf()


@pytest.fixture
def stored(org, office_user):
    return services.store_upload(
        org=org, actor=office_user, upload=samples.upload("巡察报告 终稿.pdf", PDF)
    )


def test_a_file_is_served_as_an_attachment_that_cannot_run(stored, leadership_user):
    response = services.attachment_response(file=stored, actor=leadership_user)

    assert {name: response[name] for name in response.headers if name != "Content-Length"} == {
        "Content-Type": "application/pdf",
        "Content-Disposition": (
            "attachment; filename*=utf-8''"
            "%E5%B7%A1%E5%AF%9F%E6%8A%A5%E5%91%8A%20%E7%BB%88%E7%A8%BF.pdf"
        ),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "private, no-store",
    }
    assert b"".join(response.streaming_content) == PDF


def test_an_ascii_name_is_sent_quoted(org, office_user):
    stored = services.store_upload(
        org=org, actor=office_user, upload=samples.upload("report.png", samples.png())
    )

    response = services.attachment_response(file=stored, actor=office_user)

    assert (response["Content-Disposition"], response["Content-Type"]) == (
        'attachment; filename="report.png"',
        "image/png",
    )


def test_a_download_is_logged_with_who_downloaded_it(org, stored, leadership_user):
    services.attachment_response(file=stored, actor=leadership_user)

    download = FileDownload.objects.for_org(org).get()
    assert (download.file, download.downloaded_by, download.organization) == (
        stored,
        leadership_user,
        org,
    )


def test_every_download_is_logged(org, stored, leadership_user, office_user):
    services.attachment_response(file=stored, actor=leadership_user)
    services.attachment_response(file=stored, actor=office_user)
    services.attachment_response(file=stored, actor=leadership_user)

    downloads = FileDownload.objects.for_org(org).order_by("pk")
    assert [d.downloaded_by.username for d in downloads] == ["leader", "office", "leader"]


def test_a_download_records_an_insert_event(org, stored, leadership_user):
    services.record_download(file=stored, actor=leadership_user)

    (event,) = event_model(FileDownload).objects.filter(file_id=stored.pk)

    assert (event.pgh_label, event.downloaded_by_id, event.organization_id) == (
        "insert",
        leadership_user.pk,
        org.pk,
    )
