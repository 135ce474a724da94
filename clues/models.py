"""Petitions (信访举报): what the public and the inspected unit's staff tell an inspection's
team, through the public page (码上巡) or by phone, letter, visit, mailbox or e-mail.

A petition is confidential (``confidential = True``): its pages are the team's and the clue
handlers' only. The reporter's identity is kept encrypted (``clues.crypto``): the column, and
so the history's event rows that copy it, hold only ciphertext. The public submitter's receipt
code is kept as a keyed hash only; it is shown once. The clue ledger (triage, transfer,
dispositions) takes petitions over later: ``status`` is the coarse public-facing state.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from history.tracking import track
from xuncha.tenancy import TenantModel


class Channel(models.TextChoices):
    ONLINE = "online", _("Online (码上巡)")
    MAILBOX = "mailbox", _("Suggestion box")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    EMAIL = "email", _("E-mail")


# The channels the team records itself (the online form is the public's own).
STAFF_CHANNELS = [choice for choice in Channel.choices if choice[0] != Channel.ONLINE]


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    HANDLED = "handled", _("Handled")


@track(label="received_on")
class Petition(TenantModel):
    confidential = True

    inspection = models.ForeignKey(
        "rounds.Inspection",
        verbose_name=_("inspection"),
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    # The unit whose code it came through (the inspected unit or one of its sub-units).
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit concerned"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    is_anonymous = models.BooleanField(_("anonymous"), default=True)
    # Fernet ciphertext of the reporter's identity (JSON): never plaintext, never in history.
    identity = models.TextField(blank=True, editable=False)
    subject_persons = models.CharField(_("persons reported"), max_length=500, blank=True)
    content = models.TextField(_("content"))
    received_on = models.DateField(_("received on"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Keyed hash of the public submitter's receipt code (none for what the team records).
    receipt_hash = models.CharField(max_length=64, null=True, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    created_at = models.DateTimeField(_("time of entry"), auto_now_add=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="petition_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="petition_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(is_anonymous=False) | Q(identity=""),
                name="petition_anonymous_has_no_identity",
            ),
        ]
        indexes = [models.Index(fields=["inspection", "status"], name="petition_insp_status")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.received_on:%Y-%m-%d}"


@track(shown_on="petition", label="file__name")
class PetitionAttachment(TenantModel):
    """A photo or PDF sent with a petition, kept through the safe file handling."""

    confidential = True

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.ForeignKey(
        "files.StoredFile", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("petition attachment")
        verbose_name_plural = _("petition attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.file)


@track()
class PetitionRead(TenantModel):
    """Who read which petition, and what of it: written by the service layer on every read of
    a petition's detail, identity or attachment. Append-only."""

    confidential = True

    class What(models.TextChoices):
        DETAIL = "detail", _("Details")
        IDENTITY = "identity", _("Reporter's identity")
        ATTACHMENT = "attachment", _("Attachment")

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="reads"
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("read by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    what = models.CharField(_("what was read"), max_length=20, choices=What.choices)
    via_api = models.BooleanField(_("through the API"), default=False)
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("petition read")
        verbose_name_plural = _("petition reads")
        ordering = ["-read_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.what} {self.read_at:%Y-%m-%d %H:%M}"
