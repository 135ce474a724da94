"""Roles (DESIGN.md §1) and what each may do. Object-level narrowing is done by grants."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("System administrator")
    OFFICE = "office", _("Inspection office")
    LEADERSHIP = "leadership", _("Leadership group")
    TEAM_LEADER = "team_leader", _("Team leader")
    TEAM_MEMBER = "team_member", _("Team member")
    LIAISON = "liaison", _("Unit liaison")
    DEPT_REVIEWER = "dept_reviewer", _("Functional department reviewer")
    CLUE_HANDLER = "clue_handler", _("Discipline officer (clue handler)")


# Capabilities, named "<area>.<action>". Views declare one; roles grant sets of them.
MANAGE_MEMBERS = "accounts.manage_members"
MANAGE_UNITS = "accounts.manage_units"
MANAGE_SETTINGS = "accounts.manage_settings"
VIEW_ALL_UNITS = "accounts.view_all_units"
VIEW_OWN_UNITS = "accounts.view_own_units"
# rounds: coverage plans, the inspector pool, rounds/teams and inspections
VIEW_PLANS = "rounds.view_plans"
MANAGE_PLANS = "rounds.manage_plans"
VIEW_POOL = "rounds.view_pool"
MANAGE_POOL = "rounds.manage_pool"
VIEW_ROUNDS = "rounds.view_rounds"
MANAGE_ROUNDS = "rounds.manage_rounds"
VIEW_INSPECTIONS = "rounds.view_inspections"  # some inspections: all, or the assigned ones
VIEW_ALL_INSPECTIONS = "rounds.view_all_inspections"
MANAGE_INSPECTIONS = "rounds.manage_inspections"
CLOSE_INSPECTIONS = "rounds.close_inspections"
MANAGE_INSPECTION_SETTINGS = "rounds.manage_inspection_settings"

_READ_ALL = frozenset(
    {VIEW_ALL_UNITS, VIEW_PLANS, VIEW_POOL, VIEW_ROUNDS, VIEW_INSPECTIONS, VIEW_ALL_INSPECTIONS}
)
_TEAM = frozenset({VIEW_ALL_UNITS, VIEW_INSPECTIONS})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ORG_ADMIN: _READ_ALL
    | {MANAGE_MEMBERS, MANAGE_UNITS, MANAGE_SETTINGS, MANAGE_INSPECTION_SETTINGS},
    Role.OFFICE: _READ_ALL
    | {MANAGE_PLANS, MANAGE_POOL, MANAGE_ROUNDS, MANAGE_INSPECTIONS, MANAGE_INSPECTION_SETTINGS},
    Role.LEADERSHIP: _READ_ALL | {CLOSE_INSPECTIONS},
    # Team roles see only the inspections they are assigned to (object-level grants).
    Role.TEAM_LEADER: _TEAM,
    Role.TEAM_MEMBER: _TEAM,
    Role.LIAISON: frozenset({VIEW_OWN_UNITS}),
    Role.DEPT_REVIEWER: frozenset(),
    Role.CLUE_HANDLER: frozenset(),
}

# Roles that see confidential records: a tenant may require a second factor for them.
CONFIDENTIAL_ROLES = frozenset(
    {Role.ORG_ADMIN, Role.OFFICE, Role.TEAM_LEADER, Role.TEAM_MEMBER, Role.CLUE_HANDLER}
)


def permissions_for(roles: set[str]) -> frozenset[str]:
    return frozenset().union(*(ROLE_PERMISSIONS.get(role, frozenset()) for role in roles))
