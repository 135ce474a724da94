"""State changes for coverage plans and extension coverage: one function per business action."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import Organization, Unit, User
from accounts.selectors import unit_subtree
from history.changes import save_changes
from rounds.models import CoveragePlan, CoverageTarget, ExtensionVisit, Inspection
from rounds.selectors.coverage import plan_target_live_coverage
from rounds.services.archive import check_plan_editable
from rounds.services.closed import while_open
from rounds.taxonomy import STAGE_ORDER, Stage

MAX_PLAN_YEARS = 10

# The stage an inspection must have reached before a visit on that occasion can be recorded.
OCCASION_STAGES: dict[str, Stage] = {
    ExtensionVisit.Occasion.ONSITE: Stage.ONSITE,
    ExtensionVisit.Occasion.SUPERVISION: Stage.RECTIFICATION,
    ExtensionVisit.Occasion.ACCEPTANCE: Stage.ACCEPTANCE,
}


def refresh_coverage(
    *,
    organization: Organization,
    unit_ids: Iterable[int] | None = None,
    plan_ids: Iterable[int] | None = None,
) -> int:
    """Store the coverage rule's result (``covered``, ``last_covered``) on the targets of
    ``organization`` for the given units and/or plans (all of them when neither is given).

    Call it, in the same transaction, after any change to what earns coverage: an inspection's
    stage, unit or round, a round's dates, an extension visit, a plan's period, new targets.
    One query for the plans concerned, then one UPDATE … FROM over the rule computed per plan
    (``plan_target_live_coverage``), writing only the rows whose values change. Returns the
    number of targets changed."""
    plans = CoveragePlan.objects.for_org(organization)
    units = None if unit_ids is None else sorted(set(unit_ids))
    if units is not None:
        if not units:
            return 0
        plans = plans.filter(
            pk__in=CoverageTarget.objects.for_org(organization)
            .filter(unit_id__in=units)
            .values("plan_id")
        )
    if plan_ids is not None:
        plans = plans.filter(pk__in=list(plan_ids))
    parts = []
    for plan in plans.order_by("pk"):
        live = plan_target_live_coverage(org=organization, plan=plan)
        if units is not None:
            live = live.filter(unit_id__in=units)
        parts.append(live.values("pk", "live_covered", "live_last_covered").query)  # type: ignore[misc]
    if not parts:
        return 0
    compiled = [part.sql_with_params() for part in parts]
    live_sql = " UNION ALL ".join(f"({sql})" for sql, _params in compiled)
    table = CoverageTarget._meta.db_table
    sql = (
        f'UPDATE "{table}" AS target SET covered = live.covered, '  # noqa: S608 - ORM-compiled parts
        "last_covered = live.last_covered "
        f"FROM ({live_sql}) AS live (id, covered, last_covered) "
        "WHERE target.id = live.id AND (target.covered, target.last_covered) "
        "IS DISTINCT FROM (live.covered, live.last_covered)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _sql, params in compiled for param in params])
        return cursor.rowcount


def check_plan_years(*, start_year: int, end_year: int) -> None:
    if end_year < start_year:
        raise DomainError(_("The last year cannot be before the first year."), field="end_year")
    if end_year - start_year + 1 > MAX_PLAN_YEARS:
        raise DomainError(
            _("A plan covers at most %(count)d years.") % {"count": MAX_PLAN_YEARS},
            field="end_year",
        )


def _check_plan_name(*, org: Organization, name: str, plan: CoveragePlan | None = None) -> None:
    """Offices tell their plans apart by name: one plan per name in an organization (the
    database's ``uniq_plan_name`` holds it against a concurrent save too)."""
    others = CoveragePlan.objects.for_org(org).filter(name=name)
    if plan is not None:
        others = others.exclude(pk=plan.pk)
    if others.exists():
        raise DomainError(_duplicate_plan_name(name), field="name")


def _duplicate_plan_name(name: str) -> str:
    return _("A plan named %(name)s already exists; give this one another name.") % {"name": name}


@contextmanager
def _saving_plan_name(name: str) -> Iterator[None]:
    """The losing side of a concurrent save of the same name gets the same refusal."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        if "uniq_plan_name" not in str(error):
            raise
        raise DomainError(_duplicate_plan_name(name), field="name") from None


@transaction.atomic
def create_plan(
    *,
    org: Organization,
    actor: User | None,
    name: str,
    start_year: int,
    end_year: int,
    description: str = "",
) -> CoveragePlan:
    check_plan_years(start_year=start_year, end_year=end_year)
    _check_plan_name(org=org, name=name)
    with _saving_plan_name(name):
        return CoveragePlan.objects.create(
            organization=org,
            name=name,
            start_year=start_year,
            end_year=end_year,
            description=description,
            created_by=actor,
        )


@transaction.atomic
def update_plan(
    *,
    plan: CoveragePlan,
    actor: User,
    name: str,
    start_year: int,
    end_year: int,
    description: str = "",
) -> CoveragePlan:
    """Rename or re-period a plan; refused while targets are planned for a year left outside."""
    check_plan_years(start_year=start_year, end_year=end_year)
    plan = CoveragePlan.objects.for_org(plan.organization).select_for_update().get(pk=plan.pk)
    check_plan_editable(plan)
    _check_plan_name(org=plan.organization, name=name, plan=plan)
    stranded = (
        CoverageTarget.objects.for_org(plan.organization)
        .filter(plan=plan, planned_year__isnull=False)
        .exclude(planned_year__range=(start_year, end_year))
    )
    if stranded.exists():
        raise DomainError(
            _("Some targets are planned for a year outside %(first)d–%(last)d: change them first.")
            % {"first": start_year, "last": end_year}
        )
    with _saving_plan_name(name):
        changed = save_changes(
            plan,
            {
                "name": name,
                "description": description,
                "start_year": start_year,
                "end_year": end_year,
            },
        )
    if {"start_year", "end_year"} & set(changed):
        refresh_coverage(organization=plan.organization, plan_ids=[plan.pk])
    return plan


@transaction.atomic
def add_targets(
    *,
    plan: CoveragePlan,
    actor: User,
    unit: Unit,
    include_subunits: bool = False,
    planned_year: int | None = None,
) -> int:
    """Target ``unit`` (and, with ``include_subunits``, its active sub-units) in ``plan``.

    Idempotent: units already targeted are not added twice; a given ``planned_year`` is set on
    them too. Returns the number of targets added."""
    org = plan.organization
    plan = CoveragePlan.objects.for_org(org).select_for_update().get(pk=plan.pk)
    check_plan_editable(plan)
    if unit.organization_id != org.pk:
        raise DomainError(_("The unit must belong to this organization."))
    if not unit.is_active:
        raise DomainError(_("The unit %(name)s is deactivated.") % {"name": unit.name})
    if planned_year is not None and planned_year not in plan.years:
        raise DomainError(
            _("The planned year must be within %(first)d–%(last)d.")
            % {"first": plan.start_year, "last": plan.end_year}
        )
    wanted = {unit.pk}
    if include_subunits:
        wanted |= set(unit_subtree(unit=unit).filter(is_active=True).values_list("pk", flat=True))
    targets = CoverageTarget.objects.for_org(org).filter(plan=plan)
    existing = set(targets.filter(unit_id__in=wanted).values_list("unit_id", flat=True))
    if planned_year is not None and existing:
        targets.filter(unit_id__in=existing).update(planned_year=planned_year)
    new = sorted(wanted - existing)
    CoverageTarget.objects.bulk_create(
        CoverageTarget(organization=org, plan=plan, unit_id=pk, planned_year=planned_year)
        for pk in new
    )
    if new:
        refresh_coverage(organization=org, plan_ids=[plan.pk], unit_ids=new)
    return len(new)


@transaction.atomic
def remove_target(*, target: CoverageTarget, actor: User) -> None:
    plan = target.plan
    check_plan_editable(
        CoveragePlan.objects.for_org(plan.organization).select_for_update().get(pk=plan.pk)
    )
    target.delete()


def _check_visited_unit(*, inspection: Inspection, unit: Unit) -> None:
    inspected = inspection.unit
    if (
        unit.organization_id != inspection.organization_id
        or unit.pk == inspected.pk
        or not unit.path.startswith(inspected.path)
    ):
        raise DomainError(
            _("%(unit)s is not a sub-unit of the inspected unit %(inspected)s.")
            % {"unit": unit.name, "inspected": inspected.name}
        )


@transaction.atomic
@while_open
def record_extension_visit(
    *,
    inspection: Inspection,
    actor: User,
    unit: Unit,
    occasion: str,
    visited_on: datetime.date,
    visit_reference: str,
    notes: str = "",
) -> ExtensionVisit:
    """Record a sub-unit visited by the team (extension coverage): it covers the sub-unit."""
    _check_visited_unit(inspection=inspection, unit=unit)
    if occasion not in OCCASION_STAGES:
        raise DomainError(_("Unknown occasion: %(occasion)s") % {"occasion": occasion})
    needed = OCCASION_STAGES[occasion]
    if STAGE_ORDER.index(inspection.stage) < STAGE_ORDER.index(needed):
        raise DomainError(
            _("This inspection has not reached the stage “%(stage)s” yet.")
            % {"stage": needed.label}
        )
    if visited_on > timezone.localdate():
        raise DomainError(_("A visit cannot be recorded for a future date."))
    visit = ExtensionVisit.objects.create(
        organization=inspection.organization,
        inspection=inspection,
        unit=unit,
        occasion=occasion,
        visited_on=visited_on,
        visit_reference=visit_reference,
        notes=notes,
        recorded_by=actor,
    )
    refresh_coverage(organization=inspection.organization, unit_ids=[unit.pk])
    return visit
