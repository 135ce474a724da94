"""Coverage arithmetic (巡察全覆盖): which target units of a plan are covered, and how.

A target unit is covered when, within the plan period,
- an inspection of it is "closed or running" (stage in ``COVERING_STAGES``) in a round that
  overlaps the plan years, or
- an inspection of one of its ancestors visited it on site, during a supervision visit or at
  acceptance (extension coverage, "三个一批").

The rule is computed here, in the database, once (``plan_target_live_coverage``): ``covered`` is
"the unit is in the set of covered units", an uncorrelated ``IN`` that PostgreSQL hashes once per
plan rather than probing per target. Its result is stored on each target (``covered``,
``last_covered``) by ``rounds.services.coverage.refresh_coverage``, which every service that
changes what earns coverage calls; the pages read the stored fields (grouped counts, an indexed
ordering), a constant number of queries whatever the number of targets.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
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
from django.utils import formats
from django.utils.safestring import mark_safe

from accounts.models import Organization, Unit
from accounts.rows import choice_labels, pk_url
from rounds.models import CoveragePlan, CoverageTarget, ExtensionVisit, Inspection
from rounds.taxonomy import COVERING_STAGES, STAGE_ORDER

DEFAULT_SUGGESTIONS = 10
# The stages before coverage counts (planning, preparation), named so the stage index is used.
PLANNED_STAGES = [stage for stage in STAGE_ORDER if stage not in COVERING_STAGES]

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


def inspection_planned_list(
    *, org: Organization, start_year: Year, end_year: Year
) -> QuerySet[Inspection]:
    """Inspections on their way to coverage: in a round overlapping the years, not yet at a
    covering stage (still being planned or prepared). Their units are already in a planned
    round; once mobilized they count (``inspection_covering_list``)."""
    return Inspection.objects.for_org(org).filter(
        stage__in=PLANNED_STAGES,
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
        live_covered=ExpressionWrapper(
            Q(unit_id__in=inspected) | Q(unit_id__in=visited), output_field=BooleanField()
        )
    )


def plan_target_live_coverage(*, org: Organization, plan: CoveragePlan) -> QuerySet[CoverageTarget]:
    """The coverage rule itself, computed now: the plan's targets with ``live_covered`` (within
    the plan's period) and ``live_last_covered`` (the last coverage ever, or None).

    The pages read the stored ``covered`` and ``last_covered`` instead, which
    ``rounds.services.coverage.refresh_coverage`` sets from this."""
    return _with_coverage(
        CoverageTarget.objects.for_org(org).filter(plan=plan),
        org=org,
        start_year=plan.start_year,
        end_year=plan.end_year,
    ).annotate(live_last_covered=_last_covered(org))


# -- plans ---------------------------------------------------------------------------------------


def _count_per_plan(targets: QuerySet[CoverageTarget]) -> Coalesce:
    counted = targets.order_by().values("plan").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def plan_list(
    *, org: Organization, search: str = "", archived: bool = False
) -> QuerySet[CoveragePlan]:
    """Plans with ``target_count`` and ``covered_count``, in one query; the archived ones only
    with ``archived``.

    Both counts are subqueries per plan row over the targets' stored coverage, evaluated only
    for the rows of the page."""
    of_plan = CoverageTarget.objects.for_org(org).filter(plan=OuterRef("pk"))
    covered = of_plan.filter(covered=True)
    plans = CoveragePlan.objects.for_org(org).annotate(
        target_count=_count_per_plan(of_plan), covered_count=_count_per_plan(covered)
    )
    if not archived:
        plans = plans.filter(archived_at__isnull=True)
    if search:
        plans = plans.filter(name__icontains=search)
    return plans.order_by("-start_year", "name", "pk")


def plan_all(*, org: Organization) -> QuerySet[CoveragePlan]:
    return CoveragePlan.objects.for_org(org)


def coverage_target_all(*, org: Organization) -> QuerySet[CoverageTarget]:
    return CoverageTarget.objects.for_org(org).select_related("plan", "unit")


# What the plan page shows of a target and of its unit.
_TARGET_ROW = (
    "pk",
    "plan_id",
    "unit_id",
    "planned_year",
    "covered",
    "last_covered",
    "unit__name",
    "unit__kind",
    "unit__depth",
    "unit__is_active",
)


def plan_target_list(
    *, org: Organization, plan: CoveragePlan, status: str = "", search: str = ""
) -> QuerySet[CoverageTarget]:
    """The plan's targets in tree order, each with its stored ``covered`` (within the plan
    period) and ``last_covered`` (the date of the last coverage ever, or None)."""
    targets = CoverageTarget.objects.for_org(org).filter(plan=plan)
    if status in {"covered", "uncovered"}:
        targets = targets.filter(covered=status == "covered")
    if search:
        targets = targets.filter(Q(unit__name__icontains=search) | Q(unit__code__icontains=search))
    return targets.select_related("unit").only(*_TARGET_ROW).order_by("unit__path")


def plan_target_evidence(
    *, org: Organization, plan: CoveragePlan, targets: list[CoverageTarget]
) -> list[CoverageTarget]:
    """Set ``covering_inspections`` (each with ``round_name``) and ``covering_visits`` (each with
    ``round_name`` and ``inspected_unit_name``) on each target: HOW it is covered. One query for
    the whole list: the inspections and the visits as plain rows of one ``UNION ALL``, built into
    light instances here (only the fields shown)."""
    years: dict[str, Any] = {"org": org, "start_year": plan.start_year, "end_year": plan.end_year}
    unit_ids = [target.unit_id for target in targets]
    columns = ("kind", "pk", "unit_id", "code", "reference", "on", "round_name", "sub", "sort")
    no_text, no_date = Value("", output_field=CharField()), Value(None, output_field=DateField())
    inspections = (
        inspection_covering_list(**years)
        .filter(unit_id__in=unit_ids)
        .annotate(
            kind=Value("i", output_field=CharField()),
            code=F("stage"),
            reference=no_text,
            on=no_date,
            round_name=F("round__name"),
            sub=no_text,
            sort=F("round__start_date"),
        )
        .order_by()
        .values_list(*columns)
    )
    visits = (
        extension_visit_covering_list(**years)
        .filter(unit_id__in=unit_ids)
        .annotate(
            kind=Value("v", output_field=CharField()),
            code=F("occasion"),
            reference=F("visit_reference"),
            on=F("visited_on"),
            round_name=F("inspection__round__name"),
            sub=F("inspection__unit__name"),
            sort=F("visited_on"),
        )
        .order_by()
        .values_list(*columns)
    )
    inspections_of: defaultdict[int, list[Inspection]] = defaultdict(list)
    visits_of: defaultdict[int, list[ExtensionVisit]] = defaultdict(list)
    # Newest first: inspections by their round's start then id, visits by date then newest id.
    rows = sorted(
        inspections.union(visits, all=True).order_by(),
        key=lambda row: (row[8], row[1] if row[0] == "v" else -row[1]),
        reverse=True,
    )
    for kind, pk, unit_id, code, reference, on, round_name, sub, _sort in rows:
        if kind == "i":
            inspection = Inspection(pk=pk, unit_id=unit_id, stage=code)
            inspection.round_name = round_name  # type: ignore[attr-defined]
            inspections_of[unit_id].append(inspection)
        else:
            visit = ExtensionVisit(
                pk=pk, unit_id=unit_id, occasion=code, visit_reference=reference, visited_on=on
            )
            visit.round_name = round_name  # type: ignore[attr-defined]
            visit.inspected_unit_name = sub  # type: ignore[attr-defined]
            visits_of[unit_id].append(visit)
    for target in targets:
        target.covering_inspections = inspections_of[target.unit_id]  # type: ignore[attr-defined]
        target.covering_visits = visits_of[target.unit_id]  # type: ignore[attr-defined]
    return targets


def plan_target_rows(targets: list[CoverageTarget]) -> list[dict[str, Any]]:
    """What each row of the plan page's targets table shows (``plan_target_evidence``'s
    targets), resolved once per page (labels, URLs, dates): the template's loop only prints
    values."""
    unit_url = pk_url("accounts:unit_detail")
    inspection_url = pk_url("rounds:inspection_detail")
    remove_url = pk_url("rounds:plan_target_remove")
    kinds = choice_labels(Unit, "kind")
    occasions = choice_labels(ExtensionVisit, "occasion")
    indent = '<span class="indent"></span>'
    rows = []
    for target in targets:
        unit = target.unit
        rows.append(
            {
                "indent": mark_safe(indent * unit.depth),  # noqa: S308 (constant markup)
                "url": unit_url(unit.pk),
                "name": unit.name,
                "kind": kinds.get(unit.kind, unit.kind),
                "active": unit.is_active,
                "planned_year": target.planned_year or "—",
                "covered": target.covered,
                "inspections": [
                    {
                        "url": inspection_url(inspection.pk),
                        "round": inspection.round_name,
                        "stage": inspection.stage,  # the code: {% stage_badge %} labels it
                    }
                    for inspection in target.covering_inspections  # type: ignore[attr-defined]
                ],
                "visits": [
                    {
                        "occasion": occasions.get(visit.occasion, visit.occasion),
                        "reference": visit.visit_reference,
                        "on": formats.localize(visit.visited_on),
                        "round": visit.round_name,
                        "unit": visit.inspected_unit_name,
                    }
                    for visit in target.covering_visits  # type: ignore[attr-defined]
                ],
                "last_covered": target.last_covered.isoformat() if target.last_covered else "—",
                "remove_url": remove_url(target.pk),
            }
        )
    return rows


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


def plan_figure_rows(*, org: Organization, plan: CoveragePlan) -> list[list[Any]]:
    """The plan's targets counted per level, kind and planned year, from the targets
    themselves: ``[depth, kind, planned_year, total, covered]`` rows."""
    rows = (
        CoverageTarget.objects.for_org(org)
        .filter(plan=plan)
        .values("unit__depth", "unit__kind", "planned_year")
        .annotate(total=Count("pk"), covered_n=Count("pk", filter=Q(covered=True)))
        .order_by("unit__depth", "unit__kind", "planned_year")
    )
    return [
        [row["unit__depth"], row["unit__kind"], row["planned_year"], row["total"], row["covered_n"]]
        for row in rows
    ]


def _kept(*, org: Organization, plan: CoveragePlan, field: str, count: Callable[[], Any]) -> Any:
    """``plan``'s stored ``field`` (``figures`` or ``suggested``), or else ``count()``, stored for
    the next page. The database clears both whenever a change could alter them; what was
    counted is stored only if no change came after ``plan`` was read (its version still
    matches), or a stale result would outlive the change."""
    stored = getattr(plan, field)
    if stored is not None:
        return stored
    value = count()
    CoveragePlan.objects.for_org(org).filter(
        pk=plan.pk, figures_version=plan.figures_version
    ).update(**{field: value})
    return value


def plan_figures(*, org: Organization, plan: CoveragePlan, today: date) -> PlanFigures:
    """Overall and per-level coverage, and what remains per remaining year, summed up from the
    plan's stored grouped counts (``_kept``): no query while they are current."""
    rows = _kept(
        org=org, plan=plan, field="figures", count=lambda: plan_figure_rows(org=org, plan=plan)
    )
    levels: dict[int, LevelCoverage] = {}
    remaining: defaultdict[int | None, int] = defaultdict(int)
    for depth, kind, planned_year, total, covered in rows:
        level = levels.setdefault(depth, LevelCoverage(depth=depth))
        if kind not in level.kinds:
            level.kinds.append(kind)
        level.total += total
        level.covered += covered
        remaining[planned_year] += total - covered
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
    of their last coverage (ever), then in tree order. Units already in a planned round of the
    period (``inspection_planned_list``) are left out: the office has placed them already.

    One query over the stored coverage, in two indexed halves: the never-covered first ``limit``
    in tree order (walking the units' path index, not sorting every never-covered target) and
    the first ``limit`` by date; merged here. The planned units are one uncorrelated ``NOT IN``,
    hashed once."""
    limit = max(limit, 0)
    if not limit:
        return []
    years: dict[str, Any] = {"org": org, "start_year": plan.start_year, "end_year": plan.end_year}
    planned = inspection_planned_list(**years).order_by().values("unit_id")
    uncovered = (
        CoverageTarget.objects.for_org(org)
        .filter(plan=plan, covered=False, unit__is_active=True)
        .exclude(unit_id__in=planned)
        .select_related("unit")
        .only(*_TARGET_ROW, "unit__path")
    )
    never = uncovered.filter(last_covered__isnull=True).order_by("unit__path")[:limit]
    dated = uncovered.filter(last_covered__isnull=False).order_by("last_covered", "unit__path")
    both = never.union(dated[:limit], all=True)
    return sorted(
        both, key=lambda t: (t.last_covered is not None, t.last_covered or date.min, t.unit.path)
    )[:limit]


def plan_suggestions(
    *, org: Organization, plan: CoveragePlan, limit: int = DEFAULT_SUGGESTIONS
) -> list[dict[str, Any]]:
    """What the plan page lists of ``plan_suggested_targets``: each unit's ``name`` and
    ``last_covered`` (a date, or None). The default number is kept on the plan (``_kept``)."""

    def count(limit: int = limit) -> list[list[Any]]:
        targets = plan_suggested_targets(org=org, plan=plan, limit=limit)
        return [
            [t.unit.name, t.last_covered.isoformat() if t.last_covered else None] for t in targets
        ]

    rows = (
        _kept(org=org, plan=plan, field="suggested", count=count)
        if limit == DEFAULT_SUGGESTIONS
        else count()
    )
    return [
        {"name": name, "last_covered": date.fromisoformat(last) if last else None}
        for name, last in rows
    ]


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
