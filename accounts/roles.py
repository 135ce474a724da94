"""Roles (DESIGN.md §1) and what each may do. Object-level narrowing is done by grants."""

from collections.abc import Iterable

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


# Capabilities, named "<area>.<action>". Views declare one; roles grant sets of them. Each app
# names its own capabilities and registers which roles hold them (``register_capabilities``,
# called from its AppConfig.ready), so accounts names none of another app's.
MANAGE_MEMBERS = "accounts.manage_members"
MANAGE_UNITS = "accounts.manage_units"
MANAGE_SETTINGS = "accounts.manage_settings"
VIEW_ALL_UNITS = "accounts.view_all_units"
VIEW_OWN_UNITS = "accounts.view_own_units"  # the units granted to the member (liaisons)

_ROLE_CAPABILITIES: dict[str, set[str]] = {role: set() for role in Role.values}


def register_capabilities(role: str, capabilities: Iterable[str]) -> None:
    """Let ``role`` hold ``capabilities`` (an app's own, "<app>.<action>")."""
    _ROLE_CAPABILITIES[Role(role)].update(capabilities)


def permissions_for(roles: set[str]) -> frozenset[str]:
    return frozenset().union(*(_ROLE_CAPABILITIES.get(role, ()) for role in roles))


for _role in (Role.ORG_ADMIN, Role.OFFICE, Role.LEADERSHIP, Role.TEAM_LEADER, Role.TEAM_MEMBER):
    register_capabilities(_role, {VIEW_ALL_UNITS})
register_capabilities(Role.ORG_ADMIN, {MANAGE_MEMBERS, MANAGE_UNITS, MANAGE_SETTINGS})
register_capabilities(Role.LIAISON, {VIEW_OWN_UNITS})

# Roles that see confidential records: a tenant may require a second factor for them.
CONFIDENTIAL_ROLES = frozenset(
    {
        Role.ORG_ADMIN,
        Role.OFFICE,
        Role.LEADERSHIP,
        Role.TEAM_LEADER,
        Role.TEAM_MEMBER,
        Role.CLUE_HANDLER,
    }
)
