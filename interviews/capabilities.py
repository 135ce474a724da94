"""Capabilities of the interviews app. Reading and writing interviews is no capability of its
own: it is the inspection's team's (``rounds.permissions.Action.TEAM``), asked of the pages'
``VIEW_INSPECTIONS`` holders."""

from __future__ import annotations

from accounts.roles import Role, register_capabilities

# The tenant's outlines, checklist templates and interview rule.
MANAGE_INTERVIEW_TEMPLATES = "interviews.manage_templates"


def register() -> None:
    for role in (Role.ORG_ADMIN, Role.OFFICE):
        register_capabilities(role, {MANAGE_INTERVIEW_TEMPLATES})
