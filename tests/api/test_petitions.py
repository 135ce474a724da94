"""Petitions in the API: the team lists and records an inspection's petitions, reads one
(logged) and changes its status; the identity is never returned; everybody else is told 404."""

from __future__ import annotations

import json

import pytest

from clues.crypto import Identity, decrypt_identity, encrypt_identity
from clues.models import Petition, PetitionRead, Status
from tests.clues.fixtures import *  # noqa: F403 - the petition fixtures
from tests.factories_clues import PetitionFactory


def _json(data):
    return {"data": json.dumps(data), "content_type": "application/json"}


@pytest.fixture
def petition(inspection):
    return PetitionFactory(
        inspection=inspection,
        is_anonymous=False,
        identity=encrypt_identity(Identity(name="王建国", phone="13812345678")),
    )


def test_the_team_lists_the_inspections_petitions(api, leader, inspection, petition):
    response = api(leader).get(f"/api/inspections/{inspection.pk}/petitions/")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["id"], row["is_anonymous"], row["channel_display"]) == (petition.pk, False, "电话")
    assert "王建国" not in response.content.decode()
    assert "identity" not in row


def test_a_petition_read_is_logged(api, team_member_user, petition):
    response = api(team_member_user).get(f"/api/petitions/{petition.pk}/")

    assert response.status_code == 200
    assert "王建国" not in response.content.decode()
    read = PetitionRead.objects.get()
    assert (read.reader, read.what, read.via_api) == (team_member_user, "detail", True)


def test_the_team_records_a_real_name_phone_call(api, team_member_user, inspection):
    response = api(team_member_user).post(
        f"/api/inspections/{inspection.pk}/petitions/",
        **_json(
            {
                "channel": "phone",
                "received_on": "2026-11-20",
                "is_anonymous": False,
                "reporter_name": "李女士",
                "reporter_phone": "13812345678",
                "content": "反映公车私用。",
            }
        ),
    )

    assert response.status_code == 201
    assert "李女士" not in response.content.decode()
    petition = Petition.objects.get()
    assert decrypt_identity(petition.identity).name == "李女士"
    assert petition.received_by == team_member_user


def test_a_real_name_without_a_name_is_refused(api, team_member_user, inspection):
    response = api(team_member_user).post(
        f"/api/inspections/{inspection.pk}/petitions/",
        **_json(
            {
                "channel": "letter",
                "received_on": "2026-11-20",
                "is_anonymous": False,
                "content": "来信。",
            }
        ),
    )

    assert response.status_code == 400
    assert response.json()["code"] == "refused"
    assert not Petition.objects.exists()


def test_the_online_channel_is_not_the_teams(api, team_member_user, inspection):
    response = api(team_member_user).post(
        f"/api/inspections/{inspection.pk}/petitions/",
        **_json({"channel": "online", "received_on": "2026-11-20", "content": "x"}),
    )

    assert response.status_code == 400


def test_the_status_action(api, leader, petition):
    response = api(leader).post(
        f"/api/petitions/{petition.pk}/status/", **_json({"status": "handled"})
    )

    assert response.status_code == 200
    assert response.json()["status"] == Status.HANDLED


def test_the_clue_handler_lists_every_petition(api, clue_handler_user, petition, other_team_user):
    response = api(clue_handler_user).get("/api/petitions/")

    assert [row["id"] for row in response.json()["results"]] == [petition.pk]


@pytest.mark.parametrize("persona", ["unit_liaison", "office_user", "leadership_user"])
def test_others_are_told_404(request, api, persona, inspection, petition):
    client = api(request.getfixturevalue(persona))

    assert client.get(f"/api/inspections/{inspection.pk}/petitions/").status_code == 404
    assert client.get(f"/api/petitions/{petition.pk}/").status_code == 404
    assert client.get("/api/petitions/").status_code == 404
    assert (
        client.post(
            f"/api/petitions/{petition.pk}/status/", **_json({"status": "handled"})
        ).status_code
        == 404
    )
    assert not PetitionRead.objects.exists()


def test_another_team_does_not_see_them(api, other_team_user, inspection, petition):
    client = api(other_team_user)

    assert client.get(f"/api/inspections/{inspection.pk}/petitions/").status_code == 404
    assert client.get(f"/api/petitions/{petition.pk}/").status_code == 404
    assert client.get("/api/petitions/").json()["results"] == []
