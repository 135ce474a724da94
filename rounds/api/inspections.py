"""The inspections part of the rounds API: inspections as the pages show them (their work plan
edited, their schedule planned), their stage moves as actions through the lifecycle services
(advance, close, reopen, look-back), and the timeline of moves under each inspection.

Access is the pages' (``rounds.views.inspections.InspectionAccessMixin``): a caller reaches the
inspections ``inspections_viewable`` gives them (another one is a 404); the work plan and the
schedule need "manage" access, a stage move the lifecycle's ``can_move_to`` (403 otherwise, with
the page's message); a closed inspection's record is refused by the services (400, their
message)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Unit
from rounds.api.inspection_serializers import (
    AdvanceSerializer,
    CloseSerializer,
    InspectionDetailSerializer,
    InspectionSerializer,
    LookBackSerializer,
    ReopenSerializer,
    ScheduleSerializer,
    StageTransitionSerializer,
)
from rounds.capabilities import CLOSE_INSPECTIONS, MANAGE_INSPECTIONS, VIEW_INSPECTIONS
from rounds.models import Inspection, Round, StagePlan, StageTransition, Team
from rounds.permissions import Action, can, can_move_to, inspections_viewable
from rounds.selectors.inspections import inspection_list
from rounds.selectors.teams import round_filter_choices
from rounds.selectors.timeline import stage_transition_list
from rounds.services import inspections as services
from rounds.services import lifecycle
from rounds.services.closed import reopen_inspection
from rounds.services.inspections import PLANNED_STAGES, Dates, schedule_field
from rounds.taxonomy import Stage
from xuncha.tenancy.api import NOT_OFFERED, OrgViewSet

# --- Filters ------------------------------------------------------------------------------
# Choice lists are what the caller may see: a filter on another team's unit is refused.


def _rounds(request: Any) -> QuerySet[Round]:
    if getattr(request, "membership", None) is None:  # schema generation: no caller, no rows
        return Round.objects.none()
    return round_filter_choices(org=request.org, membership=request.membership, archived=True)


def _units(request: Any) -> QuerySet[Unit]:
    if getattr(request, "membership", None) is None:
        return Unit.objects.none()
    inspected = inspections_viewable(request.membership).values("unit_id")
    return Unit.objects.for_org(request.org).filter(pk__in=inspected)


def _teams(request: Any) -> QuerySet[Team]:
    if getattr(request, "membership", None) is None:
        return Team.objects.none()
    teams = inspections_viewable(request.membership).values("team_id")
    return Team.objects.for_org(request.org).filter(pk__in=teams)


class InspectionFilter(django_filters.FilterSet):
    round = django_filters.ModelChoiceFilter(
        queryset=_rounds, help_text="Only the inspections of this round."
    )
    stage = django_filters.ChoiceFilter(
        choices=Stage.choices, help_text="Only the inspections in this stage."
    )
    unit = django_filters.ModelChoiceFilter(
        queryset=_units, help_text="Only the inspections of this inspected unit."
    )
    team = django_filters.ModelChoiceFilter(
        queryset=_teams, help_text="Only the inspections assigned to this team."
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        help_text="True: only the inspections whose current stage is past its planned end "
        "(as the home page's overdue stages); false: only the others.",
    )

    class Meta:
        model = Inspection
        fields: list[str] = []

    def filter_overdue(
        self, queryset: QuerySet[Inspection], name: str, value: bool
    ) -> QuerySet[Inspection]:
        late = StagePlan.objects.for_org(self.request.org).filter(
            inspection=OuterRef("pk"), stage=OuterRef("stage"), planned_end__lt=timezone.localdate()
        )
        return queryset.filter(Exists(late)) if value else queryset.exclude(Exists(late))


class StageTransitionFilter(django_filters.FilterSet):
    to_stage = django_filters.ChoiceFilter(
        choices=Stage.choices, help_text="Only the moves into this stage."
    )

    class Meta:
        model = StageTransition
        fields: list[str] = []


# --- Inspections ----------------------------------------------------------------------------

# The access each action needs on the inspection, as the pages ask it (InspectionAccessMixin);
# stage moves ask the lifecycle's own rule (``can_move_to``) instead.
OBJECT_ACCESS: dict[str, Action] = {
    "update": Action.MANAGE,
    "partial_update": Action.MANAGE,
    "schedule": Action.MANAGE,
}


def _schedule_dates(inspection: Inspection, data: dict[str, Any]) -> dict[str, Dates]:
    """The planned dates of the stages the body names: each date given, or kept as stored
    when only the other one is given (null clears it)."""
    stored = {
        plan.stage: (plan.planned_start, plan.planned_end) for plan in inspection.stage_plans.all()
    }
    dates: dict[str, Dates] = {}
    for stage in PLANNED_STAGES:
        start, end = schedule_field(stage, "start"), schedule_field(stage, "end")
        if start in data or end in data:
            kept_start, kept_end = stored.get(stage, (None, None))
            dates[stage] = (data.get(start, kept_start), data.get(end, kept_end))
    return dates


@extend_schema(tags=["inspections"])
class InspectionViewSet(OrgViewSet):
    """Inspections (巡察): one per round and inspected unit, each in one stage of its lifecycle
    (制定方案 → 巡前准备 → 进驻动员 → 现场巡察 → 形成报告 → 反馈 → 整改 → 整改验收 → 完成).
    Listed as the inspection pages list them: every inspection of the organization for the
    office and the leadership group, only their own for a team's members. An inspection is
    made by assigning a unit to a round's team, or as a look-back (回头看) of a closed one; its
    work plan is edited here (office and its team leaders), its schedule and stage moves are
    actions. A closed inspection is read-only until the leadership group reopens it."""

    permission = VIEW_INSPECTIONS
    action_permissions = {"look_back": MANAGE_INSPECTIONS, "reopen": CLOSE_INSPECTIONS}
    model = Inspection
    serializer_class = InspectionDetailSerializer
    filterset_class = InspectionFilter
    ordering = ("pk",)
    ordering_fields = ["pk", "created_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    create = destroy = NOT_OFFERED

    def get_serializer_class(self) -> type[InspectionSerializer]:
        return InspectionSerializer if self.action == "list" else InspectionDetailSerializer

    def scoped_queryset(self) -> QuerySet[Inspection]:
        org = self.request.org
        plans = Prefetch("stage_plans", queryset=StagePlan.objects.for_org(org))
        rows = inspection_list(org=org, membership=self.request.membership)
        return rows.prefetch_related(plans)

    def get_object(self) -> Inspection:
        inspection = super().get_object()
        access = OBJECT_ACCESS.get(self.action)
        if access is not None and not can(self.request.membership, access, inspection):
            raise exceptions.PermissionDenied()
        return inspection

    def perform_update(self, serializer: Any) -> Inspection:
        return services.save_work_plan(
            inspection=serializer.instance,
            actor=self.request.user,
            **self.edited(serializer, "focus_areas", "work_plan"),
        )

    def _may_move(self, inspection: Inspection, target: str) -> None:
        if not can_move_to(self.request.membership, inspection, target):
            raise exceptions.PermissionDenied(lifecycle.move_refusal(target))

    def _advance(self, inspection: Inspection, data: dict[str, Any]) -> Inspection:
        self._may_move(inspection, data["to_stage"])
        return lifecycle.advance(
            inspection=inspection,
            actor=self.request.user,
            to_stage=data["to_stage"],
            reason=data["reason"],
            exception=data["exception"],
            effective_on=data["effective_on"],
        )

    def _close(self, inspection: Inspection, data: dict[str, Any]) -> Inspection:
        self._may_move(inspection, Stage.CLOSED)
        return lifecycle.close_inspection(
            inspection=inspection,
            actor=self.request.user,
            reason=data["reason"],
            exception=data["exception"],
            effective_on=data["effective_on"],
        )

    @extend_schema(request=AdvanceSerializer, responses=InspectionDetailSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str) -> Response:
        """Move the inspection into the stage after its current one, as the page's 进入下一阶段
        does: refused (400) unless the target follows the current stage and its checks are met
        (the message lists what is missing), and refused (403) to a caller who may not move it
        (the office and the inspection's team leaders move it; only the leadership group
        closes it). The move is written on the timeline with the reason, who and when;
        ``effective_on`` dates past work entered after the fact."""
        return self.act(self._advance, serializer_class=AdvanceSerializer)

    @extend_schema(request=CloseSerializer, responses=InspectionDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close (办结) an inspection in acceptance: the leadership group only. Refused while a
        check is unmet (e.g. rectification items still open) unless the leadership group
        records an exception with its reason; the record is then read-only."""
        return self.act(self._close, serializer_class=CloseSerializer)

    @extend_schema(request=ReopenSerializer, responses=InspectionDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        """Reopen a closed inspection (the leadership group, giving a reason): it goes back to
        acceptance, the reason on the timeline, and its record can be changed again."""
        return self.act(
            lambda inspection, data: reopen_inspection(
                inspection=inspection, actor=request.user, reason=data["reason"]
            ),
            serializer_class=ReopenSerializer,
        )

    @extend_schema(request=ScheduleSerializer, responses=InspectionDetailSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request: Request, pk: str) -> Response:
        """Plan the stages' dates (进度表), as the schedule page does: only the dates named
        change (null clears one). Refused when a stage would end before it starts, fall outside
        the round, or be planned before an earlier stage."""
        return self.act(
            lambda inspection, data: services.save_schedule(
                inspection=inspection,
                actor=request.user,
                dates=_schedule_dates(inspection, data),
            ),
            serializer_class=ScheduleSerializer,
        )

    @extend_schema(request=LookBackSerializer, responses={201: InspectionDetailSerializer})
    @action(detail=True, methods=["post"], url_path="look-back")
    def look_back(self, request: Request, pk: str) -> Response:
        """Create a look-back (回头看) of this closed inspection in a look-back round: the same
        unit, starting in planning, with this inspection's problems to re-check. Answers with
        the new inspection."""
        return self.act(
            lambda inspection, data: services.create_look_back(
                inspection=inspection, actor=request.user, target_round=data["round"]
            ),
            serializer_class=LookBackSerializer,
            status_code=201,
        )


@extend_schema(tags=["inspections"])
class InspectionTransitionViewSet(OrgViewSet):
    """The timeline of one inspection: its recorded stage moves (and the creation of a
    look-back) in order of effect, each with who moved it, why, when it took effect and when it
    was entered, as the inspection page's 时间线 shows them. Read-only: moves are made with the
    inspection's stage actions."""

    permission = VIEW_INSPECTIONS
    model = StageTransition
    parent_lookup = "inspection_pk"
    serializer_class = StageTransitionSerializer
    filterset_class = StageTransitionFilter
    ordering = ("effective_at", "at", "pk")
    ordering_fields = ["effective_at", "at", "pk"]
    http_method_names = ["get", "head", "options"]
    create = retrieve = update = partial_update = destroy = NOT_OFFERED

    def parent_scope(self) -> QuerySet[Inspection]:
        return inspections_viewable(self.request.membership)

    def scoped_queryset(self) -> QuerySet[StageTransition]:
        inspection = self.parent
        inspection.organization = self.request.org  # the scope matched it: no query for it
        return stage_transition_list(inspection=inspection)


ROUTES = [
    ("inspections", InspectionViewSet, "inspection"),
    (
        r"inspections/(?P<inspection_pk>[^/.]+)/transitions",
        InspectionTransitionViewSet,
        "inspection-transition",
    ),
]
