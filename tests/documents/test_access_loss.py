"""The access-loss harness on the documents routes alone (tests/test_access_loss.py walks every
app's): a team leader whose role is removed, and a liaison whose unit grant is withdrawn, find
every page and API route of the documents app refusing them at once."""

from __future__ import annotations

from django.urls import reverse

from accounts.roles import Role
from tests.test_access_loss import INSPECTION_ROUTES, _addresses, _still_open_at, _update_member
from tests.test_isolation import SCOPED

OURS = [route for route in INSPECTION_ROUTES if "document" in route.name]
LIAISON_ROUTES = [route for route in SCOPED if "liaison" in route.name]


def test_the_documents_routes_are_walked():
    names = {route.name for route in OURS}
    assert {
        "documents:request_list",
        "documents:request_detail",
        "documents:liaison_request",
        "api:document-request-detail",
        "api:liaison-document-request-detail",
    } <= names


def test_a_leader_whose_role_is_removed_is_refused_everywhere(
    login, org, inspection, team_leader, admin_user
):
    client = login(team_leader)
    assert client.get(reverse("documents:request_list", args=[inspection.pk])).status_code == 200
    addresses = _addresses(OURS, inspection)

    _update_member(org, team_leader, admin_user, roles=[Role.DEPT_REVIEWER])

    assert _still_open_at(client, addresses) == []


def test_a_liaison_whose_grant_is_withdrawn_is_refused_everywhere(
    login, org, inspection, liaison, grant, admin_user
):
    client = login(liaison)
    assert (
        client.get(reverse("documents:liaison_inspection", args=[inspection.pk])).status_code == 200
    )
    addresses = [(r, a) for r, a in _addresses(OURS, inspection) if "liaison" in r.name]

    grant(org, liaison, [], admin_user)

    assert _still_open_at(client, addresses) == []
    listing = client.get("/api/liaison-document-requests/").json()
    assert listing["results"] == []
