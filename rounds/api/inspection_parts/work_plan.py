"""The work plan in the API: the task split among team members and the milestones."""

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
    team_of_collection,
    viewable_parts,
)
from rounds.models import Inspection, Milestone, TeamMember, WorkTask
from rounds.permissions import Action
from rounds.selectors.inspection_detail import inspection_part_list
from rounds.services import inspections as services
from xuncha.tenancy.api import OrgViewSet, ScopedRelatedField


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A task for a team member",
            value={"assignee": 7, "description": "负责选人用人专项检查"},
            request_only=True,
        )
    ]
)
class WorkTaskSerializer(serializers.ModelSerializer):
    assignee = ScopedRelatedField(
        model=TeamMember,
        scope=team_of_collection,
        label=_("assignee"),
        help_text="Id of the member of the inspection's team (a team seat) who does it.",
    )
    assignee_name = serializers.CharField(
        source="assignee.inspector.name",
        read_only=True,
        label=_("Assignee"),
        help_text="The assigned inspector's name.",
    )

    class Meta:
        model = WorkTask
        fields = ["id", "inspection", "assignee", "assignee_name", "description"]
        read_only_fields = ["inspection"]
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The task's id."},
            "inspection": {"label": _("inspection"), "help_text": "The inspection's id."},
            "description": {"help_text": "What the member is to do (任务分工)."},
        }


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The mobilization meeting",
            value={"title": "召开进驻动员会", "due_on": "2025-03-10"},
            request_only=True,
        )
    ]
)
class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "inspection", "title", "due_on", "done_on"]
        read_only_fields = ["inspection", "done_on"]
        extra_kwargs = {
            "id": {"label": _("ID"), "help_text": "The milestone's id."},
            "inspection": {"label": _("inspection"), "help_text": "The inspection's id."},
            "title": {"help_text": "What is to be reached."},
            "due_on": {"help_text": "The day it is due."},
            "done_on": {
                "help_text": "The day it was reached; null while open. Set with the mark-done "
                "action."
            },
        }


@extend_schema_serializer(
    examples=[OpenApiExample("Reached", value={"done_on": "2025-03-10"}, request_only=True)]
)
class MilestoneDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(
        label=_("done on"), help_text="The day it was reached (today or earlier)."
    )


class WorkTaskFilter(django_filters.FilterSet):
    assignee = django_filters.ModelChoiceFilter(
        queryset=team_of_collection, help_text="Only the tasks of this team seat."
    )

    class Meta:
        model = WorkTask
        fields: list[str] = []


class MilestoneFilter(django_filters.FilterSet):
    done = django_filters.BooleanFilter(
        field_name="done_on",
        lookup_expr="isnull",
        exclude=True,
        help_text="Only reached (true) or open (false) milestones.",
    )

    class Meta:
        model = Milestone
        fields: list[str] = []


def _tasks(queryset: QuerySet[WorkTask]) -> QuerySet[WorkTask]:
    return queryset.select_related("assignee__inspector")


@extend_schema(tags=["work plan"])
class InspectionWorkTaskViewSet(InspectionPartCollection):
    """The task split of one inspection (任务分工): who in its team does what. Assigning is
    the inspection managers' (the office, the team leader and deputies)."""

    model = WorkTask
    serializer_class = WorkTaskSerializer
    filterset_class = WorkTaskFilter
    access = {"create": Action.MANAGE}

    def scoped_queryset(self) -> QuerySet[WorkTask]:
        return _tasks(inspection_part_list(WorkTask, self.parent))

    def add(self, inspection: Inspection, data: dict[str, Any]) -> WorkTask:
        return services.add_task(
            inspection=inspection,
            actor=self.request.user,
            assignee=data["assignee"],
            description=data["description"],
        )


@extend_schema(tags=["work plan"])
class WorkTaskViewSet(InspectionPartRecord):
    """One task of the task split; removing it (DELETE, with If-Match) is the managers'."""

    model = WorkTask
    serializer_class = WorkTaskSerializer
    access = {"destroy": Action.MANAGE}
    http_method_names = ["get", "post", "delete", "head", "options"]
    destroy = OrgViewSet.destroy

    def scoped_queryset(self) -> QuerySet[WorkTask]:
        return _tasks(viewable_parts(WorkTask, self.request))

    def perform_destroy(self, instance: WorkTask) -> None:
        services.remove_task(task=instance, actor=self.request.user)


@extend_schema(tags=["work plan"])
class InspectionMilestoneViewSet(InspectionPartCollection):
    """The milestones of one inspection's work plan (进度节点). Adding one is the inspection
    managers'."""

    model = Milestone
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    ordering_fields = ["pk", "due_on"]
    access = {"create": Action.MANAGE}

    def scoped_queryset(self) -> QuerySet[Milestone]:
        return inspection_part_list(Milestone, self.parent)

    def add(self, inspection: Inspection, data: dict[str, Any]) -> Milestone:
        return services.add_milestone(
            inspection=inspection,
            actor=self.request.user,
            title=data["title"],
            due_on=data["due_on"],
        )


@extend_schema(tags=["work plan"])
class MilestoneViewSet(InspectionPartRecord):
    """One milestone of a work plan, and marking it reached."""

    model = Milestone
    serializer_class = MilestoneSerializer
    access = {"mark_done": Action.MANAGE}

    def scoped_queryset(self) -> QuerySet[Milestone]:
        return viewable_parts(Milestone, self.request).select_related("inspection__round")

    @extend_schema(request=MilestoneDoneSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"], url_path="mark-done")
    def mark_done(self, request: Request, pk: str) -> Response:
        """Mark the milestone reached on a day (today or earlier)."""
        return self.act(
            lambda record, data: services.mark_milestone_done(
                milestone=record, actor=request.user, done_on=data["done_on"]
            ),
            serializer_class=MilestoneDoneSerializer,
        )
