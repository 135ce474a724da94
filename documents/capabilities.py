"""Capabilities of the documents app ("documents.<action>") and the roles holding them.

The team's pages of an inspection's document requests ask ``rounds.view_inspections`` and the
inspection's own access (``rounds.permissions``); the liaison's pages ask ``ANSWER_REQUESTS``
and reach only the requests of the units granted to the liaison (``documents.selectors``).
"""

from __future__ import annotations

from accounts.roles import Role, register_capabilities

ANSWER_REQUESTS = "documents.answer_requests"  # the liaison: see and answer their units' requests
MANAGE_USUAL_DOCUMENTS = "documents.manage_usual_documents"  # the tenant's checklist

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.LIAISON: frozenset({ANSWER_REQUESTS}),
    Role.OFFICE: frozenset({MANAGE_USUAL_DOCUMENTS}),
    Role.ORG_ADMIN: frozenset({MANAGE_USUAL_DOCUMENTS}),
}


def register() -> None:
    for role, capabilities in ROLE_CAPABILITIES.items():
        register_capabilities(role, capabilities)
