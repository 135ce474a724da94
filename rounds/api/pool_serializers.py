"""Serializers of the pool part of the rounds API (``rounds.api.pool``): an inspector with
specialties as the pool's form has them, a declared relative, a training record; and the
choice lists the pool pages offer (active units to choose, every unit to filter by, active
members' accounts to link)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.models import Unit, User
from accounts.selectors import unit_tree
from rounds.models import Inspector, RelativeDeclaration, TrainingRecord
from rounds.selectors.pool import unit_home_choices, user_linkable_list
from rounds.taxonomy import Specialty
from xuncha.tenancy.api import ScopedRelatedField


def members_only(scope: Any) -> Any:
    """Units of ``scope(request)`` for a caller with a membership; none for schema generation."""

    def scoped(request: Any) -> QuerySet:
        if getattr(request, "membership", None) is None:
            return Unit.objects.none()
        return scope(request)

    return scoped


# What the pool pages offer: active units to choose, every unit (also deactivated) to filter by,
# active members' accounts to link.
home_units = members_only(lambda request: unit_home_choices(org=request.org))
any_units = members_only(lambda request: unit_tree(org=request.org).select_related(None))


def linkable_users(request: Any) -> QuerySet[User]:
    if getattr(request, "membership", None) is None:
        return User.objects.none()
    return user_linkable_list(org=request.org)


# --- Inspectors ------------------------------------------------------------------------------


class SpecialtiesField(serializers.ListField):
    """The inspector's specialties as codes, read from the prefetched rows."""

    def get_attribute(self, instance: Inspector) -> list[str]:
        return [row.specialty for row in instance.specialties.all()]


INSPECTOR_FIELDS = (
    "name",
    "position",
    "user",
    "home_unit",
    "is_external",
    "leader_eligible",
    "phone",
    "notes",
    "is_active",
)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A discipline inspector eligible as team leader",
            value={
                "name": "赵敏",
                "position": "纪检监察室副主任",
                "user": None,
                "home_unit": 3,
                "is_external": False,
                "leader_eligible": True,
                "phone": "028-86001234",
                "notes": "曾任第二巡察组副组长。",
                "is_active": True,
                "specialties": ["discipline", "party"],
            },
            request_only=True,
        )
    ]
)
class InspectorSerializer(serializers.ModelSerializer):
    user = ScopedRelatedField(
        model=User,
        scope=linkable_users,
        label=_("user account"),
        allow_null=True,
        required=False,
        help_text="Id of the active member's account this inspector is; null for an external "
        "person. One inspector per account.",
    )
    user_name = serializers.CharField(
        source="user.display_name",
        read_only=True,
        allow_null=True,
        label=_("user account"),
        help_text="The linked account's name; null without one.",
    )
    home_unit = ScopedRelatedField(
        model=Unit,
        scope=home_units,
        label=_("home unit"),
        allow_null=True,
        required=False,
        help_text="Id of the unit the inspector works in (an active unit; a home unit "
        "deactivated since may stay); grounds for recusal from inspecting it.",
    )
    home_unit_name = serializers.CharField(
        source="home_unit.name",
        read_only=True,
        allow_null=True,
        label=_("home unit"),
        help_text="The home unit's name; null without one.",
    )
    specialties = SpecialtiesField(
        child=serializers.ChoiceField(choices=Specialty.choices),
        required=False,
        label=_("specialties"),
        help_text="The inspector's specialties; an update replaces them all.",
    )
    specialties_display = serializers.SerializerMethodField(
        label=_("specialties"),
        help_text="The specialties' labels in the caller's language, in the order of their codes.",
    )
    rounds_served = serializers.IntegerField(
        read_only=True,
        label=_("Rounds served"),
        help_text="Number of rounds the inspector served on a team.",
    )
    trainings_count = serializers.IntegerField(
        read_only=True,
        label=_("training records"),
        help_text="Number of training records.",
    )

    class Meta:
        model = Inspector
        fields = [
            "id",
            *INSPECTOR_FIELDS[:3],
            "user_name",
            "home_unit",
            "home_unit_name",
            *INSPECTOR_FIELDS[4:],
            "specialties",
            "specialties_display",
            "rounds_served",
            "trainings_count",
            "created_at",
        ]
        extra_kwargs = {
            "id": {"help_text": "The inspector's id.", "label": _("ID")},
            "name": {"help_text": "The inspector's full name."},
            "position": {"help_text": "The inspector's position (职务)."},
            "is_external": {
                "help_text": "True for someone not on staff, such as a retired leader serving "
                "as full-time team leader."
            },
            "leader_eligible": {"help_text": "True when the inspector may lead a team (组长库)."},
            "phone": {
                "help_text": "A mobile number or a landline with its area code; stored compact."
            },
            "notes": {"help_text": "Free notes about the inspector."},
            "is_active": {"help_text": "False for someone no longer drawn on for teams."},
            "created_at": {
                "help_text": "When the inspector was added to the pool.",
                "label": _("created at"),
            },
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_specialties_display(self, inspector: Inspector) -> list[str]:
        return [str(row) for row in inspector.specialties.all()]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        kept = getattr(self.instance, "home_unit_id", None)
        if kept is not None:  # as the edit page: the current home unit stays choosable
            fields["home_unit"].scope = members_only(
                lambda request: (
                    unit_tree(org=request.org).filter(pk=kept) | unit_home_choices(org=request.org)
                )
            )
        return fields


# --- Declared relatives and training records -----------------------------------------------


class _InspectorPart(serializers.ModelSerializer):
    inspector_name = serializers.CharField(
        source="inspector.name",
        read_only=True,
        label=_("inspector"),
        help_text="The inspector's full name.",
    )

    class Meta:
        read_only_fields: ClassVar[list[str]] = ["inspector"]
        extra_kwargs: ClassVar[dict[str, Any]] = {
            "inspector": {"help_text": "Id of the inspector.", "label": _("inspector")},
        }


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A spouse working in 锦江区分公司",
            value={
                "unit": 4,
                "relative_name": "张小红",
                "relation": "配偶",
                "declared_on": "2025-02-01",
            },
            request_only=True,
        )
    ]
)
class RelativeSerializer(_InspectorPart):
    unit = ScopedRelatedField(
        model=Unit,
        scope=home_units,
        label=_("unit"),
        help_text="Id of the (active) unit where the relative works: the inspector is recused "
        "from inspecting it.",
    )
    unit_name = serializers.CharField(
        source="unit.name", read_only=True, label=_("unit"), help_text="The unit's name."
    )

    class Meta(_InspectorPart.Meta):
        model = RelativeDeclaration
        fields = [
            "id",
            "inspector",
            "inspector_name",
            "unit",
            "unit_name",
            "relative_name",
            "relation",
            "declared_on",
        ]
        extra_kwargs = _InspectorPart.Meta.extra_kwargs | {
            "id": {"help_text": "The declaration's id.", "label": _("ID")},
            "relative_name": {"help_text": "The relative's full name."},
            "relation": {"help_text": "How they are related (配偶, 子女, 兄弟姐妹…)."},
            "declared_on": {"help_text": "The day the inspector declared the relative."},
        }


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A training course on audit work",
            value={"title": "审计业务培训", "completed_on": "2025-05-10", "hours": "12.5"},
            request_only=True,
        )
    ]
)
class TrainingSerializer(_InspectorPart):
    class Meta(_InspectorPart.Meta):
        model = TrainingRecord
        fields = ["id", "inspector", "inspector_name", "title", "completed_on", "hours"]
        extra_kwargs = _InspectorPart.Meta.extra_kwargs | {
            "id": {"help_text": "The training record's id.", "label": _("ID")},
            "title": {"help_text": "The training's title."},
            "completed_on": {"help_text": "The day the training was completed."},
            "hours": {
                "help_text": "Hours of training (学时).",
                "min_value": Decimal(0),
                "required": True,  # as the page's form
            },
        }
