"""The announcement pages (巡察公告): the team's form, publishing, the printable sheet of
QR codes (码上巡), and the public page the codes open.

The team's pages are the inspection's work pages (its team and the office); anybody else,
a liaison included, gets 404. The public page needs no sign-in: its token names the
announcement, and it runs in the announcement's organization scope."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from rounds.forms.announcements import AnnouncementForm
from rounds.models import Announcement, Inspection
from rounds.selectors.announcements import (
    announcement_get,
    announcement_organization,
    announcement_public_get,
    announcement_unit_list,
)
from rounds.selectors.inspections import inspection_settings
from rounds.services import announcements as services
from rounds.views.inspections import InspectionAccessMixin, InspectionFormView
from rounds.workspace import public_form_links
from xuncha.tenancy import org_scope
from xuncha.tenancy.views import ConfirmationMixin, OrgViewMixin

# What each code of a unit is for (``?for=``); the forms behind them are registered by the
# surveys and clues apps (``rounds.workspace.register_public_form``).
PURPOSES = {
    "survey": gettext_lazy("Evaluation code (测评码)"),
    "petition": gettext_lazy("Petition code (信访举报码)"),
}


def _edit_url(inspection_pk: int) -> str:
    return reverse("rounds:announcement_edit", args=[inspection_pk])


class AnnouncementEditView(InspectionFormView):
    """Write the announcement; its period defaults to the planned on-site dates."""

    model = Inspection
    access = "work"
    template_name = "rounds/announcements/edit.html"
    form_class = AnnouncementForm
    title = gettext_lazy("Announcement")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.announcement: Announcement | None = None
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        self.announcement = announcement_get(inspection=self.inspection)
        if self.announcement is None:
            start, end = services.default_period(self.inspection)
            return {"period_start": start, "period_end": end}
        fields = AnnouncementForm.base_fields
        return {name: getattr(self.announcement, name) for name in fields}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if self.announcement is None:
            self.announcement = announcement_get(inspection=self.inspection)
        start, _end = services.default_period(self.inspection)
        lead = inspection_settings(org=self.request.org).announcement_lead_days
        return super().get_context_data(
            announcement=self.announcement,
            due_on=start - datetime.timedelta(days=lead) if start else None,
            lead_days=lead,
            can_publish=self.inspection.stage in services.PUBLISHING_STAGES,
            public_url=self._public_url(),
            **kwargs,
        )

    def _public_url(self) -> str:
        if self.announcement is None or not self.announcement.is_published:
            return ""
        path = reverse("rounds:announcement_public", args=[self.announcement.token])
        return self.request.build_absolute_uri(path)

    def perform(self, form: AnnouncementForm) -> str:
        services.save_announcement(
            inspection=self.inspection, actor=self.request.user, **form.cleaned_data
        )
        return _("Announcement saved.")

    def get_success_url(self) -> str:
        return _edit_url(self.inspection.pk)


class AnnouncementPublishView(OrgViewMixin, InspectionAccessMixin, ConfirmationMixin, View):
    """POST only: publish the announcement, after confirmation (it is public from then on)."""

    model = Inspection
    access = "work"
    confirm_button = gettext_lazy("Publish")

    def confirm_title(self) -> str:
        return _("Publish the announcement of the inspection of %(unit)s?") % {
            "unit": self.inspection.unit
        }

    def confirm_effects(self) -> list[str]:
        return [
            _(
                "Its public page opens to anyone holding its address or one of its QR codes; "
                "the on-site stage may then start."
            )
        ]

    def perform(self, data: dict[str, Any]) -> str:
        services.publish_announcement(inspection=self.inspection, actor=self.request.user)
        return _("The announcement is published.")

    def get_success_url(self) -> str:
        return _edit_url(self.inspection.pk)


def _code_url(base: str, unit_pk: int, purpose: str) -> str:
    return f"{base}?{urlencode({'unit': unit_pk, 'for': purpose})}"


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3, title=url)


class AnnouncementPrintView(OrgViewMixin, InspectionAccessMixin, TemplateView):
    """A printable sheet: the announcement and, for the unit and each active sub-unit, its
    two QR codes (码上巡)."""

    model = Inspection
    access = "work"
    template_name = "rounds/announcements/print.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.announcement = announcement_get(inspection=self.inspection)
        if self.announcement is None:
            return redirect(_edit_url(self.inspection.pk))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        base = self.request.build_absolute_uri(
            reverse("rounds:announcement_public", args=[self.announcement.token])
        )
        units = [
            {
                "unit": unit,
                "codes": [
                    {"label": label, "svg": _qr_svg(_code_url(base, unit.pk, key))}
                    for key, label in PURPOSES.items()
                ],
            }
            for unit in announcement_unit_list(inspection=self.inspection)
        ]
        return super().get_context_data(announcement=self.announcement, units=units, **kwargs)


def _not_found(request: HttpRequest) -> HttpResponse:
    # One body for every refusal, naming neither the address nor the visitor: a wrong token, an
    # unpublished announcement and an unknown unit cannot be told apart.
    return render(request, "rounds/announcements/not_found.html", status=404)


def announcement_public(request: HttpRequest, token: str) -> HttpResponse:
    """The public page: a wrong token, an unpublished announcement and an unknown unit are the
    same 404."""
    org = announcement_organization(token=token)
    if org is None:
        return _not_found(request)
    with org_scope(org):
        announcement = announcement_public_get(org=org, token=token)
        if announcement is None:
            return _not_found(request)
        inspection = announcement.inspection
        unit = inspection.unit
        unit_key = request.GET.get("unit", "")
        if unit_key:
            units = {str(row.pk): row for row in announcement_unit_list(inspection=inspection)}
            if unit_key not in units:
                return _not_found(request)
            unit = units[unit_key]
        return render(
            request,
            "rounds/announcements/public.html",
            {
                "announcement": announcement,
                "inspection": inspection,
                "organization": org,
                "unit": unit,
                "purpose": PURPOSES.get(request.GET.get("for", "")),
                "forms": public_form_links(token, unit.pk, request.GET.get("for", "")),
                "closed": not services.accepts_input(inspection),
                "today": timezone.localdate(),
            },
        )
