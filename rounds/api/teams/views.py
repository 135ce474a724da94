"""The teams API's resources (see ``rounds.api.teams``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Organization
from rounds.api.teams.serializers import (
    AssignUnitSerializer,
    TeamFilter,
    TeamMemberFilter,
    TeamMemberRemovalSerializer,
    TeamMemberSerializer,
    TeamSerializer,
    UnassignUnitSerializer,
)
from rounds.api.teams.staffing import (
    AcceptSuggestionSerializer,
    ProposalSerializer,
    RecusalDecisionSerializer,
    RecusalFilter,
    RecusalSerializer,
    SuggestionQuerySerializer,
    proposal_data,
)
from rounds.capabilities import MANAGE_ROUNDS, VIEW_ROUNDS
from rounds.models import Inspection, Recusal, Round, Team, TeamMember
from rounds.selectors.teams import (
    recusal_all,
    round_all,
    team_all,
    team_inspection_list,
    team_member_all,
    team_member_list,
    team_recusal_list,
)
from rounds.services import suggestion
from rounds.services import teams as services
from xuncha.tenancy.api import NOT_OFFERED, OrgViewSet, etag_for
from xuncha.tenancy.api_errors import ErrorSerializer

TEAM_IN_PATH = OpenApiParameter(
    "team_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The team's id."
)


def team_api_list(org: Organization) -> QuerySet[Team]:
    """Teams with their round, who authorized the leader, members (by role, then name) and
    units (in tree order): three queries for a page of any length."""
    members = (
        TeamMember.objects.for_org(org)
        .select_related("inspector")
        .order_by("role", "inspector__name", "pk")
    )
    units = Inspection.objects.for_org(org).select_related("unit").order_by("unit__path")
    return team_all(org=org).prefetch_related(
        Prefetch("members", queryset=members), Prefetch("inspections", queryset=units)
    )


def _lock_round(view: OrgViewSet, round_id: int) -> None:
    """As the team services do first: a round's team changes are serialized on the round."""
    Round.objects.for_org(view.request.org).select_for_update().filter(pk=round_id).exists()


class _TeamResource(OrgViewSet):
    model = Team
    serializer_class = TeamSerializer
    permission = VIEW_ROUNDS

    def team_list(self) -> QuerySet[Team]:
        return team_api_list(self.request.org)


@extend_schema(tags=["teams"])
class RoundTeamViewSet(_TeamResource):
    """The teams (巡察组) of a round, each with its leader's authorization for this round
    (一次一授权), its members and the units it inspects; the office forms a new team here."""

    parent_lookup = "round_pk"
    action_permissions = {"create": MANAGE_ROUNDS}
    filterset_class = TeamFilter
    ordering_fields = ["pk", "name"]
    http_method_names = ["get", "post", "head", "options"]
    retrieve = update = partial_update = destroy = NOT_OFFERED

    def parent_scope(self) -> QuerySet[Round]:
        return round_all(org=self.request.org)

    def scoped_queryset(self) -> QuerySet[Team]:
        return self.team_list().filter(round=self.parent)

    def perform_create(self, serializer: Any) -> Team:
        data = serializer.validated_data
        return services.create_team(
            round=self.parent,
            actor=self.request.user,
            name=data["name"],
            authorization_ref=data.get("authorization_ref", ""),
            authorized_on=data.get("authorized_on"),
        )


@extend_schema(tags=["teams"])
class TeamViewSet(_TeamResource):
    """A team (巡察组) of a round: its name and its leader's authorization for this round
    (一次一授权: document number and date; who recorded it is kept), its members and units.
    The office edits it, assigns and takes back units, and accepts the team suggestion; an
    archived or closed round's teams are read-only (refused with the pages' message)."""

    action_permissions = {
        "update": MANAGE_ROUNDS,
        "partial_update": MANAGE_ROUNDS,
        "assign_unit": MANAGE_ROUNDS,
        "unassign_unit": MANAGE_ROUNDS,
        "suggestion": MANAGE_ROUNDS,
        "accept_suggestion": MANAGE_ROUNDS,
    }
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    list = create = destroy = NOT_OFFERED

    def lock_before(self, instance: Team) -> None:
        _lock_round(self, instance.round_id)

    def scoped_queryset(self) -> QuerySet[Team]:
        return self.team_list()

    def perform_update(self, serializer: Any) -> Team:
        return services.update_team(
            team=serializer.instance,
            actor=self.request.user,
            **self.edited(serializer, "name", "authorization_ref", "authorized_on"),
        )

    @extend_schema(request=AssignUnitSerializer, responses=TeamSerializer)
    @action(detail=True, methods=["post"], url_path="assign-unit")
    def assign_unit(self, request: Request, pk: str) -> Response:
        """Assign a unit to the team: its inspection of the unit in this round, starting in
        planning. Refused when another team inspects the unit in this round, when the unit is
        deactivated, or when a member may not inspect it (回避: their home unit, or a declared
        relative's) — with the page's message."""

        def perform(team: Team, data: dict[str, Any]) -> Team:
            services.assign_unit(team=team, actor=request.user, unit=data["unit"])
            return team

        return self.act(perform, serializer_class=AssignUnitSerializer)

    @extend_schema(request=UnassignUnitSerializer, responses=TeamSerializer)
    @action(detail=True, methods=["post"], url_path="unassign-unit")
    def unassign_unit(self, request: Request, pk: str) -> Response:
        """Take a unit back from the team while its inspection is still being planned (the
        inspection goes, unless it is a look-back, which stays without a team)."""

        def perform(team: Team, data: dict[str, Any]) -> Team:
            inspection = team_inspection_list(team=team).get(unit=data["unit"])
            services.unassign_unit(inspection=inspection, actor=request.user)
            return team

        return self.act(perform, serializer_class=UnassignUnitSerializer)

    @extend_schema(
        parameters=[SuggestionQuerySerializer],
        responses={
            200: ProposalSerializer,
            400: OpenApiResponse(ErrorSerializer, description="No unit, or not an active one."),
        },
    )
    @action(detail=True, methods=["get"])
    def suggestion(self, request: Request, pk: str) -> Response:
        """The team proposed for one unit (what the suggestion page proposes): the team's
        members are kept and the gaps filled from the pool — a leader, a deputy and members up
        to 5–7 covering the specialties the round's focus areas need, nobody conflicted with
        the unit or on another team of the round, fewest rounds served first. Changes
        nothing: accept it (as edited) with accept-suggestion."""
        team = self.get_object()
        query = SuggestionQuerySerializer(
            data=request.query_params, context=self.get_serializer_context()
        )
        query.is_valid(raise_exception=True)
        team.organization = request.org  # the row matched it: no query to read it again
        proposal = suggestion.suggest_team(team=team, unit=query.validated_data["unit"])
        data = ProposalSerializer(proposal_data(proposal)).data
        return Response(data, headers={"ETag": etag_for(data)})

    @extend_schema(request=AcceptSuggestionSerializer, responses=TeamSerializer)
    @action(detail=True, methods=["post"], url_path="accept-suggestion")
    def accept_suggestion(self, request: Request, pk: str) -> Response:
        """Accept a suggestion as edited: add the people with their roles and assign the unit,
        all or nothing (any refusal of one of them refuses the whole)."""

        def perform(team: Team, data: dict[str, Any]) -> Team:
            picks = [(pick["inspector"], pick["role"]) for pick in data.get("picks", [])]
            suggestion.accept_proposal(
                team=team, actor=request.user, unit=data["unit"], picks=picks
            )
            return team

        return self.act(perform, serializer_class=AcceptSuggestionSerializer)


@extend_schema(tags=["teams"])
class TeamMembersViewSet(OrgViewSet):
    """The members of a team (巡察组): leader, deputy leaders and members, each an inspector
    from the pool; the office adds people here, unless a rule refuses (one team per person per
    round, one leader per team, leader eligibility, conflicts with the team's units — 回避)."""

    model = TeamMember
    serializer_class = TeamMemberSerializer
    permission = VIEW_ROUNDS
    action_permissions = {"create": MANAGE_ROUNDS}
    parent_lookup = "team_pk"
    filterset_class = TeamMemberFilter
    ordering_fields = ["pk", "role", "added_at"]
    http_method_names = ["get", "post", "head", "options"]
    retrieve = update = partial_update = destroy = NOT_OFFERED

    def parent_scope(self) -> QuerySet[Team]:
        return team_all(org=self.request.org)

    def scoped_queryset(self) -> QuerySet[TeamMember]:
        return team_member_list(team=self.parent).select_related("team")

    def perform_create(self, serializer: Any) -> TeamMember:
        data = serializer.validated_data
        return services.add_member(
            team=self.parent,
            actor=self.request.user,
            inspector=data["inspector"],
            role=data["role"],
        )


@extend_schema(tags=["teams"])
class TeamMemberViewSet(OrgViewSet):
    """A member of a team (巡察组), and their removal."""

    model = TeamMember
    serializer_class = TeamMemberSerializer
    permission = VIEW_ROUNDS
    action_permissions = {"remove": MANAGE_ROUNDS}
    http_method_names = ["get", "post", "head", "options"]
    list = create = update = partial_update = destroy = NOT_OFFERED

    def lock_before(self, instance: TeamMember) -> None:
        _lock_round(self, instance.team.round_id)

    def scoped_queryset(self) -> QuerySet[TeamMember]:
        return team_member_all(org=self.request.org)

    @extend_schema(request=TeamMemberRemovalSerializer, responses=TeamSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request: Request, pk: str) -> Response:
        """Take the member off the team, as the team page's confirmed removal does, and answer
        with the team as it now is. While an inspection of the team is under way the reason
        is required (it stays in the team's change history); the leader of a team with an
        inspection past planning leaves only with a new leader named, with their own
        authorization. Refused while they hold tasks in a work plan."""
        with transaction.atomic():
            member = self.locked_object(require_match=False)
            body = TeamMemberRemovalSerializer(
                data=request.data, context=self.get_serializer_context()
            )
            body.is_valid(raise_exception=True)
            data = body.validated_data
            services.remove_member(
                member=member,
                actor=request.user,
                reason=data["reason"],
                new_leader=data.get("new_leader"),
                authorization_ref=data["authorization_ref"],
                authorized_on=data["authorized_on"],
            )
        team = team_api_list(request.org).get(pk=member.team_id)
        answer = TeamSerializer(team, context=self.get_serializer_context()).data
        return Response(answer, headers={"ETag": etag_for(answer)})


@extend_schema(tags=["teams"], parameters=[TEAM_IN_PATH])
class TeamRecusalsViewSet(OrgViewSet):
    """Recusal declarations (回避申请) of a team's members, latest recorded first: a member
    declares a unit they should not inspect (a relative works there, they worked there); the
    office records it here and decides it on the declaration."""

    model = Recusal
    serializer_class = RecusalSerializer
    permission = VIEW_ROUNDS
    action_permissions = {"create": MANAGE_ROUNDS}
    parent_lookup = "team_pk"
    filterset_class = RecusalFilter
    ordering = ("-pk",)
    ordering_fields = ["pk", "declared_on"]
    http_method_names = ["get", "post", "head", "options"]
    retrieve = update = partial_update = destroy = NOT_OFFERED

    def parent_scope(self) -> QuerySet[Team]:
        return team_all(org=self.request.org)

    def scoped_queryset(self) -> QuerySet[Recusal]:
        return team_recusal_list(team=self.parent)

    def perform_create(self, serializer: Any) -> Recusal:
        data = serializer.validated_data
        return services.declare_recusal(
            member=data["member"],
            actor=self.request.user,
            unit=data["unit"],
            reason=data["reason"],
            declared_on=data["declared_on"],
        )


@extend_schema(tags=["teams"])
class RecusalViewSet(OrgViewSet):
    """A recusal declaration (回避申请) and its decision: approved (the member leaves the work
    on that unit's inspection, someone named may replace them) or rejected."""

    model = Recusal
    serializer_class = RecusalSerializer
    permission = VIEW_ROUNDS
    action_permissions = {"decide": MANAGE_ROUNDS}
    http_method_names = ["get", "post", "head", "options"]
    list = create = update = partial_update = destroy = NOT_OFFERED

    def lock_before(self, instance: Recusal) -> None:
        _lock_round(self, instance.member.team.round_id)

    def scoped_queryset(self) -> QuerySet[Recusal]:
        return recusal_all(org=self.request.org)

    @extend_schema(request=RecusalDecisionSerializer, responses=RecusalSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        """Approve or reject a pending declaration. An approval takes effect on the inspection
        of the declared unit: the member leaves its work (the team's other inspections stay
        theirs) and the replacement, if named, works it in their role — someone free in the
        round, fit for the role and without a conflict with the unit."""
        return self.act(
            lambda recusal, data: services.decide_recusal(
                recusal=recusal,
                actor=request.user,
                approve=data["decision"] == Recusal.Decision.APPROVED,
                replacement=data.get("replacement"),
            ),
            serializer_class=RecusalDecisionSerializer,
        )
