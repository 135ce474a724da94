"""What the coverage part of the API reads and writes: coverage plans (巡察规划), their figures
and suggestion, plan targets with how each is covered, and extension visits (延伸巡察). The
viewsets are ``rounds.api.coverage``'s (a round's fields are in ``round_serializers``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.models import Unit
from accounts.selectors import unit_tree
from rounds.models import CoveragePlan, CoverageTarget, ExtensionVisit
from rounds.selectors.coverage import extension_visit_unit_choices
from rounds.taxonomy import Stage
from xuncha.tenancy.api import ScopedRelatedField, choice_label

# -- coverage plans -------------------------------------------------------------------------------


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A three-year plan",
            value={
                "name": "2024—2026年巡察规划",
                "start_year": 2024,
                "end_year": 2026,
                "description": "党委任期内对所属市州分公司、县区分公司实现巡察全覆盖。",
            },
            request_only=True,
        )
    ]
)
class PlanSerializer(serializers.ModelSerializer):
    # The plan form's bounds: the service checks the order and length of the period.
    start_year = serializers.IntegerField(
        label=_("first year"),
        min_value=2000,
        max_value=2100,
        help_text="The first year of the plan period.",
    )
    end_year = serializers.IntegerField(
        label=_("last year"),
        min_value=2000,
        max_value=2100,
        help_text="The last year of the plan period (at most 10 years after the first).",
    )
    is_archived = serializers.BooleanField(
        read_only=True,
        label=_("Archived"),
        help_text="True once archived: hidden from the plan list and read-only.",
    )
    target_count = serializers.IntegerField(
        read_only=True,
        label=_("number of target units"),
        help_text="How many units the plan targets.",
    )
    covered_count = serializers.IntegerField(
        read_only=True,
        label=_("number of covered units"),
        help_text="How many of its target units are covered within the plan period.",
    )
    covered_percent = serializers.SerializerMethodField(
        label=_("coverage rate (%)"),
        help_text="Covered target units as a percentage of all, to one decimal (0: no targets).",
    )

    class Meta:
        model = CoveragePlan
        fields = [
            "id",
            "name",
            "start_year",
            "end_year",
            "description",
            "created_at",
            "archived_at",
            "is_archived",
            "target_count",
            "covered_count",
            "covered_percent",
        ]
        read_only_fields = ["created_at", "archived_at"]
        extra_kwargs = {
            "id": {"help_text": "The plan's id.", "label": _("ID")},
            "name": {"help_text": "The plan's name, unique in the organization."},
            "description": {"help_text": "What the plan aims at, in a few sentences."},
            "created_at": {"help_text": "When the plan was entered.", "label": _("created at")},
            "archived_at": {"help_text": "When the plan was archived; null while it is not."},
        }

    @extend_schema_field(serializers.FloatField())
    def get_covered_percent(self, plan: CoveragePlan) -> float:
        total = plan.target_count  # type: ignore[attr-defined]
        return round(100 * plan.covered_count / total, 1) if total else 0.0  # type: ignore[attr-defined]


class LevelCoverageSerializer(serializers.Serializer):
    depth = serializers.IntegerField(
        label=_("Level"), help_text="Levels below the top of the unit tree (0 for the top)."
    )
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Unit.Kind.choices),
        label=_("unit kind"),
        help_text="The kinds of the target units at this level.",
    )
    label = serializers.CharField(
        label=_("Level"), help_text="The level named by its kinds, in the caller's language."
    )
    total = serializers.IntegerField(
        label=_("number of target units"), help_text="Target units at this level."
    )
    covered = serializers.IntegerField(
        label=_("number of covered units"), help_text="Covered target units at this level."
    )
    percent = serializers.FloatField(
        label=_("coverage rate (%)"), help_text="Covered share of this level, in percent."
    )


class YearRemainingSerializer(serializers.Serializer):
    year = serializers.IntegerField(label=_("year"), help_text="A remaining year of the period.")
    remaining = serializers.IntegerField(
        label=_("Planned, not yet covered"),
        help_text="Target units planned for this year and not yet covered.",
    )


class PlanFiguresSerializer(serializers.Serializer):
    """The plan page's figures (read from what the plan stores between changes)."""

    total = serializers.IntegerField(
        label=_("number of target units"), help_text="How many units the plan targets."
    )
    covered = serializers.IntegerField(
        label=_("number of covered units"),
        help_text="Target units covered within the plan period.",
    )
    uncovered = serializers.IntegerField(
        label=_("Not yet covered"), help_text="Target units not yet covered."
    )
    percent = serializers.FloatField(
        label=_("coverage rate (%)"),
        help_text="Covered target units as a percentage of all, to one decimal.",
    )
    levels = LevelCoverageSerializer(
        many=True,
        label=_("Coverage per level"),
        help_text="Coverage per level of the unit tree, top level first.",
    )
    remaining_years = serializers.ListField(
        child=serializers.IntegerField(),
        label=_("remaining years"),
        help_text="The years of the period from this year on (empty once the period is over).",
    )
    per_year = YearRemainingSerializer(
        many=True,
        label=_("What remains per year"),
        help_text="For each remaining year, the target units planned for it not yet covered.",
    )
    unscheduled = serializers.IntegerField(
        label=_("Not scheduled"), help_text="Uncovered target units without a planned year."
    )
    overdue = serializers.IntegerField(
        label=_("Planned for a past year"),
        help_text="Uncovered target units planned for a year already past.",
    )
    even_split = serializers.IntegerField(
        allow_null=True,
        label=_("at least per year"),
        help_text="Uncovered target units divided by the remaining years, rounded up: how many "
        "to cover each year; null once the period is over.",
    )


class SuggestionQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        min_value=1,
        max_value=100,
        default=10,
        label=_("How many"),
        help_text="How many units to suggest (1–100, 10 by default as on the plan page).",
    )


class SuggestionSerializer(serializers.Serializer):
    """An uncovered target unit suggested for the next round."""

    id = serializers.IntegerField(source="pk", label=_("plan target"), help_text="The target's id.")
    unit = serializers.IntegerField(source="unit_id", label=_("unit"), help_text="The unit's id.")
    unit_name = serializers.CharField(
        source="unit.name", label=_("unit name"), help_text="The unit's name."
    )
    last_covered = serializers.DateField(
        allow_null=True,
        label=_("last covered"),
        help_text="When the unit was last covered (ever); null if it never was.",
    )


# -- plan targets ---------------------------------------------------------------------------------


class CoveringInspectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        source="pk", label=_("inspection"), help_text="The covering inspection's id."
    )
    round_name = serializers.CharField(
        label=_("round name"), help_text="The name of the inspection's round."
    )
    stage = serializers.ChoiceField(
        choices=Stage.choices, label=_("stage"), help_text="The inspection's stage."
    )
    stage_display = serializers.CharField(
        source="get_stage_display", label=_("stage"), help_text="The stage's label."
    )


class CoveringVisitSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        source="pk", label=_("extension visit"), help_text="The covering extension visit's id."
    )
    occasion = serializers.ChoiceField(
        choices=ExtensionVisit.Occasion.choices,
        label=_("occasion"),
        help_text="During which work the sub-unit was visited.",
    )
    occasion_display = serializers.CharField(
        source="get_occasion_display", label=_("occasion"), help_text="The occasion's label."
    )
    visit_reference = serializers.CharField(
        label=_("which visit"), help_text="Which visit it was (e.g. the second supervision visit)."
    )
    visited_on = serializers.DateField(label=_("visited on"), help_text="The day of the visit.")
    round_name = serializers.CharField(
        label=_("round name"), help_text="The round of the inspection that made the visit."
    )
    inspected_unit_name = serializers.CharField(
        label=_("inspected unit"), help_text="The unit whose inspection made the visit."
    )


class TargetSerializer(serializers.ModelSerializer):
    """A target unit of a plan with its coverage as the plan page shows it. The covering
    inspections and visits are set on the targets beforehand (``plan_target_evidence``)."""

    plan = serializers.IntegerField(
        source="plan_id", read_only=True, label=_("coverage plan"), help_text="The plan's id."
    )
    unit = serializers.IntegerField(
        source="unit_id", read_only=True, label=_("unit"), help_text="The target unit's id."
    )
    unit_name = serializers.CharField(
        source="unit.name", read_only=True, label=_("unit name"), help_text="The unit's name."
    )
    unit_kind = serializers.ChoiceField(
        source="unit.kind",
        choices=Unit.Kind.choices,
        read_only=True,
        label=_("unit kind"),
        help_text="What kind of unit it is.",
    )
    unit_kind_display = serializers.CharField(
        source="unit.get_kind_display",
        read_only=True,
        label=_("unit kind"),
        help_text="The unit kind's label in the caller's language.",
    )
    unit_depth = serializers.IntegerField(
        source="unit.depth",
        read_only=True,
        label=_("Level"),
        help_text="Levels below the top of the unit tree (0 for the top).",
    )
    unit_is_active = serializers.BooleanField(
        source="unit.is_active",
        read_only=True,
        label=_("active"),
        help_text="False once the unit is deactivated; its target stays in the plan.",
    )
    covering_inspections = CoveringInspectionSerializer(
        many=True,
        read_only=True,
        label=_("covering inspections"),
        help_text="The inspections of the unit that cover it within the plan period, newest first.",
    )
    covering_visits = CoveringVisitSerializer(
        many=True,
        read_only=True,
        label=_("covering extension visits"),
        help_text="The extension visits of the unit that cover it within the plan period, "
        "newest first.",
    )

    class Meta:
        model = CoverageTarget
        fields = [
            "id",
            "plan",
            "unit",
            "unit_name",
            "unit_kind",
            "unit_kind_display",
            "unit_depth",
            "unit_is_active",
            "planned_year",
            "covered",
            "last_covered",
            "covering_inspections",
            "covering_visits",
        ]
        read_only_fields = ["planned_year"]
        extra_kwargs = {
            "id": {"help_text": "The target's id.", "label": _("ID")},
            "planned_year": {"help_text": "The year it is planned for; null: not scheduled."},
            "covered": {"help_text": "Whether the unit is covered within the plan period."},
            "last_covered": {
                "help_text": "When the unit was last covered (ever); null if it never was."
            },
        }


def _active_units(request: Any) -> QuerySet[Unit]:
    return unit_tree(org=request.org, include_inactive=False)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A city branch with all its sub-units, planned for 2025",
            value={"unit": 2, "include_subunits": True, "planned_year": 2025},
            request_only=True,
        )
    ]
)
class TargetAddSerializer(serializers.Serializer):
    unit = ScopedRelatedField(
        model=Unit,
        scope=_active_units,
        label=_("Unit"),
        help_text="Id of an active unit of the organization to target.",
    )
    include_subunits = serializers.BooleanField(
        default=False,
        label=_("Include all its sub-units"),
        help_text="Also target every active unit below it (units already targeted are kept).",
    )
    planned_year = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        label=_("planned year"),
        help_text="A year of the plan period to plan them for (also set on those already "
        "targeted); null: not scheduled.",
    )


class TargetsAddedSerializer(serializers.Serializer):
    added = serializers.IntegerField(
        label=_("number of units added"),
        help_text="How many units became targets (units already targeted are not counted).",
    )


# -- extension visits ----------------------------------------------------------------------------


def _visitable_units(request: Any) -> QuerySet[Unit]:
    """The inspected unit's active sub-units (the visit form's choices)."""
    view = (getattr(request, "parser_context", None) or {}).get("view")
    if getattr(view, "parent_lookup", None) is None:
        return Unit.objects.none()  # only a visit of the collection's inspection is recorded
    return extension_visit_unit_choices(org=request.org, inspection=view.parent)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A branch office visited during the second supervision visit",
            value={
                "unit": 5,
                "occasion": "supervision",
                "visited_on": "2025-09-12",
                "visit_reference": "第二次整改督导",
                "notes": "走访春熙路分局，抽查整改台账。",
            },
            request_only=True,
        )
    ]
)
class ExtensionVisitSerializer(serializers.ModelSerializer):
    inspection = serializers.IntegerField(
        source="inspection_id",
        read_only=True,
        label=_("inspection"),
        help_text="The inspection whose team made the visit.",
    )
    unit = ScopedRelatedField(
        model=Unit,
        scope=_visitable_units,
        label=_("sub-unit visited"),
        help_text="Id of the active sub-unit of the inspected unit that was visited.",
    )
    unit_name = serializers.CharField(
        source="unit.name", read_only=True, label=_("unit name"), help_text="The unit's name."
    )
    occasion_display = choice_label("occasion", _("occasion"), "occasion")
    recorded_by_name = serializers.CharField(
        source="recorded_by.display_name",
        read_only=True,
        allow_null=True,
        label=_("Recorded by"),
        help_text="Who recorded the visit; null if that user is gone.",
    )

    class Meta:
        model = ExtensionVisit
        fields = [
            "id",
            "inspection",
            "unit",
            "unit_name",
            "occasion",
            "occasion_display",
            "visited_on",
            "visit_reference",
            "notes",
            "recorded_by_name",
            "recorded_at",
        ]
        read_only_fields = ["recorded_at"]
        extra_kwargs = {
            "id": {"help_text": "The visit's id.", "label": _("ID")},
            "occasion": {
                "help_text": "During which work the sub-unit was visited; the inspection must "
                "have reached that stage."
            },
            "visited_on": {"help_text": "The day of the visit (not in the future)."},
            "visit_reference": {"help_text": "Which visit it was (e.g. the second supervision)."},
            "notes": {"help_text": "What the team found there."},
            "recorded_at": {"help_text": "When the visit was recorded.", "label": _("recorded at")},
        }
