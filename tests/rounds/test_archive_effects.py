"""The round's archive confirmation names how many teams and closed inspections it affects,
counted in the round (not in the organization)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rounds.taxonomy import Stage
from tests.factories import InspectionFactory, RoundFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_the_rounds_confirmation_counts_its_teams_and_inspections(login, office_user, org):
    round_ = RoundFactory(organization=org)
    TeamFactory(round=round_)
    TeamFactory(round=round_)
    for _ in range(3):
        InspectionFactory(round=round_, stage=Stage.CLOSED)
    elsewhere = RoundFactory(organization=org)
    TeamFactory(round=elsewhere)
    InspectionFactory(round=elsewhere, stage=Stage.CLOSED)

    response = login(office_user).post(reverse("rounds:round_archive", args=[round_.pk]))

    assert response.status_code == 200
    effects = response.context["effects"]
    assert "2个巡察组" in str(effects[1])
    assert "其3个已办结的巡察" in str(effects[2])
    assert "其3个已办结的巡察" in response.content.decode()
