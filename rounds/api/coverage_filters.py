"""Filters of the coverage part of the API's lists (``rounds.api.coverage``). Declared, not
generated (generating reads the models' managers at import, outside a scope); a value that is
not valid is refused (400), never an error."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema_field

from accounts.models import Unit
from accounts.selectors import unit_visible_list
from rounds.models import CoveragePlan, CoverageTarget, ExtensionVisit, Round


class YearFilter(django_filters.NumberFilter):
    """A whole year (a decimal one would not be a year) from ``first`` to ``last``."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, first: int, last: int, **kwargs: Any) -> None:
        super().__init__(*args, min_value=first, max_value=last, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 2000, "maximum": 2100})
class PlanYearFilter(YearFilter):
    """A year of a plan (the plan form's bounds)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, first=2000, last=2100, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2999})
class RoundYearFilter(YearFilter):
    """A year of a round (the round list's bounds)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, first=1900, last=2999, **kwargs)


def _archived_filter(what: str) -> django_filters.BooleanFilter:
    # Excluding "not archived" keeps the archived ones, and the other way round.
    return django_filters.BooleanFilter(
        field_name="archived_at",
        lookup_expr="isnull",
        exclude=True,
        help_text=f"Only archived (true) or only current (false) {what}.",
    )


def _visible_units(request: Any) -> QuerySet[Unit]:
    if getattr(request, "membership", None) is None:  # schema generation, refused callers
        return Unit.objects.none()
    return unit_visible_list(org=request.org, membership=request.membership)


class PlanFilter(django_filters.FilterSet):
    archived = _archived_filter("plans")
    search = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", help_text="Only plans whose name has this."
    )
    year = PlanYearFilter(
        method="_in_period",
        help_text="Only plans whose period includes this year.",
    )

    class Meta:
        model = CoveragePlan
        fields: list[str] = []

    def _in_period(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class TargetFilter(django_filters.FilterSet):
    covered = django_filters.BooleanFilter(
        help_text="Only covered (true) or only not yet covered (false) target units."
    )
    planned_year = PlanYearFilter(help_text="Only targets planned for this year.")
    unscheduled = django_filters.BooleanFilter(
        field_name="planned_year",
        lookup_expr="isnull",
        help_text="Only targets without (true) or with (false) a planned year.",
    )
    search = django_filters.CharFilter(
        method="_search", help_text="Only target units whose name or code has this."
    )

    class Meta:
        model = CoverageTarget
        fields: list[str] = []

    def _search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(unit__name__icontains=value) | Q(unit__code__icontains=value))


class ExtensionVisitFilter(django_filters.FilterSet):
    occasion = django_filters.ChoiceFilter(
        choices=ExtensionVisit.Occasion.choices, help_text="Only visits on this occasion."
    )
    unit = django_filters.ModelChoiceFilter(
        queryset=_visible_units, help_text="Only visits of this sub-unit."
    )
    visited_after = django_filters.DateFilter(
        field_name="visited_on", lookup_expr="gte", help_text="Only visits on or after this day."
    )
    visited_before = django_filters.DateFilter(
        field_name="visited_on", lookup_expr="lte", help_text="Only visits on or before this day."
    )

    class Meta:
        model = ExtensionVisit
        fields: list[str] = []


class RoundFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Round.Kind.choices, help_text="Only this kind.")
    year = RoundYearFilter(
        field_name="start_date",
        lookup_expr="year",
        help_text="Only rounds starting in this year.",
    )
    archived = _archived_filter("rounds")

    class Meta:
        model = Round
        fields: list[str] = []
