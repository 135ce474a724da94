from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from accounts.models import Unit
from accounts.selectors import units_visible_to
from xuncha.tenancy.views import OrgAPIMixin


class UnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "code", "kind", "kind_display", "parent", "depth", "is_active"]


class UnitViewSet(OrgAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Units of the current organization that the caller may see."""

    permission = None
    model = Unit
    serializer_class = UnitSerializer
    filterset_fields = ["kind", "is_active", "parent"]

    def get_queryset(self) -> QuerySet[Unit]:
        return units_visible_to(org=self.request.org, membership=self.request.membership)
