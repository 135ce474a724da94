"""Coverage arithmetic (巡察全覆盖): which target units of a plan are covered, and how.

A target unit is covered when, within the plan period,
- an inspection of it is "closed or running" (stage in ``COVERING_STAGES``) in a round that
  overlaps the plan years, or
- an inspection of one of its ancestors visited it on site, during a supervision visit or at
  acceptance (extension coverage, "三个一批").

Everything is computed in the database with a constant number of queries, whatever the number
of targets, and in time linear in the targets: ``covered`` is "the unit is in the set of covered
units", an uncorrelated ``IN`` that PostgreSQL hashes once per plan (a hashed SubPlan) rather
than probing per target; the figures are grouped aggregates over it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from accounts.models import Organization, Unit
from rounds.models import CoveragePlan, CoverageTarget, ExtensionVisit, Inspection
from rounds.taxonomy import COVERING_STAGES

DEFAULT_SUGGESTIONS = 10

Year = int | OuterRef  # a literal year, or the plan's year seen from a subquery


# -- the two ways to earn coverage ---------------------------------------------------------------


def inspection_covering_list(
    *, org: Organization, start_year: Year, end_year: Year
) -> QuerySet[Inspection]:
    """Inspections that count: closed or running, in a round overlapping the years."""
    return Inspection.objects.for_org(org).filter(
        stage__in=COVERING_STAGES,
        round__start_date__year__lte=end_year,
        round__end_date__year__gte=start_year,
    )


def extension_visit_covering_list(
    *, org: Organization, start_year: Year, end_year: Year
) -> QuerySet[ExtensionVisit]:
    """Extension visits made within the years."""
    return ExtensionVisit.objects.for_org(org).filter(
        visited_on__year__gte=start_year, visited_on__year__lte=end_year
    )


def _last_covered(org: Organization) -> Any:
    """Date a unit was last covered, ever: an inspection counts from its round's start."""
    inspected = (
        Inspection.objects.for_org(org)
        .filter(unit=OuterRef("unit"), stage__in=COVERING_STAGES)
        .order_by("-round__start_date")
        .values("round__start_date")[:1]
    )
    visited = (
        ExtensionVisit.objects.for_org(org)
        .filter(unit=OuterRef("unit"))
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )
    # PostgreSQL's GREATEST ignores NULLs: each subquery runs once per row.
    return Greatest(Subquery(inspected), Subquery(visited))


def _with_coverage(
    targets: QuerySet[CoverageTarget], *, org: Organization, start_year: Year, end_year: Year
) -> QuerySet[CoverageTarget]:
    years: dict[str, Any] = {"org": org, "start_year": start_year, "end_year": end_year}
    # Not correlated with the target: hashed once per plan, so a plan of n targets costs O(n).
    inspected = inspection_covering_list(**years).order_by().values("unit_id")
    visited = extension_visit_covering_list(**years).order_by().values("unit_id")
    return targets.annotate(
        covered=ExpressionWrapper(
            Q(unit_id__in=inspected) | Q(unit_id__in=visited), output_field=BooleanField()
        )
    )


def _plan_targets_with_coverage(
    *, org: Organization, plan: CoveragePlan
) -> QuerySet[CoverageTarget]:
    """The plan's targets, ``covered`` within the plan's own period."""
    return _with_coverage(
        CoverageTarget.objects.for_org(org).filter(plan=plan),
        org=org,
        start_year=plan.start_year,
        end_year=plan.end_year,
    )


# -- plans ---------------------------------------------------------------------------------------


def _count_per_plan(targets: QuerySet[CoverageTarget]) -> Coalesce:
    counted = targets.order_by().values("plan").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def plan_list(*, org: Organization, search: str = "") -> QuerySet[CoveragePlan]:
    """Plans with ``target_count`` and ``covered_count``, in one query.

    Both counts are subqueries per plan row, evaluated only for the rows of the page (no join of
    the targets into the plans, whose GROUP BY would repeat the coverage of every target for
    every other target of its plan)."""
    of_plan = CoverageTarget.objects.for_org(org).filter(plan=OuterRef("pk"))
    covered = _with_coverage(
        of_plan,
        org=org,
        start_year=OuterRef(OuterRef("start_year")),
        end_year=OuterRef(OuterRef("end_year")),
    ).filter(covered=True)  # type: ignore[misc]
    plans = CoveragePlan.objects.for_org(org).annotate(
        target_count=_count_per_plan(of_plan), covered_count=_count_per_plan(covered)
    )
    if search:
        plans = plans.filter(name__icontains=search)
    return plans.order_by("-start_year", "name", "pk")


def plan_all(*, org: Organization) -> QuerySet[CoveragePlan]:
    return CoveragePlan.objects.for_org(org)


def coverage_target_all(*, org: Organization) -> QuerySet[CoverageTarget]:
    return CoverageTarget.objects.for_org(org).select_related("plan", "unit")


def plan_target_list(
    *, org: Organization, plan: CoveragePlan, status: str = "", search: str = ""
) -> QuerySet[CoverageTarget]:
    """The plan's targets in tree order, each with ``covered`` (within the plan period) and
    ``last_covered`` (the date of the last coverage ever, or None)."""
    targets = _plan_targets_with_coverage(org=org, plan=plan).annotate(
        last_covered=_last_covered(org)
    )
    if status in {"covered", "uncovered"}:
        targets = targets.filter(covered=status == "covered")  # type: ignore[misc]
    if search:
        targets = targets.filter(Q(unit__name__icontains=search) | Q(unit__code__icontains=search))
    return targets.select_related("unit").order_by("unit__path")


def plan_target_evidence(
    *, org: Organization, plan: CoveragePlan, targets: list[CoverageTarget]
) -> list[CoverageTarget]:
    """Set ``covering_inspections`` and ``covering_visits`` on each target: HOW it is covered.
    Two queries for the whole list."""
    years: dict[str, Any] = {"org": org, "start_year": plan.start_year, "end_year": plan.end_year}
    unit_ids = [target.unit_id for target in targets]
    inspections = (
        inspection_covering_list(**years)
        .filter(unit_id__in=unit_ids)
        .select_related("round")
        .order_by("-round__start_date", "pk")
    )
    visits = (
        extension_visit_covering_list(**years)
        .filter(unit_id__in=unit_ids)
        .select_related("inspection__round", "inspection__unit")
        .order_by("-visited_on", "-pk")
    )
    inspections_of: defaultdict[int, list[Inspection]] = defaultdict(list)
    visits_of: defaultdict[int, list[ExtensionVisit]] = defaultdict(list)
    for inspection in inspections:
        inspections_of[inspection.unit_id].append(inspection)
    for visit in visits:
        visits_of[visit.unit_id].append(visit)
    for target in targets:
        target.covering_inspections = inspections_of[target.unit_id]  # type: ignore[attr-defined]
        target.covering_visits = visits_of[target.unit_id]  # type: ignore[attr-defined]
    return targets


# -- figures -------------------------------------------------------------------------------------


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass
class LevelCoverage:
    depth: int
    kinds: list[str] = field(default_factory=list)  # Unit.Kind values present at this depth
    total: int = 0
    covered: int = 0

    @property
    def percent(self) -> float:
        return _percent(self.covered, self.total)

    @property
    def label(self) -> str:
        labels = dict(Unit.Kind.choices)
        return " / ".join(str(labels.get(kind, kind)) for kind in self.kinds)


@dataclass(frozen=True)
class YearRemaining:
    year: int
    remaining: int


@dataclass(frozen=True)
class PlanFigures:
    total: int
    covered: int
    levels: list[LevelCoverage]
    remaining_years: list[int]
    per_year: list[YearRemaining]
    unscheduled: int  # uncovered targets without a planned year
    overdue: int  # uncovered targets planned for a year already past
    even_split: int | None  # uncovered / remaining years, rounded up; None once the period is over

    @property
    def percent(self) -> float:
        return _percent(self.covered, self.total)

    @property
    def uncovered(self) -> int:
        return self.total - self.covered


def plan_figures(*, org: Organization, plan: CoveragePlan, today: date) -> PlanFigures:
    """Overall and per-level coverage, and what remains per remaining year: one grouped query
    (targets and covered targets per level, kind and planned year), summed up here."""
    rows = (
        _plan_targets_with_coverage(org=org, plan=plan)
        .values("unit__depth", "unit__kind", "planned_year")
        .annotate(total=Count("pk"), covered_n=Count("pk", filter=Q(covered=True)))
        .order_by("unit__depth", "unit__kind")
    )
    levels: dict[int, LevelCoverage] = {}
    remaining: defaultdict[int | None, int] = defaultdict(int)
    for row in rows:
        level = levels.setdefault(row["unit__depth"], LevelCoverage(depth=row["unit__depth"]))
        if row["unit__kind"] not in level.kinds:
            level.kinds.append(row["unit__kind"])
        level.total += row["total"]
        level.covered += row["covered_n"]
        remaining[row["planned_year"]] += row["total"] - row["covered_n"]
    remaining_years = [year for year in plan.years if year >= today.year]
    uncovered = sum(remaining.values())
    return PlanFigures(
        total=sum(level.total for level in levels.values()),
        covered=sum(level.covered for level in levels.values()),
        levels=list(levels.values()),
        remaining_years=remaining_years,
        per_year=[YearRemaining(year, remaining.get(year, 0)) for year in remaining_years],
        unscheduled=remaining.get(None, 0),
        overdue=sum(n for year, n in remaining.items() if year is not None and year < today.year),
        even_split=math.ceil(uncovered / len(remaining_years)) if remaining_years else None,
    )


def plan_suggested_targets(
    *, org: Organization, plan: CoveragePlan, limit: int = DEFAULT_SUGGESTIONS
) -> list[CoverageTarget]:
    """Uncovered active targets for the next round, oldest first: never covered, then by the date
    of their last coverage (ever), then in tree order.

    Two queries whatever the data: one ranks the targets, one loads the chosen ones with their
    units. The date of the last coverage is one grouped pass over the covering inspections and
    visits, joined to the targets (not a lookup per target), and never-covered targets, which
    have no such date, sort first."""
    limit = max(limit, 0)
    if not limit:
        return []
    years: dict[str, Any] = {"org": org, "start_year": plan.start_year, "end_year": plan.end_year}
    in_period = [
        inspection_covering_list(**years).order_by().values("unit_id"),
        extension_visit_covering_list(**years).order_by().values("unit_id"),
    ]
    ever = [
        Inspection.objects.for_org(org)
        .filter(stage__in=COVERING_STAGES)
        .order_by()
        .values("unit_id", on=F("round__start_date")),
        ExtensionVisit.objects.for_org(org).order_by().values("unit_id", on=F("visited_on")),
    ]
    candidates = (
        CoverageTarget.objects.for_org(org)
        .filter(plan=plan, unit__is_active=True)
        .exclude(Q(unit_id__in=in_period[0]) | Q(unit_id__in=in_period[1]))
        .order_by()
        .values("pk", "unit_id", "unit__path")
    )
    parts = [query.query.sql_with_params() for query in [candidates, *ever]]
    sql = (
        f"WITH candidate (id, unit_id, path) AS ({parts[0][0]}), "  # noqa: S608 - ORM-compiled parts, parameters apart
        f"covering (unit_id, on_date) AS (({parts[1][0]}) UNION ALL ({parts[2][0]})), "
        "last (unit_id, on_date) AS ("
        "  SELECT unit_id, MAX(on_date) FROM covering GROUP BY unit_id"
        ") "
        "SELECT candidate.id, last.on_date FROM candidate "
        "LEFT JOIN last ON last.unit_id = candidate.unit_id "
        "ORDER BY last.on_date ASC NULLS FIRST, candidate.path ASC LIMIT %s"
    )
    params = [*parts[0][1], *parts[1][1], *parts[2][1], limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ranked = cursor.fetchall()
    chosen = (
        CoverageTarget.objects.for_org(org).select_related("unit").in_bulk([r[0] for r in ranked])
    )
    targets = []
    for pk, last_covered in ranked:
        target = chosen[pk]
        target.last_covered = last_covered  # type: ignore[attr-defined]
        targets.append(target)
    return targets


# -- extension visits ----------------------------------------------------------------------------


def extension_visit_list(*, org: Organization, inspection: Inspection) -> QuerySet[ExtensionVisit]:
    return (
        ExtensionVisit.objects.for_org(org)
        .filter(inspection=inspection)
        .select_related("unit", "recorded_by")
        .order_by("-visited_on", "-pk")
    )


def extension_visit_unit_choices(*, org: Organization, inspection: Inspection) -> QuerySet[Unit]:
    """Units that may be visited: the inspected unit's active sub-units."""
    return (
        Unit.objects.for_org(org)
        .filter(path__startswith=inspection.unit.path, is_active=True)
        .exclude(pk=inspection.unit_id)
        .order_by("path")
    )
