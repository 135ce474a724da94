"""Stored uploads and the log of their downloads.

A ``StoredFile`` is a checked upload kept in the private storage under a random name; the name
the sender gave (made safe) is kept only to name the download. Every download writes a
``FileDownload`` row: the log is append-only (only the services create rows).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from files.checks import Kind
from history.tracking import track
from xuncha.tenancy import TenantModel


@track()
class StoredFile(TenantModel):
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(
        _("file type"), max_length=10, choices=[(kind.value, kind.name) for kind in Kind]
    )
    mime = models.CharField(_("MIME type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The name in the private storage: a random one, never anything the sender chose.
    path = models.CharField(_("stored path"), max_length=255, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name


@track()
class FileDownload(TenantModel):
    file = models.ForeignKey(
        StoredFile, verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    downloaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("downloaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    downloaded_at = models.DateTimeField(_("downloaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("file download")
        verbose_name_plural = _("file downloads")
        ordering = ["-downloaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file} ({self.downloaded_at:%Y-%m-%d %H:%M})"
