"""The coverage part of the rounds API: coverage plans (巡察规划) with their figures and their
suggestion for the next round, plan targets with how each is covered, extension visits (延伸巡察)
and rounds (巡察轮次). Each write calls the service the page calls, with the page's checks;
the representations are in ``rounds.api.coverage_serializers``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from rounds.api.coverage_filters import (
    ExtensionVisitFilter,
    PlanFilter,
    RoundFilter,
    TargetFilter,
)
from rounds.api.coverage_serializers import (
    ExtensionVisitSerializer,
    PlanFiguresSerializer,
    PlanSerializer,
    SuggestionQuerySerializer,
    SuggestionSerializer,
    TargetAddSerializer,
    TargetsAddedSerializer,
    TargetSerializer,
)
from rounds.api.round_serializers import RoundSerializer
from rounds.capabilities import (
    MANAGE_PLANS,
    MANAGE_ROUNDS,
    VIEW_INSPECTIONS,
    VIEW_PLANS,
    VIEW_ROUNDS,
)
from rounds.models import CoveragePlan, CoverageTarget, ExtensionVisit, Inspection, Round
from rounds.permissions import Action, can, inspections_viewable
from rounds.selectors import coverage as selectors
from rounds.selectors.teams import round_list
from rounds.services import archive as archive_services
from rounds.services import coverage as services
from rounds.services import teams as round_services
from rounds.services.closed import check_open
from xuncha.tenancy.api import NOT_OFFERED, OrgViewSet
from xuncha.tenancy.api_errors import ErrorSerializer


def _archive_actions(kind: str) -> dict[str, str]:
    return {
        "create": kind,
        "update": kind,
        "partial_update": kind,
        "destroy": kind,
        "archive": kind,
        "unarchive": kind,
    }


# -- coverage plans -------------------------------------------------------------------------------


@extend_schema(tags=["coverage"])
class CoveragePlanViewSet(OrgViewSet):
    """Coverage plans (巡察规划): a period of years in which every target unit is to be
    inspected once ("全覆盖"), with how many of its targets are covered. Archived plans are
    listed too (filter ``archived``); they are read-only until unarchived. Read by the office,
    leadership and org admins; created, changed, archived and deleted by the office."""

    permission = VIEW_PLANS
    action_permissions = _archive_actions(MANAGE_PLANS)
    model = CoveragePlan
    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    ordering_fields = ["pk", "name", "start_year"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def scoped_queryset(self) -> QuerySet[CoveragePlan]:
        return selectors.plan_list(org=self.request.org, archived=True)

    def perform_create(self, serializer: Any) -> CoveragePlan:
        data = serializer.validated_data
        return services.create_plan(
            org=self.request.org,
            actor=self.request.user,
            name=data["name"],
            start_year=data["start_year"],
            end_year=data["end_year"],
            description=data.get("description", ""),
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        archive_services.check_plan_editable(self.get_object())  # as the edit page: refused first
        return super().update(request, *args, **kwargs)

    def perform_update(self, serializer: Any) -> CoveragePlan:
        return services.update_plan(
            plan=serializer.instance,
            actor=self.request.user,
            **self.edited(serializer, "name", "start_year", "end_year", "description"),
        )

    def perform_destroy(self, instance: CoveragePlan) -> None:
        archive_services.delete_plan(plan=instance, actor=self.request.user)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str) -> Response:
        """Archive (归档) the plan: it leaves the plan list and becomes read-only; its targets
        and their coverage are kept."""
        return self.act(
            lambda plan, data: archive_services.archive_plan(plan=plan, actor=request.user)
        )

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def unarchive(self, request: Request, pk: str) -> Response:
        """Unarchive the plan: it is listed and can be changed again."""
        return self.act(
            lambda plan, data: archive_services.unarchive_plan(plan=plan, actor=request.user)
        )

    @extend_schema(request=None, responses=PlanFiguresSerializer)
    @action(detail=True, methods=["get"])
    def figures(self, request: Request, pk: str) -> Response:
        """The plan page's figures: covered / not yet covered / % overall and per level of the
        unit tree, and what is left for each remaining year of the period."""
        figures = selectors.plan_figures(
            org=request.org, plan=self.get_object(), today=timezone.localdate()
        )
        return Response(PlanFiguresSerializer(figures, context=self.get_serializer_context()).data)

    @extend_schema(
        parameters=[SuggestionQuerySerializer],
        request=None,
        responses={
            200: SuggestionSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description="The limit is not 1–100."),
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None)  # at most 100: one array
    def suggestions(self, request: Request, pk: str) -> Response:
        """What the plan page suggests for the next round: uncovered active target units,
        never covered first, then the longest uncovered; units already in a planned round of
        the period are left out."""
        query = SuggestionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        targets = selectors.plan_suggested_targets(
            org=request.org, plan=self.get_object(), limit=query.validated_data["limit"]
        )
        return Response(SuggestionSerializer(targets, many=True).data)


# -- plan targets ---------------------------------------------------------------------------------


class _TargetRepresentation:
    """Targets are shown with how each is covered (``plan_target_evidence``): one query for a
    page of targets of one plan."""

    request: Request

    def with_evidence(self, plan: CoveragePlan, targets: list[CoverageTarget]) -> Any:
        return selectors.plan_target_evidence(org=self.request.org, plan=plan, targets=targets)


@extend_schema(
    tags=["coverage"],
    parameters=[
        OpenApiParameter(
            "coverageplan_pk", int, OpenApiParameter.PATH, description="The coverage plan's id."
        )
    ],
)
class PlanTargetViewSet(_TargetRepresentation, OrgViewSet):
    """The target units of a coverage plan, in tree order, each with its coverage as the plan
    page shows it: covered or not within the plan period, the date it was last covered, and
    the inspections and extension visits that cover it. The office adds units (or whole
    subtrees) to the plan; a target is removed at ``coverage-targets/{id}/``."""

    permission = VIEW_PLANS
    action_permissions = {"create": MANAGE_PLANS}
    model = CoverageTarget
    parent_lookup = "coverageplan_pk"
    serializer_class = TargetSerializer
    filterset_class = TargetFilter
    ordering = ("unit_path",)  # the unit tree's order; a unit is targeted once per plan
    ordering_fields = ["pk", "unit_path"]
    http_method_names = ["get", "post", "head", "options"]
    retrieve = update = partial_update = destroy = NOT_OFFERED

    def parent_scope(self) -> QuerySet[CoveragePlan]:
        return selectors.plan_all(org=self.request.org)

    def scoped_queryset(self) -> QuerySet[CoverageTarget]:
        targets = selectors.plan_target_list(org=self.request.org, plan=self.parent)
        return targets.annotate(unit_path=F("unit__path"))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        targets = self.with_evidence(self.parent, list(page or []))
        return self.get_paginated_response(self.get_serializer(targets, many=True).data)

    @extend_schema(
        request=TargetAddSerializer,
        responses={201: TargetsAddedSerializer, 200: TargetsAddedSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Add a unit, or it with its whole subtree of active units, to the plan's targets
        (201; 200 when every one was targeted already). A planned year is set on all of
        them."""
        archive_services.check_plan_editable(self.parent)  # as the add page: refused first
        body = TargetAddSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with transaction.atomic():
            added = services.add_targets(
                plan=self.parent,
                actor=request.user,
                unit=data["unit"],
                include_subunits=data["include_subunits"],
                planned_year=data["planned_year"],
            )
        return Response({"added": added}, status=201 if added else 200)


@extend_schema(tags=["coverage"])
class CoverageTargetViewSet(_TargetRepresentation, OrgViewSet):
    """One target unit of a coverage plan with its coverage; the office removes it from the
    plan (not while the plan is archived)."""

    permission = VIEW_PLANS
    action_permissions = {"destroy": MANAGE_PLANS}
    model = CoverageTarget
    serializer_class = TargetSerializer
    http_method_names = ["get", "delete", "head", "options"]
    list = create = update = partial_update = NOT_OFFERED

    def scoped_queryset(self) -> QuerySet[CoverageTarget]:
        return selectors.coverage_target_all(org=self.request.org)

    def get_object(self) -> CoverageTarget:
        target = super().get_object()
        return self.with_evidence(target.plan, [target])[0]

    def perform_destroy(self, instance: CoverageTarget) -> None:
        archive_services.check_plan_editable(
            instance.plan
        )  # as the removal page, before the service
        services.remove_target(target=instance, actor=self.request.user)


# -- extension visits ----------------------------------------------------------------------------


def _viewable_inspections(request: Any) -> QuerySet[Inspection]:
    return inspections_viewable(request.membership)


@extend_schema(tags=["coverage"])
class InspectionExtensionVisitViewSet(OrgViewSet):
    """Extension visits (延伸巡察, "三个一批") of an inspection: sub-units of the inspected unit
    visited during the on-site work, a rectification supervision visit or the acceptance. Each
    covers the sub-unit in the plans that target it. Read by whoever sees the inspection;
    recorded by the office or the inspection's team leader and deputies."""

    permission = VIEW_INSPECTIONS
    model = ExtensionVisit
    parent_lookup = "inspection_pk"
    serializer_class = ExtensionVisitSerializer
    filterset_class = ExtensionVisitFilter
    ordering = ("-pk",)
    ordering_fields = ["pk", "visited_on"]
    http_method_names = ["get", "post", "head", "options"]
    retrieve = update = partial_update = destroy = NOT_OFFERED

    def parent_scope(self) -> QuerySet[Inspection]:
        return _viewable_inspections(self.request)

    def scoped_queryset(self) -> QuerySet[ExtensionVisit]:
        return selectors.extension_visit_list(org=self.request.org, inspection=self.parent)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a sub-unit visited by the team. Refused before the inspection has reached
        the occasion's stage, for a future date, and once the inspection is closed."""
        if not can(request.membership, Action.MANAGE, self.parent):
            raise PermissionDenied  # as the page: office staff, the team's leader and deputies
        check_open(self.parent)  # as the page: a closed inspection's record is read-only
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: Any) -> ExtensionVisit:
        data = serializer.validated_data
        return services.record_extension_visit(
            inspection=self.parent,
            actor=self.request.user,
            unit=data["unit"],
            occasion=data["occasion"],
            visited_on=data["visited_on"],
            visit_reference=data["visit_reference"],
            notes=data.get("notes", ""),
        )


@extend_schema(tags=["coverage"])
class ExtensionVisitViewSet(OrgViewSet):
    """One extension visit (延伸巡察), for whoever sees its inspection."""

    permission = VIEW_INSPECTIONS
    model = ExtensionVisit
    serializer_class = ExtensionVisitSerializer
    http_method_names = ["get", "head", "options"]
    list = create = update = partial_update = destroy = NOT_OFFERED

    def scoped_queryset(self) -> QuerySet[ExtensionVisit]:
        visible = _viewable_inspections(self.request).values("pk")
        return (
            ExtensionVisit.objects.for_org(self.request.org)
            .filter(inspection__in=visible)
            .select_related("unit", "recorded_by")
        )


# -- rounds ---------------------------------------------------------------------------------------


@extend_schema(tags=["rounds"])
class RoundViewSet(OrgViewSet):
    """Rounds (巡察轮次), e.g. "2025年第一轮巡察": routine, special, look-back or mobile, with
    their period, focus areas and how many teams and inspections they have. Archived rounds
    are listed too (filter ``archived``); they are read-only until unarchived. Read by the
    office, leadership and org admins; created, changed, archived and deleted by the office.
    A change of dates that changes which plan targets count as covered is saved at once (the
    page asks to confirm it first); the plans' figures follow."""

    permission = VIEW_ROUNDS
    action_permissions = _archive_actions(MANAGE_ROUNDS)
    model = Round
    serializer_class = RoundSerializer
    filterset_class = RoundFilter
    ordering_fields = ["pk", "name", "start_date"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def scoped_queryset(self) -> QuerySet[Round]:
        return round_list(org=self.request.org, archived=True)

    def perform_create(self, serializer: Any) -> Round:
        data = serializer.validated_data
        return round_services.create_round(
            org=self.request.org,
            actor=self.request.user,
            name=data["name"],
            kind=data.get("kind", Round.Kind.ROUTINE),
            start_date=data["start_date"],
            end_date=data["end_date"],
            focus_areas=data.get("focus_areas", []),
            description=data.get("description", ""),
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        archive_services.check_round_editable(self.get_object())  # as the edit page: refused first
        return super().update(request, *args, **kwargs)

    def perform_update(self, serializer: Any) -> Round:
        fields = ("name", "kind", "start_date", "end_date", "focus_areas", "description")
        return round_services.update_round(
            round=serializer.instance, actor=self.request.user, **self.edited(serializer, *fields)
        )

    def perform_destroy(self, instance: Round) -> None:
        archive_services.delete_round(round=instance, actor=self.request.user)

    @extend_schema(request=None, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str) -> Response:
        """Archive (归档) the round once every inspection of it is closed: it leaves the lists
        and pickers and becomes read-only with its teams; its inspections still count."""
        return self.act(
            lambda round_, data: archive_services.archive_round(round=round_, actor=request.user)
        )

    @extend_schema(request=None, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def unarchive(self, request: Request, pk: str) -> Response:
        """Unarchive the round: it is listed and can be changed again."""
        return self.act(
            lambda round_, data: archive_services.unarchive_round(round=round_, actor=request.user)
        )


ROUTES = [
    ("coverage-plans", CoveragePlanViewSet, "coverage-plan"),
    (
        r"coverage-plans/(?P<coverageplan_pk>[^/.]+)/targets",
        PlanTargetViewSet,
        "coverage-plan-target",
    ),
    ("coverage-targets", CoverageTargetViewSet, "coverage-target"),
    (
        r"inspections/(?P<inspection_pk>[^/.]+)/extension-visits",
        InspectionExtensionVisitViewSet,
        "inspection-extension-visit",
    ),
    ("extension-visits", ExtensionVisitViewSet, "extension-visit"),
    ("rounds", RoundViewSet, "round"),
]
