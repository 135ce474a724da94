"""Problems (问题) in the API: those an inspection found, and a look-back's re-checks."""

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

from rounds.api.inspection_parts.base import (
    InspectionPartCollection,
    InspectionPartRecord,
    viewable_parts,
)
from rounds.models import Inspection, Problem
from rounds.permissions import Action
from rounds.selectors.inspection_detail import inspection_part_list
from rounds.services import inspections as services
from rounds.taxonomy import FocusArea
from xuncha.tenancy.api import choice_label


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A problem found in an interview",
            value={
                "category": "personnel",
                "severity": "serious",
                "description": "干部选拔任用程序不规范，2名中层干部任职前未经民主推荐。",
                "found_on": "2025-04-15",
            },
            request_only=True,
        )
    ]
)
class ProblemSerializer(serializers.ModelSerializer):
    category_display = choice_label("category", _("category"), "category")
    severity_display = choice_label("severity", _("severity"), "severity")
    recheck_display = choice_label("recheck", _("re-check result"), "re-check result")

    class Meta:
        model = Problem
        fields = [
            "id",
            "inspection",
            "category",
            "category_display",
            "severity",
            "severity_display",
            "description",
            "found_on",
            "inherited_from",
            "recheck",
            "recheck_display",
            "created_at",
        ]
        read_only_fields = ["inspection", "inherited_from", "recheck", "created_at"]
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The problem's id."},
            "inspection": {"label": _("inspection"), "help_text": "The inspection's id."},
            "category": {"help_text": "The area of the problem: one of the focus areas."},
            "severity": {"help_text": "How serious it is; serious when not given."},
            "description": {"help_text": "What was found."},
            "found_on": {
                "help_text": "The day the team found it (for past work entered now); today "
                "when not given."
            },
            "inherited_from": {
                "help_text": "For a look-back (回头看): the id of the earlier inspection's "
                "problem this one re-checks; null otherwise."
            },
            "recheck": {
                "help_text": "For an inherited problem: whether it was resolved or recurred; "
                "empty until re-checked."
            },
            "created_at": {"label": _("time of entry"), "help_text": "When it was entered."},
        }


@extend_schema_serializer(
    examples=[OpenApiExample("Resolved", value={"recheck": "resolved"}, request_only=True)]
)
class RecheckSerializer(serializers.Serializer):
    recheck = serializers.ChoiceField(
        choices=[
            (Problem.Recheck.RESOLVED, Problem.Recheck.RESOLVED.label),
            (Problem.Recheck.RECURRED, Problem.Recheck.RECURRED.label),
        ],
        label=_("re-check result"),
        help_text="Whether the inherited problem was resolved or recurred.",
    )


class ProblemFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        choices=FocusArea.choices, help_text="Only this category."
    )
    severity = django_filters.ChoiceFilter(
        choices=Problem.Severity.choices, help_text="Only this severity."
    )
    inherited = django_filters.BooleanFilter(
        field_name="inherited_from",
        lookup_expr="isnull",
        exclude=True,
        help_text="Only problems inherited by a look-back (true) or found by this one (false).",
    )
    found_after = django_filters.DateFilter(
        field_name="found_on", lookup_expr="gte", help_text="Only those found on or after."
    )
    found_before = django_filters.DateFilter(
        field_name="found_on", lookup_expr="lte", help_text="Only those found on or before."
    )

    class Meta:
        model = Problem
        fields: list[str] = []


@extend_schema(tags=["problems"])
class InspectionProblemViewSet(InspectionPartCollection):
    """The problems (问题) an inspection found, with the ones a look-back (回头看) inherited
    to re-check. Recording one is for the inspection's team and managers."""

    model = Problem
    serializer_class = ProblemSerializer
    filterset_class = ProblemFilter
    ordering_fields = ["pk", "found_on", "created_at"]
    access = {"create": Action.WORK}

    def scoped_queryset(self) -> QuerySet[Problem]:
        return inspection_part_list(Problem, self.parent)

    def add(self, inspection: Inspection, data: dict[str, Any]) -> Problem:
        return services.add_problem(
            inspection=inspection,
            actor=self.request.user,
            category=data["category"],
            severity=data.get("severity", Problem.Severity.SERIOUS),
            description=data["description"],
            found_on=data.get("found_on"),
        )


@extend_schema(tags=["problems"])
class ProblemViewSet(InspectionPartRecord):
    """One problem an inspection found; a look-back's inherited problem is re-checked here."""

    model = Problem
    serializer_class = ProblemSerializer
    access = {"recheck": Action.WORK}

    def scoped_queryset(self) -> QuerySet[Problem]:
        return viewable_parts(Problem, self.request).select_related("inspection")

    @extend_schema(request=RecheckSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def recheck(self, request: Request, pk: str) -> Response:
        """Record whether a problem inherited by a look-back was resolved or recurred; refused
        for a problem the inspection found itself."""
        return self.act(
            lambda record, data: services.recheck_problem(
                problem=record, actor=request.user, result=data["recheck"]
            ),
            serializer_class=RecheckSerializer,
        )
