"""Document requests (调阅): what the team asks the inspected unit to provide, and what the
unit's liaison delivers.

``UsualDocument`` is the tenant's checklist of what is usually asked for (三重一大会议纪要,
财务凭证…); a ``DocumentRequest`` asks one item of one inspection's unit (or of a sub-unit of
it) by a due date, and moves requested → delivered (the liaison answered with files) →
returned (the team gave the originals back); it may be withdrawn while not delivered. Overdue
is not stored: due before today and still requested (``DocumentRequest.overdue_q``).
``team_notes`` are the team's own and never shown to the liaison; ``description`` is what the
unit reads. Each answer of the liaison is a ``DocumentDelivery`` holding checked, privately
stored files (``DeliveryFile`` → ``files.StoredFile``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from history.tracking import track
from xuncha.tenancy import TenantModel


@track()
class UsualDocument(TenantModel):
    """One item of the tenant's checklist of usually requested documents."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("usual document")
        verbose_name_plural = _("usual documents")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="usual_document_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


@track(label="title")
class DocumentRequest(TenantModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        DELIVERED = "delivered", _("Delivered")
        RETURNED = "returned", _("Returned")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    inspection = models.ForeignKey(
        "rounds.Inspection",
        verbose_name=_("inspection"),
        on_delete=models.CASCADE,
        related_name="document_requests",
    )
    # The inspected unit, or one of its sub-units.
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("document"), max_length=200)
    description = models.TextField(_("what to provide"), blank=True)
    from_usual = models.ForeignKey(
        UsualDocument,
        verbose_name=_("usual document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    team_notes = models.TextField(_("team notes"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delivered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_reason = models.TextField(_("reason for withdrawing"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document request")
        verbose_name_plural = _("document requests")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["inspection", "status", "due_on"], name="docreq_insp_status"),
            models.Index(fields=["unit", "status"], name="docreq_unit_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("requested_on")), name="document_request_due_order"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "delivered", "returned", "withdrawn"]),
                name="document_request_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "withdrawn"]) | Q(delivered_at__isnull=False),
                name="document_request_delivered_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | Q(returned_at__isnull=False),
                name="document_request_returned_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def overdue_q(today: datetime.date | None = None) -> Q:
        """Due before ``today`` (default: today in Asia/Shanghai) and not delivered."""
        return Q(status="requested", due_on__lt=today or timezone.localdate())

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.REQUESTED and self.due_on < timezone.localdate()

    @property
    def is_open(self) -> bool:
        """The liaison may still answer it (add files)."""
        return self.status in {self.Status.REQUESTED, self.Status.DELIVERED}


@track(label="request__title", shown_on="request")
class DocumentDelivery(TenantModel):
    """One answer of the liaison: a note and the files sent with it."""

    request = models.ForeignKey(
        DocumentRequest,
        verbose_name=_("document request"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    note = models.TextField(_("note"), blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delivered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivered_at = models.DateTimeField(_("delivered at"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["delivered_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request} ({self.delivered_at:%Y-%m-%d %H:%M})"


@track(label="file__name", shown_on="delivery")
class DeliveryFile(TenantModel):
    delivery = models.ForeignKey(
        DocumentDelivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.OneToOneField(
        "files.StoredFile", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("delivered file")
        verbose_name_plural = _("delivered files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.file)
