"""The access-loss harness limited to the petition routes: a team leader who leaves the team,
loses the role or the membership finds every petition page and API route closed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.test_access_loss import INSPECTION_LOSSES, _addresses, _still_open_at


def _petition_routes():
    from tests.test_access_loss import INSPECTION_ROUTES

    return [route for route in INSPECTION_ROUTES if "petition" in route.name]


def test_the_harness_finds_the_petition_routes():
    names = {route.name for route in _petition_routes()}
    assert {"clues:petition_list", "clues:petition_detail", "api:petition-detail"} <= names


@pytest.mark.parametrize("loss", ["role_removed", "membership_deactivated", "recusal_approved"])
def test_every_petition_route_refuses_after_the_loss(
    loss, login, org, leader, inspection, admin_user, office_user
):
    client = login(leader)
    assert client.get(reverse("clues:petition_list", args=[inspection.pk])).status_code == 200
    addresses = _addresses(_petition_routes(), inspection)

    INSPECTION_LOSSES[loss](inspection, leader, org, admin_user, office_user)

    assert _still_open_at(client, addresses) == []
