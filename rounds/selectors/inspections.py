"""Which inspections a member may see or work on: all of them (office, leadership), or only
those their team is assigned to (object-level grants kept in sync by the team services)."""

from __future__ import annotations

from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from accounts.models import Membership, Organization
from accounts.roles import MANAGE_INSPECTIONS, VIEW_ALL_INSPECTIONS
from rounds.models import Inspection, InspectionSettings

VIEW_PERM = "rounds.view_inspection"
CHANGE_PERM = "rounds.change_inspection"


def inspection_list(*, org: Organization) -> QuerySet[Inspection]:
    return Inspection.objects.for_org(org).select_related("round", "unit", "team", "created_by")


def inspections_visible_to(*, org: Organization, membership: Membership) -> QuerySet[Inspection]:
    inspections = inspection_list(org=org)
    if membership.has_perm(VIEW_ALL_INSPECTIONS):
        return inspections
    return get_objects_for_user(membership.user, VIEW_PERM, inspections, accept_global_perms=False)


def can_manage_inspection(*, membership: Membership, inspection: Inspection) -> bool:
    """Office staff manage every inspection; a team leader the ones of their own team."""
    if membership.has_perm(MANAGE_INSPECTIONS):
        return True
    return membership.user.has_perm(CHANGE_PERM, inspection)


def inspection_settings(*, org: Organization) -> InspectionSettings:
    settings = InspectionSettings.objects.for_org(org).first()
    return settings or InspectionSettings(organization=org)
