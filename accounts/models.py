from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.roles import Role, permissions_for
from history.tracking import track
from xuncha.tenancy import TenantModel


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # A machine that calls the API (the group's OA, a data warehouse): it has no password and
    # never signs in to the pages; an org admin creates it and its tokens.
    is_service_account = models.BooleanField(_("service account"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class Organization(models.Model):
    """A tenant: an inspecting body such as a party committee of a company, city or county."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)
    two_factor_roles = models.JSONField(
        _("roles that must sign in with two-factor authentication"), default=list, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@track()
class Membership(TenantModel):
    """A user's place in one organization; roles hang off it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    is_active = models.BooleanField(_("active"), default=True)
    title = models.CharField(_("position"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When an admin last removed the member's authenticator app (accounts.two_factor): the
    # device rows are not the organization's, this is its record in the member's history.
    second_factor_reset_at = models.DateTimeField(
        _("two-factor authentication reset"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="uniq_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(row.role for row in self.role_rows.all())

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in Role.values if role in self.roles]

    @cached_property
    def permissions(self) -> frozenset[str]:
        return permissions_for(set(self.roles))

    def has_perm(self, permission: str) -> bool:
        return permission in self.permissions

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def needs_second_factor(self, user: Any) -> bool:
        required = set(self.organization.two_factor_roles or [])
        verified = getattr(user, "is_verified", None)  # set by django-otp on a session's user
        return bool(required & self.roles) and not (verified is not None and verified())


@track(shown_on="membership")
class MembershipRole(TenantModel):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_rows")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["membership", "role"], name="uniq_membership_role"),
        ]

    def __str__(self) -> str:
        return self.get_role_display()


@track(notes={"path": _("Moved along with a unit above it.")})
class Unit(TenantModel):
    """An inspected unit (被巡察单位), one tree per organization.

    ``path`` is the chain of zero-padded ids from the root ("00000001/00000007/"), so a whole
    subtree is one index-backed ``path__startswith`` query.
    """

    class Kind(models.TextChoices):
        BRANCH = "branch", _("City/prefecture branch company")
        COUNTY_BRANCH = "county_branch", _("County/district branch company")
        OUTLET = "outlet", _("Branch office")
        SOE = "soe", _("State-owned enterprise")
        DEPARTMENT = "department", _("Department")
        TOWNSHIP = "township", _("Township")
        VILLAGE = "village", _("Administrative village")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    is_active = models.BooleanField(_("active"), default=True)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="uniq_unit_code"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def indent(self) -> range:
        return range(self.depth)


@track(shown_on="membership")
class UnitGrant(TenantModel):
    """The fact that a member (typically a liaison) is given one unit. The guardian rows that
    open the unit's pages are derived from it by ``accounts.grants.sync_grants``, and only while
    the membership is active and its roles hold ``VIEW_OWN_UNITS``."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="unit_grants")
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unit grant")
        verbose_name_plural = _("unit grants")
        constraints = [
            models.UniqueConstraint(fields=["membership", "unit"], name="uniq_unit_grant"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} → {self.unit}"


class UnitUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)


class UnitGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)


@track(shown_on="membership", exclude=["last_used_at"])
class ApiToken(TenantModel):
    """A key for machines calling the API as one membership (a user in one organization).

    Only a SHA-256 digest of the key is kept: the key itself is shown once, when it is made.
    ``prefix`` (the key's first characters) names it on the management page."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True)
    # Not editable: never shown, on a form or in the history (修改记录) of the membership.
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    def is_usable(self, now: Any) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
