"""Tenant-scoped reads of rounds, teams, their members, assignments and recusals."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Membership, Organization, Unit
from accounts.rows import choice_labels, pk_url
from accounts.selectors import unit_tree
from rounds.capabilities import VIEW_ALL_INSPECTIONS
from rounds.models import (
    Inspection,
    Inspector,
    InspectorSpecialty,
    Recusal,
    RelativeDeclaration,
    Round,
    Team,
    TeamMember,
)
from rounds.permissions import inspections_viewable


def _count_of(qs: QuerySet, field: str) -> Coalesce:
    counted = qs.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(
        Subquery(counted.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
    )


def round_list(
    *, org: Organization, kind: str = "", year: int | None = None, archived: bool = False
) -> QuerySet[Round]:
    """Rounds, newest first, with their number of teams and inspections; the archived ones
    only with ``archived``."""
    qs = _unarchived(Round.objects.for_org(org), keep=archived).annotate(
        team_count=_count_of(Team.objects.for_org(org), "round"),
        inspection_count=_count_of(Inspection.objects.for_org(org), "round"),
    )
    if kind:
        qs = qs.filter(kind=kind)
    if year is not None:
        qs = qs.filter(start_date__year=year)
    return qs.order_by("-start_date", "-pk")


def round_years(*, org: Organization, archived: bool = False) -> list[int]:
    rounds = _unarchived(Round.objects.for_org(org), keep=archived)
    return [day.year for day in rounds.dates("start_date", "year", "DESC")]


def round_all(*, org: Organization) -> QuerySet[Round]:
    return Round.objects.for_org(org)


def _unarchived(rounds: QuerySet[Round], *, keep: bool = False) -> QuerySet[Round]:
    return rounds if keep else rounds.filter(archived_at__isnull=True)


def round_filter_choices(
    *,
    org: Organization,
    membership: Membership,
    archived: bool = False,
    selected: int | None = None,
) -> QuerySet[Round]:
    """Rounds to filter the inspection list by: all of them, or those of the member's
    inspections. Archived rounds only with ``archived``, or when ``selected``."""
    rounds = Round.objects.for_org(org).order_by("-start_date", "-pk")
    if not archived:
        rounds = rounds.filter(Q(archived_at__isnull=True) | Q(pk=selected))
    if membership.has_perm(VIEW_ALL_INSPECTIONS):
        return rounds
    visible = inspections_viewable(membership).values("round_id")
    return rounds.filter(pk__in=visible)


def round_look_back_list(*, org: Organization) -> QuerySet[Round]:
    """Look-back rounds a closed inspection can be looked back on in (not archived ones)."""
    rounds = Round.objects.for_org(org).filter(kind=Round.Kind.LOOK_BACK)
    return _unarchived(rounds).order_by("-start_date")


def _members(org: Organization) -> QuerySet[TeamMember]:
    return (
        TeamMember.objects.for_org(org)
        .select_related("inspector", "inspector__user")
        .order_by("role", "inspector__name", "pk")
    )


def _inspections(org: Organization) -> QuerySet[Inspection]:
    return Inspection.objects.for_org(org).select_related("unit").order_by("unit__path")


def round_team_list(*, round: Round) -> QuerySet[Team]:
    """The teams of a round with their members (``members``, by role, each with its
    ``inspector_name``) and the names of their assigned units (``unit_names``, in tree order),
    in two queries.

    A provincial round assigns hundreds of units: they are read as one array of names per
    team, never as model rows, and members as one row each with their inspector's name."""
    org = round.organization
    members = (
        TeamMember.objects.for_org(org)
        .only("team", "role")
        .annotate(inspector_name=F("inspector__name"))
        .order_by("role", "inspector__name", "pk")
    )
    unit_names = (
        Inspection.objects.for_org(org)
        .filter(team=OuterRef("pk"))
        .order_by("unit__path")
        .values("unit__name")
    )
    return (
        Team.objects.for_org(org)
        .filter(round=round)
        .only("name", "authorization_ref", "authorized_on")
        .annotate(unit_names=ArraySubquery(unit_names))
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("name", "pk")
    )


_BADGE = {TeamMember.Role.LEADER: "text-bg-primary", TeamMember.Role.DEPUTY: "text-bg-info"}


def round_team_rows(teams: Iterable[Team]) -> list[dict[str, Any]]:
    """What the round page shows of each of ``round_team_list``'s teams, resolved once (URLs,
    role labels and badges): the template's loop only prints values."""
    url = pk_url("rounds:team_detail")
    roles = choice_labels(TeamMember, "role")
    return [
        {
            "url": url(team.pk),
            "name": team.name,
            "authorization_ref": team.authorization_ref,
            "authorized_on": team.authorized_on,
            "unit_names": team.unit_names,  # type: ignore[attr-defined]
            "members": [
                {
                    "name": member.inspector_name,  # type: ignore[attr-defined]
                    "role": roles.get(member.role, member.role),
                    "badge": _BADGE.get(member.role, "text-bg-light border"),  # type: ignore[call-overload]
                }
                for member in team.members.all()
            ],
        }
        for team in teams
    ]


def round_inspection_rows(inspections: Iterable[Inspection]) -> list[dict[str, Any]]:
    """The round page's inspection table rows for one page of ``round_inspection_list``."""
    url = pk_url("rounds:inspection_detail")
    return [
        {
            "url": url(inspection.pk),
            "unit": inspection.unit_name,  # type: ignore[attr-defined]
            "team": inspection.team_name,  # type: ignore[attr-defined]
            "stage": inspection.stage,  # the code: {% stage_badge %} labels it
        }
        for inspection in inspections
    ]


def _round_inspections(round: Round) -> QuerySet[Inspection]:
    return Inspection.objects.for_org(round.organization).filter(round=round)


def round_inspection_list(*, round: Round) -> QuerySet[Inspection]:
    """A round's inspections in tree order with what its table shows: the stage, ``unit_name``
    and ``team_name`` (None when no team is assigned), one row object per inspection. Count
    them with ``round_inspection_count``: these joins would stay in a count of this query."""
    return (
        _round_inspections(round)
        .only("stage")
        .annotate(unit_name=F("unit__name"), team_name=F("team__name"))
        .order_by("unit__path")
    )


def round_inspection_count(*, round: Round) -> int:
    return _round_inspections(round).count()


def round_team_count(*, round: Round) -> int:
    return Team.objects.for_org(round.organization).filter(round=round).count()


def team_all(*, org: Organization) -> QuerySet[Team]:
    return Team.objects.for_org(org).select_related("round", "authorized_by")


def team_member_list(*, team: Team) -> QuerySet[TeamMember]:
    return _members(team.organization).filter(team=team)


def team_inspection_list(*, team: Team) -> QuerySet[Inspection]:
    return _inspections(team.organization).filter(team=team)


def team_member_all(*, org: Organization) -> QuerySet[TeamMember]:
    return TeamMember.objects.for_org(org).select_related("team", "inspector")


def recusal_all(*, org: Organization) -> QuerySet[Recusal]:
    return Recusal.objects.for_org(org).select_related(
        "member", "member__team", "member__inspector", "unit", "decided_by", "replacement"
    )


def team_recusal_list(*, team: Team) -> QuerySet[Recusal]:
    recusals = recusal_all(org=team.organization).filter(member__team=team)
    return recusals.order_by("-declared_on", "-pk")


def unit_assignable_list(*, org: Organization) -> QuerySet[Unit]:
    return unit_tree(org=org, include_inactive=False)


def inspector_candidate_list(*, org: Organization) -> QuerySet[Inspector]:
    """The active pool, loaded for the conflict rule and the suggestion: home unit, declared
    relatives with their units, specialties, and the number of rounds served."""
    return (
        Inspector.objects.for_org(org)
        .filter(is_active=True)
        .select_related("home_unit", "user")
        .annotate(rounds_served=Count("team_memberships__round", distinct=True))
        .prefetch_related(
            Prefetch(
                "relatives",
                queryset=RelativeDeclaration.objects.for_org(org).select_related("unit"),
            ),
            Prefetch(
                "specialties",
                queryset=InspectorSpecialty.objects.for_org(org).order_by("specialty"),
            ),
        )
        .order_by("name", "pk")
    )
