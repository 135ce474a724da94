"""Reads of inspections. Which of them a member may see or act on is ``rounds.permissions``."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Organization
from rounds.models import Inspection, InspectionSettings


def inspection_list(*, org: Organization) -> QuerySet[Inspection]:
    return Inspection.objects.for_org(org).select_related("round", "unit", "team", "created_by")


def inspection_settings(*, org: Organization) -> InspectionSettings:
    settings = InspectionSettings.objects.for_org(org).first()
    return settings or InspectionSettings(organization=org)
