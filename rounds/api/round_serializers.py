"""What the API reads and writes of a round (巡察轮次); the viewset is ``rounds.api.coverage``'s."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from rounds.models import Round
from rounds.taxonomy import FocusArea
from xuncha.tenancy.api import choice_label


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A routine round",
            value={
                "name": "2025年第一轮巡察",
                "kind": "routine",
                "start_date": "2025-03-01",
                "end_date": "2025-06-30",
                "focus_areas": ["political", "personnel", "major_decisions"],
                "description": "对成都、绵阳分公司开展常规巡察。",
            },
            request_only=True,
        )
    ]
)
class RoundSerializer(serializers.ModelSerializer):
    kind_display = choice_label("kind", _("kind"), "kind")
    focus_areas = serializers.ListField(
        child=serializers.ChoiceField(choices=FocusArea.choices),
        required=False,
        label=_("focus areas"),
        help_text="The areas the round examines first (巡察重点).",
    )
    focus_areas_display = serializers.SerializerMethodField(
        label=_("focus areas"), help_text="The focus areas' labels in the caller's language."
    )
    is_archived = serializers.BooleanField(
        read_only=True,
        label=_("Archived"),
        help_text="True once archived: hidden from lists and pickers and read-only.",
    )
    team_count = serializers.IntegerField(
        read_only=True, label=_("number of teams"), help_text="How many teams the round has."
    )
    inspection_count = serializers.IntegerField(
        read_only=True,
        label=_("number of inspections"),
        help_text="How many units the round inspects.",
    )

    class Meta:
        model = Round
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "start_date",
            "end_date",
            "focus_areas",
            "focus_areas_display",
            "description",
            "created_at",
            "archived_at",
            "is_archived",
            "team_count",
            "inspection_count",
        ]
        read_only_fields = ["created_at", "archived_at"]
        extra_kwargs = {
            "id": {"help_text": "The round's id.", "label": _("ID")},
            "name": {"help_text": "The round's name, e.g. 2025年第一轮巡察."},
            "kind": {"help_text": "What kind of round it is."},
            "start_date": {"help_text": "The day the round starts."},
            "end_date": {"help_text": "The day the round ends (at most 366 days after the start)."},
            "description": {"help_text": "What the round is about, in a few sentences."},
            "created_at": {"help_text": "When the round was entered.", "label": _("created at")},
            "archived_at": {"help_text": "When the round was archived; null while it is not."},
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_focus_areas_display(self, round: Round) -> list[str]:
        return [
            str(FocusArea(code).label) for code in round.focus_areas if code in FocusArea.values
        ]
