"""Forms of the API token page: a token (name, optional last day) and a service account."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import DateInput, RoleChoiceField, StyledFormMixin
from accounts.tokens import MAX_NAME_LENGTH


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of ``day`` in the organization's time zone (Asia/Shanghai): a token
    "valid until 2025-12-31" works all of that day, as the person who chose it reads it."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=timezone.get_default_timezone())


class ApiTokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=MAX_NAME_LENGTH,
        help_text=_("What the token is for, e.g. the system that uses it."),
    )
    # Named as the service's field, so that its refusal (a day in the past) shows under it.
    expires_at = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Optional: the token stops working at the end of this day (Beijing time)."),
    )

    def expiry(self) -> datetime.datetime | None:
        day = self.cleaned_data["expires_at"]
        return None if day is None else end_of_day(day)


class ServiceAccountForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("The system that will call the API, e.g. 集团OA系统."),
    )
    roles = RoleChoiceField(
        label=_("Roles"),
        help_text=_("Its tokens may read and change what a member with these roles may."),
    )
