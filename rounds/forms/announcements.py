"""The announcement form (巡察公告). It checks the shape of the input; the service checks
the rules (phone, mailbox, period within the round)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import DateInput, StyledFormMixin

DATE = DateInput()


class AnnouncementForm(StyledFormMixin, forms.Form):
    period_start = forms.DateField(label=_("On-site work from"), widget=DATE)
    period_end = forms.DateField(label=_("On-site work until"), widget=DATE)
    scope = forms.CharField(
        label=_("Scope of the inspection"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("What the team looks at, and what it receives letters and calls about."),
    )
    phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    mailbox = forms.CharField(label=_("Mailbox"), max_length=254, required=False)
    postal_box = forms.CharField(label=_("Postal box"), max_length=200, required=False)
    reception_hours = forms.CharField(
        label=_("Reception hours"),
        max_length=200,
        required=False,
        help_text=_("For example: working days 8:30–17:30."),
    )
