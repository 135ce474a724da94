"""Who works one inspection, and the least it needs.

An inspection is worked by its team, less the members whose recusal (回避) from its unit is
approved, plus the replacement each approval names, in the recused member's role. A recusal
takes effect on that one inspection: the member keeps the team's other inspections. The object
grants (``rounds.permissions``), the gates below and the inspection page all read these facts.

The minimum (DESIGN.md §3: a team is a leader authorized for the round, a deputy and members):
- from preparation on, a leader for the inspection — the team's, unless recused from its unit
  with nobody replacing them (a team without any leader is ``gates.team_has_leader``'s);
- from on-site work on, ``MIN_INSPECTORS`` people: interviews (谈话) and document reviews are
  held by two inspectors at least, so a leader alone cannot work the unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan

from rounds.models import Recusal, TeamMember

if TYPE_CHECKING:
    from accounts.models import Organization

MIN_INSPECTORS = 2


def approved_recusal_list(org: Organization) -> QuerySet[Recusal]:
    return Recusal.objects.for_org(org).filter(decision=Recusal.Decision.APPROVED)


def _count(rows: QuerySet) -> Coalesce:
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _working_members(org: Organization) -> QuerySet[TeamMember]:
    """Members of the outer inspection's team not recused from its unit."""
    recused = approved_recusal_list(org).filter(
        member=OuterRef("pk"), unit=OuterRef(OuterRef("unit_id"))
    )
    return TeamMember.objects.for_org(org).filter(team=OuterRef("team_id")).filter(~Exists(recused))


def _replacements(org: Organization) -> QuerySet[Recusal]:
    """Approved recusals from the outer inspection that name someone in the member's place."""
    return approved_recusal_list(org).filter(
        member__team=OuterRef("team_id"), unit=OuterRef("unit_id"), replacement__isnull=False
    )


def leader_recused_unreplaced(org: Organization) -> Q:
    """Over ``Inspection``: its team's leader is recused from its unit and nobody replaces them."""
    gone = approved_recusal_list(org).filter(
        member__team=OuterRef("team_id"),
        member__role=TeamMember.Role.LEADER,
        unit=OuterRef("unit_id"),
        replacement__isnull=True,
    )
    return Q(Exists(gone))


def too_few_inspectors(org: Organization) -> Q:
    """Over ``Inspection``: a team works it with fewer than ``MIN_INSPECTORS`` people."""
    people = _count(_working_members(org)) + _count(_replacements(org))
    return Q(team__isnull=False) & Q(LessThan(people, MIN_INSPECTORS))
