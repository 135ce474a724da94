from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from accounts.models import Unit
from accounts.selectors import unit_visible_list
from xuncha.tenancy.views import OrgAPIMixin


class UnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "code", "kind", "kind_display", "parent", "depth", "is_active"]


def _visible_units(request: Any) -> QuerySet[Unit]:
    if getattr(request, "membership", None) is None:  # schema generation, refused callers
        return Unit.objects.none()
    return unit_visible_list(org=request.org, membership=request.membership)


class UnitFilter(django_filters.FilterSet):
    # Choice lists come from what the caller may see: the browsable API renders them, and a
    # filter on a unit the caller cannot see is refused rather than answered.
    # Declared, not generated: generating reads the model's manager at import, outside a scope.
    kind = django_filters.ChoiceFilter(choices=Unit.Kind.choices)
    is_active = django_filters.BooleanFilter()
    parent = django_filters.ModelChoiceFilter(queryset=_visible_units)

    class Meta:
        model = Unit
        fields: list[str] = []


class UnitViewSet(OrgAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Units of the current organization that the caller may see."""

    permission = None
    model = Unit
    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    def get_queryset(self) -> QuerySet[Unit]:
        return unit_visible_list(org=self.request.org, membership=self.request.membership)
