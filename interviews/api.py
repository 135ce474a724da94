"""The interviews app's API resources: ``ROUTES`` (see ``xuncha.api_urls``).

- ``inspections/{id}/interviews/`` (list, add) and ``interviews/{id}/`` (read, change, remove):
  the team's confidential records (``hidden``): anybody outside the inspection's team is told
  404 before the body is read, as on the pages.
- ``inspections/{id}/checklist-items/`` (list) and ``checklist-items/{id}/`` (read, tick,
  untick): 五必查、六必问、四必谈 of the inspection, done or missing; no notes, no names.
- ``interview-outlines/`` (list, read): the tenant's outlines (谈话提纲).
"""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from documents.models import DocumentRequest
from documents.selectors import document_request_list
from interviews import services
from interviews.models import Category, ChecklistItem, Interview, Method, OutlineTemplate
from interviews.selectors import (
    checklist_item_list,
    interview_list,
    interviewer_candidate_list,
    outline_template_list,
)
from rounds.api.inspection_parts.base import (
    InspectionPartCollection,
    InspectionPartRecord,
    viewable_parts,
)
from rounds.capabilities import VIEW_INSPECTIONS
from rounds.models import Inspection, Inspector
from rounds.permissions import Action, can
from xuncha.tenancy.api import NOT_OFFERED, OrgViewSet, ScopedRelatedField, choice_label


def _call_inspection(request: Any) -> Inspection | None:
    """The inspection of the call: the collection's, or the record's being changed or acted
    on (``record_inspection``, set once the record is found and allowed)."""
    view = (getattr(request, "parser_context", None) or {}).get("view")
    if getattr(request, "membership", None) is None or view is None:
        return None
    if getattr(view, "parent_lookup", None) is not None:
        return view.parent
    return getattr(view, "record_inspection", None)


def _people(request: Any) -> QuerySet[Inspector]:
    inspection = _call_inspection(request)
    if inspection is None:
        return Inspector.objects.none()
    return interviewer_candidate_list(inspection=inspection)


def _items(request: Any) -> QuerySet[ChecklistItem]:
    inspection = _call_inspection(request)
    if inspection is None:
        return ChecklistItem.objects.none()
    return checklist_item_list(inspection=inspection)


def _outlines(request: Any) -> QuerySet[OutlineTemplate]:
    return outline_template_list(org=request.membership.organization)


def _requests(request: Any) -> QuerySet[DocumentRequest]:
    inspection = _call_inspection(request)
    if inspection is None:
        return DocumentRequest.objects.none()
    return document_request_list(inspection=inspection)


def _team_interviews(request: Any) -> QuerySet[Interview]:
    """Interviews a tick may name: those of the item's inspection, for its team only."""
    inspection = _call_inspection(request)
    if inspection is None or not can(request.membership, Action.TEAM, inspection):
        return Interview.objects.none()
    return interview_list(inspection=inspection)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A face-to-face talk with the party secretary",
            value={
                "interviewee_name": "张明",
                "interviewee_position": "党委书记、总经理",
                "category": "leadership",
                "method": "in_person",
                "held_at": "2026-11-20T09:30:00+08:00",
                "place": "成都分公司第一会议室",
                "interviewers": [3, 4],
                "notes": "谈及“三重一大”决策程序。",
                "items": [12],
            },
            request_only=True,
        )
    ]
)
class InterviewSerializer(serializers.ModelSerializer):
    category_display = choice_label("category", _("category"), "category")
    method_display = choice_label("method", _("method"), "method")
    interviewers = ScopedRelatedField(
        model=Inspector,
        scope=_people,
        many=True,
        source="people",
        label=_("interviewers"),
        help_text="Ids of the inspectors who held it: people working the inspection; a "
        "face-to-face talk needs the tenant's minimum (two by default).",
    )
    outline = ScopedRelatedField(
        model=OutlineTemplate,
        scope=_outlines,
        allow_null=True,
        required=False,
        label=_("outline"),
        help_text="Id of the interview outline (谈话提纲) used; null for none.",
    )
    outline_questions = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        label=_("questions"),
        help_text="The outline's questions as they were when it was chosen.",
    )
    items = ScopedRelatedField(
        model=ChecklistItem,
        scope=_items,
        many=True,
        required=False,
        source="ticked_items",
        label=_("checklist items"),
        help_text="Ids of the inspection's checklist items the interview covers (it ticks "
        "them); an item left out that it ticked is missing again.",
    )

    class Meta:
        model = Interview
        fields = [
            "id",
            "inspection",
            "interviewee_name",
            "interviewee_position",
            "interviewee_unit",
            "category",
            "category_display",
            "method",
            "method_display",
            "held_at",
            "place",
            "interviewers",
            "outline",
            "outline_questions",
            "notes",
            "confirmed_by_interviewee",
            "items",
            "created_at",
        ]
        read_only_fields = ["inspection", "created_at"]
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The interview's id."},
            "inspection": {"label": _("inspection"), "help_text": "The inspection's id."},
            "interviewee_name": {"help_text": "Who was interviewed."},
            "interviewee_position": {"help_text": "Their position."},
            "interviewee_unit": {"help_text": "Their unit or department."},
            "category": {"help_text": "Who the interviewee is."},
            "method": {"help_text": "How it was held."},
            "held_at": {"help_text": "When it was held (not in the future)."},
            "place": {"help_text": "Where it was held."},
            "notes": {"help_text": "Confidential notes: the inspection's team only."},
            "confirmed_by_interviewee": {
                "help_text": "Whether the interviewee confirmed the record."
            },
            "created_at": {"label": _("time of entry"), "help_text": "When it was entered."},
        }


RELATED_FIELDS = frozenset({"interviewers", "outline", "items"})
FIELDS = (
    "interviewee_name",
    "interviewee_position",
    "interviewee_unit",
    "category",
    "method",
    "held_at",
    "place",
    "outline",
    "notes",
    "confirmed_by_interviewee",
)


def _details(values: dict[str, Any], people: Any) -> services.InterviewDetails:
    return services.InterviewDetails(
        **{name: values[name] for name in FIELDS if name in values}, interviewers=list(people)
    )


class InterviewFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        choices=Category.choices, help_text="Only this category."
    )
    method = django_filters.ChoiceFilter(choices=Method.choices, help_text="Only this method.")

    class Meta:
        model = Interview
        fields: list[str] = []


class _TeamOnly:
    """A refusal of the team rule reads as not found (the resource is ``hidden``)."""

    def check_access(self, inspection: Any) -> None:
        needed = self.access.get(self.action) if self.action else None  # type: ignore[attr-defined]
        if needed is not None and not can(self.request.membership, needed, inspection()):  # type: ignore[attr-defined]
            raise NotFound()


@extend_schema(tags=["interviews"])
class InspectionInterviewViewSet(_TeamOnly, InspectionPartCollection):
    """The interviews (谈话) of one inspection, for its team only: anybody else is told 404.
    Recording one ticks the checklist items it covers."""

    model = Interview
    serializer_class = InterviewSerializer
    filterset_class = InterviewFilter
    ordering_fields: ClassVar[list[str]] = ["pk", "held_at"]
    hidden = True
    access = {"list": Action.TEAM, "create": Action.TEAM}

    def scoped_queryset(self) -> QuerySet[Interview]:
        return interview_list(inspection=self.parent).prefetch_related("ticked_items")

    def add(self, inspection: Inspection, data: dict[str, Any]) -> Interview:
        return services.record_interview(
            inspection=inspection,
            actor=self.request.user,
            details=_details(data, data["people"]),
            items=list(data.get("ticked_items", [])),
        )


@extend_schema(tags=["interviews"])
class InterviewViewSet(_TeamOnly, InspectionPartRecord):
    """One interview (谈话), for its inspection's team only: read, changed with If-Match,
    removed (its checklist items are missing again)."""

    model = Interview
    serializer_class = InterviewSerializer
    hidden = True
    access = {
        "retrieve": Action.TEAM,
        "partial_update": Action.TEAM,
        "destroy": Action.TEAM,
    }
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def scoped_queryset(self) -> QuerySet[Interview]:
        return (
            viewable_parts(Interview, self.request)
            .select_related("inspection")
            .prefetch_related("seats__inspector", "ticked_items")
        )

    def get_object(self) -> Any:
        record = super().get_object()  # the team rule first: 404 for anybody else
        self.record_inspection = record.inspection
        return record

    def lock_before(self, instance: Interview) -> None:
        Inspection.objects.for_org(self.request.org).select_for_update().filter(
            pk=instance.inspection_id
        ).exists()

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change what is sent; the rest stays."""
        # A malformed body is refused before the record is looked up, alike for every id (its
        # shape says nothing about any record); the ids it names are checked once the team
        # rule let the caller in.
        shape = self.get_serializer(data=request.data, partial=True)
        if not shape.is_valid():
            errors = {k: v for k, v in shape.errors.items() if k not in RELATED_FIELDS}
            if errors:
                raise ValidationError(errors)
        return OrgViewSet.update(self, request, *args, partial=True, **kwargs)

    def perform_update(self, serializer: Any) -> Interview:
        record = serializer.instance
        sent = serializer.validated_data
        values = self.edited(serializer, *FIELDS)
        people = sent.get("people", record.people)
        items = sent.get("ticked_items", list(record.ticked_items.all()))
        return services.update_interview(
            interview=record, actor=self.request.user, details=_details(values, people), items=items
        )

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Remove the interview."""
        return OrgViewSet.destroy(self, request, *args, **kwargs)

    def perform_destroy(self, instance: Interview) -> None:
        services.delete_interview(interview=instance, actor=self.request.user)


class ChecklistItemSerializer(serializers.ModelSerializer):
    checklist_name = serializers.CharField(
        source="checklist.name",
        read_only=True,
        label=_("checklist"),
        help_text="The checklist's name (五必查, 六必问, 四必谈…).",
    )
    evidence_display = choice_label("evidence", _("done by"), "evidence")
    done = serializers.BooleanField(
        source="is_done", read_only=True, label=_("done"), help_text="Whether the item is done."
    )

    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "inspection",
            "checklist",
            "checklist_name",
            "text",
            "evidence",
            "evidence_display",
            "done",
            "interview",
            "document_request",
            "document_note",
            "done_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The item's id."},
            "inspection": {"label": _("inspection"), "help_text": "The inspection's id."},
            "checklist": {"label": _("checklist"), "help_text": "The checklist's id."},
            "text": {"help_text": "What is to be checked, asked or talked about."},
            "evidence": {"help_text": "What closes it: an interview, a document, or either."},
            "interview": {
                "help_text": "Id of the interview that did it (its team reads it); null if none."
            },
            "document_request": {
                "label": _("document request"),
                "help_text": "Id of the document request (调阅) whose documents did it; null "
                "if none.",
            },
            "document_note": {"help_text": "The document that did it; empty if none."},
            "done_at": {"help_text": "When it was done; null while missing."},
        }


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Done by a document",
            value={"document_note": "2024年党委会会议纪要"},
            request_only=True,
        )
    ]
)
class TickSerializer(serializers.Serializer):
    interview = ScopedRelatedField(
        model=Interview,
        scope=_team_interviews,
        allow_null=True,
        required=False,
        label=_("interview"),
        help_text="Id of the inspection's interview that covers the item (its team only).",
    )
    document_request = ScopedRelatedField(
        model=DocumentRequest,
        scope=_requests,
        allow_null=True,
        required=False,
        label=_("document request"),
        help_text="Id of the inspection's document request (调阅) whose documents cover the item.",
    )
    document_note = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        label=_("by document"),
        help_text="The document that covers the item, when no interview is named.",
    )


@extend_schema(tags=["checklists"])
class InspectionChecklistItemViewSet(InspectionPartCollection):
    """The items of one inspection's checklists (五必查、六必问、四必谈), done or missing:
    reporting waits for every one."""

    model = ChecklistItem
    serializer_class = ChecklistItemSerializer
    http_method_names = ["get", "head", "options"]
    create = NOT_OFFERED

    def scoped_queryset(self) -> QuerySet[ChecklistItem]:
        return checklist_item_list(inspection=self.parent)


@extend_schema(tags=["checklists"])
class ChecklistItemViewSet(InspectionPartRecord):
    """One checklist item: ticked by an interview or a document, or marked missing again."""

    model = ChecklistItem
    serializer_class = ChecklistItemSerializer
    access = {"tick": Action.WORK, "untick": Action.WORK}

    def scoped_queryset(self) -> QuerySet[ChecklistItem]:
        return viewable_parts(ChecklistItem, self.request).select_related("checklist", "inspection")

    @extend_schema(request=TickSerializer, responses=ChecklistItemSerializer)
    @action(detail=True, methods=["post"])
    def tick(self, request: Request, pk: str) -> Response:
        """Mark the item done by an interview of the inspection or by a document."""
        self.record_inspection = self.get_object().inspection
        return self.act(
            lambda record, data: services.tick_item(
                item=record,
                actor=request.user,
                interview=data.get("interview"),
                document_note=data.get("document_note", ""),
                document_request=data.get("document_request"),
            ),
            serializer_class=TickSerializer,
        )

    @extend_schema(request=None, responses=ChecklistItemSerializer)
    @action(detail=True, methods=["post"])
    def untick(self, request: Request, pk: str) -> Response:
        """Mark the item missing again."""
        return self.act(lambda record, data: services.untick_item(item=record, actor=request.user))


class OutlineTemplateSerializer(serializers.ModelSerializer):
    role_display = choice_label("role", _("interviewee role"), "role")

    class Meta:
        model = OutlineTemplate
        fields = ["id", "name", "role", "role_display", "questions", "active"]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The outline's id."},
            "name": {"help_text": "The outline's name."},
            "role": {"help_text": "The interviewee's role it is written for."},
            "questions": {"help_text": "Its questions, in order."},
            "active": {"help_text": "Whether the interview form offers it."},
        }


class OutlineFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(
        choices=OutlineTemplate._meta.get_field("role").choices, help_text="Only this role."
    )

    class Meta:
        model = OutlineTemplate
        fields: list[str] = []


@extend_schema(tags=["interviews"])
class OutlineTemplateViewSet(OrgViewSet):
    """The tenant's interview outlines (谈话提纲): the questions per interviewee role."""

    model = OutlineTemplate
    serializer_class = OutlineTemplateSerializer
    filterset_class = OutlineFilter
    permission = VIEW_INSPECTIONS
    http_method_names = ["get", "head", "options"]
    create = update = partial_update = destroy = NOT_OFFERED

    def scoped_queryset(self) -> QuerySet[OutlineTemplate]:
        return outline_template_list(org=self.request.org)


INSPECTION = r"inspections/(?P<inspection_pk>[^/.]+)"
ROUTES: list = [
    (f"{INSPECTION}/interviews", InspectionInterviewViewSet, "inspection-interview"),
    ("interviews", InterviewViewSet, "interview"),
    (f"{INSPECTION}/checklist-items", InspectionChecklistItemViewSet, "inspection-checklist-item"),
    ("checklist-items", ChecklistItemViewSet, "checklist-item"),
    ("interview-outlines", OutlineTemplateViewSet, "interview-outline"),
]
