"""Capabilities of the surveys app ("surveys.<action>") and the roles holding them. Which
inspection's surveys a member may set up or read is the inspection pages' rule
(``rounds.permissions``)."""

from __future__ import annotations

from accounts.roles import Role, register_capabilities

MANAGE_TEMPLATES = "surveys.manage_templates"  # the tenant's questionnaires


def register() -> None:
    for role in (Role.ORG_ADMIN, Role.OFFICE):
        register_capabilities(role, {MANAGE_TEMPLATES})
