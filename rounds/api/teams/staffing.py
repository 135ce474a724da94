"""Recusal declarations (回避申请) and the team suggestion as the API shows and takes them."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from rounds.api.teams.choices import (
    assignable_units,
    inspector_field,
    parent_team_members,
    unit_field,
)
from rounds.models import Recusal, TeamMember
from rounds.services.suggestion import Proposal
from rounds.taxonomy import Specialty
from xuncha.tenancy.api import ScopedRelatedField, choice_label

# --- Recusals -------------------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A member's spouse works at the unit",
            value={
                "member": 7,
                "unit": 3,
                "reason": "配偶在该单位财务部任职",
                "declared_on": "2025-03-02",
            },
            request_only=True,
        )
    ]
)
class RecusalSerializer(serializers.ModelSerializer):
    team = serializers.IntegerField(
        source="member.team_id", read_only=True, label=_("team"), help_text="Id of the team."
    )
    member = ScopedRelatedField(
        model=TeamMember,
        scope=parent_team_members,
        label=_("Team member"),
        help_text="Id of the team member (seat) declaring the recusal; set when declaring.",
    )
    member_name = serializers.CharField(
        source="member.inspector.name",
        read_only=True,
        label=_("full name"),
        help_text="The declaring member's full name.",
    )
    unit = unit_field(
        scope=assignable_units,
        label=_("unit"),
        help_text="Id of the (active) unit they recuse themselves from.",
    )
    unit_name = serializers.CharField(
        source="unit.name", read_only=True, label=_("unit"), help_text="The unit's name."
    )
    decision_display = choice_label("decision", _("decision"), "decision")
    replacement_name = serializers.CharField(
        source="replacement.name",
        read_only=True,
        allow_null=True,
        label=_("replaced by"),
        help_text="Who works the unit's inspection in the member's place; null: nobody.",
    )

    class Meta:
        model = Recusal
        fields = [
            "id",
            "team",
            "member",
            "member_name",
            "unit",
            "unit_name",
            "reason",
            "declared_on",
            "decision",
            "decision_display",
            "decided_by",
            "replacement",
            "replacement_name",
        ]
        read_only_fields = ["decision", "decided_by", "replacement"]
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The declaration's id."},
            "reason": {"help_text": "Why they recuse themselves (e.g. a relative works there)."},
            "declared_on": {"help_text": "The day the declaration was made."},
            "decision": {"help_text": "Pending until the office approves or rejects it."},
            "decided_by": {
                "label": _("decided by"),
                "help_text": "Id of the user who decided; null while pending.",
                "allow_null": True,
            },
            "replacement": {
                "help_text": "Id of the inspector named by the approval to work the unit's "
                "inspection in the member's place; null: nobody.",
                "allow_null": True,
            },
        }


class RecusalFilter(django_filters.FilterSet):
    decision = django_filters.ChoiceFilter(
        choices=Recusal.Decision.choices, help_text="Only declarations with this decision."
    )
    member = django_filters.ModelChoiceFilter(
        queryset=parent_team_members, help_text="Only this team member's declarations."
    )

    class Meta:
        model = Recusal
        fields: list[str] = []


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Approved, someone from the pool works the unit in the member's place",
            value={"decision": "approved", "replacement": 21},
            request_only=True,
        )
    ]
)
class RecusalDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[
            (Recusal.Decision.APPROVED, Recusal.Decision.APPROVED.label),
            (Recusal.Decision.REJECTED, Recusal.Decision.REJECTED.label),
        ],
        label=_("decision"),
        help_text="Approve or reject the pending declaration.",
    )
    replacement = inspector_field(
        label=_("replaced by"),
        required=False,
        allow_null=True,
        help_text="With an approval only: someone from the pool on no team of this round who "
        "works this unit's inspection in the member's place; omitted or null: nobody.",
    )


# --- The team suggestion --------------------------------------------------------------------


class SuggestionQuerySerializer(serializers.Serializer):
    unit = unit_field(
        scope=assignable_units,
        label=_("Unit to inspect"),
        help_text="Id of the (active) unit to propose the team for.",
    )


def _specialty_list(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=Specialty.choices), read_only=True, **kwargs
    )


class ProposedPickSerializer(serializers.Serializer):
    inspector = serializers.IntegerField(
        source="candidate.pk", read_only=True, label=_("inspector"), help_text="Inspector's id."
    )
    name = serializers.CharField(
        source="candidate.name",
        read_only=True,
        label=_("full name"),
        help_text="The inspector's full name.",
    )
    role = serializers.ChoiceField(
        choices=TeamMember.Role.choices,
        read_only=True,
        label=_("role"),
        help_text="The role proposed for them.",
    )
    role_display = serializers.CharField(
        read_only=True, label=_("role"), help_text="The role's label in the caller's language."
    )
    leader_eligible = serializers.BooleanField(
        source="candidate.leader_eligible",
        read_only=True,
        label=_("eligible as team leader"),
        help_text="Whether they may lead a team.",
    )
    rounds_served = serializers.IntegerField(
        source="candidate.rounds_served",
        read_only=True,
        label=_("Rounds served"),
        help_text="Rounds they have served on a team (fewest first among equals).",
    )
    home_unit_name = serializers.CharField(
        source="candidate.home_unit_name",
        read_only=True,
        allow_null=True,
        label=_("home unit"),
        help_text="Their home unit's name; null when none is recorded.",
    )
    specialties = _specialty_list(
        source="candidate.specialties",
        label=_("specialties"),
        help_text="Their specialties.",
    )


class ProposalSerializer(serializers.Serializer):
    """What the suggestion page proposes: people to add, each with a role."""

    unit = serializers.IntegerField(
        source="unit.pk", read_only=True, label=_("Unit to inspect"), help_text="The unit's id."
    )
    unit_name = serializers.CharField(
        source="unit.name", read_only=True, label=_("unit"), help_text="The unit's name."
    )
    picks = ProposedPickSerializer(
        many=True,
        read_only=True,
        label=_("People"),
        help_text="Proposed people with their roles, in proposal order; the team's current "
        "members are kept and not repeated.",
    )
    needed_specialties = _specialty_list(
        source="needed",
        label=_("Specialties needed by the round's focus areas"),
        help_text="Specialties the round's focus areas need.",
    )
    uncovered_specialties = _specialty_list(
        source="uncovered",
        label=_("Not covered by anyone available"),
        help_text="Needed specialties that neither the team nor the proposal covers.",
    )


def proposal_data(proposal: Proposal) -> dict[str, Any]:
    """``proposal`` as ``ProposalSerializer`` reads it (each pick with its role's label)."""
    labels = dict(TeamMember.Role.choices)
    return {
        "unit": proposal.unit,
        "needed": proposal.needed,
        "uncovered": proposal.uncovered,
        "picks": [
            {"candidate": candidate, "role": role, "role_display": labels[role]}
            for candidate, role in proposal.picks
        ],
    }


class AcceptedPickSerializer(serializers.Serializer):
    inspector = inspector_field(label=_("inspector"), help_text="Id of the inspector to add.")
    role = serializers.ChoiceField(
        choices=TeamMember.Role.choices,
        default=TeamMember.Role.MEMBER,
        label=_("role"),
        help_text="Their role on the team (member when omitted).",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The proposal for 成都分公司, edited: the deputy is made a member",
            value={
                "unit": 2,
                "picks": [
                    {"inspector": 11, "role": "leader"},
                    {"inspector": 14, "role": "member"},
                    {"inspector": 17, "role": "member"},
                ],
            },
            request_only=True,
        )
    ]
)
class AcceptSuggestionSerializer(serializers.Serializer):
    unit = unit_field(label=_("Unit to inspect"), help_text="Id of the unit to assign to the team.")
    picks = AcceptedPickSerializer(
        many=True,
        required=False,
        label=_("People"),
        help_text="The accepted people with their roles (the proposal as edited); all are "
        "added and the unit assigned, or nothing is.",
    )
