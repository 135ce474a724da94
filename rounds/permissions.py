"""Who may do what with inspections: the one policy the list and detail pages, the detail
page's buttons and the lifecycle service all ask.

Office and leadership see every inspection of the tenant (``VIEW_ALL_INSPECTIONS``); the
office manages them all (``MANAGE_INSPECTIONS``). A team member reaches only the inspections
of their team, and only while both hold: the role capability (``VIEW_INSPECTIONS``) and the
object grant derived from the team facts (``register_grants`` tells ``accounts.grants`` how).
Checking both means that a removed role closes the pages even if a grant row lingered.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from guardian.shortcuts import get_objects_for_user

from accounts.grants import GrantSource, register_grant_source
from accounts.models import Membership
from rounds.capabilities import (
    CLOSE_INSPECTIONS,
    MANAGE_INSPECTIONS,
    VIEW_ALL_INSPECTIONS,
    VIEW_INSPECTIONS,
)
from rounds.models import Inspection, InspectionUserObjectPermission, TeamMember
from rounds.staffing import approved_recusal_list
from rounds.taxonomy import Stage

VIEW_CODENAME, CHANGE_CODENAME = "view_inspection", "change_inspection"
VIEW_PERM, CHANGE_PERM = f"rounds.{VIEW_CODENAME}", f"rounds.{CHANGE_CODENAME}"
MANAGING_TEAM_ROLES = frozenset({TeamMember.Role.LEADER, TeamMember.Role.DEPUTY})


class Action(StrEnum):
    VIEW = "view"  # read its pages
    WORK = "work"  # on-site work: record problems, re-check them (its team and managers)
    MANAGE = "manage"  # plan it, move it through its stages (office, team leader and deputies)
    CLOSE = "close"  # close it (销号): leadership
    # Read and write its confidential records (interviews and their notes, petitions, raw
    # survey answers): its team only — those holding the grant — not the office nor the
    # leadership by their roles, never a liaison.
    TEAM = "team"


def _inspections(membership: Membership) -> QuerySet[Inspection]:
    return Inspection.objects.for_org(membership.organization).select_related(
        "round", "unit", "team", "created_by"
    )


def _granted(membership: Membership, perm: str) -> QuerySet[Inspection]:
    inspections = _inspections(membership)
    if not membership.is_active or not membership.has_perm(VIEW_INSPECTIONS):
        return inspections.none()
    return get_objects_for_user(
        membership.user, perm, inspections, accept_global_perms=False, with_superuser=False
    )


def inspections_viewable(membership: Membership) -> QuerySet[Inspection]:
    if membership.is_active and membership.has_perm(VIEW_ALL_INSPECTIONS):
        return _inspections(membership)
    return _granted(membership, VIEW_PERM)


def inspections_workable(membership: Membership) -> QuerySet[Inspection]:
    if membership.is_active and membership.has_perm(MANAGE_INSPECTIONS):
        return _inspections(membership)
    return _granted(membership, VIEW_PERM)


def inspections_of_team(membership: Membership) -> QuerySet[Inspection]:
    """The inspections whose confidential records the member reads (``Action.TEAM``)."""
    return _granted(membership, VIEW_PERM)


def inspections_manageable(membership: Membership) -> QuerySet[Inspection]:
    if membership.is_active and membership.has_perm(MANAGE_INSPECTIONS):
        return _inspections(membership)
    return _granted(membership, CHANGE_PERM)


def _grants_on(membership: Membership, inspection: Inspection) -> frozenset[str]:
    """The codenames granted to the member on ``inspection``: one query per inspection, kept
    on the membership object (resolved once per request) so a page asking several questions
    pays once. No superuser shortcut: a grant is a grant row."""
    cache = membership.__dict__.setdefault("_inspection_grants", {})
    if inspection.pk not in cache:
        rows = InspectionUserObjectPermission.objects.filter(
            user_id=membership.user_id, content_object_id=inspection.pk
        )
        cache[inspection.pk] = frozenset(rows.values_list("permission__codename", flat=True))
    return cache[inspection.pk]


def _holds_grant(membership: Membership, codename: str, inspection: Inspection) -> bool:
    return membership.has_perm(VIEW_INSPECTIONS) and codename in _grants_on(membership, inspection)


def can(membership: Membership | None, action: str, inspection: Inspection) -> bool:
    """Whether ``membership`` may perform ``action`` (an ``Action``) on ``inspection``."""
    if (
        membership is None
        or not membership.is_active
        or membership.organization_id != inspection.organization_id
    ):
        return False
    match Action(action):
        case Action.VIEW:
            return membership.has_perm(VIEW_ALL_INSPECTIONS) or _holds_grant(
                membership, VIEW_CODENAME, inspection
            )
        case Action.WORK:
            return can(membership, Action.MANAGE, inspection) or _holds_grant(
                membership, VIEW_CODENAME, inspection
            )
        case Action.MANAGE:
            return membership.has_perm(MANAGE_INSPECTIONS) or _holds_grant(
                membership, CHANGE_CODENAME, inspection
            )
        case Action.CLOSE:
            return membership.has_perm(CLOSE_INSPECTIONS) and can(
                membership, Action.VIEW, inspection
            )
        case Action.TEAM:
            return _holds_grant(membership, VIEW_CODENAME, inspection)


def can_move_to(membership: Membership | None, inspection: Inspection, stage: str) -> bool:
    """Moving into ``stage``: closing is leadership's, every other move is a manager's."""
    action = Action.CLOSE if stage == Stage.CLOSED else Action.MANAGE
    return can(membership, action, inspection)


def _team_grants(membership: Membership) -> Iterable[tuple[str, int]]:
    """Every inspection the user works (``rounds.staffing``): those of the teams they sit on,
    less the units their approved recusal takes them off, and those they replace a recused
    member on. View for all, change in a leader's or deputy's role. Only for a role holding
    ``VIEW_INSPECTIONS``."""
    if not membership.has_perm(VIEW_INSPECTIONS):
        return []
    org, user_id = membership.organization, membership.user_id
    approved = approved_recusal_list(org)
    seats = TeamMember.objects.for_org(org).filter(inspector__user_id=user_id)
    working = seats.filter(
        ~Exists(approved.filter(member=OuterRef("pk"), unit=OuterRef(OuterRef("unit_id")))),
        team=OuterRef("team_id"),
    )
    replacing = approved.filter(
        member__team=OuterRef("team_id"), unit=OuterRef("unit_id"), replacement__user_id=user_id
    )
    teams = Q(team__in=seats.values("team")) | Q(
        team__in=approved.filter(replacement__user_id=user_id).values("member__team")
    )
    rows = (
        Inspection.objects.for_org(org)
        .filter(teams)
        .annotate(
            role=Coalesce(
                Subquery(working.values("role")[:1]), Subquery(replacing.values("member__role")[:1])
            )
        )
        .filter(role__isnull=False)
        .values_list("pk", "role")
    )
    wanted = []
    for inspection_pk, role in rows:
        wanted.append((VIEW_CODENAME, inspection_pk))
        if role in MANAGING_TEAM_ROLES:
            wanted.append((CHANGE_CODENAME, inspection_pk))
    return wanted


TEAM_GRANTS = GrantSource(
    table=InspectionUserObjectPermission,
    codenames=(VIEW_CODENAME, CHANGE_CODENAME),
    wanted=_team_grants,
)


def register_grants() -> None:
    register_grant_source(TEAM_GRANTS)
