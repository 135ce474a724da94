"""The team's pages of document requests and the office's checklist: who reads, who requests,
downloads served as attachments and logged, 修改记录, list query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from documents.models import DeliveryFile, DocumentRequest, UsualDocument
from files.models import FileDownload
from tests.documents.conftest import PDF, deliver
from tests.factories import MembershipFactory, UserFactory
from tests.factories_documents import DocumentRequestFactory, UsualDocumentFactory

IN_A_WEEK = timezone.localdate() + datetime.timedelta(days=7)


def _list(inspection) -> str:
    return reverse("documents:request_list", args=[inspection.pk])


def _detail(record) -> str:
    return reverse("documents:request_detail", args=[record.pk])


def test_the_team_requests_usual_and_free_items(login, org, inspection, unit, team_leader):
    usual = UsualDocumentFactory(organization=org, name="财务凭证及账簿")
    client = login(team_leader)
    url = reverse("documents:request_create", args=[inspection.pk])
    assert "财务凭证及账簿" in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "usual_items": [usual.pk],
            "free_items": "职工食堂采购台账\n",
            "unit": unit.pk,
            "due_on": IN_A_WEEK.isoformat(),
            "description": "复印件加盖公章",
            "team_notes": "",
        },
    )

    assert response.status_code == 302
    titles = DocumentRequest.objects.for_org(org).order_by("pk").values_list("title", flat=True)
    assert list(titles) == ["财务凭证及账簿", "职工食堂采购台账"]


def test_a_refused_request_shows_the_rule_on_the_form(
    login, org, inspection, other_unit, unit, team_leader
):
    response = login(team_leader).post(
        reverse("documents:request_create", args=[inspection.pk]),
        {"free_items": "", "unit": unit.pk, "due_on": IN_A_WEEK.isoformat()},
    )

    assert response.status_code == 200
    assert "至少" in response.content.decode()
    assert not DocumentRequest.objects.for_org(org).exists()


@pytest.mark.parametrize("who", ["office_user", "leadership_user", "team_leader"])
def test_office_leadership_and_team_read_the_list_and_the_request(
    request, login, who, doc_request, liaison
):
    deliver(doc_request, liaison)
    client = login(request.getfixturevalue(who))

    listing = client.get(_list(doc_request.inspection)).content.decode()
    page = client.get(_detail(doc_request)).content.decode()

    assert "党委会会议纪要" in listing
    assert "会议纪要.pdf" in page
    assert "TEAMONLY-重点看大额资金决策" in page


def test_leadership_reads_but_does_not_request(login, leadership_user, doc_request):
    client = login(leadership_user)

    assert 'id="request-create"' not in client.get(_list(doc_request.inspection)).content.decode()
    url = reverse("documents:request_create", args=[doc_request.inspection_id])
    assert client.get(url).status_code == 403


def test_a_team_member_of_another_inspection_gets_404(login, org, doc_request):
    stranger = MembershipFactory(
        organization=org, user=UserFactory(), roles=[Role.TEAM_MEMBER]
    ).user
    client = login(stranger)

    assert client.get(_list(doc_request.inspection)).status_code == 404
    assert client.get(_detail(doc_request)).status_code == 404


def test_a_liaison_gets_no_team_page(login, liaison, doc_request):
    client = login(liaison)

    assert client.get(_list(doc_request.inspection)).status_code == 403
    assert client.get(_detail(doc_request)).status_code == 403


def test_the_team_downloads_a_delivered_file_as_a_logged_attachment(
    login, org, doc_request, liaison, team_leader
):
    deliver(doc_request, liaison)
    delivered = DeliveryFile.objects.for_org(org).get()
    url = reverse("documents:request_download", args=[doc_request.pk])

    response = login(team_leader).get(f"{url}?file={delivered.pk}")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    download = FileDownload.objects.for_org(org).get()
    assert (download.file_id, download.downloaded_by) == (delivered.file_id, team_leader)


def test_a_file_of_another_request_is_not_found_at_this_request(
    login, org, inspection, doc_request, liaison, team_leader
):
    other = DocumentRequestFactory(inspection=inspection)
    deliver(other, liaison)
    delivered = DeliveryFile.objects.for_org(org).get()
    url = reverse("documents:request_download", args=[doc_request.pk])

    for key in (delivered.pk, "x", "-1", "9" * 30):
        assert login(team_leader).get(f"{url}?file={key}").status_code == 404
    assert not FileDownload.objects.for_org(org).exists()


def test_marking_returned_asks_first_then_closes_it(login, doc_request, liaison, team_leader):
    deliver(doc_request, liaison)
    client = login(team_leader)
    url = reverse("documents:request_return", args=[doc_request.pk])

    asked = client.post(url)
    assert asked.status_code == 200
    assert 'name="confirmed"' in asked.content.decode()
    assert client.post(url, {"confirmed": "1"}).status_code == 302

    doc_request.refresh_from_db()
    assert doc_request.status == "returned"


def test_withdrawing_asks_for_a_reason(login, doc_request, team_leader):
    client = login(team_leader)
    url = reverse("documents:request_withdraw", args=[doc_request.pk])

    assert client.post(url, {"confirmed": "1"}).status_code == 400
    client.post(url, {"confirmed": "1", "reason": "已从审计部门取得"})

    doc_request.refresh_from_db()
    assert doc_request.status == "withdrawn"


def test_the_request_page_shows_its_history(login, doc_request, liaison, team_leader, unit):
    client = login(team_leader)
    client.post(
        reverse("documents:request_edit", args=[doc_request.pk]),
        {
            "title": "党委会会议纪要（2023—2025）",
            "unit": unit.pk,
            "due_on": doc_request.due_on.isoformat(),
            "description": doc_request.description,
            "team_notes": doc_request.team_notes,
        },
    )
    deliver(doc_request, liaison)

    page = client.get(_detail(doc_request)).content.decode()

    assert "修改记录" in page
    assert "党委会会议纪要（2023—2025）" in page
    assert "赵志强" in page


@pytest.mark.parametrize("size", [3, 12])
def test_the_list_reads_in_a_fixed_number_of_queries(
    login, team_leader, inspection, liaison, django_assert_num_queries, size
):
    for _ in range(size):
        deliver(DocumentRequestFactory(inspection=inspection), liaison)
    client = login(team_leader)
    client.get(_list(inspection))  # sessions and caches warmed

    with django_assert_num_queries(10):
        response = client.get(_list(inspection) + "?status=delivered")
    assert response.content.decode().count("data-request=") == size


def test_the_list_filters_overdue_in_the_database(login, org, inspection, team_leader):
    today = timezone.localdate()
    late = DocumentRequestFactory(
        inspection=inspection,
        title="逾期资料",
        requested_on=today - datetime.timedelta(days=9),
        due_on=today - datetime.timedelta(days=2),
    )
    DocumentRequestFactory(inspection=inspection, title="未到期资料")

    page = login(team_leader).get(_list(inspection) + "?status=overdue").content.decode()

    assert f'data-request="{late.pk}"' in page
    assert "未到期资料" not in page


def test_the_office_keeps_the_checklist(login, org, office_user):
    client = login(office_user)
    client.post(reverse("documents:usual_list"), {"name": "职工食堂采购台账", "description": ""})
    item = UsualDocument.objects.for_org(org).get()

    client.post(
        reverse("documents:usual_edit", args=[item.pk]),
        {"name": "职工食堂采购台账", "description": "近三年", "is_active": ""},
    )

    item.refresh_from_db()
    assert (item.description, item.is_active) == ("近三年", False)
    assert (
        "修改记录" in client.get(reverse("documents:usual_edit", args=[item.pk])).content.decode()
    )


def test_a_team_member_cannot_keep_the_checklist(login, team_leader):
    assert login(team_leader).get(reverse("documents:usual_list")).status_code == 403
