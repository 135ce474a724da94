"""Capabilities of the clues app ("clues.<action>") and the roles holding them.

``VIEW_PETITIONS``: the petition pages at all — the team roles (for the inspections they are
seated on, by the object grant) and the clue handlers. ``HANDLE_PETITIONS``: every petition of
the tenant, whichever inspection received it, and the reporter's identity: the clue handlers
(纪检/线索处置人员), who take petitions over into the clue ledger.
"""

from __future__ import annotations

from accounts.roles import Role, register_capabilities

VIEW_PETITIONS = "clues.view_petitions"
HANDLE_PETITIONS = "clues.handle_petitions"

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.TEAM_LEADER: frozenset({VIEW_PETITIONS}),
    Role.TEAM_MEMBER: frozenset({VIEW_PETITIONS}),
    Role.CLUE_HANDLER: frozenset({VIEW_PETITIONS, HANDLE_PETITIONS}),
}


def register() -> None:
    for role, capabilities in ROLE_CAPABILITIES.items():
        register_capabilities(role, capabilities)
