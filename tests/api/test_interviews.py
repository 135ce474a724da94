# ruff: noqa: F811 - the interview fixtures are imported from tests/interviews
"""Interviews (谈话) and checklists in the API: the team's confidential records behind 404 for
everybody else, the same services and refusals as the pages."""

from __future__ import annotations

import json

import pytest

from interviews.models import ChecklistItem, Interview
from tests.interviews.conftest import (  # noqa: F401 - fixtures
    checklists,
    details,
    inspection,
    interview,
    interviewers,
    item_named,
    leader,
    other_team_member,
    team,
    unit_liaison,
)


def _json(data: object) -> dict:
    return {"data": json.dumps(data), "content_type": "application/json"}


def _body(people, **changes) -> dict:
    return {
        "interviewee_name": "张明",
        "category": "leadership",
        "method": "in_person",
        "held_at": "2025-04-02T09:30:00+08:00",
        "interviewers": [p.pk for p in people],
        "notes": "保密要点",
        **changes,
    }


def _collection(inspection) -> str:
    return f"/api/inspections/{inspection.pk}/interviews/"


def test_the_team_records_an_interview_ticking_an_item(
    api, leader, inspection, interviewers, checklists
):
    item = item_named(inspection, "四必谈", "主要领导")

    response = api(leader).post(
        _collection(inspection), **_json(_body(interviewers, items=[item.pk]))
    )

    assert response.status_code == 201, response.json()
    assert response.json()["items"] == [item.pk]
    assert ChecklistItem.objects.get(pk=item.pk).interview_id == response.json()["id"]


def test_one_interviewer_for_a_face_to_face_talk_is_refused(api, leader, inspection, interviewers):
    response = api(leader).post(_collection(inspection), **_json(_body(interviewers[:1])))

    assert (response.status_code, response.json()["code"]) == (400, "refused")


def test_a_stranger_as_interviewer_is_an_invalid_value(api, leader, inspection, org):
    from tests.factories import InspectorFactory

    stranger = InspectorFactory(organization=org)

    response = api(leader).post(_collection(inspection), **_json(_body([stranger])))

    assert response.status_code == 400
    assert "interviewers" in response.json()["fields"]


def test_the_team_reads_the_notes(api, team_member_user, interview):
    response = api(team_member_user).get(f"/api/interviews/{interview.pk}/")

    assert response.json()["notes"] == interview.notes


def test_a_change_keeps_what_was_not_sent(api, leader, interview):
    client = api(leader)
    url = f"/api/interviews/{interview.pk}/"
    etag = client.get(url)["ETag"]

    response = client.patch(url, headers={"If-Match": etag}, **_json({"place": "会议室二"}))

    assert response.status_code == 200, response.json()
    assert (response.json()["place"], response.json()["notes"]) == ("会议室二", interview.notes)


def test_removing_unticks_the_items(api, leader, inspection, interviewers, checklists):
    item = item_named(inspection, "四必谈", "主要领导")
    client = api(leader)
    made = client.post(
        _collection(inspection), **_json(_body(interviewers, items=[item.pk]))
    ).json()
    url = f"/api/interviews/{made['id']}/"

    response = client.delete(url, headers={"If-Match": client.get(url)["ETag"]})

    assert response.status_code == 204
    assert ChecklistItem.objects.get(pk=item.pk).done_at is None


@pytest.mark.parametrize(
    "who", ["office_user", "leadership_user", "unit_liaison", "other_team_member"]
)
def test_nobody_outside_the_team_finds_an_interview(request, api, who, interview):
    client = api(request.getfixturevalue(who))
    record = f"/api/interviews/{interview.pk}/"

    answers = [
        client.get(_collection(interview.inspection)).status_code,
        client.post(_collection(interview.inspection), **_json({})).status_code,
        client.get(record).status_code,
        client.patch(record, headers={"If-Match": "*"}, **_json({"place": "x"})).status_code,
        client.delete(record, headers={"If-Match": "*"}).status_code,
    ]

    assert answers == [404, 404, 404, 404, 404]
    assert Interview.objects.get(pk=interview.pk).place == interview.place


def test_a_valid_body_from_outside_the_team_is_not_found(
    api, office_user, inspection, interviewers
):
    response = api(office_user).post(_collection(inspection), **_json(_body(interviewers)))

    assert response.status_code == 404
    assert not Interview.objects.filter(inspection=inspection).exists()


def test_the_checklist_items_show_done_and_missing(
    api, office_user, inspection, interview, checklists
):
    response = api(office_user).get(f"/api/inspections/{inspection.pk}/checklist-items/")

    rows = response.json()["results"]
    assert len(rows) == 15
    assert "notes" not in rows[0]


def test_the_office_ticks_an_item_by_a_document(api, office_user, inspection, checklists):
    item = item_named(inspection, "五必查", "三重一大事项")

    response = api(office_user).post(
        f"/api/checklist-items/{item.pk}/tick/", **_json({"document_note": "党委会会议纪要"})
    )

    assert (response.status_code, response.json()["done"]) == (200, True)


def test_an_item_is_not_ticked_by_a_document_and_an_interview_at_once(
    api, leader, inspection, interview, checklists
):
    item = item_named(inspection, "四必谈", "班子成员")
    body = {"interview": interview.pk, "document_note": "花名册"}

    response = api(leader).post(f"/api/checklist-items/{item.pk}/tick/", **_json(body))

    assert response.status_code == 400


def test_the_office_cannot_name_an_interview_when_ticking(
    api, office_user, inspection, interview, checklists
):
    item = item_named(inspection, "四必谈", "班子成员")

    response = api(office_user).post(
        f"/api/checklist-items/{item.pk}/tick/", **_json({"interview": interview.pk})
    )

    assert response.status_code == 400
    assert "interview" in response.json()["fields"]


def test_untick(api, leader, inspection, interviewers, checklists):
    item = item_named(inspection, "四必谈", "主要领导")
    api(leader).post(_collection(inspection), **_json(_body(interviewers, items=[item.pk])))

    response = api(leader).post(f"/api/checklist-items/{item.pk}/untick/")

    assert response.json()["done"] is False


def test_the_outlines_are_read(api, leader, org):
    from interviews.services import ensure_default_templates

    ensure_default_templates(org=org)

    response = api(leader).get("/api/interview-outlines/", {"role": "principal"})

    assert [row["name"] for row in response.json()["results"]] == ["主要负责人谈话提纲"]


def test_a_malformed_change_is_refused_alike_for_any_id(api, office_user, interview):
    client = api(office_user)
    body = _json({"held_at": "not a time"})

    statuses = [
        client.patch(f"/api/interviews/{pk}/", headers={"If-Match": "*"}, **body).status_code
        for pk in (interview.pk, 999999)
    ]

    assert statuses == [400, 400]
