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

from django.db import transaction

from accounts.models import Unit, User
from rounds.models import Inspection, Inspector, Team, TeamMember
from rounds.selectors.teams import (
    candidates,
    inspectors_in_round,
    team_inspections,
    team_members,
    team_specialties,
)
from rounds.services import teams as team_services
from rounds.services.conflicts import conflict_reasons
from rounds.taxonomy import FOCUS_SPECIALTIES, Specialty

MIN_MEMBERS = 5
MAX_MEMBERS = 7


@dataclass
class Proposal:
    unit: Unit
    picks: list[tuple[Inspector, str]] = field(default_factory=list)
    needed: list[str] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)

    def role_of(self, role: str) -> list[Inspector]:
        return [inspector for inspector, picked in self.picks if picked == role]

    @property
    def needed_labels(self) -> list[str]:
        return [Specialty(code).label for code in self.needed]

    @property
    def uncovered_labels(self) -> list[str]:
        return [Specialty(code).label for code in self.uncovered]


def needed_specialties(focus_areas: Iterable[str]) -> list[str]:
    """The specialties the focus areas need, in the taxonomy's order."""
    wanted = {code for area in focus_areas for code in FOCUS_SPECIALTIES.get(area, ())}
    return [code for code in Specialty.values if code in wanted]


def _skills(inspector: Inspector) -> set[str]:
    return {row.specialty for row in inspector.specialties.all()}


def _free_candidates(team: Team, unit: Unit) -> list[Inspector]:
    """The active pool minus anyone on a team of this round or conflicted for ``unit`` (or a
    unit the team already has), fewest rounds served first, then by name."""
    busy = inspectors_in_round(round=team.round)
    units = [unit, *(inspection.unit for inspection in team_inspections(team=team))]
    pool = [
        inspector
        for inspector in candidates(org=team.organization)
        if inspector.pk not in busy
        and not any(conflict_reasons(inspector=inspector, unit=u) for u in units)
    ]
    return sorted(pool, key=lambda i: (i.rounds_served, i.name, i.pk))


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
    roles = list(team_members(team=team).values_list("role", flat=True))
    proposal = Proposal(unit=unit, needed=needed_specialties(team.round.focus_areas))
    covered = team_specialties(team=team)
    uncovered = [code for code in proposal.needed if code not in covered]
    pool = _free_candidates(team, unit)
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
