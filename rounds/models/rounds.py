"""Rounds (巡察轮次) and their teams (巡察组), authorized per round ("一次一授权")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from history.tracking import track
from rounds.taxonomy import FocusArea
from xuncha.tenancy import TenantModel


@track(value_choices={"focus_areas": FocusArea.choices})
class Round(TenantModel):
    class Kind(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        SPECIAL = "special", _("Special")
        LOOK_BACK = "look_back", _("Look-back")
        MOBILE = "mobile", _("Mobile")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ROUTINE)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    focus_areas = models.JSONField(_("focus areas"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Archived (归档): hidden from lists and pickers, read-only, kept with its history (who
    # archived it is the history's); see ``rounds.services.archive``.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="round_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


@track(shown_on="round")
class Team(TenantModel):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=100)
    authorization_ref = models.CharField(
        _("leader authorization (document no.)"), max_length=100, blank=True
    )
    authorized_on = models.DateField(_("authorized on"), null=True, blank=True)
    authorized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["round", "name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="uniq_team_name"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.name}"


@track(shown_on="team", label="inspector__name")
class TeamMember(TenantModel):
    class Role(models.TextChoices):
        LEADER = "leader", _("Team leader")
        DEPUTY = "deputy", _("Deputy leader")
        MEMBER = "member", _("Member")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+", editable=False)
    inspector = models.ForeignKey(
        "rounds.Inspector",
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        related_name="team_memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    added_at = models.DateTimeField(auto_now_add=True)
    # Written just before the row is deleted (removal while the team's inspections are under
    # way), so the removal's history event on the team page says why.
    removal_reason = models.TextField(_("reason for removal"), blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "role", "pk"]
        constraints = [
            # One team per person per round; one leader per team.
            models.UniqueConstraint(fields=["round", "inspector"], name="uniq_round_inspector"),
            models.UniqueConstraint(
                fields=["team"], condition=Q(role="leader"), name="uniq_team_leader"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspector} ({self.get_role_display()})"


@track()
class Recusal(TenantModel):
    """A recusal declaration (回避申请) by a team member for one inspected unit."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="recusals")
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    declared_on = models.DateField(_("declared on"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Named by an approval: works the inspection of ``unit`` in the member's role, in their
    # place (none: nobody replaces them). See ``rounds.staffing``.
    replacement = models.ForeignKey(
        "rounds.Inspector",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("recusal declaration")
        verbose_name_plural = _("recusal declarations")
        ordering = ["-declared_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(replacement__isnull=True) | Q(decision="approved"),
                name="recusal_replacement_if_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.inspector} · {self.unit}"
