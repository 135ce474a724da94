"""Issue 9's "Done when", on the demo data, in one browser session after another:

the announcement is published and its QR codes printed; five anonymous responses come in on a
phone (three by one-time code, two by the open link) and show in the aggregated results; an
interview with two interviewers ticks an item of 四必谈; the liaison answers a document request
with a file while a forged file is refused and nothing is stored; a petition from the public
page returns a receipt code — and the liaison gets 404 on every interview, petition and
survey-answer page. Screenshots in artifacts/screenshots/onsite_*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD, seed_accounts
from accounts.models import Organization, Unit, User
from clues.demo import seed_petitions
from clues.models import Petition
from documents.demo import seed_documents
from documents.models import DeliveryFile, DocumentRequest
from files.models import StoredFile
from interviews.demo import seed_interviews
from interviews.models import ChecklistItem, Interview
from rounds.demo import seed_rounds
from rounds.models import Announcement, Inspection
from surveys.demo import seed_surveys
from surveys.models import Response, ResponseCode, Survey
from tests.browser.conftest import SCREENSHOTS
from tests.files import samples
from xuncha.tenancy import org_scope

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SECTIONS = ["surveys", "interviews", "checklists", "documents", "petitions"]


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
    seed_surveys()
    seed_interviews()
    seed_documents()
    seed_petitions()
    return Organization.objects.get(code="sctelecom")


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"onsite_{name}.png", full_page=True)


def _as(page: Page, sign_in, username: str) -> Page:
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    return sign_in(User.objects.get(username=username), DEMO_PASSWORD)


def _inspection(org: Organization, code: str) -> Inspection:
    return Inspection.objects.for_org(org).select_related("unit").get(unit__code=code)


def _publish_and_print(page: Page, base: str, mianyang: Inspection, units: int) -> None:
    page.goto(f"{base}{reverse('rounds:announcement_edit', args=[mianyang.pk])}")
    expect(page.locator("#unpublished")).to_be_visible()
    with page.expect_navigation():
        page.click("#publish")
    with page.expect_navigation():
        page.click("#confirmation button[type=submit]")  # the shared confirmation step
    expect(page.locator("#published")).to_be_visible()
    with page.expect_navigation():
        page.click("#print-link")
    sheet = page.locator("#qr-sheet .qr-unit")
    assert sheet.count() == units
    assert sheet.first.locator("figure.qr-code svg").count() == 2  # 测评码 and 信访举报码
    _shot(page, "qr_sheet")


def _answer(page: Page, grade: str) -> None:
    page.click(f"#question-1 label:text-is('{grade}')")
    for row in page.locator(".survey-grid-row").all():
        row.locator(f"label:text-is('{grade}')").click()
    with page.expect_navigation():
        page.click("#submit-answers")
    assert "答卷已提交" in page.locator("#thanks").inner_text()


def _five_responses(page: Page, base: str, survey: Survey, codes: list, token: str, unit) -> None:
    page.set_viewport_size(PHONE)
    for code, grade in zip(codes, ("好", "较好", "好"), strict=True):
        page.context.clear_cookies()
        page.goto(f"{base}{reverse('surveys:survey_code')}")
        page.fill("#code", code)
        with page.expect_navigation():
            page.click("#code-submit")
        _answer(page, grade)
    for grade in ("好", "一般"):
        page.context.clear_cookies()  # another phone
        page.goto(f"{base}/a/{token}/?unit={unit.pk}&for=survey")
        with page.expect_navigation():
            page.click("#form-survey")
        with page.expect_navigation():
            page.click(f"#open-surveys a:text-is('{survey.title}')")
        _answer(page, grade)
    _shot(page, "survey_answered_phone")


def _record_interview(page: Page, base: str, chengdu: Inspection, item: ChecklistItem) -> None:
    page.goto(f"{base}{reverse('interviews:interview_create', args=[chengdu.pk])}")
    page.fill("#id_interviewee_name", "李华")
    page.fill("#id_interviewee_position", "党委副书记、纪委书记")
    page.select_option("#id_category", "leadership")
    page.select_option("#id_method", "in_person")
    page.fill("#id_held_at", "2026-04-10T10:00")
    page.fill("#id_place", "成都分公司巡察组谈话室")
    for name in ("赵志强", "陈静"):
        page.get_by_label(name, exact=True).check()
    page.get_by_label(f"四必谈 · {item.text}", exact=True).check()
    page.fill("#id_notes", "谈及监督责任落实和信访件办理情况。")
    with page.expect_navigation():
        page.click("#save-interview")
    page.goto(f"{base}{reverse('interviews:checklist', args=[chengdu.pk])}")
    row = page.locator(f"#item-{item.pk}")
    assert "is-done" in (row.get_attribute("class") or "")
    assert "李华" in row.inner_text()
    _shot(page, "checklist")


def _answer_request(page: Page, base: str, org: Organization, root: Path) -> DocumentRequest:
    record = DocumentRequest.objects.for_org(org).get(title="工程项目及招投标资料")
    before = (StoredFile.objects.for_org(org).count(), DeliveryFile.objects.for_org(org).count())
    on_disk = sum(1 for p in root.rglob("*") if p.is_file())
    page.goto(f"{base}/liaison/")
    page.click(f"#liaison-waiting a:has-text('{record.title}')")
    forged = {"name": "招标文件.pdf", "mimeType": "application/pdf", "buffer": b"<html>x</html>"}
    page.set_input_files("#id_files", files=[forged])
    page.click("#deliver")
    expect(page.locator("#answer-form .invalid-feedback")).to_contain_text("招标文件.pdf")
    _shot(page, "forged_refused")
    after = (StoredFile.objects.for_org(org).count(), DeliveryFile.objects.for_org(org).count())
    assert after == before
    assert sum(1 for p in root.rglob("*") if p.is_file()) == on_disk
    real = {"name": "招投标资料汇编.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()}
    page.set_input_files("#id_files", files=[real])
    page.click("#deliver")
    expect(page.locator("#request-title [data-status]")).to_have_attribute(
        "data-status", "delivered"
    )
    return record


def _petition(page: Page, base: str, token: str, unit: Unit) -> str:
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/a/{token}/?unit={unit.pk}&for=petition")
    _shot(page, "announcement_phone")
    with page.expect_navigation():
        page.click("#form-petition")
    page.fill("#id_subject_persons", "某分局负责人")
    page.fill("#id_content", "反映某分局2026年违规发放津补贴。")
    page.click("#submit-petition")
    code = page.locator("#receipt-code").inner_text().strip()
    _shot(page, "petition_receipt_phone")
    return code


def _liaison_refused(page: Page, base: str, org: Organization, chengdu, survey) -> list:
    interview = Interview.objects.for_org(org).filter(inspection=chengdu).first()
    petition = Petition.objects.for_org(org).filter(inspection=chengdu).first()
    addresses = [
        reverse("interviews:interview_list", args=[chengdu.pk]),
        reverse("interviews:interview_detail", args=[interview.pk]),
        reverse("interviews:interview_edit", args=[interview.pk]),
        reverse("clues:petition_list", args=[chengdu.pk]),
        reverse("clues:petition_detail", args=[petition.pk]),
        reverse("surveys:survey_results", args=[survey.pk]),
        reverse("surveys:survey_texts", args=[survey.pk]),
    ]
    statuses = []
    for address in addresses:
        response = page.goto(f"{base}{address}")
        statuses.append((address, response.status if response else None))
    _shot(page, "liaison_404")
    return statuses


def test_the_on_site_gathering_on_the_demo_data(page, sign_in, live_server, demo, private_root):
    base, org = live_server.url, demo
    with org_scope(org):
        chengdu = _inspection(org, "sc-cd")
        token = Announcement.objects.for_org(org).get(inspection=chengdu).token
        survey = Survey.objects.for_org(org).get(inspection=chengdu, purpose="evaluation")
        responses_before = Response.objects.for_org(org).filter(survey=survey).count()
        mianyang = _inspection(org, "sc-my")
        mianyang_units = Unit.objects.for_org(org).filter(code__startswith="sc-my").count()
        codes = list(
            ResponseCode.objects.for_org(org)
            .filter(survey=survey, used_on__isnull=True)
            .values_list("code", flat=True)[:3]
        )
        item = (
            ChecklistItem.objects.for_org(org)
            .filter(inspection=chengdu, checklist__name="四必谈", done_at__isnull=True)
            .order_by("position")
            .first()
        )

    # 王建国 leads the second team: its 绵阳分公司 is in preparation, the announcement drafted.
    _publish_and_print(_as(page, sign_in, "sc_team_leader2"), base, mianyang, mianyang_units)

    page.context.clear_cookies()
    _five_responses(page, base, survey, codes, token, chengdu.unit)
    leader = _as(page, sign_in, "sc_team_leader")
    leader.goto(f"{base}{reverse('surveys:survey_results', args=[survey.pk])}")
    assert leader.locator("#response-count").inner_text() == str(responses_before + 5)
    assert leader.locator(".leader-grades tr[data-leader]").count() == 5
    assert leader.locator("#satisfaction").inner_text().endswith("%")
    _shot(leader, "survey_results")

    leader.goto(f"{base}{reverse('rounds:inspection_detail', args=[chengdu.pk])}")
    sections = leader.locator("#onsite-work a").evaluate_all("links => links.map(a => a.id)")
    assert sections == [f"section-{key}" for key in SECTIONS]
    _shot(leader, "inspection_sections")

    _record_interview(leader, base, chengdu, item)

    with org_scope(org):
        record = _answer_request(_as(page, sign_in, "sc_liaison"), base, org, private_root)
        record.refresh_from_db()
    assert (record.status, record.delivered_by.username) == ("delivered", "sc_liaison")

    code = _petition(page, base, token, chengdu.unit)
    assert len(code) == 19  # XXXX-XXXX-XXXX-XXXX

    with org_scope(org):
        liaison = _as(page, sign_in, "sc_liaison")
        statuses = _liaison_refused(liaison, base, org, chengdu, survey)
    assert [status for _, status in statuses] == [404] * len(statuses), statuses
