"""Team suggestion: a proposed team for one unit, from the pool, for the office to edit and
accept.

The proposal keeps who is already on the team and fills the gaps: a leader (leader-eligible),
a deputy, and members up to 5–7, so that the whole team covers the specialties the round's focus
areas need (FOCUS_SPECIALTIES). Nobody conflicted for the unit and nobody on another team of the
round is proposed; among equals, whoever served the fewest rounds comes first (ties by name).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet

from accounts.models import Unit, User
from rounds.models import (
    Inspection,
    Inspector,
    InspectorSpecialty,
    RelativeDeclaration,
    Team,
    TeamMember,
)
from rounds.selectors.teams import (
    inspector_candidate_list,
    team_inspection_list,
    team_member_list,
    team_specialties,
)
from rounds.services import teams as team_services
from rounds.taxonomy import FOCUS_SPECIALTIES, Specialty

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MIN_MEMBERS = 5
MAX_MEMBERS = 7
SHORTLIST = MAX_MEMBERS + 3  # more than any one kind of pick a proposal makes


@dataclass
class Proposal:
    unit: Unit
    picks: list[tuple[Inspector, str]] = field(default_factory=list)
    needed: list[str] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)

    def role_of(self, role: str) -> list[Inspector]:
        return [inspector for inspector, picked in self.picks if picked == role]

    @property
    def needed_labels(self) -> list[StrOrPromise]:
        return [Specialty(code).label for code in self.needed]

    @property
    def uncovered_labels(self) -> list[StrOrPromise]:
        return [Specialty(code).label for code in self.uncovered]


def needed_specialties(focus_areas: Iterable[str]) -> list[str]:
    """The specialties the focus areas need, in the taxonomy's order."""
    wanted = {code for area in focus_areas for code in FOCUS_SPECIALTIES.get(area, ())}
    return [code for code in Specialty.values if code in wanted]


def _skills(inspector: Inspector) -> set[str]:
    return {row.specialty for row in inspector.specialties.all()}


def _free(team: Team, units: list[Unit]) -> QuerySet[Inspector]:
    """The active pool minus anyone on a team of this round or conflicted for one of ``units``
    (the rule of ``conflict_reasons``, in SQL), with ``rounds_served``."""
    org = team.organization
    busy = TeamMember.objects.for_org(org).filter(round=team.round).values("inspector_id")
    within = Q()
    for unit in units:
        within |= Q(path__startswith=unit.path)
    # The units of the subtrees, once (a prefix range of the path index per unit); a person is
    # conflicted when at home in one of them or with a relative declared in one of them.
    subtrees = Unit.objects.for_org(org).filter(within).values("pk")
    relatives = RelativeDeclaration.objects.for_org(org).filter(unit__in=subtrees)
    return (
        Inspector.objects.for_org(org)
        .filter(is_active=True)
        .exclude(pk__in=busy)
        .exclude(home_unit__in=subtrees)
        .exclude(pk__in=relatives.values("inspector_id"))
        # Joined and grouped, not a subquery per person. (One seat per round is a constraint,
        # so seats are rounds.)
        .annotate(rounds_served=Count("team_memberships"))
    )


def _free_candidates(team: Team, unit: Unit, specialties: list[str]) -> list[Inspector]:
    """The shortlist the proposal is drawn from, in proposal order.

    A proposal takes at most one leader, one deputy and ``MAX_MEMBERS`` members, each the first
    free person of a kind: leader-eligible, holding a wanted specialty, or anyone. So the first
    ``SHORTLIST`` free people of each kind hold every possible pick, and the pool is never
    loaded whole. One pass over the free pool ranks everyone within each kind (fewest rounds
    served first, then by name) and keeps whoever ranks within ``SHORTLIST`` in some kind; one
    query then loads those people."""
    units = [unit, *(inspection.unit for inspection in team_inspection_list(team=team))]
    org = team.organization
    free_sql, free_params = (
        _free(team, units)
        .order_by()
        .values("pk", "name", "leader_eligible", "rounds_served")
        .query.sql_with_params()
    )
    # The free pool is read and grouped once (a CTE); the first SHORTLIST of each kind (anyone,
    # leader-eligible, each wanted specialty), in ``_free``'s order, are each a top-N of it.
    first = "ORDER BY served, name, id LIMIT %s"
    kinds = [
        f"(SELECT id FROM free {first})",  # noqa: S608
        f"(SELECT id FROM free WHERE leader_eligible {first})",  # noqa: S608
    ]
    params: list[object] = [*free_params, SHORTLIST, SHORTLIST]
    skill = InspectorSpecialty._meta.db_table
    for code in specialties:
        kinds.append(
            f"(SELECT id FROM free WHERE id IN (SELECT inspector_id FROM {skill}"  # noqa: S608
            f" WHERE organization_id = %s AND specialty = %s) {first})"
        )
        params += [org.pk, code, SHORTLIST]
    sql = f"WITH free (id, name, leader_eligible, served) AS ({free_sql}) " + " UNION ".join(  # noqa: S608
        kinds
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    # Conflicts are already excluded in SQL by the rule of ``conflict_reasons``.
    pool = list(inspector_candidate_list(org=org).filter(pk__in=ids))
    return sorted(pool, key=lambda i: (i.rounds_served, i.name, i.pk))  # type: ignore[attr-defined]


def _pick_members(
    pool: list[Inspector], uncovered: list[str], low: int, high: int
) -> tuple[list[Inspector], list[str]]:
    """Members covering ``uncovered`` in order (at most ``high``), then filled up to ``low``,
    preferring the fewest rounds served. Returns them and the specialties still uncovered."""
    chosen: list[Inspector] = []
    remaining = list(uncovered)
    for specialty in uncovered:
        if specialty not in remaining or len(chosen) >= high:
            continue
        match = next((i for i in pool if i not in chosen and specialty in _skills(i)), None)
        if match is not None:
            chosen.append(match)
            remaining = [code for code in remaining if code not in _skills(match)]
    chosen += [i for i in pool if i not in chosen][: max(0, low - len(chosen))]
    return chosen, remaining


def suggest_team(*, team: Team, unit: Unit) -> Proposal:
    roles = list(team_member_list(team=team).values_list("role", flat=True))
    proposal = Proposal(unit=unit, needed=needed_specialties(team.round.focus_areas))
    covered = team_specialties(team=team)
    uncovered = [code for code in proposal.needed if code not in covered]
    pool = _free_candidates(team, unit, proposal.needed)
    if TeamMember.Role.LEADER not in roles:
        leader = next((i for i in pool if i.leader_eligible), None)
        if leader is not None:
            proposal.picks.append((leader, TeamMember.Role.LEADER))
    if TeamMember.Role.DEPUTY not in roles:
        deputy = next((i for i in pool if i not in proposal.role_of(TeamMember.Role.LEADER)), None)
        if deputy is not None:
            proposal.picks.append((deputy, TeamMember.Role.DEPUTY))
    picked = [inspector for inspector, _ in proposal.picks]
    uncovered = [code for code in uncovered if not any(code in _skills(i) for i in picked)]
    have = roles.count(TeamMember.Role.MEMBER)
    rest = [i for i in pool if i not in picked]
    members, proposal.uncovered = _pick_members(
        rest, uncovered, low=max(0, MIN_MEMBERS - have), high=max(0, MAX_MEMBERS - have)
    )
    proposal.picks += [(inspector, TeamMember.Role.MEMBER) for inspector in members]
    return proposal


@transaction.atomic
def accept_proposal(
    *, team: Team, actor: User, unit: Unit, picks: Sequence[tuple[Inspector, str]]
) -> Inspection:
    """Add the accepted people with their roles and assign the unit, all or nothing."""
    for inspector, role in sorted(picks, key=lambda pick: pick[1] != TeamMember.Role.LEADER):
        team_services.add_member(team=team, actor=actor, inspector=inspector, role=role)
    return team_services.assign_unit(team=team, actor=actor, unit=unit)
