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

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ORG_ADMIN: frozenset({MANAGE_MEMBERS, MANAGE_UNITS, MANAGE_SETTINGS, VIEW_ALL_UNITS}),
    Role.OFFICE: frozenset({VIEW_ALL_UNITS}),
    Role.LEADERSHIP: frozenset({VIEW_ALL_UNITS}),
    Role.TEAM_LEADER: frozenset({VIEW_ALL_UNITS}),
    Role.TEAM_MEMBER: frozenset({VIEW_ALL_UNITS}),
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
