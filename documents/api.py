"""Document requests (调阅) in the API.

- ``inspections/{inspection_pk}/document-requests/``: an inspection's requests (list; add one,
  for its team and the office), and ``document-requests/{id}/``: one request (read; change with
  If-Match, withdraw, mark returned). As on the pages: an inspection the caller may not see is
  a 404, seeing it without working on it a 403, a closed inspection read-only.
- ``liaison-document-requests/``: the requests addressed to the caller's units, as the liaison
  sees them — without the team's notes.
- ``usual-documents/``: the tenant's checklist (read).

The liaison's answer (files) is given on the page only: the API takes JSON bodies, and a file
carried in JSON (base64) would be a third upload path beside the page's multipart form and the
size guard; files are read, checked and stored by ``files.services`` from that form. Delivered
files are listed here (name, type, size) and downloaded from the request's page, which logs it.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
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

from accounts.models import Unit
from documents import selectors, services
from documents.capabilities import ANSWER_REQUESTS
from documents.models import DeliveryFile, DocumentDelivery, DocumentRequest, UsualDocument
from rounds.api.inspection_parts.base import InspectionPartCollection, InspectionPartRecord
from rounds.capabilities import VIEW_INSPECTIONS
from rounds.models import Inspection
from rounds.permissions import Action
from xuncha.tenancy.api import NOT_OFFERED, OrgViewSet, ScopedRelatedField, choice_label

TAG = "document requests"
EDITABLE = ("title", "description", "unit", "due_on", "team_notes")


def _units(request: Any) -> QuerySet[Unit]:
    return Unit.objects.for_org(request.org)


def _usual(request: Any) -> QuerySet[UsualDocument]:
    return selectors.usual_document_list(org=request.org, offered_only=True)


class DeliveredFileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        source="file.name", read_only=True, label=_("file name"), help_text="The file's name."
    )
    kind = serializers.CharField(
        source="file.kind",
        read_only=True,
        label=_("file type"),
        help_text="What the file is by its content: pdf, docx, xlsx, pptx, jpg or png.",
    )
    size = serializers.IntegerField(
        source="file.size", read_only=True, label=_("size in bytes"), help_text="Its size."
    )
    delivered_at = serializers.DateTimeField(
        source="delivery.delivered_at",
        read_only=True,
        label=_("delivered at"),
        help_text="When the liaison delivered it.",
    )

    class Meta:
        model = DeliveryFile
        fields = ["id", "name", "kind", "size", "delivered_at"]
        extra_kwargs = {"id": {"label": _("ID"), "help_text": "The delivered file's id."}}


def _with_files(requests: QuerySet[DocumentRequest], org: Any) -> QuerySet[DocumentRequest]:
    """The requests with their deliveries and files (two more queries for a whole page)."""
    files = DeliveryFile.objects.for_org(org).select_related("file").order_by("pk")
    return requests.select_related("unit", "delivered_by").prefetch_related(
        Prefetch("deliveries", queryset=DocumentDelivery.objects.for_org(org).order_by("pk")),
        Prefetch("deliveries__files", queryset=files),
    )


COMMON_FIELDS = [
    "id",
    "inspection",
    "unit",
    "unit_name",
    "title",
    "description",
    "from_usual",
    "requested_on",
    "due_on",
    "status",
    "status_display",
    "overdue",
    "delivered_at",
    "delivered_by_name",
    "returned_at",
    "withdrawn_reason",
    "files",
]
COMMON_READ_ONLY = [
    "inspection",
    "from_usual",
    "requested_on",
    "status",
    "delivered_at",
    "returned_at",
    "withdrawn_reason",
]
COMMON_KWARGS: dict[str, dict[str, Any]] = {
    "id": {"label": _("ID"), "help_text": "The request's id."},
    "inspection": {"label": _("inspection"), "help_text": "The inspection's id."},
    "title": {"help_text": "The document requested."},
    "description": {"help_text": "What to provide, as the unit's liaison reads it."},
    "from_usual": {
        "help_text": "Id of the usual document (the tenant's checklist) it was picked from; "
        "null for a free item."
    },
    "requested_on": {"help_text": "The day it was requested."},
    "due_on": {"help_text": "The day it is due."},
    "status": {
        "help_text": "requested → delivered (the liaison answered with files) → returned (the "
        "team gave the originals back); withdrawn by the team before delivery."
    },
    "delivered_at": {"help_text": "When it was first delivered; null until then."},
    "returned_at": {"help_text": "When the team gave it back; null until then."},
    "withdrawn_reason": {"help_text": "Why the team withdrew it; empty otherwise."},
}


class _RequestFields(serializers.ModelSerializer):
    status_display = choice_label("status", _("status"), "status")
    unit = ScopedRelatedField(
        model=Unit,
        scope=_units,
        label=_("unit"),
        help_text="Id of the unit asked: the inspected unit or one of its sub-units.",
    )
    unit_name = serializers.CharField(
        source="unit.name", read_only=True, label=_("unit"), help_text="The unit's name."
    )
    overdue = serializers.BooleanField(
        source="is_overdue",
        read_only=True,
        label=_("overdue"),
        help_text="Due before today and not delivered.",
    )
    delivered_by_name = serializers.CharField(
        source="delivered_by.display_name",
        read_only=True,
        default=None,
        allow_null=True,
        label=_("delivered by"),
        help_text="Who delivered it first (the liaison); null until delivered.",
    )
    files = serializers.SerializerMethodField(
        label=_("files"), help_text="The files delivered for it, oldest first."
    )

    @extend_schema_field(DeliveredFileSerializer(many=True))
    def get_files(self, record: DocumentRequest) -> list[dict[str, Any]]:
        rows = [
            (delivery, row) for delivery in record.deliveries.all() for row in delivery.files.all()
        ]
        return [
            {
                "id": row.pk,
                "name": row.file.name,
                "kind": row.file.kind,
                "size": row.file.size,
                "delivered_at": serializers.DateTimeField().to_representation(
                    delivery.delivered_at
                ),
            }
            for delivery, row in rows
        ]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Meeting minutes of the unit",
            value={
                "title": "党委会、“三重一大”决策会议纪要",
                "unit": 12,
                "due_on": "2026-04-10",
                "description": "近三年会议纪要，复印件加盖公章。",
                "team_notes": "重点看2024年大额资金支出决策。",
            },
            request_only=True,
        )
    ]
)
class DocumentRequestSerializer(_RequestFields):
    """The team's view of a request, its notes included."""

    from_usual = ScopedRelatedField(
        model=UsualDocument,
        scope=_usual,
        required=False,
        allow_null=True,
        label=_("usual document"),
        help_text=COMMON_KWARGS["from_usual"]["help_text"]
        + " When given on creation, its name and description are the request's.",
    )
    title = serializers.CharField(
        max_length=200,
        required=False,
        label=_("document"),
        help_text="The document requested; required unless from_usual is given.",
    )

    class Meta:
        model = DocumentRequest
        fields = [*COMMON_FIELDS, "team_notes"]
        read_only_fields = [f for f in COMMON_READ_ONLY if f != "from_usual"]
        extra_kwargs = {
            **COMMON_KWARGS,
            "team_notes": {"help_text": "The team's own notes: never shown to the unit."},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and not attrs.get("title") and not attrs.get("from_usual"):
            raise serializers.ValidationError(
                {"title": _("Name the document requested, or pick a usual one.")}
            )
        return attrs


class LiaisonDocumentRequestSerializer(_RequestFields):
    """A request as its unit's liaison reads it: never the team's notes nor its reason for
    withdrawing it."""

    # Not a second enum of the same choices: drf-spectacular would name the enum after the
    # field and collide with other resources' ``status`` (the team's resource documents it).
    status = serializers.CharField(
        read_only=True,
        label=_("status"),
        help_text="requested, delivered, returned or withdrawn (see the team's resource).",
    )

    class Meta:
        model = DocumentRequest
        # The team's notes and its reason for withdrawing are the team's own.
        fields = [name for name in COMMON_FIELDS if name != "withdrawn_reason"]
        read_only_fields = fields
        extra_kwargs = COMMON_KWARGS


@extend_schema_serializer(
    examples=[OpenApiExample("Not needed", value={"reason": "已从审计部门取得"}, request_only=True)]
)
class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, label=_("reason"), help_text="Why the request is withdrawn."
    )


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[*DocumentRequest.Status.choices, ("overdue", _("Overdue"))],
        method="by_status",
        help_text="Only this status; overdue: due before today and not delivered.",
    )
    due_before = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", help_text="Only those due on or before."
    )

    class Meta:
        model = DocumentRequest
        fields: list[str] = []

    def by_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "overdue":
            return queryset.filter(DocumentRequest.overdue_q())
        return queryset.filter(status=value)


@extend_schema(tags=[TAG])
class InspectionDocumentRequestViewSet(InspectionPartCollection):
    """The documents an inspection requested from its unit (调阅). Requesting is for the
    inspection's team and the office."""

    model = DocumentRequest
    serializer_class = DocumentRequestSerializer
    filterset_class = RequestFilter
    ordering_fields = ["pk", "due_on", "requested_on"]
    access = {"create": Action.WORK}

    def scoped_queryset(self) -> QuerySet[DocumentRequest]:
        requests = DocumentRequest.objects.for_org(self.request.org).filter(inspection=self.parent)
        return _with_files(requests, self.request.org)

    def add(self, inspection: Inspection, data: dict[str, Any]) -> DocumentRequest:
        usual = data.get("from_usual")
        made = services.request_documents(
            inspection=inspection,
            actor=self.request.user,
            unit=data["unit"],
            due_on=data["due_on"],
            usual_items=[usual] if usual is not None else [],
            free_items=[] if usual is not None else [data.get("title", "")],
            description=data.get("description", ""),
            team_notes=data.get("team_notes", ""),
        )
        return made[0]


@extend_schema(tags=[TAG])
class DocumentRequestViewSet(InspectionPartRecord):
    """One document request: changed with If-Match, withdrawn before delivery, marked
    returned once the team gave the originals back."""

    model = DocumentRequest
    serializer_class = DocumentRequestSerializer
    access = {
        "update": Action.WORK,
        "partial_update": Action.WORK,
        "withdraw": Action.WORK,
        "mark_returned": Action.WORK,
    }
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    update = OrgViewSet.update
    partial_update = OrgViewSet.partial_update

    def scoped_queryset(self) -> QuerySet[DocumentRequest]:
        requests = selectors.document_request_viewable(membership=self.request.membership)
        return _with_files(requests.select_related("inspection"), self.request.org)

    def perform_update(self, serializer: Any) -> DocumentRequest:
        values = self.edited(serializer, *EDITABLE)
        return services.update_document_request(
            document_request=serializer.instance, actor=self.request.user, **values
        )

    @extend_schema(request=WithdrawSerializer, responses=DocumentRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """Withdraw a request nothing was delivered for, giving the reason."""
        return self.act(
            lambda record, data: services.withdraw_document_request(
                document_request=record, actor=request.user, reason=data["reason"]
            ),
            serializer_class=WithdrawSerializer,
        )

    @extend_schema(request=None, responses=DocumentRequestSerializer)
    @action(detail=True, methods=["post"], url_path="mark-returned")
    def mark_returned(self, request: Request, pk: str) -> Response:
        """The team gave the delivered originals back to the unit."""
        return self.act(
            lambda record, data: services.mark_returned(document_request=record, actor=request.user)
        )


@extend_schema(tags=[TAG])
class LiaisonDocumentRequestViewSet(OrgViewSet):
    """The document requests addressed to the caller's units, as their liaison sees them
    (without the team's notes). The answer, with its files, is given on the request's page."""

    model = DocumentRequest
    permission = ANSWER_REQUESTS
    serializer_class = LiaisonDocumentRequestSerializer
    filterset_class = RequestFilter
    ordering_fields = ["pk", "due_on", "requested_on"]
    http_method_names = ["get", "head", "options"]
    create = update = partial_update = destroy = NOT_OFFERED

    def scoped_queryset(self) -> QuerySet[DocumentRequest]:
        requests = selectors.document_request_liaison_list(membership=self.request.membership)
        return _with_files(requests, self.request.org)


class UsualDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = UsualDocument
        fields = ["id", "name", "description", "position", "is_active"]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The item's id."},
            "name": {"help_text": "The document's name."},
            "description": {"help_text": "What is usually asked of it."},
            "position": {"help_text": "Its place in the checklist."},
            "is_active": {"help_text": "Whether the teams are offered it when requesting."},
        }


@extend_schema(tags=[TAG])
class UsualDocumentViewSet(OrgViewSet):
    """The tenant's checklist of documents usually requested from a unit (read)."""

    model = UsualDocument
    permission = VIEW_INSPECTIONS
    serializer_class = UsualDocumentSerializer
    ordering_fields = ["pk", "position", "name"]
    ordering = ("position", "pk")
    http_method_names = ["get", "head", "options"]
    create = update = partial_update = destroy = NOT_OFFERED

    def scoped_queryset(self) -> QuerySet[UsualDocument]:
        return selectors.usual_document_list(org=self.request.org)


INSPECTION = r"inspections/(?P<inspection_pk>[^/.]+)"

ROUTES = [
    (
        f"{INSPECTION}/document-requests",
        InspectionDocumentRequestViewSet,
        "inspection-document-request",
    ),
    ("document-requests", DocumentRequestViewSet, "document-request"),
    ("liaison-document-requests", LiaisonDocumentRequestViewSet, "liaison-document-request"),
    ("usual-documents", UsualDocumentViewSet, "usual-document"),
]
