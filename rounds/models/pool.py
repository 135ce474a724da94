"""The inspector and team-leader pool (巡察人才库 / 组长库)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from history.tracking import track
from rounds.taxonomy import Specialty
from xuncha.tenancy import TenantModel


@track()
class Inspector(TenantModel):
    """A person who can serve on inspection teams: a staff user, or an external person such as
    a retired leader serving as full-time team leader ("以老带新、专兼结合")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspector_profiles",
    )
    name = models.CharField(_("full name"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    home_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("home unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_external = models.BooleanField(_("external (not on staff)"), default=False)
    leader_eligible = models.BooleanField(_("eligible as team leader"), default=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspector")
        verbose_name_plural = _("inspectors")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=models.Q(user__isnull=False),
                name="uniq_inspector_user",
            ),
        ]
        # The pool list's order: a page of 25 of 3,000 is read off the index, not sorted.
        indexes = [models.Index(fields=["organization", "name", "id"], name="inspector_list_order")]

    def __str__(self) -> str:
        return self.name


@track(shown_on="inspector")
class InspectorSpecialty(TenantModel):
    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="specialties")
    specialty = models.CharField(_("specialty"), max_length=20, choices=Specialty.choices)

    class Meta:
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")
        constraints = [
            models.UniqueConstraint(fields=["inspector", "specialty"], name="uniq_specialty"),
        ]
        indexes = [models.Index(fields=["organization", "specialty"])]

    def __str__(self) -> str:
        return self.get_specialty_display()


@track(shown_on="inspector")
class RelativeDeclaration(TenantModel):
    """A declared close relative working in a unit: grounds for recusal (回避)."""

    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="relatives")
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    relative_name = models.CharField(_("relative's name"), max_length=100)
    relation = models.CharField(_("relation"), max_length=50)
    declared_on = models.DateField(_("declared on"))

    class Meta:
        verbose_name = _("declared relative")
        verbose_name_plural = _("declared relatives")

    def __str__(self) -> str:
        return f"{self.relative_name} ({self.relation})"


@track(shown_on="inspector")
class TrainingRecord(TenantModel):
    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(_("training"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-completed_on"]

    def __str__(self) -> str:
        return self.title
