"""Representations and request bodies of the inspections API (``rounds.api.inspections``)."""

from __future__ import annotations

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers

from rounds.models import Inspection, Round, StageTransition
from rounds.selectors.teams import round_all
from rounds.selectors.timeline import inspection_waiting_for
from rounds.services.inspections import PLANNED_STAGES, schedule_field
from rounds.taxonomy import FocusArea, Stage
from xuncha.tenancy.api import ScopedRelatedField


class StagePlanSerializer(serializers.Serializer):
    """The planned dates of one stage (a row of the 进度表)."""

    # Every stage's choices (one "stage" enum in the schema), though closing is never planned.
    stage = serializers.ChoiceField(
        choices=Stage.choices,
        read_only=True,
        label=_("stage"),
        help_text="The stage these dates plan (any stage but closed).",
    )
    stage_display = serializers.CharField(
        read_only=True, label=_("stage"), help_text="The stage's name in the caller's language."
    )
    planned_start = serializers.DateField(
        read_only=True,
        allow_null=True,
        label=_("planned start"),
        help_text="The day the stage is planned to start; null: not planned.",
    )
    planned_end = serializers.DateField(
        read_only=True,
        allow_null=True,
        label=_("planned end"),
        help_text="The last planned day of the stage; null: not planned.",
    )


def _iso(day: Any) -> str | None:
    return None if day is None else day.isoformat()


def schedule_rows(inspection: Inspection) -> list[dict[str, Any]]:
    """Every planned stage in order with its dates (``stage_plans`` prefetched)."""
    plans = {plan.stage: plan for plan in inspection.stage_plans.all()}
    return [
        {
            "stage": stage,
            "stage_display": Stage(stage).label,
            "planned_start": getattr(plans.get(stage), "planned_start", None),
            "planned_end": getattr(plans.get(stage), "planned_end", None),
        }
        for stage in PLANNED_STAGES
    ]


class InspectionSerializer(serializers.ModelSerializer):
    round_name = serializers.CharField(
        source="round.name",
        read_only=True,
        label=_("round name"),
        help_text="The round's name, e.g. 2025年第一轮巡察.",
    )
    unit_name = serializers.CharField(
        source="unit.name",
        read_only=True,
        label=_("inspected unit name"),
        help_text="The inspected unit's name.",
    )
    team_name = serializers.CharField(
        source="team.name",
        read_only=True,
        allow_null=True,
        label=_("team name"),
        help_text="The assigned team's name, e.g. 第一巡察组; null while no team is assigned.",
    )
    stage_display = serializers.CharField(
        source="get_stage_display",
        read_only=True,
        label=_("stage"),
        help_text="The current stage's name in the caller's language.",
    )
    next_stage = serializers.ChoiceField(
        choices=Stage.choices,
        read_only=True,
        allow_null=True,
        label=_("next stage"),
        help_text="The stage it moves to next (the advance action's target); null once closed.",
    )
    next_stage_display = serializers.SerializerMethodField(
        label=_("next stage"),
        help_text="The next stage's name in the caller's language; null once closed.",
    )
    focus_areas = serializers.ListField(
        child=serializers.ChoiceField(choices=FocusArea.choices),
        label=_("focus areas"),
        help_text="The work plan's focus areas (巡察重点), in the order chosen. Required by PUT; "
        "omitted from PATCH: kept.",
    )
    focus_area_labels = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        label=_("focus area names"),
        help_text="The focus areas' names in the caller's language, in the same order.",
    )
    schedule = serializers.SerializerMethodField(
        label=_("Schedule"),
        help_text="The planned dates of every stage but closing (进度表), in stage order; "
        "change them with the schedule action.",
    )

    class Meta:
        model = Inspection
        fields = [
            "id",
            "round",
            "round_name",
            "unit",
            "unit_name",
            "team",
            "team_name",
            "stage",
            "stage_display",
            "stage_entered_at",
            "next_stage",
            "next_stage_display",
            "look_back_of",
            "focus_areas",
            "focus_area_labels",
            "work_plan",
            "schedule",
            "created_at",
            "closed_at",
        ]
        read_only_fields = [
            "round",
            "unit",
            "team",
            "stage",
            "stage_entered_at",
            "look_back_of",
            "created_at",
            "closed_at",
        ]
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The inspection's id."},
            "round": {"label": _("round"), "help_text": "Id of the round (巡察轮次)."},
            "unit": {"help_text": "Id of the inspected unit (被巡察单位)."},
            "team": {"allow_null": True, "help_text": "Id of the assigned team; null: none yet."},
            "stage": {"help_text": "The current stage; it changes only through the stage actions."},
            "stage_entered_at": {
                "allow_null": True,
                "help_text": "When the current stage took effect (for past work entered after "
                "the fact, the day given); null when unknown.",
            },
            "look_back_of": {
                "allow_null": True,
                "help_text": "Id of the closed inspection this look-back (回头看) re-checks; "
                "null for any other inspection.",
            },
            "work_plan": {
                "required": True,
                "help_text": "The work plan's text (工作方案), may be empty. Required by PUT; "
                "omitted from PATCH: kept.",
            },
            "created_at": {"label": _("created at"), "help_text": "When it was entered."},
            "closed_at": {
                "allow_null": True,
                "help_text": "When it was closed (办结); null while it is open.",
            },
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_next_stage_display(self, inspection: Inspection) -> str | None:
        upcoming = inspection.next_stage
        return str(Stage(upcoming).label) if upcoming else None

    @extend_schema_field(StagePlanSerializer(many=True))
    def get_schedule(self, inspection: Inspection) -> Any:
        # As StagePlanSerializer renders them, without a serializer per row: a list page holds
        # seven of them for each of its fifty inspections.
        return [
            {
                "stage": row["stage"],
                "stage_display": str(row["stage_display"]),
                "planned_start": _iso(row["planned_start"]),
                "planned_end": _iso(row["planned_end"]),
            }
            for row in schedule_rows(inspection)
        ]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The work plan of an inspection",
            value={
                "focus_areas": ["political", "personnel", "funds"],
                "work_plan": "聚焦选人用人和资金管理，重点检查2022年以来的“三重一大”决策执行情况。",
            },
            request_only=True,
        )
    ]
)
class InspectionDetailSerializer(InspectionSerializer):
    """One inspection as its page shows it: with what its next stage waits for."""

    waiting_for = serializers.SerializerMethodField(
        label=_("Waiting for"),
        help_text="What the next stage waits for: the messages of its unmet checks, as the "
        "page lists them (empty: it may move on).",
    )

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "waiting_for"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_waiting_for(self, inspection: Inspection) -> list[str]:
        return [str(message) for message in inspection_waiting_for(inspection)]


# --- Request bodies of the actions ----------------------------------------------------------

_REASON = "Why it moves now; shown on the timeline."
_EFFECTIVE_ON = (
    "For past work entered now: the day the move took effect (not in the future, not before "
    "the last move). Omitted or null: now."
)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Start the preparation",
            value={"to_stage": "preparation", "reason": "工作方案已经巡察工作领导小组审定"},
            request_only=True,
        ),
        OpenApiExample(
            "Past work: the on-site inspection began on 1 April",
            value={
                "to_stage": "onsite",
                "reason": "补录2025年第一轮巡察",
                "effective_on": "2025-04-01",
            },
            request_only=True,
        ),
    ]
)
class AdvanceSerializer(serializers.Serializer):
    to_stage = serializers.ChoiceField(
        choices=Stage.choices,
        label=_("Move to"),
        help_text="The stage to enter: the one after the current stage (closing is also the "
        "close action).",
    )
    reason = serializers.CharField(
        default="", allow_blank=True, label=_("Reason"), help_text=_REASON
    )
    exception = serializers.BooleanField(
        default=False,
        label=_("Leadership exception (close despite unmet checks)"),
        help_text="Closing only: the leadership group closes despite unmet checks; a reason "
        "is then required and the waived checks are recorded with it.",
    )
    effective_on = serializers.DateField(
        default=None, allow_null=True, label=_("Effective date"), help_text=_EFFECTIVE_ON
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Close once every item is closed",
            value={"reason": "整改事项全部销号，同意办结"},
            request_only=True,
        ),
        OpenApiExample(
            "Close by a leadership exception",
            value={"reason": "长期整改事项转日常监督跟踪", "exception": True},
            request_only=True,
        ),
    ]
)
class CloseSerializer(serializers.Serializer):
    reason = serializers.CharField(
        default="",
        allow_blank=True,
        label=_("Reason"),
        help_text="Why it is closed; required with an exception. Shown on the timeline.",
    )
    exception = serializers.BooleanField(
        default=False,
        label=_("Leadership exception (close despite unmet checks)"),
        help_text="Close despite unmet checks (e.g. items still open); the waived checks are "
        "recorded with the reason.",
    )
    effective_on = serializers.DateField(
        default=None, allow_null=True, label=_("Effective date"), help_text=_EFFECTIVE_ON
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Reopen for a new acceptance",
            value={"reason": "整改不实，重新验收"},
            request_only=True,
        )
    ]
)
class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True,
        label=_("Why is the inspection reopened?"),
        help_text="Why it is reopened (required, not blank); recorded on the timeline.",
    )


def _rounds(request: Any) -> Any:
    return round_all(org=request.org)


@extend_schema_serializer(
    examples=[OpenApiExample("A look-back round", value={"round": 12}, request_only=True)]
)
class LookBackSerializer(serializers.Serializer):
    round = ScopedRelatedField(
        model=Round,
        scope=_rounds,
        label=_("Look-back round"),
        help_text="Id of the look-back round (回头看, not archived) the new inspection belongs to.",
    )


def _schedule_fields() -> dict[str, serializers.Field]:
    fields: dict[str, serializers.Field] = {}
    edges = (("start", _("{stage}: planned start")), ("end", _("{stage}: planned end")))
    for stage in PLANNED_STAGES:
        for edge, label in edges:
            fields[schedule_field(stage, edge)] = serializers.DateField(
                required=False,
                allow_null=True,
                label=format_lazy(label, stage=Stage(stage).label),
                help_text=f"The planned {edge} of the {stage} stage; null clears it, omitted "
                "keeps it.",
            )
    return fields


def _some_date_named(self: serializers.Serializer, data: dict[str, Any]) -> dict[str, Any]:
    if not data:
        raise serializers.ValidationError(_("Give the planned dates of at least one stage."))
    return data


# The body names each date as the schedule page does (``<stage>_start``, ``<stage>_end``), so a
# refusal names the field the body sent.
ScheduleSerializer = extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The on-site and reporting stages",
            value={
                "onsite_start": "2025-04-01",
                "onsite_end": "2025-04-30",
                "reporting_start": "2025-05-01",
                "reporting_end": "2025-05-30",
            },
            request_only=True,
        )
    ]
)(
    type(
        "ScheduleSerializer",
        (serializers.Serializer,),
        {**_schedule_fields(), "validate": _some_date_named},
    )
)


class StageTransitionSerializer(serializers.ModelSerializer):
    from_stage = serializers.ChoiceField(
        choices=Stage.choices,
        allow_blank=True,
        read_only=True,
        label=_("moved from"),
        help_text="The stage it left; empty for the entry that created the inspection.",
    )
    from_stage_display = serializers.CharField(
        source="get_from_stage_display",
        read_only=True,
        label=_("moved from"),
        help_text="The stage it left, in the caller's language (empty for a creation).",
    )
    to_stage = serializers.ChoiceField(
        choices=Stage.choices, read_only=True, label=_("Move to"), help_text="The stage entered."
    )
    to_stage_display = serializers.CharField(
        source="get_to_stage_display",
        read_only=True,
        label=_("Move to"),
        help_text="The stage entered, in the caller's language.",
    )
    actor = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        label=_("Person"),
        help_text="Id of the user who moved it; null once that account is gone.",
    )
    actor_name = serializers.SerializerMethodField(
        label=_("name of the person"),
        help_text="Who moved it, by display name (empty once the account is gone).",
    )
    back_dated = serializers.SerializerMethodField(
        label=_("entered after the fact"),
        help_text="True when it was entered after it took effect (past work): the timeline "
        "shows both times.",
    )

    class Meta:
        model = StageTransition
        fields = [
            "id",
            "from_stage",
            "from_stage_display",
            "to_stage",
            "to_stage_display",
            "actor",
            "actor_name",
            "reason",
            "effective_at",
            "at",
            "back_dated",
        ]
        read_only_fields = ["reason", "effective_at", "at"]
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The move's id."},
            "reason": {
                "help_text": "Why it moved, as recorded (a reopening or a leadership exception "
                "says so)."
            },
            "effective_at": {
                "help_text": "When it took effect: the time of entry, or the day given for past "
                "work."
            },
            "at": {"help_text": "When it was entered."},
        }

    @extend_schema_field(serializers.CharField())
    def get_actor_name(self, step: StageTransition) -> str:
        return getattr(step, "actor_name", None) or ""

    @extend_schema_field(serializers.BooleanField())
    def get_back_dated(self, step: StageTransition) -> bool:
        return step.effective_at != step.at
