"""The announcement (巡察公告) in the API: written and published by the inspection's team and
the office, as on its page; read by whoever sees the inspection. One per inspection: the
collection under the inspection holds it (list, add), its record is ``announcements/{id}/``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.errors import DomainError
from rounds.api.inspection_parts.base import (
    InspectionPartCollection,
    InspectionPartRecord,
    viewable_parts,
)
from rounds.models import Announcement, Inspection
from rounds.permissions import Action
from rounds.selectors.announcements import announcement_get
from rounds.services import announcements as services
from xuncha.tenancy.api import OrgViewSet

FIELDS = ["period_start", "period_end", "scope", "phone", "mailbox", "postal_box"]
FIELDS += ["reception_hours"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The announcement of an on-site month",
            value={
                "period_start": "2026-04-01",
                "period_end": "2026-04-30",
                "scope": "贯彻落实党中央决策部署和上级党组织工作要求情况",
                "phone": "028-86001234",
                "mailbox": "xuncha1@example.cn",
                "postal_box": "成都市第1001号信箱",
                "reception_hours": "工作日 9:00—17:00",
            },
            request_only=True,
        )
    ]
)
class AnnouncementSerializer(serializers.ModelSerializer):
    public_url = serializers.SerializerMethodField(
        label=gettext_lazy("Public page"),
        help_text="The address of the public page (码上巡) once published; null before.",
    )
    accepts_input = serializers.SerializerMethodField(
        label=gettext_lazy("Accepts input"),
        help_text="Whether the public page takes petitions and survey answers now: until the "
        "on-site stage ends.",
    )

    class Meta:
        model = Announcement
        fields = ["id", "inspection", *FIELDS, "published_at", "public_url", "accepts_input"]
        read_only_fields = ["inspection", "published_at"]
        extra_kwargs = {
            "id": {"label": gettext_lazy("ID"), "help_text": "The announcement's id."},
            "inspection": {
                "label": gettext_lazy("inspection"),
                "help_text": "The inspection's id.",
            },
            "period_start": {"help_text": "The first day of the on-site work, within the round."},
            "period_end": {"help_text": "The last day of the on-site work, not before the first."},
            "scope": {"help_text": "What the inspection looks at."},
            "phone": {"help_text": "The team's telephone for petitions."},
            "mailbox": {"help_text": "The team's e-mail address for petitions."},
            "postal_box": {"help_text": "The postal box for letters."},
            "reception_hours": {"help_text": "When the team receives visitors."},
            "published_at": {
                "help_text": "When it was published (publish action); null while a draft."
            },
        }

    def get_public_url(self, announcement: Announcement) -> str | None:
        if not announcement.is_published:
            return None
        path = reverse("rounds:announcement_public", args=[announcement.token])
        return self.context["request"].build_absolute_uri(path)

    def get_accepts_input(self, announcement: Announcement) -> bool:
        return announcement.is_published and services.accepts_input(announcement.inspection)


def _save(inspection: Inspection, actor: Any, values: dict[str, Any]) -> Announcement:
    return services.save_announcement(inspection=inspection, actor=actor, **values)


@extend_schema(tags=["announcements"])
class InspectionAnnouncementViewSet(InspectionPartCollection):
    """The announcement of one inspection (none or one). Writing it is its team's and the
    office's; it goes out 10 days (the tenant's setting) before 进驻."""

    model = Announcement
    serializer_class = AnnouncementSerializer
    access = {"create": Action.WORK}

    def scoped_queryset(self) -> QuerySet[Announcement]:
        return (
            Announcement.objects.for_org(self.request.org)
            .filter(inspection=self.parent)
            .select_related("inspection")
        )

    def add(self, inspection: Inspection, data: dict[str, Any]) -> Announcement:
        if announcement_get(inspection=inspection) is not None:
            raise DomainError(
                _("This inspection has its announcement already: change that one instead.")
            )
        return _save(inspection, self.request.user, data)


@extend_schema(tags=["announcements"])
class AnnouncementViewSet(InspectionPartRecord):
    """One announcement: changed with If-Match while the inspection is open, and published
    (from preparation until the on-site work ends) — its public page then opens."""

    model = Announcement
    serializer_class = AnnouncementSerializer
    access = {"update": Action.WORK, "partial_update": Action.WORK, "publish": Action.WORK}
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    update = OrgViewSet.update
    partial_update = OrgViewSet.partial_update

    def scoped_queryset(self) -> QuerySet[Announcement]:
        return viewable_parts(Announcement, self.request).select_related("inspection__round")

    def perform_update(self, serializer: Any) -> Announcement:
        record = serializer.instance
        return _save(record.inspection, self.request.user, self.edited(serializer, *FIELDS))

    @extend_schema(request=None, responses=AnnouncementSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        """Publish the announcement; publishing it again changes nothing."""
        return self.act(
            lambda record, data: services.publish_announcement(
                inspection=record.inspection, actor=request.user
            )
        )


INSPECTION = r"inspections/(?P<inspection_pk>[^/.]+)"
ROUTES = [
    (f"{INSPECTION}/announcements", InspectionAnnouncementViewSet, "inspection-announcement"),
    ("announcements", AnnouncementViewSet, "announcement"),
]
