"""The inspection page and the gates keep their compiled statements per inspection: what they
read is still read anew at every request (a row added, a gate met, a team changed)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from rounds.gates import unmet_gates
from rounds.models import TeamMember
from rounds.taxonomy import Stage
from tests.factories import (
    InspectionFactory,
    IntelligenceRequestFactory,
    MilestoneFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
)
from xuncha.lists import KeptStatements


def test_kept_statements_build_once_per_key_and_drop_the_oldest():
    kept: KeptStatements[int] = KeptStatements(size=2)
    built = []

    def build(n):
        built.append(n)
        return n

    assert [kept.get(k, lambda k=k: build(k)) for k in (1, 1, 2, 3, 1)] == [1, 1, 2, 3, 1]
    assert built == [1, 2, 3, 1]  # 1 was dropped when 3 came in


def test_the_inspection_page_shows_rows_added_since_it_was_last_shown(login, office_user, org):
    round_ = RoundFactory(organization=org)
    inspection = InspectionFactory(organization=org, round=round_, team=TeamFactory(round=round_))
    url = reverse("rounds:inspection_detail", args=[inspection.pk])
    client = login(office_user)
    client.get(url)

    MilestoneFactory(inspection=inspection, title="召开进驻动员会")
    other = TeamFactory(round=round_)
    TeamMemberFactory(team=other, role=TeamMember.Role.LEADER, inspector__name="周新组长")
    inspection.team = other
    inspection.save(update_fields=["team"])

    content = client.get(url).content.decode()
    assert "召开进驻动员会" in content
    assert "周新组长" in content


def test_a_gate_met_since_it_was_last_asked_is_met(org):
    inspection = InspectionFactory(organization=org, stage=Stage.PREPARATION)
    request = IntelligenceRequestFactory(inspection=inspection, answered_on=None)
    message = "Wait for every intelligence request to be answered."

    first = unmet_gates(inspection, Stage.MOBILIZATION)
    request.answered_on = datetime.date(2025, 3, 5)
    request.save(update_fields=["answered_on"])

    assert any("回复" in m or m == message for m in first)
    assert not any("回复" in m or m == message for m in unmet_gates(inspection, Stage.MOBILIZATION))
