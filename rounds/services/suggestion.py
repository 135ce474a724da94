"""Team suggestion: a proposed team for one unit, from the pool, for the office to edit and
accept.

The proposal keeps who is already on the team and fills the gaps: a leader (leader-eligible),
a deputy (leader-eligible too when anyone free is), and members up to 5–7, so that the whole
team covers the specialties the round's focus areas need (FOCUS_SPECIALTIES). Nobody conflicted
for the unit or the team's other units (``rounds.services.conflicts``: at home, or with a
declared relative, above, at or below one of them) and nobody on another team of the round is
proposed; among equals, whoever served the fewest rounds comes first (ties by name).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction

from accounts.models import Unit, User
from rounds.models import (
    Inspection,
    Inspector,
    InspectorSpecialty,
    RelativeDeclaration,
    Team,
    TeamMember,
)
from rounds.services import teams as team_services
from rounds.services.conflicts import line_paths
from rounds.taxonomy import FOCUS_SPECIALTIES, Specialty
from xuncha.tenancy import check_org

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MIN_MEMBERS = 5
MAX_MEMBERS = 7
SHORTLIST = MAX_MEMBERS + 3  # more than any one kind of pick a proposal makes


_SPECIALTY_LABELS: dict[str, StrOrPromise] = dict(Specialty.choices)


@dataclass(eq=False, slots=True)
class Candidate:
    """A person the proposal may pick: only what the proposal and its page use, read as one row
    (no model instances; who is accepted is read again by the accept form)."""

    pk: int
    name: str
    leader_eligible: bool
    rounds_served: int
    home_unit_name: str | None
    specialties: tuple[str, ...]  # codes, in code order
    skills: frozenset[str]

    @property
    def specialty_labels(self) -> list[StrOrPromise]:
        return [_SPECIALTY_LABELS.get(code, code) for code in self.specialties]


@dataclass
class Proposal:
    unit: Unit
    picks: list[tuple[Candidate, str]] = field(default_factory=list)
    needed: list[str] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)

    def role_of(self, role: str) -> list[Candidate]:
        return [candidate for candidate, picked in self.picks if picked == role]

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


def _like_prefix(path: str) -> str:
    return path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# The free pool (the active pool minus anyone on a team of this round or conflicted for one of
# the units, by the rule of ``conflicts.on_line``: at home on the line of one of them, or with a
# relative declared on it), with the rounds each served (one seat per round is a constraint, so
# seats are rounds); the first SHORTLIST of each kind (anyone, leader-eligible, each wanted
# specialty) in proposal order (fewest rounds served, then name), each a top-N of the pool read
# once; and for those, the home unit's name and the specialties. One statement, written once
# rather than built by the ORM per request. ``line`` is ``conflicts.line_paths`` of the units:
# the units above them (their paths, equality probes of the path index) and their subtrees
# (``{within}``, one prefix range of the path index per unit).
_CANDIDATES_SQL = """
WITH line AS MATERIALIZED (
    SELECT id FROM {unit}
    WHERE organization_id = %(org)s AND (path = ANY(%(above)s::varchar[]) OR {within})
), served AS (
    SELECT inspector_id, COUNT(*) AS served FROM {member} WHERE organization_id = %(org)s
    GROUP BY inspector_id
), free AS MATERIALIZED (
    SELECT i.id, i.name, i.leader_eligible, i.home_unit_id, COALESCE(s.served, 0) AS served
    FROM {inspector} i LEFT JOIN served s ON s.inspector_id = i.id
    WHERE i.organization_id = %(org)s AND i.is_active
      AND i.id NOT IN (
          SELECT inspector_id FROM {member} WHERE organization_id = %(org)s AND round_id = %(round)s
      )
      AND (i.home_unit_id IS NULL OR i.home_unit_id NOT IN (SELECT id FROM line))
      AND i.id NOT IN (
          SELECT inspector_id FROM {relative}
          WHERE organization_id = %(org)s AND unit_id IN (SELECT id FROM line)
      )
), skilled AS (
    SELECT first.id FROM unnest(%(needed)s::text[]) AS needed (code), LATERAL (
        SELECT f.id FROM free f
        WHERE f.id IN (
            SELECT inspector_id FROM {skill}
            WHERE organization_id = %(org)s AND specialty = needed.code
        )
        ORDER BY f.served, f.name, f.id LIMIT %(shortlist)s
    ) first
), short AS (
    (SELECT id FROM free ORDER BY served, name, id LIMIT %(shortlist)s)
    UNION (SELECT id FROM free WHERE leader_eligible ORDER BY served, name, id LIMIT %(shortlist)s)
    UNION SELECT id FROM skilled
)
SELECT f.id, f.name, f.leader_eligible, f.served,
    (SELECT u.name FROM {unit} u WHERE u.organization_id = %(org)s AND u.id = f.home_unit_id),
    ARRAY(
        SELECT s.specialty FROM {skill} s
        WHERE s.organization_id = %(org)s AND s.inspector_id = f.id ORDER BY s.specialty
    )
FROM free f JOIN short ON short.id = f.id
"""


# The team as it stands: its members' roles, the specialties they bring, and the paths of the units
# it already inspects (their people conflict too). One statement instead of three ORM queries.
_TEAM_SQL = """
SELECT
    ARRAY(SELECT role FROM {member} WHERE organization_id = %(org)s AND team_id = %(team)s),
    ARRAY(
        SELECT DISTINCT s.specialty
        FROM {skill} s JOIN {member} m ON m.inspector_id = s.inspector_id
        WHERE s.organization_id = %(org)s AND m.organization_id = %(org)s AND m.team_id = %(team)s
    ),
    ARRAY(
        SELECT u.path FROM {inspection} x JOIN {unit} u ON u.id = x.unit_id
        WHERE x.organization_id = %(org)s AND u.organization_id = %(org)s AND x.team_id = %(team)s
    )
"""


def _team_now(team: Team) -> tuple[list[str], set[str], list[str]]:
    """The roles on ``team``, the specialties its members bring, the paths it inspects."""
    sql = _TEAM_SQL.format(
        member=_table(TeamMember),
        skill=_table(InspectorSpecialty),
        inspection=_table(Inspection),
        unit=_table(Unit),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"org": team.organization_id, "team": team.pk})
        roles, covered, paths = cursor.fetchone()
    return roles, set(covered), paths


def _free_candidates(
    team: Team, unit: Unit, specialties: list[str], inspected: list[str]
) -> list[Candidate]:
    """The shortlist the proposal is drawn from, in proposal order (fewest rounds served first,
    then by name).

    A proposal takes at most one leader, one deputy and ``MAX_MEMBERS`` members, each the first
    free person of a kind: leader-eligible, holding a wanted specialty, or anyone. So the first
    ``SHORTLIST`` free people of each kind hold every possible pick, and the pool is never
    loaded whole: one statement ranks the free pool within each kind and returns whoever ranks
    within ``SHORTLIST`` in some kind, with what the proposal shows of them."""
    org = team.organization
    above, roots = line_paths([unit.path, *inspected])
    params: dict[str, Any] = {
        "org": org.pk,
        "round": team.round_id,
        "shortlist": SHORTLIST,
        "needed": specialties,
        "above": above,
    }
    within = ["FALSE"]  # a unit without a path (not saved through the services) has no subtree
    for n, path in enumerate(roots):
        within.append(f"path LIKE %(path{n})s")
        params[f"path{n}"] = _like_prefix(path)
    tables = {
        "unit": _table(Unit),
        "inspector": _table(Inspector),
        "member": _table(TeamMember),
        "relative": _table(RelativeDeclaration),
        "skill": _table(InspectorSpecialty),
    }
    sql = _CANDIDATES_SQL.format(within=" OR ".join(within), **tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    pool = [
        Candidate(
            pk=pk,
            name=name,
            leader_eligible=leader,
            rounds_served=served,
            home_unit_name=home,
            specialties=tuple(codes),
            skills=frozenset(codes),
        )
        for pk, name, leader, served, home, codes in rows
    ]
    return sorted(pool, key=lambda c: (c.rounds_served, c.name, c.pk))


def _pick_members(
    pool: list[Candidate], uncovered: list[str], low: int, high: int
) -> tuple[list[Candidate], list[str]]:
    """Members covering ``uncovered`` in order (at most ``high``), then filled up to ``low``,
    preferring the fewest rounds served. Returns them and the specialties still uncovered."""
    chosen: list[Candidate] = []
    remaining = list(uncovered)
    for specialty in uncovered:
        if specialty not in remaining or len(chosen) >= high:
            continue
        match = next((c for c in pool if specialty in c.skills and c not in chosen), None)
        if match is not None:
            chosen.append(match)
            remaining = [code for code in remaining if code not in match.skills]
    chosen += [c for c in pool if c not in chosen][: max(0, low - len(chosen))]
    return chosen, remaining


def _pick_deputy(pool: list[Candidate], taken: list[Candidate]) -> Candidate | None:
    """The deputy stands in for the leader: someone leader-eligible when anyone free is, else
    the first free person."""
    free = [c for c in pool if c not in taken]
    return next((c for c in free if c.leader_eligible), next(iter(free), None))


def suggest_team(*, team: Team, unit: Unit) -> Proposal:
    check_org(team.organization)  # the statements below are raw SQL, scoped by hand
    roles, covered, inspected = _team_now(team)
    proposal = Proposal(unit=unit, needed=needed_specialties(team.round.focus_areas))
    uncovered = [code for code in proposal.needed if code not in covered]
    pool = _free_candidates(team, unit, proposal.needed, inspected)
    if TeamMember.Role.LEADER not in roles:
        leader = next((c for c in pool if c.leader_eligible), None)
        if leader is not None:
            proposal.picks.append((leader, TeamMember.Role.LEADER))
    if TeamMember.Role.DEPUTY not in roles:
        deputy = _pick_deputy(pool, taken=proposal.role_of(TeamMember.Role.LEADER))
        if deputy is not None:
            proposal.picks.append((deputy, TeamMember.Role.DEPUTY))
    picked = [candidate for candidate, _ in proposal.picks]
    uncovered = [code for code in uncovered if not any(code in c.skills for c in picked)]
    have = roles.count(TeamMember.Role.MEMBER)
    rest = [c for c in pool if c not in picked]
    members, proposal.uncovered = _pick_members(
        rest, uncovered, low=max(0, MIN_MEMBERS - have), high=max(0, MAX_MEMBERS - have)
    )
    proposal.picks += [(candidate, TeamMember.Role.MEMBER) for candidate in members]
    return proposal


@transaction.atomic
def accept_proposal(
    *, team: Team, actor: User, unit: Unit, picks: Sequence[tuple[Inspector, str]]
) -> Inspection:
    """Add the accepted people with their roles and assign the unit, all or nothing."""
    for inspector, role in sorted(picks, key=lambda pick: pick[1] != TeamMember.Role.LEADER):
        team_services.add_member(team=team, actor=actor, inspector=inspector, role=role)
    return team_services.assign_unit(team=team, actor=actor, unit=unit)
