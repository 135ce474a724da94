"""Preparation (巡前准备) in the API: intelligence requests to functional departments and the
past problems they report."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from rounds.api.inspection_parts.base import (
    InspectionPartCollection,
    InspectionPartRecord,
    parts_of_collection,
    viewable_parts,
)
from rounds.models import Inspection, IntelligenceItem, IntelligenceRequest
from rounds.permissions import Action
from rounds.selectors.inspection_detail import inspection_part_list
from rounds.services import inspections as services
from xuncha.tenancy.api import ScopedRelatedField, choice_label


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A request to the audit department",
            value={
                "department": "audit",
                "requested_on": "2025-03-01",
                "due_on": "2025-03-10",
                "note": "请提供该单位近三年审计发现的问题及整改情况。",
            },
            request_only=True,
        )
    ]
)
class IntelligenceRequestSerializer(serializers.ModelSerializer):
    department_display = serializers.CharField(
        source="get_department_display",
        read_only=True,
        label=_("department"),
        help_text="The department's name in the caller's language.",
    )

    class Meta:
        model = IntelligenceRequest
        fields = [
            "id",
            "inspection",
            "department",
            "department_display",
            "requested_on",
            "due_on",
            "answered_on",
            "note",
        ]
        read_only_fields = ["inspection", "answered_on"]
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The request's id."},
            "inspection": {"label": _("inspection"), "help_text": "The inspection's id."},
            "department": {"help_text": "The functional department asked for what it knows."},
            "requested_on": {"help_text": "The day the request was sent."},
            "due_on": {"help_text": "The day the answer is due; null: no deadline."},
            "answered_on": {
                "help_text": "The day the department answered; null while unanswered. "
                "Recorded with the answer action."
            },
            "note": {"help_text": "What the department is asked to report."},
        }


@extend_schema_serializer(
    examples=[OpenApiExample("Answered", value={"answered_on": "2025-03-08"}, request_only=True)]
)
class IntelligenceAnswerSerializer(serializers.Serializer):
    answered_on = serializers.DateField(
        label=_("Answered on"), help_text="The day the department answered."
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A past audit finding",
            value={
                "request": 12,
                "source": "audit",
                "year": 2024,
                "summary": "2024年审计发现工程项目招标程序不规范",
                "detail": "3个工程项目未按规定公开招标，涉及金额约260万元。",
            },
            request_only=True,
        )
    ]
)
class IntelligenceItemSerializer(serializers.ModelSerializer):
    request = ScopedRelatedField(
        model=IntelligenceRequest,
        scope=parts_of_collection(IntelligenceRequest),
        label=_("In answer to"),
        allow_null=True,
        required=False,
        help_text="Id of the inspection's request this item answers; null: none.",
    )
    source_display = choice_label("source", _("source"), "source")
    recorded_by_name = serializers.SerializerMethodField(
        label=_("Recorded by"), help_text="The name of who recorded it; null: account removed."
    )

    class Meta:
        model = IntelligenceItem
        fields = [
            "id",
            "inspection",
            "request",
            "source",
            "source_display",
            "year",
            "summary",
            "detail",
            "recorded_by_name",
            "recorded_at",
        ]
        read_only_fields = ["inspection", "recorded_at"]
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The item's id."},
            "inspection": {"label": _("inspection"), "help_text": "The inspection's id."},
            "source": {"help_text": "Who reported the past problem."},
            "year": {
                "min_value": 1900,
                "max_value": 2999,
                "help_text": "The year of the problem: one of the last 3 years before the "
                "request (or before today without a request).",
            },
            "summary": {"help_text": "The past problem in one line."},
            "detail": {"help_text": "What else the department reported about it."},
            "recorded_at": {"label": _("time of entry"), "help_text": "When it was recorded."},
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_recorded_by_name(self, item: IntelligenceItem) -> str | None:
        return str(item.recorded_by) if item.recorded_by is not None else None


class IntelligenceRequestFilter(django_filters.FilterSet):
    department = django_filters.ChoiceFilter(
        choices=IntelligenceRequest.Department.choices, help_text="Only requests to this one."
    )
    answered = django_filters.BooleanFilter(
        field_name="answered_on",
        lookup_expr="isnull",
        exclude=True,
        help_text="Only answered (true) or unanswered (false) requests.",
    )

    class Meta:
        model = IntelligenceRequest
        fields: list[str] = []


class IntelligenceItemFilter(django_filters.FilterSet):
    source = django_filters.ChoiceFilter(
        choices=IntelligenceItem.Source.choices, help_text="Only items from this source."
    )
    year = django_filters.NumberFilter(help_text="Only items of this year.")
    request = django_filters.ModelChoiceFilter(
        queryset=parts_of_collection(IntelligenceRequest),
        help_text="Only the items answering this request of the inspection.",
    )

    class Meta:
        model = IntelligenceItem
        fields: list[str] = []


@extend_schema(tags=["preparation"])
class InspectionIntelligenceRequestViewSet(InspectionPartCollection):
    """Pre-inspection requests (巡前情况通报) of one inspection to functional departments
    (discipline, HR, audit, finance, legal, party office, petitions) for the problems they
    know of the last three years. Sending one is the inspection managers' (the office, the
    team leader and deputies)."""

    model = IntelligenceRequest
    serializer_class = IntelligenceRequestSerializer
    filterset_class = IntelligenceRequestFilter
    ordering_fields = ["pk", "requested_on", "due_on"]
    access = {"create": Action.MANAGE}

    def scoped_queryset(self) -> QuerySet[IntelligenceRequest]:
        return inspection_part_list(IntelligenceRequest, self.parent)

    def add(self, inspection: Inspection, data: dict[str, Any]) -> IntelligenceRequest:
        return services.add_intelligence_request(
            inspection=inspection,
            actor=self.request.user,
            department=data["department"],
            requested_on=data["requested_on"],
            due_on=data.get("due_on"),
            note=data.get("note", ""),
        )


@extend_schema(tags=["preparation"])
class IntelligenceRequestViewSet(InspectionPartRecord):
    """One pre-inspection request to a functional department, and its answer."""

    model = IntelligenceRequest
    serializer_class = IntelligenceRequestSerializer
    access = {"answer": Action.MANAGE}

    def scoped_queryset(self) -> QuerySet[IntelligenceRequest]:
        return viewable_parts(IntelligenceRequest, self.request).select_related("inspection__round")

    @extend_schema(request=IntelligenceAnswerSerializer, responses=IntelligenceRequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        """Record the day the department answered; refused before the request was made, or
        in the future."""
        return self.act(
            lambda record, data: services.answer_intelligence_request(
                request=record, actor=request.user, answered_on=data["answered_on"]
            ),
            serializer_class=IntelligenceAnswerSerializer,
        )


@extend_schema(tags=["preparation"])
class InspectionIntelligenceItemViewSet(InspectionPartCollection):
    """Pre-inspection intelligence of one inspection: past problems the departments reported
    (what the team should look at on site), newest year first on the page."""

    model = IntelligenceItem
    serializer_class = IntelligenceItemSerializer
    filterset_class = IntelligenceItemFilter
    ordering_fields = ["pk", "year"]
    access = {"create": Action.MANAGE}

    def scoped_queryset(self) -> QuerySet[IntelligenceItem]:
        return inspection_part_list(IntelligenceItem, self.parent).select_related("recorded_by")

    def add(self, inspection: Inspection, data: dict[str, Any]) -> IntelligenceItem:
        return services.add_intelligence_item(
            inspection=inspection,
            actor=self.request.user,
            source=data["source"],
            year=data["year"],
            summary=data["summary"],
            detail=data.get("detail", ""),
            request=data.get("request"),
        )


@extend_schema(tags=["preparation"])
class IntelligenceItemViewSet(InspectionPartRecord):
    """One past problem reported before the inspection."""

    model = IntelligenceItem
    serializer_class = IntelligenceItemSerializer
    http_method_names = ["get", "head", "options"]

    def scoped_queryset(self) -> QuerySet[IntelligenceItem]:
        return viewable_parts(IntelligenceItem, self.request).select_related("recorded_by")
