"""Tenant-scoped reads of the inspector pool (巡察人才库)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from accounts.models import Organization, Unit, User
from accounts.rows import pk_url
from accounts.selectors import membership_list, unit_tree
from rounds.models import (
    Inspector,
    InspectorSpecialty,
    RelativeDeclaration,
    TeamMember,
    TrainingRecord,
)
from rounds.taxonomy import Specialty


def inspector_list(*, org: Organization, **filters: Any) -> QuerySet[Inspector]:
    """The pool with specialties, rounds served and training count, in a constant number of
    queries: counts are annotated, specialties prefetched; every filter (``_inspector_filtered``)
    runs in the database."""
    return _inspector_filtered(inspector_detail(org=org), org=org, **filters)


def _inspector_filtered(
    qs: QuerySet[Inspector],
    *,
    org: Organization,
    search: str = "",
    specialty: str = "",
    leader_eligible: bool | None = None,
    external: bool | None = None,
    home_unit: Unit | None = None,
    active: bool | None = None,
) -> QuerySet[Inspector]:
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(position__icontains=search))
    if specialty:
        has_specialty = InspectorSpecialty.objects.for_org(org).filter(
            inspector=OuterRef("pk"), specialty=specialty
        )
        qs = qs.filter(Exists(has_specialty))
    if leader_eligible is not None:
        qs = qs.filter(leader_eligible=leader_eligible)
    if external is not None:
        qs = qs.filter(is_external=external)
    if home_unit is not None:
        qs = qs.filter(home_unit__path__startswith=home_unit.path)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("name", "pk")


@dataclass(slots=True)
class InspectorRow:
    """One line of the pool list, display values resolved (no model instance, no template
    look-ups per row)."""

    pk: int
    name: str
    position: str
    home_unit_name: str
    is_external: bool
    is_active: bool
    leader_eligible: bool
    rounds_served: int
    trainings_count: int
    specialties: list[str]  # labels, in code order
    specialty_badges: SafeString  # the labels as the list shows them
    url: str


ROW_FIELDS = (
    "pk",
    "name",
    "position",
    "home_unit__name",
    "is_external",
    "is_active",
    "leader_eligible",
    "rounds_served",
    "trainings_count",
    "specialty_codes",
)


def inspector_row_list(*, org: Organization, **filters: Any) -> QuerySet[Inspector, dict[str, Any]]:
    """``inspector_list`` as plain values, specialties aggregated into an array per row (one
    query for a page, no instances); ``inspector_rows`` turns a page of them into rows."""
    specialties = (
        InspectorSpecialty.objects.for_org(org)
        .filter(inspector=OuterRef("pk"))
        .order_by()
        .values("inspector")
        .annotate(codes=ArrayAgg("specialty", order_by="specialty"))
        .values("codes")
    )
    qs = Inspector.objects.for_org(org).annotate(
        rounds_served=inspector_rounds_served(org=org),
        trainings_count=_trainings_count(org=org),
        specialty_codes=Subquery(specialties),
    )
    return _inspector_filtered(qs, org=org, **filters).values(*ROW_FIELDS)


def inspector_rows(values: Any) -> list[InspectorRow]:
    """Rows of ``inspector_row_list`` values, labels and links resolved once for the page."""
    labels = {code: str(label) for code, label in Specialty.choices}
    url = pk_url("rounds:inspector_detail")
    badges: dict[tuple[str, ...], SafeString] = {}
    rows = []
    for row in values:
        codes = tuple(row["specialty_codes"] or ())
        if codes not in badges:
            badges[codes] = format_html_join(
                "", BADGE, ((labels.get(code, code),) for code in codes)
            )
        rows.append(
            _inspector_row(row, [labels.get(code, code) for code in codes], badges[codes], url)
        )
    return rows


BADGE = '<span class="badge text-bg-light border me-1">{}</span>'


def _inspector_row(
    row: dict[str, Any], specialties: list[str], badges: SafeString, url: Callable[[Any], str]
) -> InspectorRow:
    return InspectorRow(
        pk=row["pk"],
        name=row["name"],
        position=row["position"],
        home_unit_name=row["home_unit__name"] or "",
        is_external=row["is_external"],
        is_active=row["is_active"],
        leader_eligible=row["leader_eligible"],
        rounds_served=row["rounds_served"],
        trainings_count=row["trainings_count"],
        specialties=specialties,
        specialty_badges=badges,
        url=url(row["pk"]),
    )


def inspector_detail(*, org: Organization) -> QuerySet[Inspector]:
    """Inspectors with everything the list, detail and edit pages show; fetch one by pk."""
    return (
        Inspector.objects.for_org(org)
        .select_related("home_unit", "user")
        .annotate(
            rounds_served=inspector_rounds_served(org=org),
            trainings_count=_trainings_count(org=org),
        )
        .prefetch_related(
            Prefetch(
                "specialties",
                queryset=InspectorSpecialty.objects.for_org(org).order_by("specialty"),
            )
        )
    )


def _count(rows: QuerySet) -> Coalesce:
    counted = rows.order_by().values("inspector").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def inspector_rounds_served(*, org: Organization) -> Coalesce:
    """An inspector's number of rounds served, as a subquery per row: a page of 25 costs 25
    index lookups, where joining the memberships would count the whole pool before paginating.
    (One seat per round is a database constraint, so seats are rounds.)"""
    return _count(TeamMember.objects.for_org(org).filter(inspector=OuterRef("pk")))


def _trainings_count(*, org: Organization) -> Coalesce:
    return _count(TrainingRecord.objects.for_org(org).filter(inspector=OuterRef("pk")))


def relative_list(*, org: Organization) -> QuerySet[RelativeDeclaration]:
    return RelativeDeclaration.objects.for_org(org)


def inspector_relative_list(*, inspector: Inspector) -> QuerySet[RelativeDeclaration]:
    return (
        relative_list(org=inspector.organization)
        .filter(inspector=inspector)
        .select_related("unit")
        .order_by("-declared_on", "pk")
    )


def training_list(*, org: Organization) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.for_org(org)


def inspector_training_list(*, inspector: Inspector) -> QuerySet[TrainingRecord]:
    return (
        training_list(org=inspector.organization)
        .filter(inspector=inspector)
        .order_by("-completed_on", "pk")
    )


def inspector_service_record(*, inspector: Inspector) -> QuerySet[TeamMember]:
    """The teams an inspector served on: one row per round, newest first."""
    return (
        TeamMember.objects.for_org(inspector.organization)
        .filter(inspector=inspector)
        .select_related("team", "round")
        .order_by("-round__start_date", "-round__pk")
    )


def user_linkable_list(*, org: Organization) -> QuerySet[User]:
    """Accounts an inspector may be linked to: active members of this organization."""
    members = membership_list(org=org, active=True).filter(user__is_active=True)
    return User.objects.filter(pk__in=members.values("user")).order_by("full_name", "username")


def unit_home_choices(*, org: Organization) -> QuerySet[Unit]:
    return unit_tree(org=org, include_inactive=False)


def unit_by_code(*, org: Organization) -> dict[str, Unit]:
    """Every unit of the organization by code (the import reports inactive ones by name)."""
    return {unit.code: unit for unit in unit_tree(org=org)}


def inspector_keys(*, org: Organization) -> set[tuple[str, int | None]]:
    """(name, home unit id) of everyone already in the pool, to refuse importing them twice:
    the pool's rule for one person (see ``inspector_same_person_list``)."""
    return set(Inspector.objects.for_org(org).values_list("name", "home_unit_id"))


def inspector_same_person_list(
    *, org: Organization, name: str, home_unit: Unit | None
) -> QuerySet[Inspector]:
    """Whoever the pool counts as this person: the same name in the same home unit, or both
    without one (the key of ``inspector_keys``)."""
    return Inspector.objects.for_org(org).filter(name=name, home_unit=home_unit)
