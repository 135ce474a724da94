"""Multi-year coverage plans (巡察规划) and extension coverage (延伸巡察)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from history.tracking import track
from xuncha.tenancy import TenantModel


@track(exclude=["figures", "suggested", "figures_version"])
class CoveragePlan(TenantModel):
    """E.g. "2024–2026年巡察规划": every target unit inspected once within the period.

    ``figures`` and ``suggested`` keep the plan page's grouped counts and its suggestion for the
    next round (``rounds.selectors.coverage``) between changes. The database clears both and
    bumps ``figures_version`` whenever one of the plan's targets is added, removed or changed,
    or a target unit is renamed, moved, deactivated or changes kind (triggers of migration
    ``0006_plan_figures``), and the suggestion whenever an inspection or a round changes which
    target units are already in a planned round (``0008_plan_suggested_planned_rounds``): no
    code path can leave them stale."""

    name = models.CharField(_("name"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Archived (归档): hidden from lists and pickers, read-only, kept with its history (who
    # archived it is the history's); see ``rounds.services.archive``.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    figures = models.JSONField(null=True, blank=True, editable=False)
    suggested = models.JSONField(null=True, blank=True, editable=False)
    figures_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("coverage plan")
        verbose_name_plural = _("coverage plans")
        ordering = ["-start_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="plan_years_ordered"
            ),
            # Offices tell plans apart by name; the service refuses a duplicate first.
            models.UniqueConstraint(fields=["organization", "name"], name="uniq_plan_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


# Thousands per plan: their events stay off the plan page; the stored coverage is derived (from
# inspections, visits, rounds and the plan), so recomputing it writes no event.
@track(exclude=["covered", "last_covered"])
class CoverageTarget(TenantModel):
    plan = models.ForeignKey(CoveragePlan, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    planned_year = models.PositiveSmallIntegerField(_("planned year"), null=True, blank=True)
    # Kept current by ``rounds.services.coverage.refresh_coverage``, called by every service that
    # changes what earns coverage; the rule itself is ``rounds.selectors.coverage``'s.
    covered = models.BooleanField(_("covered"), default=False, editable=False)
    last_covered = models.DateField(_("last covered"), null=True, editable=False)

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit"], name="uniq_plan_target"),
        ]
        indexes = [  # the plan page: figures, status filter, suggestions (oldest first)
            models.Index(fields=["plan", "covered", "last_covered"], name="target_coverage_idx"),
        ]

    def __str__(self) -> str:
        return str(self.unit)


@track()
class ExtensionVisit(TenantModel):
    """A sub-unit visited during an inspection's on-site work, a supervision visit or the
    acceptance: it earns the sub-unit coverage ("三个一批")."""

    class Occasion(models.TextChoices):
        ONSITE = "onsite", _("On-site inspection")
        SUPERVISION = "supervision", _("Rectification supervision visit")
        ACCEPTANCE = "acceptance", _("Rectification acceptance")

    inspection = models.ForeignKey(
        "rounds.Inspection", on_delete=models.CASCADE, related_name="extension_visits"
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("sub-unit visited"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    visited_on = models.DateField(_("visited on"))
    visit_reference = models.CharField(
        _("which visit"), max_length=200, help_text=_("E.g. the second supervision visit.")
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("extension visit")
        verbose_name_plural = _("extension visits")
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"{self.unit} ({self.get_occasion_display()})"
