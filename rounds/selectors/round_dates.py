"""What a change of a round's dates would touch: its inspections already mobilized (进驻), and
the coverage of the plans its inspections count in (``rounds.selectors.coverage``'s rule)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, DateField, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from rounds.models import CoverageTarget, Inspection, Round, StagePlan, StageTransition
from rounds.selectors.coverage import extension_visit_covering_list, inspection_covering_list
from rounds.taxonomy import COVERING_STAGES, Stage


def round_mobilized_inspection_list(
    *, round: Round, outside: tuple[date, date] | None = None
) -> QuerySet[Inspection, Any]:
    """The round's inspections in or past mobilization as ``pk``, ``unit__name`` and
    ``mobilized_on``: the day its move into mobilization took effect, or else its planned
    mobilization start (None when neither is recorded); in tree order. With ``outside`` (first
    and last day), only those mobilized on a known day outside them."""
    org = round.organization
    entered = (
        StageTransition.objects.for_org(org)
        .filter(inspection=OuterRef("pk"), to_stage=Stage.MOBILIZATION)
        .order_by("effective_at", "pk")
        .annotate(day=TruncDate("effective_at", tzinfo=timezone.get_current_timezone()))
        .values("day")[:1]
    )
    planned = (
        StagePlan.objects.for_org(org)
        .filter(inspection=OuterRef("pk"), stage=Stage.MOBILIZATION)
        .values("planned_start")[:1]
    )
    inspections = (
        Inspection.objects.for_org(org)
        .filter(round=round, stage__in=COVERING_STAGES)
        .annotate(
            mobilized_on=Coalesce(
                Subquery(entered, output_field=DateField()),
                Subquery(planned, output_field=DateField()),
            ),
        )
    )
    if outside is not None:
        inspections = inspections.filter(mobilized_on__isnull=False).exclude(
            mobilized_on__range=outside
        )
    return inspections.values("pk", "unit__name", "mobilized_on").order_by("unit__path")


@dataclass(frozen=True)
class PlanCoverageChange:
    plan_pk: int
    plan_name: str
    lost: int  # target units covered now that would no longer be
    gained: int  # target units not covered now that would be


def _overlaps(first: int, last: int, start_year: int, end_year: int) -> bool:
    return first <= end_year and last >= start_year


def plan_coverage_change_list(
    *, round: Round, start_date: date, end_date: date
) -> list[PlanCoverageChange]:
    """How many target units each plan would lose or gain if ``round`` ran from
    ``start_date`` to ``end_date``, by the coverage rule: an inspection of the round counts in
    a plan when the round's years overlap the plan's. A target whose unit is covered anyway
    (another round's inspection, an extension visit) does not change. One query: the targets
    concerned counted per plan; the years are compared here."""
    old = (round.start_date.year, round.end_date.year)
    new = (start_date.year, end_date.year)
    if old == new:
        return []
    org = round.organization
    years: dict[str, Any] = {
        "org": org,
        "start_year": OuterRef("plan__start_year"),
        "end_year": OuterRef("plan__end_year"),
    }
    elsewhere = inspection_covering_list(**years).exclude(round=round).filter(unit=OuterRef("unit"))
    visited = extension_visit_covering_list(**years).filter(unit=OuterRef("unit"))
    counting = Inspection.objects.for_org(org).filter(round=round, stage__in=COVERING_STAGES)
    rows = (
        CoverageTarget.objects.for_org(org)
        .filter(unit_id__in=counting.order_by().values("unit_id"))
        .exclude(Exists(elsewhere))
        .exclude(Exists(visited))
        .values("plan_id", "plan__name", "plan__start_year", "plan__end_year")
        .annotate(n=Count("pk"))
        .order_by("plan__name", "plan_id")
    )
    changes = []
    for row in rows:
        plan_years = (row["plan__start_year"], row["plan__end_year"])
        before, after = _overlaps(*old, *plan_years), _overlaps(*new, *plan_years)
        if before != after:
            lost, gained = (row["n"], 0) if before else (0, row["n"])
            changes.append(PlanCoverageChange(row["plan_id"], row["plan__name"], lost, gained))
    return changes
