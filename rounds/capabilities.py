"""Capabilities of the rounds app ("rounds.<action>") and the roles holding them.

``register()`` runs from ``RoundsConfig.ready``: accounts knows roles, not what rounds calls
its capabilities. Which inspections a holder may act on is decided by ``rounds.permissions``.
"""

from __future__ import annotations

from accounts.roles import Role, register_capabilities

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

_READ_ALL = frozenset({VIEW_PLANS, VIEW_POOL, VIEW_ROUNDS, VIEW_INSPECTIONS, VIEW_ALL_INSPECTIONS})

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ORG_ADMIN: _READ_ALL | {MANAGE_INSPECTION_SETTINGS},
    Role.OFFICE: _READ_ALL
    | {MANAGE_PLANS, MANAGE_POOL, MANAGE_ROUNDS, MANAGE_INSPECTIONS, MANAGE_INSPECTION_SETTINGS},
    Role.LEADERSHIP: _READ_ALL | {CLOSE_INSPECTIONS},
    # Team roles see only the inspections they are assigned to (object-level grants).
    Role.TEAM_LEADER: frozenset({VIEW_INSPECTIONS}),
    Role.TEAM_MEMBER: frozenset({VIEW_INSPECTIONS}),
}


def register() -> None:
    for role, capabilities in ROLE_CAPABILITIES.items():
        register_capabilities(role, capabilities)
