"""Teams (巡察组) and their members as the API shows and takes them."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from rounds.api.teams.choices import (
    inspector_field,
    inspectors,
    new_leaders,
    team_units,
    unit_field,
    units,
)
from rounds.models import Inspection, Team, TeamMember
from xuncha.tenancy.api import choice_label

# --- Teams ---------------------------------------------------------------------------------


class TeamSeatSerializer(serializers.ModelSerializer):
    """A member as the team shows them."""

    inspector_name = serializers.CharField(
        source="inspector.name",
        read_only=True,
        label=_("full name"),
        help_text="The inspector's full name.",
    )
    role_display = choice_label("role", _("role"), "role")

    class Meta:
        model = TeamMember
        fields = ["id", "inspector", "inspector_name", "role", "role_display"]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The seat's id (a team member record)."},
            "inspector": {"help_text": "Id of the inspector (巡察干部) in the pool."},
            "role": {"help_text": "Leader, deputy leader or member of the team."},
        }


class TeamUnitSerializer(serializers.ModelSerializer):
    """A unit the team inspects, with its inspection."""

    inspection = serializers.IntegerField(
        source="pk", read_only=True, label=_("inspection"), help_text="The inspection's id."
    )
    unit_name = serializers.CharField(
        source="unit.name",
        read_only=True,
        label=_("inspected unit"),
        help_text="The inspected unit's name.",
    )
    stage_display = choice_label("stage", _("stage"), "stage")

    class Meta:
        model = Inspection
        fields = ["inspection", "unit", "unit_name", "stage", "stage_display"]
        read_only_fields = fields
        extra_kwargs = {
            "unit": {"help_text": "Id of the inspected unit."},
            "stage": {"help_text": "Where the inspection of the unit is in its lifecycle."},
        }


def _check_authorization(values: dict[str, Any], *, new_leader: bool = False) -> None:
    """The pages' rule: a leader's authorization is a document number with its date."""
    ref, day = values.get("authorization_ref"), values.get("authorized_on")
    errors: dict[str, Any] = {}
    if new_leader:
        if not ref:
            errors["authorization_ref"] = _("Give the new leader's authorization document number.")
        if not day:
            errors["authorized_on"] = _("Give the date of the new leader's authorization.")
    else:
        if ref and not day:
            errors["authorized_on"] = _("Give the date of the authorization.")
        if day and not ref:
            errors["authorization_ref"] = _("Give the authorization document number.")
    if errors:
        raise serializers.ValidationError(errors)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The first team, its leader authorized for this round",
            value={
                "name": "第一巡察组",
                "authorization_ref": "川电信党委〔2025〕3号",
                "authorized_on": "2025-02-20",
            },
            request_only=True,
        )
    ]
)
class TeamSerializer(serializers.ModelSerializer):
    round_name = serializers.CharField(
        source="round.name", read_only=True, label=_("round"), help_text="The round's name."
    )
    authorized_by_name = serializers.CharField(
        source="authorized_by.display_name",
        read_only=True,
        allow_null=True,
        label=_("authorization recorded by"),
        help_text="Who recorded the leader's authorization; null when none is recorded.",
    )
    members = TeamSeatSerializer(
        many=True,
        read_only=True,
        label=_("team members"),
        help_text="The team's members: leader, deputy leaders and members.",
    )
    units = TeamUnitSerializer(
        source="inspections",
        many=True,
        read_only=True,
        label=_("units"),
        help_text="The units assigned to the team, one inspection each, in tree order.",
    )

    class Meta:
        model = Team
        fields = [
            "id",
            "round",
            "round_name",
            "name",
            "authorization_ref",
            "authorized_on",
            "authorized_by",
            "authorized_by_name",
            "members",
            "units",
        ]
        read_only_fields = ["round", "authorized_by"]
        validators: list[Any] = []  # a name taken in the round is the service's refusal
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The team's id."},
            "round": {"label": _("round"), "help_text": "Id of the round the team works in."},
            "name": {"help_text": "The team's name, unique in its round (e.g. 第一巡察组)."},
            "authorization_ref": {
                "help_text": "Document number of the leader's authorization for this round "
                "(一次一授权); empty when none is recorded yet."
            },
            "authorized_on": {
                "help_text": "Date of the leader's authorization; null when none is recorded.",
                "allow_null": True,
            },
            "authorized_by": {
                "label": _("authorization recorded by"),
                "help_text": "Id of the user who recorded the authorization; null when none is.",
                "allow_null": True,
            },
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        team = self.instance if isinstance(self.instance, Team) else None
        current = (
            {}
            if team is None
            else {
                "authorization_ref": team.authorization_ref,
                "authorized_on": team.authorized_on,
            }
        )
        _check_authorization({**current, **attrs})
        return attrs


class TeamFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(
        lookup_expr="icontains", help_text="Only teams whose name contains this text."
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="inspections__unit",
        queryset=units,
        help_text="Only the team that inspects this unit.",
    )
    inspector = django_filters.ModelChoiceFilter(
        field_name="members__inspector",
        queryset=inspectors,
        help_text="Only the team this inspector is on.",
    )

    class Meta:
        model = Team
        fields: list[str] = []


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Assign 成都分公司",
            value={"unit": 2},
            request_only=True,
        )
    ]
)
class AssignUnitSerializer(serializers.Serializer):
    unit = unit_field(
        label=_("Unit"),
        help_text="Id of the unit to inspect: one inspection per unit and round, in planning.",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Take 成都分公司 back",
            value={"unit": 2},
            request_only=True,
        )
    ]
)
class UnassignUnitSerializer(serializers.Serializer):
    unit = unit_field(
        scope=team_units,
        label=_("Unit"),
        help_text="Id of one of the team's units whose inspection is still in planning.",
    )


# --- Team members ---------------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An auditor joins as a member",
            value={"inspector": 12, "role": "member"},
            request_only=True,
        )
    ]
)
class TeamMemberSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(
        source="team.name", read_only=True, label=_("team"), help_text="The team's name."
    )
    inspector = inspector_field(
        label=_("inspector"), help_text="Id of the inspector (巡察干部) in the pool."
    )
    inspector_name = serializers.CharField(
        source="inspector.name",
        read_only=True,
        label=_("full name"),
        help_text="The inspector's full name.",
    )
    role = serializers.ChoiceField(
        choices=TeamMember.Role.choices,
        label=_("role"),
        help_text="Leader, deputy leader or member of the team.",
    )
    role_display = choice_label("role", _("role"), "role")

    class Meta:
        model = TeamMember
        fields = [
            "id",
            "team",
            "team_name",
            "round",
            "inspector",
            "inspector_name",
            "role",
            "role_display",
            "added_at",
        ]
        read_only_fields = ["team", "round", "added_at"]
        validators: list[Any] = []  # one seat per person and round: the service's refusal
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The team member record's id."},
            "team": {"label": _("team"), "help_text": "Id of the team."},
            "round": {"label": _("round"), "help_text": "Id of the team's round."},
            "added_at": {"label": _("added at"), "help_text": "When they joined the team."},
        }


class TeamMemberFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(
        choices=TeamMember.Role.choices, help_text="Only members in this role."
    )

    class Meta:
        model = TeamMember
        fields: list[str] = []


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The leader leaves on-site work; a member is promoted",
            value={
                "reason": "调任省公司纪委工作",
                "new_leader": 15,
                "authorization_ref": "川电信党委〔2025〕9号",
                "authorized_on": "2025-04-01",
            },
            request_only=True,
        )
    ]
)
class TeamMemberRemovalSerializer(serializers.Serializer):
    reason = serializers.CharField(
        label=_("Reason for the removal"),
        required=False,
        allow_blank=True,
        default="",
        help_text="Why they leave; required while an inspection of the team is under way "
        "(past planning and not closed). Kept in the team's change history.",
    )
    new_leader = inspector_field(
        scope=new_leaders,
        label=_("New leader"),
        required=False,
        allow_null=True,
        help_text="Only when the leader leaves: who leads from now on (a member, promoted, or "
        "a leader-eligible person from the pool); required once an inspection of the team "
        "is past planning.",
    )
    authorization_ref = serializers.CharField(
        label=_("Leader authorization (document no.)"),
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="Document number of the new leader's authorization (with new_leader).",
    )
    authorized_on = serializers.DateField(
        label=_("Authorized on"),
        required=False,
        allow_null=True,
        default=None,
        help_text="Date of the new leader's authorization (with new_leader).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("new_leader") is not None:
            _check_authorization(attrs, new_leader=True)
        return attrs
