"""The accounts part of the API: the unit tree (read by every member as the pages show it;
created, edited, moved, deactivated and reactivated by the org admin through the services)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import services
from accounts.models import Unit
from accounts.roles import MANAGE_UNITS
from accounts.selectors import unit_visible_list
from xuncha.tenancy.api import OrgViewSet, ScopedRelatedField, choice_label


def _visible_units(request: Any) -> QuerySet[Unit]:
    if getattr(request, "membership", None) is None:  # schema generation, refused callers
        return Unit.objects.none()
    return unit_visible_list(org=request.org, membership=request.membership)


def VisibleUnitField(**kwargs: Any) -> ScopedRelatedField:  # noqa: N802 - a field
    """A unit the caller may see, by id; another organization's id is "does not exist"."""
    return ScopedRelatedField(model=Unit, scope=_visible_units, **kwargs)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A county branch under 成都分公司",
            value={
                "name": "金牛区分公司",
                "code": "SC-CD-JN",
                "kind": "county_branch",
                "parent": 2,
            },
            request_only=True,
        )
    ]
)
class UnitSerializer(serializers.ModelSerializer):
    kind_display = choice_label("kind", _("kind"), "kind")
    parent = VisibleUnitField(
        label=_("parent unit"),
        allow_null=True,
        required=False,
        help_text="Id of the unit above; null for a top-level unit. Set when creating; "
        "change it with the move action.",
    )

    class Meta:
        model = Unit
        fields = ["id", "name", "code", "kind", "kind_display", "parent", "depth", "is_active"]
        read_only_fields = ["depth", "is_active"]
        extra_kwargs = {
            "id": {"help_text": "The unit's id.", "label": _("ID")},
            "name": {"help_text": "The unit's full name (被巡察单位名称)."},
            "code": {"help_text": "The unit's code, unique in the organization."},
            "kind": {"help_text": "What kind of unit it is."},
            "depth": {
                "label": _("level"),
                "help_text": "Levels below the top of the tree (0 for a top-level unit).",
            },
            "is_active": {
                "help_text": "False once deactivated (merged or abolished): kept for history."
            },
        }

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | QuerySet):
            fields["parent"].read_only = True  # an update edits; a move re-hangs
        return fields


@extend_schema_serializer(
    examples=[OpenApiExample("Under 绵阳分公司", value={"parent": 4}, request_only=True)]
)
class UnitMoveSerializer(serializers.Serializer):
    parent = VisibleUnitField(
        label=_("parent unit"),
        allow_null=True,
        help_text="The new unit above (the unit moves with its whole subtree); null: top level.",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample("With the units below it", value={"with_subunits": True}, request_only=True)
    ]
)
class UnitReactivateSerializer(serializers.Serializer):
    with_subunits = serializers.BooleanField(
        label=_("with sub-units"),
        default=False,
        help_text="Also reactivate the deactivated units below it.",
    )


class UnitFilter(django_filters.FilterSet):
    # Choice lists come from what the caller may see: a filter on a unit the caller cannot see
    # is refused rather than answered. Declared, not generated: generating reads the model's
    # manager at import, outside a scope.
    kind = django_filters.ChoiceFilter(choices=Unit.Kind.choices, help_text="Only this kind.")
    is_active = django_filters.BooleanFilter(help_text="Only active (true) or deactivated units.")
    parent = django_filters.ModelChoiceFilter(
        queryset=_visible_units, help_text="Only the units directly below this one."
    )

    class Meta:
        model = Unit
        fields: list[str] = []


@extend_schema(tags=["units"])
class UnitViewSet(OrgViewSet):
    """Units (被巡察单位) of the caller's organization that the caller may see, in tree order:
    every unit for the office, only the granted ones for a liaison."""

    permission = None
    action_permissions = {
        "create": MANAGE_UNITS,
        "update": MANAGE_UNITS,
        "partial_update": MANAGE_UNITS,
        "move": MANAGE_UNITS,
        "deactivate": MANAGE_UNITS,
        "reactivate": MANAGE_UNITS,
    }
    model = Unit
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    ordering = ("path",)
    ordering_fields = ["path", "name", "code"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def scoped_queryset(self) -> QuerySet[Unit]:
        return unit_visible_list(org=self.request.org, membership=self.request.membership)

    def perform_create(self, serializer: Any) -> Unit:
        data = serializer.validated_data
        return services.create_unit(
            org=self.request.org,
            actor=self.request.user,
            name=data["name"],
            code=data["code"],
            kind=data.get("kind", Unit.Kind.OTHER),
            parent=data.get("parent"),
        )

    def perform_update(self, serializer: Any) -> Unit:
        return services.update_unit(
            unit=serializer.instance,
            actor=self.request.user,
            **self.edited(serializer, "name", "code", "kind"),
        )

    @extend_schema(request=UnitMoveSerializer, responses=UnitSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        """Re-hang the unit, with its whole subtree, under another unit (or at the top)."""
        return self.act(
            lambda unit, data: services.move_unit(
                unit=unit, actor=request.user, new_parent=data["parent"]
            ),
            serializer_class=UnitMoveSerializer,
        )

    @extend_schema(request=None, responses=UnitSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str) -> Response:
        """Deactivate the unit and every unit below it; refused while an inspection of one of
        them is under way (the same message as the page)."""
        return self.act(lambda unit, data: services.deactivate_unit(unit=unit, actor=request.user))

    @extend_schema(request=UnitReactivateSerializer, responses=UnitSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: str) -> Response:
        """Reactivate the unit (optionally with its deactivated sub-units)."""
        return self.act(
            lambda unit, data: services.reactivate_unit(
                unit=unit, actor=request.user, with_subunits=data["with_subunits"]
            ),
            serializer_class=UnitReactivateSerializer,
        )


ROUTES = [("units", UnitViewSet, "unit")]
