"""The liaison's view, page by page and route by route: the announcement of their unit's
inspection and the document requests addressed to them — nothing else of the inspection
(no interviews, outlines, notes, petitions or survey answers; no page of the team), and never
the team's notes. A liaison of another unit, a team member and another tenant get 404; the
grant withdrawn, the pages close at once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import DeliveryFile, DocumentRequest
from files.models import FileDownload
from tests.documents.conftest import PDF, deliver, stored_paths
from tests.factories import AnnouncementFactory
from tests.files import samples

TEAM_ONLY = "TEAMONLY-重点看大额资金决策"
# Words of the confidential records' addresses and of the team's pages.
NEVER = re.compile(
    r"interview|outline|petition|survey|answers|/notes|^/inspections/|^/document-requests/"
)


@pytest.fixture
def announcement(inspection):
    return AnnouncementFactory(
        inspection=inspection,
        scope="贯彻落实党中央决策部署情况",
        reception_hours="工作日8:30—17:30",
        published_at=timezone.now(),
    )


def _pages(doc_request) -> dict[str, str]:
    return {
        "home": reverse("documents:liaison_home"),
        "inspection": reverse("documents:liaison_inspection", args=[doc_request.inspection_id]),
        "requests": reverse("documents:liaison_requests"),
        "request": reverse("documents:liaison_request", args=[doc_request.pk]),
    }


def _hrefs(html: str) -> list[str]:
    return re.findall(r'(?:href|action)="([^"]+)"', html)


def test_the_portal_lists_the_inspection_and_the_request_waiting(
    login, liaison, doc_request, announcement
):
    page = login(liaison).get(reverse("documents:liaison_home")).content.decode()

    assert "成都分公司" in page
    assert "党委会会议纪要" in page
    assert "巡察公告已发布" in page or "Announcement published" in page


def test_the_inspection_page_shows_the_announcement_and_the_requests(
    login, liaison, doc_request, announcement
):
    url = reverse("documents:liaison_inspection", args=[doc_request.inspection_id])

    page = login(liaison).get(url).content.decode()

    assert "贯彻落实党中央决策部署情况" in page
    assert "工作日8:30—17:30" in page
    assert "党委会会议纪要" in page


def test_an_unpublished_announcement_is_not_shown(login, liaison, doc_request, inspection):
    AnnouncementFactory(inspection=inspection, scope="草稿范围不应出现", published_at=None)
    url = reverse("documents:liaison_inspection", args=[inspection.pk])

    page = login(liaison).get(url).content.decode()

    assert "草稿范围不应出现" not in page
    assert 'id="not-published"' in page


@pytest.mark.parametrize("name", ["home", "inspection", "requests", "request"])
def test_no_liaison_page_shows_the_team_notes_or_links_to_anything_else(
    login, liaison, doc_request, announcement, name
):
    deliver(doc_request, liaison)

    response = login(liaison).get(_pages(doc_request)[name])

    html = response.content.decode()
    assert response.status_code == 200
    assert TEAM_ONLY not in html
    assert "团队备注" not in html
    assert "Team notes" not in html
    assert [href for href in _hrefs(html) if NEVER.search(href)] == []
    assert "修改记录" not in html  # the history would show the team's notes


def test_the_liaison_answers_with_a_file_and_sees_it_delivered(
    login, org, liaison, doc_request, private_root
):
    client = login(liaison)
    url = reverse("documents:liaison_answer", args=[doc_request.pk])

    response = client.post(url, {"files": [samples.upload("会议纪要.pdf", PDF)], "note": "请查收"})

    assert response.status_code == 302
    doc_request.refresh_from_db()
    assert (doc_request.status, doc_request.delivered_by) == ("delivered", liaison)
    page = client.get(response["Location"]).content.decode()
    assert "会议纪要.pdf" in page
    assert "请查收" in page
    assert len(stored_paths(private_root)) == 1


def test_a_forged_file_is_refused_on_the_page_and_nothing_is_stored(
    login, org, liaison, doc_request, private_root
):
    forged = samples.upload("会议纪要.pdf", b"<html><script>alert(1)</script></html>")

    response = login(liaison).post(
        reverse("documents:liaison_answer", args=[doc_request.pk]), {"files": [forged]}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "invalid-feedback" in html
    assert "会议纪要.pdf" in html
    doc_request.refresh_from_db()
    assert doc_request.status == "requested"
    assert not DeliveryFile.objects.for_org(org).exists()
    assert stored_paths(private_root) == []


def test_the_liaison_downloads_the_files_they_delivered(login, org, liaison, doc_request):
    deliver(doc_request, liaison)
    delivered = DeliveryFile.objects.for_org(org).get()
    url = reverse("documents:liaison_download", args=[doc_request.pk])

    response = login(liaison).get(f"{url}?file={delivered.pk}")

    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert FileDownload.objects.for_org(org).get().downloaded_by == liaison


def _routes(doc_request, delivered) -> list[tuple[str, str]]:
    download = reverse("documents:liaison_download", args=[doc_request.pk])
    return [
        ("get", reverse("documents:liaison_inspection", args=[doc_request.inspection_id])),
        ("get", reverse("documents:liaison_request", args=[doc_request.pk])),
        ("post", reverse("documents:liaison_answer", args=[doc_request.pk])),
        ("get", f"{download}?file={delivered.pk}"),
    ]


def test_a_liaison_of_another_unit_gets_404_on_every_route(
    login, org, liaison, other_liaison, doc_request
):
    deliver(doc_request, liaison)
    client = login(other_liaison)

    for method, url in _routes(doc_request, DeliveryFile.objects.for_org(org).get()):
        assert (url, getattr(client, method)(url).status_code) == (url, 404)
    assert (
        "党委会会议纪要" not in client.get(reverse("documents:liaison_requests")).content.decode()
    )


def test_the_grant_withdrawn_closes_every_route_at_once(
    login, org, liaison, doc_request, grant, admin_user
):
    deliver(doc_request, liaison)
    client = login(liaison)
    routes = _routes(doc_request, DeliveryFile.objects.for_org(org).get())
    assert client.get(routes[1][1]).status_code == 200

    grant(org, liaison, [], admin_user)

    for method, url in routes:
        assert (url, getattr(client, method)(url).status_code) == (url, 404)
    listing = client.get(reverse("documents:liaison_requests")).content.decode()
    assert "党委会会议纪要" not in listing


def test_a_team_member_and_another_tenant_get_no_liaison_page(
    login, team_leader, outsider, doc_request
):
    for user, status in ((team_leader, 403), (outsider, 404)):
        client = login(user)
        url = reverse("documents:liaison_request", args=[doc_request.pk])
        assert client.get(url).status_code == status


def test_the_liaison_of_a_sub_unit_sees_only_its_requests(
    login, org, inspection, sub_unit, team_leader, admin_user, grant, doc_request
):
    from accounts.roles import Role
    from documents import services
    from tests.factories import MembershipFactory, UserFactory

    sub_liaison = MembershipFactory(organization=org, user=UserFactory(), roles=[Role.LIAISON]).user
    grant(org, sub_liaison, [sub_unit], admin_user)
    (theirs,) = services.request_documents(
        inspection=inspection,
        actor=team_leader,
        unit=sub_unit,
        due_on=doc_request.due_on,
        free_items=["营业厅收入台账"],
    )

    page = login(sub_liaison).get(reverse("documents:liaison_requests")).content.decode()

    assert "营业厅收入台账" in page
    assert "党委会会议纪要" not in page
    assert (
        login(sub_liaison)
        .get(reverse("documents:liaison_request", args=[doc_request.pk]))
        .status_code
        == 404
    )


def test_the_liaison_api_never_answers_the_team_notes(api, liaison, doc_request):
    client = api(liaison)

    listing = client.get("/api/liaison-document-requests/")
    record = client.get(f"/api/liaison-document-requests/{doc_request.pk}/")

    assert listing.status_code == 200
    assert [row["title"] for row in listing.json()["results"]] == ["党委会会议纪要"]
    assert "team_notes" not in record.json()
    assert TEAM_ONLY not in listing.content.decode() + record.content.decode()


def test_a_withdrawn_request_shows_no_answer_form_nor_the_teams_reason(
    login, liaison, doc_request, team_leader
):
    from documents import services

    services.withdraw_document_request(
        document_request=doc_request, actor=team_leader, reason="TEAMONLY-已从审计部门取得"
    )

    page = login(liaison).get(reverse("documents:liaison_request", args=[doc_request.pk]))

    html = page.content.decode()
    assert 'id="answer-form"' not in html
    assert 'data-status="withdrawn"' in html
    assert "TEAMONLY" not in html  # the team's reason is its own
    assert DocumentRequest.objects.get(pk=doc_request.pk).status == "withdrawn"


@pytest.mark.parametrize("size", [3, 12])
def test_the_liaisons_list_reads_in_a_fixed_number_of_queries(
    login, inspection, liaison, django_assert_num_queries, size
):
    from tests.factories_documents import DocumentRequestFactory

    for _ in range(size):
        deliver(DocumentRequestFactory(inspection=inspection), liaison)
    client = login(liaison)
    client.get(reverse("documents:liaison_requests"))

    with django_assert_num_queries(7):
        response = client.get(reverse("documents:liaison_requests"))
    assert response.content.decode().count("data-request=") == size
