"""Document requests (调阅) in the API: the team's resource (list, add, change with If-Match,
withdraw, mark returned) under the inspection pages' rules, the liaison's resource (their
units' requests, never the team's notes), the usual checklist (read)."""

# ruff: noqa: F811 - the documents tests' fixtures, imported, are the tests' arguments
from __future__ import annotations

import datetime
import json

from django.utils import timezone

from documents.models import DocumentRequest
from rounds.models import Inspection
from rounds.taxonomy import Stage
from tests.documents.conftest import (  # noqa: F401 - the documents tests' fixtures
    deliver,
    doc_request,
    inspection,
    liaison,
    other_liaison,
    other_unit,
    private_root,
    team_leader,
    unit,
)
from tests.factories_documents import UsualDocumentFactory

IN_A_WEEK = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


def _json(data: object) -> dict:
    return {"data": json.dumps(data), "content_type": "application/json"}


def _collection(inspection) -> str:
    return f"/api/inspections/{inspection.pk}/document-requests/"


def _record(row, action: str = "") -> str:
    return f"/api/document-requests/{row.pk}/" + (f"{action}/" if action else "")


def test_the_team_lists_the_requests_with_their_files_and_notes(
    api, team_leader, doc_request, liaison
):
    deliver(doc_request, liaison)

    body = api(team_leader).get(_collection(doc_request.inspection)).json()

    (row,) = body["results"]
    assert (row["title"], row["status"], row["overdue"]) == ("党委会会议纪要", "delivered", False)
    assert row["team_notes"] == "TEAMONLY-重点看大额资金决策"
    assert [(f["name"], f["kind"]) for f in row["files"]] == [("会议纪要.pdf", "pdf")]
    assert row["delivered_by_name"] == "李联络"


def test_the_team_adds_a_free_item_and_one_from_the_checklist(
    api, org, team_leader, inspection, unit
):
    usual = UsualDocumentFactory(organization=org, name="选人用人档案", description="纪实材料")
    client = api(team_leader)

    free = client.post(
        _collection(inspection),
        **_json({"title": "职工食堂采购台账", "unit": unit.pk, "due_on": IN_A_WEEK}),
    )
    picked = client.post(
        _collection(inspection),
        **_json({"from_usual": usual.pk, "unit": unit.pk, "due_on": IN_A_WEEK}),
    )

    assert (free.status_code, free.json()["title"]) == (201, "职工食堂采购台账")
    assert (picked.status_code, picked.json()["title"], picked.json()["from_usual"]) == (
        201,
        "选人用人档案",
        usual.pk,
    )


def test_adding_without_a_title_or_usual_item_is_400(api, team_leader, inspection, unit):
    response = api(team_leader).post(
        _collection(inspection), **_json({"unit": unit.pk, "due_on": IN_A_WEEK})
    )

    assert response.status_code == 400
    assert "title" in response.json()["fields"]


def test_a_unit_outside_the_inspection_is_refused(api, team_leader, inspection, other_unit):
    response = api(team_leader).post(
        _collection(inspection),
        **_json({"title": "台账", "unit": other_unit.pk, "due_on": IN_A_WEEK}),
    )

    assert (response.status_code, response.json()["code"]) == (400, "refused")


def test_leadership_reads_but_cannot_add(api, leadership_user, doc_request, unit):
    client = api(leadership_user)

    assert client.get(_record(doc_request)).status_code == 200
    response = client.post(
        _collection(doc_request.inspection),
        **_json({"title": "台账", "unit": unit.pk, "due_on": IN_A_WEEK}),
    )
    assert response.status_code == 403


def test_a_team_member_of_another_inspection_gets_404(api, org, doc_request):
    from accounts.roles import Role
    from tests.factories import MembershipFactory, UserFactory

    stranger = MembershipFactory(
        organization=org, user=UserFactory(), roles=[Role.TEAM_MEMBER]
    ).user

    assert api(stranger).get(_record(doc_request)).status_code == 404
    assert api(stranger).get(_collection(doc_request.inspection)).status_code == 404


def test_a_change_needs_the_version_read(api, team_leader, doc_request):
    client = api(team_leader)
    url = _record(doc_request)

    assert client.patch(url, **_json({"title": "新标题"})).status_code == 428
    etag = client.get(url)["ETag"]
    changed = client.patch(
        url, **_json({"title": "党委会会议纪要（2023—2025）"}), headers={"If-Match": etag}
    )

    assert changed.status_code == 200
    assert changed.json()["title"] == "党委会会议纪要（2023—2025）"


def test_mark_returned_and_withdraw_go_through_the_services(
    api, inspection, team_leader, doc_request, liaison
):
    from tests.factories_documents import DocumentRequestFactory

    other = DocumentRequestFactory(inspection=inspection)
    client = api(team_leader)

    refused = client.post(_record(doc_request, "mark-returned"))
    deliver(doc_request, liaison)
    returned = client.post(_record(doc_request, "mark-returned"))
    withdrawn = client.post(_record(other, "withdraw"), **_json({"reason": "已从审计部门取得"}))

    assert (refused.status_code, refused.json()["code"]) == (400, "refused")
    assert returned.json()["status"] == "returned"
    assert withdrawn.json()["status"] == "withdrawn"


def test_a_closed_inspection_is_read_only(api, org, team_leader, inspection, unit):
    Inspection.objects.for_org(org).filter(pk=inspection.pk).update(stage=Stage.CLOSED)

    response = api(team_leader).post(
        _collection(inspection), **_json({"title": "台账", "unit": unit.pk, "due_on": IN_A_WEEK})
    )

    assert (response.status_code, response.json()["code"]) == (400, "refused")
    assert not DocumentRequest.objects.for_org(org).exists()


def test_the_overdue_filter(api, org, team_leader, inspection, doc_request):
    today = timezone.localdate()
    DocumentRequest.objects.for_org(org).filter(pk=doc_request.pk).update(
        requested_on=today - datetime.timedelta(days=9), due_on=today - datetime.timedelta(days=1)
    )

    rows = api(team_leader).get(_collection(inspection) + "?status=overdue").json()["results"]

    assert [(row["id"], row["overdue"]) for row in rows] == [(doc_request.pk, True)]


def test_the_liaison_reads_their_units_requests_only(api, liaison, other_liaison, doc_request):
    mine = api(liaison).get("/api/liaison-document-requests/").json()["results"]
    theirs = api(other_liaison).get("/api/liaison-document-requests/").json()["results"]

    assert [row["id"] for row in mine] == [doc_request.pk]
    assert "team_notes" not in mine[0]
    assert theirs == []
    assert (
        api(other_liaison).get(f"/api/liaison-document-requests/{doc_request.pk}/").status_code
        == 404
    )


def test_a_liaison_has_no_team_resource(api, liaison, doc_request):
    assert api(liaison).get(_record(doc_request)).status_code == 403


def test_the_usual_checklist_reads_in_its_order(api, org, team_leader):
    UsualDocumentFactory(organization=org, name="乙", position=2)
    UsualDocumentFactory(organization=org, name="甲", position=1)

    rows = api(team_leader).get("/api/usual-documents/").json()["results"]

    assert [row["name"] for row in rows] == ["甲", "乙"]
