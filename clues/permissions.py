"""Who reads and acts on petitions: the one policy the pages, the API and the services ask.

A petition is the inspection's team's and the clue handlers' (DESIGN §3, issue 9): a member
holding ``VIEW_PETITIONS`` reads the petitions of the inspections whose team they are on
(``Action.TEAM``: the grant, not the office's or the leadership's roles), a clue handler
(``HANDLE_PETITIONS``) every petition of the tenant. The reporter's identity is shown, one
explicit and logged reveal at a time, to the clue handlers and to the team's leader and
deputies (``Action.TEAM`` and ``Action.MANAGE``): the team members see whether a petition is
real-name, not who sent it. Everybody else — office, leadership, liaisons, other teams — is
told that the petition does not exist.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Membership
from clues.capabilities import HANDLE_PETITIONS, VIEW_PETITIONS
from clues.models import Petition
from rounds.models import Inspection
from rounds.permissions import Action, can, inspections_of_team


def _holds(membership: Membership | None, permission: str) -> bool:
    return membership is not None and membership.is_active and membership.has_perm(permission)


def can_read_petitions(membership: Membership | None, inspection: Inspection) -> bool:
    if not _holds(membership, VIEW_PETITIONS):
        return False
    if membership.organization_id != inspection.organization_id:  # type: ignore[union-attr]
        return False
    return _holds(membership, HANDLE_PETITIONS) or can(membership, Action.TEAM, inspection)


def can_reveal_identity(membership: Membership | None, inspection: Inspection) -> bool:
    if not can_read_petitions(membership, inspection):
        return False
    if _holds(membership, HANDLE_PETITIONS):
        return True
    return can(membership, Action.MANAGE, inspection) and can(membership, Action.TEAM, inspection)


def inspections_with_petitions(membership: Membership) -> QuerySet[Inspection]:
    """The inspections whose petitions ``membership`` reads."""
    everything = Inspection.objects.for_org(membership.organization).select_related("unit")
    if not _holds(membership, VIEW_PETITIONS):
        return everything.none()
    if _holds(membership, HANDLE_PETITIONS):
        return everything
    return inspections_of_team(membership)


def petitions_readable(membership: Membership) -> QuerySet[Petition]:
    petitions = Petition.objects.for_org(membership.organization)
    if not _holds(membership, VIEW_PETITIONS):
        return petitions.none()
    if _holds(membership, HANDLE_PETITIONS):
        return petitions
    return petitions.filter(inspection__in=inspections_of_team(membership).values("pk"))
