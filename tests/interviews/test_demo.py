"""The demo: 成都's team has recorded interviews ticking its checklists, with gaps left."""

from __future__ import annotations

import pytest

from accounts.demo import seed_accounts
from accounts.models import Organization
from interviews.demo import seed_interviews
from interviews.gates import checklists_done
from interviews.models import ChecklistItem, Interview
from rounds.demo import seed_rounds
from rounds.gates import unmet_gates
from rounds.models import Inspection
from rounds.taxonomy import Stage
from xuncha.tenancy import dangerously_unscoped, org_scope


@pytest.fixture
def seeded(db) -> Inspection:
    seed_accounts()
    seed_rounds()
    seed_interviews()
    with dangerously_unscoped():
        org = Organization.objects.get(code="sctelecom")
    with org_scope(org):
        return Inspection.objects.for_org(org).get(
            unit__code="sc-cd", round__name="2026年第一轮巡察"
        )


def test_the_demo_records_four_interviews(seeded):
    with org_scope(seeded.organization):
        assert Interview.objects.for_org(seeded.organization).filter(inspection=seeded).count() == 4


def test_the_party_secretary_ticked_the_four_talks_first_item(seeded):
    with org_scope(seeded.organization):
        item = ChecklistItem.objects.get(checklist__name="四必谈", text="主要领导")
        assert item.interview.interviewee_name == "张明"


def test_the_demo_leaves_gaps_before_reporting(seeded):
    with org_scope(seeded.organization):
        assert str(checklists_done.message) in unmet_gates(seeded, Stage.REPORTING)


def test_seeding_twice_adds_nothing(seeded):
    seed_interviews()

    with org_scope(seeded.organization):
        assert Interview.objects.for_org(seeded.organization).count() == 4
