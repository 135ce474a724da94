"""The announcement of an inspection's on-site work (巡察公告) and its public page (码上巡)."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from history.tracking import track
from xuncha.tenancy import TenantModel


def new_public_token() -> str:
    """The unguessable key of the public page (``/a/<token>/``)."""
    return secrets.token_urlsafe(24)


@track(label="inspection__unit__name")
class Announcement(TenantModel):
    """What the team tells the inspected unit's staff and the public: when it works on site,
    what it looks at, and how to reach it. Public once ``published_at`` is set."""

    inspection = models.OneToOneField(
        "rounds.Inspection", on_delete=models.CASCADE, related_name="announcement"
    )
    period_start = models.DateField(_("on-site work from"))
    period_end = models.DateField(_("on-site work until"))
    scope = models.TextField(_("scope of the inspection"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    mailbox = models.EmailField(_("mailbox"), blank=True)
    postal_box = models.CharField(_("postal box"), max_length=200, blank=True)
    reception_hours = models.CharField(_("reception hours"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_public_token, editable=False)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="announcement_period_order"
            ),
        ]

    def __str__(self) -> str:
        return str(self.inspection)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
