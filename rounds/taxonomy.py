"""Fixed vocabularies of inspection work (DESIGN.md §3): specialties, focus areas, stages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Specialty(models.TextChoices):
    DISCIPLINE = "discipline", _("Discipline inspection")
    ORGANIZATION = "organization", _("Organization and personnel")
    PARTY = "party", _("Party building")
    AUDIT = "audit", _("Audit")
    FINANCE = "finance", _("Finance")
    ENGINEERING = "engineering", _("Engineering")
    LEGAL = "legal", _("Legal affairs")
    BUSINESS = "business", _("Business operations")


class FocusArea(models.TextChoices):
    POLITICAL = "political", _("Political building")
    IDEOLOGICAL = "ideological", _("Ideological building")
    ORGANIZATIONAL = "organizational", _("Organizational building")
    CONDUCT = "conduct", _("Work style building")
    DISCIPLINE = "discipline", _("Discipline building")
    INTEGRITY = "integrity", _("Integrity and self-discipline")
    PERSONNEL = "personnel", _("Selection and appointment of cadres")
    EXTERNAL = "external", _("External cooperation")
    FINANCIAL_DISCIPLINE = "financial_discipline", _("Financial discipline")
    MAJOR_DECISIONS = "major_decisions", _('"Three majors, one large" decisions')
    FOUR_STYLES = "four_styles", _('"Four styles"')
    PROCUREMENT = "procurement", _("Tendering and procurement")
    CONSTRUCTION = "construction", _("Construction projects")
    FUNDS = "funds", _("Fund management")
    INVESTMENT = "investment", _("Investment and financing")
    SLUSH_FUNDS = "slush_funds", _("Slush funds")


# The specialties a team needs to examine each focus area (used by the team suggestion).
FOCUS_SPECIALTIES: dict[str, tuple[str, ...]] = {
    FocusArea.POLITICAL: (Specialty.PARTY,),
    FocusArea.IDEOLOGICAL: (Specialty.PARTY,),
    FocusArea.ORGANIZATIONAL: (Specialty.ORGANIZATION, Specialty.PARTY),
    FocusArea.CONDUCT: (Specialty.DISCIPLINE,),
    FocusArea.DISCIPLINE: (Specialty.DISCIPLINE,),
    FocusArea.INTEGRITY: (Specialty.DISCIPLINE,),
    FocusArea.PERSONNEL: (Specialty.ORGANIZATION,),
    FocusArea.EXTERNAL: (Specialty.BUSINESS, Specialty.LEGAL),
    FocusArea.FINANCIAL_DISCIPLINE: (Specialty.FINANCE, Specialty.AUDIT),
    FocusArea.MAJOR_DECISIONS: (Specialty.LEGAL,),
    FocusArea.FOUR_STYLES: (Specialty.DISCIPLINE,),
    FocusArea.PROCUREMENT: (Specialty.AUDIT, Specialty.LEGAL),
    FocusArea.CONSTRUCTION: (Specialty.ENGINEERING,),
    FocusArea.FUNDS: (Specialty.FINANCE,),
    FocusArea.INVESTMENT: (Specialty.FINANCE,),
    FocusArea.SLUSH_FUNDS: (Specialty.FINANCE, Specialty.AUDIT),
}


class Stage(models.TextChoices):
    PLANNING = "planning", _("Planning")
    PREPARATION = "preparation", _("Preparation")
    MOBILIZATION = "mobilization", _("Mobilization")
    ONSITE = "onsite", _("On-site inspection")
    REPORTING = "reporting", _("Reporting")
    FEEDBACK = "feedback", _("Feedback")
    RECTIFICATION = "rectification", _("Rectification")
    ACCEPTANCE = "acceptance", _("Acceptance")
    CLOSED = "closed", _("Closed")


STAGE_ORDER: list[str] = list(Stage.values)
# Stages from which an inspection counts toward coverage ("closed or running").
COVERING_STAGES = frozenset(STAGE_ORDER[STAGE_ORDER.index(Stage.MOBILIZATION) :])


def next_stage(stage: str) -> str | None:
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None
