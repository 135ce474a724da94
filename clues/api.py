"""Petitions (信访举报) in the API: an inspection's petitions (list, and the team's record of
one received by phone, letter, visit, mailbox or e-mail), every petition the caller reads, one
petition and its status.

Confidential as the pages are (``hidden``): a caller who may not read petitions — office,
leadership, liaisons, other teams — is told 404. The reporter's identity is never in the API:
it can be given when recording a petition (write-only) but is read only on the page, one
explicit and logged reveal at a time; each read of a petition here is logged too
(``PetitionRead``, ``via_api``)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Unit
from clues import selectors, services
from clues.capabilities import VIEW_PETITIONS
from clues.crypto import Identity
from clues.models import Channel, Petition, PetitionRead, Status
from clues.permissions import can_read_petitions, inspections_with_petitions
from rounds.api.inspection_parts.base import collection_inspection
from rounds.models import Inspection
from rounds.selectors.announcements import announcement_unit_list
from xuncha.tenancy.api import (
    NOT_OFFERED,
    OrgViewSet,
    ScopedRelatedField,
    choice_label,
    etag_for,
)


def _units_of_collection(request: Any) -> QuerySet[Unit]:
    inspection = collection_inspection(request)
    if inspection is None:
        return Unit.objects.none()
    return announcement_unit_list(inspection=inspection)


class PetitionSerializer(serializers.ModelSerializer):
    channel_display = choice_label("channel", _("channel"), "channel")
    status_display = choice_label("status", _("status"), "status")
    attachment_count = serializers.IntegerField(
        read_only=True,
        label=_("attachments"),
        help_text="How many photos or files came with it (downloaded on its page).",
    )

    class Meta:
        model = Petition
        fields = [
            "id",
            "inspection",
            "unit",
            "channel",
            "channel_display",
            "is_anonymous",
            "subject_persons",
            "content",
            "received_on",
            "received_by",
            "status",
            "status_display",
            "attachment_count",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The petition's id."},
            "inspection": {"help_text": "The id of the inspection that received it."},
            "unit": {
                "help_text": "The id of the unit it concerns (the inspected unit or a sub-unit)."
            },
            "channel": {"help_text": "How it came: the public page (online) or to the team."},
            "is_anonymous": {
                "help_text": "Whether it was sent without a name. The identity of a real-name "
                "petition is never in the API: it is shown on its page, each reveal logged."
            },
            "subject_persons": {"help_text": "The persons it reports (被反映人), as written."},
            "content": {"help_text": "What it reports."},
            "received_on": {"help_text": "The day it was received."},
            "received_by": {
                "help_text": "The id of the team member who recorded it; null for the public's."
            },
            "status": {"help_text": "Where it stands; the submitter sees it with their code."},
            "created_at": {"help_text": "When it was entered."},
        }


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A phone call, real name",
            value={
                "channel": "phone",
                "received_on": "2026-11-20",
                "is_anonymous": False,
                "reporter_name": "王先生",
                "reporter_phone": "13812345678",
                "subject_persons": "某分局局长",
                "content": "反映某分局2025年违规发放津补贴、公车私用。",
            },
            request_only=True,
        )
    ]
)
class PetitionRecordSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        label=_("channel"),
        help_text="How the team received it: mailbox, phone, letter, visit or email (online "
        "is the public page's own, refused here).",
    )
    received_on = serializers.DateField(label=_("received on"), help_text="The day received.")
    unit = ScopedRelatedField(
        model=Unit,
        scope=_units_of_collection,
        required=False,
        label=_("unit concerned"),
        help_text="The id of the unit it concerns; the inspected unit when not given.",
    )
    is_anonymous = serializers.BooleanField(
        default=True, label=_("anonymous"), help_text="Sent without a name; true when not given."
    )
    reporter_name = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=100,
        label=_("Name"),
        help_text="For a real-name petition: the reporter's name (stored encrypted, never read "
        "back through the API).",
    )
    reporter_phone = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=40,
        label=_("Phone"),
        help_text="For a real-name petition: the reporter's phone (stored encrypted).",
    )
    subject_persons = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        label=_("persons reported"),
        help_text="The persons it reports (被反映人).",
    )
    content = serializers.CharField(
        max_length=10_000, label=_("content"), help_text="What it reports."
    )


@extend_schema_serializer(
    examples=[OpenApiExample("Under review", value={"status": "under_review"}, request_only=True)]
)
class PetitionStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Status.choices, label=_("status"), help_text="The petition's new status."
    )


class PetitionFilter(django_filters.FilterSet):
    channel = django_filters.ChoiceFilter(
        choices=Channel.choices, help_text="Only those received through this channel."
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, help_text="Only this status.")
    received_after = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", help_text="Only those received on or after."
    )
    received_before = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", help_text="Only those received on or before."
    )

    class Meta:
        model = Petition
        fields: list[str] = []


class _PetitionViewSet(OrgViewSet):
    model = Petition
    permission = VIEW_PETITIONS
    hidden = True
    serializer_class = PetitionSerializer
    filterset_class = PetitionFilter
    ordering_fields = ["pk", "received_on", "created_at"]
    http_method_names = ["get", "post", "head", "options"]


@extend_schema(tags=["petitions"])
class InspectionPetitionViewSet(_PetitionViewSet):
    """The petitions (信访举报) an inspection received: read by its team and the clue
    handlers, who also record those received by phone, letter, visit, mailbox or e-mail."""

    parent_lookup = "inspection_pk"
    retrieve = update = partial_update = destroy = NOT_OFFERED

    def parent_scope(self) -> QuerySet[Inspection]:
        return inspections_with_petitions(self.request.membership)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if getattr(self, "swagger_fake_view", False) or self.parent_lookup not in self.kwargs:
            return
        if not can_read_petitions(request.membership, self.parent):
            raise NotFound()

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return PetitionRecordSerializer if self.action == "create" else PetitionSerializer

    def scoped_queryset(self) -> QuerySet[Petition]:
        return selectors.petition_list(inspection=self.parent)

    @extend_schema(request=PetitionRecordSerializer, responses={201: PetitionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a petition the team received by phone, letter, visit, mailbox or e-mail
        (attachments are added on its page)."""
        return super().create(request, *args, **kwargs)

    def respond(self, instance: Any, *, status_code: int = 200) -> Response:
        fresh = selectors.petition_list(inspection=self.parent).filter(pk=instance.pk).first()
        data = PetitionSerializer(fresh or instance, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers={"ETag": etag_for(data)})

    def perform_create(self, serializer: Any) -> Petition:
        data = serializer.validated_data
        is_anonymous = data.get("is_anonymous", True)
        identity = None
        if not is_anonymous:
            identity = Identity(
                name=data.get("reporter_name", ""), phone=data.get("reporter_phone", "")
            )
        return services.record_petition(
            inspection=self.parent,
            actor=self.request.user,
            membership=self.request.membership,
            channel=data["channel"],
            received_on=data["received_on"],
            unit=data.get("unit"),
            is_anonymous=is_anonymous,
            identity=identity,
            subject_persons=data.get("subject_persons", ""),
            content=data["content"],
        )


@extend_schema(tags=["petitions"])
class PetitionViewSet(_PetitionViewSet):
    """Every petition (信访举报) the caller reads — a clue handler's, the tenant's; a team
    member's, their inspections' — and one petition, its read logged."""

    create = update = partial_update = destroy = NOT_OFFERED

    def scoped_queryset(self) -> QuerySet[Petition]:
        return selectors.petition_all(membership=self.request.membership)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Read one petition (without its reporter's identity); the read is logged."""
        petition = self.get_object()
        services.log_petition_read(
            petition=petition, reader=request.user, what=PetitionRead.What.DETAIL, via_api=True
        )
        data = self.represent(petition)
        return Response(data, headers={"ETag": etag_for(data)})

    @extend_schema(request=PetitionStatusSerializer, responses=PetitionSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str) -> Response:
        """Change the petition's status (received, under review, handled): the submitter reads
        it with their receipt code. Refused on a closed inspection."""
        return self.act(
            lambda record, data: services.change_petition_status(
                petition=record,
                actor=request.user,
                membership=request.membership,
                status=data["status"],
            ),
            serializer_class=PetitionStatusSerializer,
        )


INSPECTION = r"inspections/(?P<inspection_pk>[^/.]+)"

ROUTES = [
    (f"{INSPECTION}/petitions", InspectionPetitionViewSet, "inspection-petition"),
    ("petitions", PetitionViewSet, "petition"),
]
