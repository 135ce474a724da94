"""The inspection (one per round and unit) and what its stages record."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from history.tracking import track
from rounds.taxonomy import STAGE_ORDER, FocusArea, Stage, next_stage
from xuncha.tenancy import TenantModel


@track()
class InspectionSettings(TenantModel):
    """Per-tenant defaults for stage durations and supervision (DESIGN.md §3)."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="inspection_settings"
    )
    onsite_days = models.PositiveSmallIntegerField(_("on-site work (days)"), default=30)
    rectification_months = models.PositiveSmallIntegerField(
        _("rectification period (months)"), default=2
    )
    min_supervision_visits = models.PositiveSmallIntegerField(
        _("minimum supervision visits"), default=2
    )
    report_months = models.CharField(
        _("rectification reports due after (months)"), max_length=50, default="3,6,12"
    )
    announcement_lead_days = models.PositiveSmallIntegerField(
        _("announcement lead time (days)"),
        default=10,
        help_text=_("How many days before the on-site work starts the announcement goes out."),
    )

    class Meta:
        verbose_name = _("inspection settings")
        verbose_name_plural = _("inspection settings")

    def __str__(self) -> str:
        return str(self.organization)


@track(value_choices={"focus_areas": FocusArea.choices}, label="unit__name")
class Inspection(TenantModel):
    round = models.ForeignKey("rounds.Round", on_delete=models.PROTECT, related_name="inspections")
    team = models.ForeignKey(
        "rounds.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("inspected unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.PLANNING, db_index=True
    )
    stage_entered_at = models.DateTimeField(_("in this stage since"), null=True, blank=True)
    look_back_of = models.ForeignKey(
        "self",
        verbose_name=_("look-back of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="look_backs",
    )
    # Work plan (工作方案)
    focus_areas = models.JSONField(_("focus areas"), default=list, blank=True)
    work_plan = models.TextField(_("work plan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-round__start_date", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="uniq_round_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit}"

    @property
    def next_stage(self) -> str | None:
        return next_stage(self.stage)

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)

    @property
    def focus_area_labels(self) -> list[str]:
        return [FocusArea(code).label for code in self.focus_areas if code in FocusArea.values]


@track()
class StagePlan(TenantModel):
    """Planned dates of one stage of one inspection (进度表)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="stage_plans")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)

    class Meta:
        verbose_name = _("stage plan")
        verbose_name_plural = _("stage plans")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "stage"], name="uniq_stage_plan"),
        ]

    def __str__(self) -> str:
        return self.get_stage_display()


@track()
class StageTransition(TenantModel):
    """One recorded stage move: who, when, from where to where, and why (the timeline)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("time of entry"))
    # When the move took effect: the time of entry, or earlier for past work entered after
    # the fact (an office entering last year's inspection). Every stage date reads this one.
    effective_at = models.DateTimeField(_("effective time"))

    class Meta:
        verbose_name = _("stage move")
        verbose_name_plural = _("stage moves")
        ordering = ["effective_at", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_at__lte=F("at")), name="transition_effective_not_after_entry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A move recorded as it happens takes effect when it is entered.
        if self.effective_at is None:
            self.effective_at = self.at
        super().save(*args, **kwargs)


@track()
class IntelligenceRequest(TenantModel):
    """A pre-inspection request to a functional department (巡前情况通报)."""

    class Department(models.TextChoices):
        DISCIPLINE = "discipline", _("Discipline inspection commission")
        ORGANIZATION = "organization", _("Organization / HR department")
        AUDIT = "audit", _("Audit department")
        FINANCE = "finance", _("Finance department")
        LEGAL = "legal", _("Legal department")
        PARTY_OFFICE = "party_office", _("Party committee office")
        PETITIONS = "petitions", _("Petitions office")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="intelligence_requests"
    )
    department = models.CharField(_("department"), max_length=20, choices=Department.choices)
    requested_on = models.DateField(_("requested on"))
    due_on = models.DateField(_("answer due"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    note = models.TextField(_("what is asked"), blank=True)

    class Meta:
        verbose_name = _("intelligence request")
        verbose_name_plural = _("intelligence requests")
        ordering = ["requested_on", "pk"]

    def __str__(self) -> str:
        return self.get_department_display()


@track()
class IntelligenceItem(TenantModel):
    """A past problem reported by a department: what the team should look at."""

    class Source(models.TextChoices):
        AUDIT = "audit", _("Audit")
        HR = "hr", _("HR / organization")
        FINANCE = "finance", _("Finance")
        LEGAL = "legal", _("Legal")
        DISCIPLINE = "discipline", _("Discipline inspection")
        PRIOR_INSPECTION = "prior_inspection", _("Prior inspection")
        PETITION = "petition", _("Petitions")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="intelligence_items"
    )
    request = models.ForeignKey(
        IntelligenceRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.CharField(_("problem"), max_length=300)
    detail = models.TextField(_("detail"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pre-inspection intelligence")
        verbose_name_plural = _("pre-inspection intelligence")
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return self.summary


@track()
class WorkTask(TenantModel):
    """The task split among team members (任务分工)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="tasks")
    assignee = models.ForeignKey(
        "rounds.TeamMember",
        verbose_name=_("assignee"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    description = models.CharField(_("task"), max_length=300)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description


@track()
class Milestone(TenantModel):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


@track(shown_on="inspection", label="description")  # listed on the inspection page
class Problem(TenantModel):
    """A problem found by an inspection (问题). Fuller handling comes with feedback and
    rectification; a look-back inherits the list to re-check it."""

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        SERIOUS = "serious", _("Serious")
        MAJOR = "major", _("Major")

    class Recheck(models.TextChoices):
        NOT_CHECKED = "", _("Not re-checked")
        RESOLVED = "resolved", _("Resolved")
        RECURRED = "recurred", _("Recurred / not resolved")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="problems")
    category = models.CharField(_("category"), max_length=30, choices=FocusArea.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.SERIOUS
    )
    description = models.TextField(_("description"))
    inherited_from = models.ForeignKey(
        "self",
        verbose_name=_("re-check of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rechecks",
    )
    recheck = models.CharField(
        _("re-check result"), max_length=10, choices=Recheck.choices, default="", blank=True
    )
    # The day the team found it (a problem of past work is entered later); created_at stays
    # the time of entry.
    found_on = models.DateField(_("found on"), default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description[:50]


class InspectionUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Inspection, on_delete=models.CASCADE)


class InspectionGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Inspection, on_delete=models.CASCADE)
