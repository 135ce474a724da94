"""Reporting waits for every checklist item: the inspection page's "waiting for" says so and
the move to reporting is refused until the last item is done."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.errors import DomainError
from interviews import services
from interviews.gates import checklists_done
from interviews.models import ChecklistItem
from rounds.gates import unmet_gates
from rounds.services import lifecycle
from rounds.taxonomy import Stage

MESSAGE = "完成“五必查、六必问、四必谈”清单：尚有事项未完成。"


def _finish(inspection, actor) -> None:
    for item in ChecklistItem.objects.for_org(inspection.organization).filter(
        inspection=inspection, done_at__isnull=True
    ):
        services.tick_item(item=item, actor=actor, document_note="资料")


def test_an_inspection_without_checklists_is_not_held(inspection):
    assert str(checklists_done.message) not in unmet_gates(inspection, Stage.REPORTING)


def test_a_missing_item_holds_reporting(inspection, checklists):
    assert str(checklists_done.message) in unmet_gates(inspection, Stage.REPORTING)


def test_the_inspection_page_waits_for_the_checklists(login, leader, inspection, checklists):
    page = login(leader).get(reverse("rounds:inspection_detail", args=[inspection.pk]))

    assert MESSAGE in page.content.decode()


def test_moving_to_reporting_is_refused_while_items_are_missing(inspection, leader, checklists):
    with pytest.raises(DomainError, match="尚有事项未完成"):
        lifecycle.start_reporting(inspection=inspection, actor=leader, reason="现场工作结束")


def test_the_last_item_done_releases_the_gate(inspection, office_user, checklists):
    for item in ChecklistItem.objects.filter(inspection=inspection, evidence="interview"):
        item.evidence = "either"
        item.save(update_fields=["evidence"])
    _finish(inspection, office_user)

    assert str(checklists_done.message) not in unmet_gates(inspection, Stage.REPORTING)


def test_the_gate_links_to_the_checklist_page(inspection):
    name, anchor = checklists_done.place

    assert reverse(name, args=[inspection.pk]) == f"/inspections/{inspection.pk}/checklists/"
    assert anchor == "missing"
