"""The interviews app's gate (``rounds.gates``): reporting waits for every item of the
inspection's checklists (五必查、六必问、四必谈) to be done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from rounds.gates import Gate, register_gate
from rounds.taxonomy import Stage

if TYPE_CHECKING:
    from accounts.models import Organization


def _item_missing(org: Organization) -> Q:
    from interviews.models import ChecklistItem

    missing = ChecklistItem.objects.for_org(org).filter(
        inspection=OuterRef("pk"), done_at__isnull=True
    )
    return Q(Exists(missing))


checklists_done = Gate(
    _item_missing,
    _("Finish the checklists (五必查、六必问、四必谈): some items are still missing."),
    ("interviews:checklist", "missing"),
)


def register() -> None:
    register_gate(Stage.REPORTING, checklists_done)
