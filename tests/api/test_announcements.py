"""The announcement (巡察公告) in the API: written by the inspection's team and the office
through the page's services, read by whoever sees the inspection, published to its public
page."""

from __future__ import annotations

import json

import pytest

from history.tracking import event_model
from rounds.models import Announcement, Inspection
from rounds.taxonomy import Stage
from tests.factories import (
    AnnouncementFactory,
    InspectionFactory,
    RoundFactory,
    TeamFactory,
    seat_on_team,
)

VALUES = {
    "period_start": "2025-04-01",
    "period_end": "2025-04-30",
    "scope": "贯彻落实党中央决策部署情况",
    "phone": "028-86001234",
    "mailbox": "xcz1@example.com",
    "postal_box": "成都市第12号信箱",
    "reception_hours": "工作日8:30—17:30",
}


def _json(data: object) -> dict:
    return {"data": json.dumps(data), "content_type": "application/json"}


@pytest.fixture
def inspection(org) -> Inspection:
    rnd = RoundFactory(organization=org)
    return InspectionFactory(round=rnd, team=TeamFactory(round=rnd), stage=Stage.PREPARATION)


@pytest.fixture
def team_client(api, team_member_user, inspection):
    seat_on_team(inspection.team, team_member_user)
    return api(team_member_user)


def _collection(inspection: Inspection) -> str:
    return f"/api/inspections/{inspection.pk}/announcements/"


def test_the_team_writes_the_announcement(team_client, inspection):
    response = team_client.post(_collection(inspection), **_json(VALUES))

    assert response.status_code == 201
    row = Announcement.objects.get(inspection=inspection)
    assert (row.phone, row.published_at, response.json()["public_url"]) == (
        "028-86001234",
        None,
        None,
    )


def test_a_second_announcement_is_refused(team_client, inspection):
    AnnouncementFactory(inspection=inspection)

    response = team_client.post(_collection(inspection), **_json(VALUES))

    assert response.status_code == 400
    assert response.json()["code"] == "refused"
    assert Announcement.objects.filter(inspection=inspection).count() == 1


def test_a_wrong_mailbox_is_a_field_error_and_saves_nothing(team_client, inspection):
    response = team_client.post(_collection(inspection), **_json({**VALUES, "mailbox": "x@"}))

    assert response.status_code == 400
    assert "mailbox" in response.json()["fields"]
    assert not Announcement.objects.filter(inspection=inspection).exists()


def test_a_change_needs_the_etag_and_is_in_the_history(team_client, inspection):
    row = AnnouncementFactory(inspection=inspection)
    url = f"/api/announcements/{row.pk}/"
    etag = team_client.get(url)["ETag"]

    refused = team_client.patch(url, **_json({"phone": "028-11112222"}))
    changed = team_client.patch(url, **_json({"phone": "028-11112222"}), headers={"If-Match": etag})

    assert (refused.status_code, changed.status_code) == (428, 200)
    row.refresh_from_db()
    assert row.phone == "028-11112222"
    assert event_model(Announcement).objects.filter(pgh_obj_id=row.pk).count() == 2


def test_publishing_opens_the_public_page(team_client, client, inspection):
    row = AnnouncementFactory(inspection=inspection)

    response = team_client.post(f"/api/announcements/{row.pk}/publish/", **_json({}))

    body = response.json()
    assert (response.status_code, body["accepts_input"]) == (200, True)
    assert client.get(body["public_url"]).status_code == 200


def test_the_leadership_reads_but_does_not_write(api, leadership_user, inspection):
    row = AnnouncementFactory(inspection=inspection)
    caller = api(leadership_user)

    read = caller.get(_collection(inspection))
    write = caller.post(f"/api/announcements/{row.pk}/publish/", **_json({}))

    assert [item["id"] for item in read.json()["results"]] == [row.pk]
    assert write.status_code == 403
    row.refresh_from_db()
    assert row.published_at is None


def test_a_closed_inspection_refuses_a_change(api, office_user, inspection):
    row = AnnouncementFactory(inspection=inspection)
    Inspection.objects.filter(pk=inspection.pk).update(stage=Stage.CLOSED)
    caller = api(office_user)
    url = f"/api/announcements/{row.pk}/"
    etag = caller.get(url)["ETag"]

    response = caller.patch(url, **_json({"scope": "选人用人"}), headers={"If-Match": etag})

    assert (response.status_code, response.json()["code"]) == (400, "refused")
    row.refresh_from_db()
    assert row.scope == "贯彻落实党中央决策部署情况"
