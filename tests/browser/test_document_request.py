"""Issue 9's "Done when" for document requests, on the demo data in a browser: the liaison of
成都分公司 opens a request, a forged file is refused with a clear error and nothing is stored,
a real PDF delivers it; the team sees it delivered and downloads the file. Screenshots on a
desktop and a 390 px phone in artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD, seed_accounts
from accounts.models import Organization, User
from documents.demo import seed_documents
from documents.models import DeliveryFile, DocumentRequest
from files.models import FileDownload, StoredFile
from rounds.demo import seed_rounds
from tests.browser.conftest import SCREENSHOTS
from tests.files import samples
from xuncha.tenancy import org_scope

pytestmark = pytest.mark.browser

ITEM = "工程项目及招投标资料"  # still due in the demo


@pytest.fixture
def private_root(settings, tmp_path) -> Path:
    root = tmp_path / "private_media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


@pytest.fixture
def demo(private_root) -> Organization:
    seed_accounts()
    seed_rounds()
    seed_documents()
    return Organization.objects.get(code="sctelecom")


def _files(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file())


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"document_request_{name}.png", full_page=True)


def _counts(org: Organization) -> tuple[int, int]:
    with org_scope(org):
        return StoredFile.objects.for_org(org).count(), DeliveryFile.objects.for_org(org).count()


def test_the_liaison_answers_and_the_team_downloads(
    page, sign_in, live_server, demo, private_root, tmp_path
):
    org = demo
    stored_before, files_before = _counts(org)
    on_disk = _files(private_root)
    sign_in(User.objects.get(username="sc_liaison"), DEMO_PASSWORD)

    page.goto(f"{live_server.url}/liaison/")
    _shot(page, "liaison_portal")
    page.click(f"#liaison-waiting a:has-text('{ITEM}')")
    expect(page.locator("#request-title")).to_contain_text(ITEM)
    assert "重点核查" not in page.content()  # the team's notes

    forged = {"name": "招标文件.pdf", "mimeType": "application/pdf", "buffer": b"<html>x</html>"}
    page.set_input_files("#id_files", files=[forged])
    page.click("#deliver")
    expect(page.locator("#answer-form .invalid-feedback")).to_contain_text("招标文件.pdf")
    _shot(page, "forged_refused")
    assert _counts(org) == (stored_before, files_before)
    assert _files(private_root) == on_disk

    real = {"name": "招投标资料汇编.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()}
    page.set_input_files("#id_files", files=[real])
    page.fill("#id_note", "合同及结算资料另行提供。")
    page.click("#deliver")
    expect(page.locator("#request-title [data-status]")).to_have_attribute(
        "data-status", "delivered"
    )
    expect(page.locator("#deliveries")).to_contain_text("招投标资料汇编.pdf")
    _shot(page, "delivered")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "delivered_phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    with org_scope(org):
        record = DocumentRequest.objects.for_org(org).get(title=ITEM)
    assert (record.status, record.delivered_by.username) == ("delivered", "sc_liaison")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(User.objects.get(username="sc_team_leader"), DEMO_PASSWORD)
    page.goto(f"{live_server.url}/inspections/{record.inspection_id}/document-requests/")
    row = page.locator(f"tr[data-request='{record.pk}']")
    expect(row.locator("[data-status]")).to_have_attribute("data-status", "delivered")
    _shot(page, "team_list")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "team_list_phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    row.locator("a").first.click()
    with page.expect_download() as download:
        page.click("#deliveries a.delivered-file:has-text('招投标资料汇编.pdf')")
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == samples.pdf()
    _shot(page, "team_detail")
    with org_scope(org):
        assert (
            FileDownload.objects.for_org(org)
            .filter(downloaded_by__username="sc_team_leader")
            .count()
            == 1
        )
