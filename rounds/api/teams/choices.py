"""Ids in the teams API's bodies and filters, looked up only among what the caller's
organization has (and, where the page narrows the choice, what the page offers)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import Unit
from accounts.selectors import unit_tree
from rounds.models import Inspection, Inspector, TeamMember
from rounds.selectors.teams import team_member_list, unit_assignable_list
from xuncha.tenancy import dangerously_unscoped
from xuncha.tenancy.api import ScopedRelatedField


def nothing(model: Any) -> QuerySet:
    with dangerously_unscoped():  # no caller, no rows (as ScopedRelatedField without one)
        return model._default_manager.none()


def view_of(request: Any) -> Any:
    """The view answering ``request`` (whose record or parent scopes a choice)."""
    return request.parser_context["view"]


def units(request: Any) -> QuerySet[Unit]:
    if getattr(request, "membership", None) is None:  # schema generation, refused callers
        return nothing(Unit)
    return unit_tree(org=request.org)


def assignable_units(request: Any) -> QuerySet[Unit]:
    return unit_assignable_list(org=request.org)


def team_units(request: Any) -> QuerySet[Unit]:
    """The units the team of the URL inspects (the team is found, or 404, before the body)."""
    inspected = Inspection.objects.for_org(request.org).filter(team=view_of(request).kwargs["pk"])
    return unit_tree(org=request.org).filter(pk__in=inspected.values("unit_id"))


def inspectors(request: Any) -> QuerySet[Inspector]:
    if getattr(request, "membership", None) is None:  # schema generation, refused callers
        return nothing(Inspector)
    return Inspector.objects.for_org(request.org)


def new_leaders(request: Any) -> QuerySet[Inspector]:
    """The active pool less the person leaving (the removal page's choice of a new leader)."""
    seat = view_of(request).kwargs["pk"]
    pool = Inspector.objects.for_org(request.org).filter(is_active=True)
    return pool.exclude(team_memberships__pk=seat)


def parent_team_members(request: Any) -> QuerySet[TeamMember]:
    if getattr(request, "membership", None) is None:  # schema generation, refused callers
        return nothing(TeamMember)
    return team_member_list(team=view_of(request).parent)


def unit_field(scope: Any = units, **kwargs: Any) -> ScopedRelatedField:
    return ScopedRelatedField(model=Unit, scope=scope, **kwargs)


def inspector_field(scope: Any = inspectors, **kwargs: Any) -> ScopedRelatedField:
    return ScopedRelatedField(model=Inspector, scope=scope, **kwargs)
