"""The petition forms: the public's (mobile, anonymous by default) and the team's record of a
petition received by phone, letter, visit, mailbox or e-mail. They check the shape of the
input; the services check the rules and the files' content."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import DateInput, StyledFormMixin
from clues.crypto import Identity
from clues.models import STAFF_CHANNELS, Channel, Status
from clues.services import MAX_FILES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by its content in the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        one = super().clean
        if isinstance(data, list | tuple):
            files = [one(item, initial) for item in data if item]
        else:
            files = [one(data, initial)] if data else []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(count)s files."), params={"count": MAX_FILES}
            )
        return files


REAL_NAME_CHOICES = [("anonymous", _("Anonymously")), ("real_name", _("With my name"))]


class _IdentityFields(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)

    def identity(self) -> Identity | None:
        data = self.cleaned_data
        if data.get("sent_as", "anonymous") == "anonymous":
            return None
        return Identity(
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            contact=data.get("contact", ""),
            work_unit=data.get("work_unit", ""),
        )

    @property
    def is_anonymous(self) -> bool:
        return self.cleaned_data.get("sent_as", "anonymous") == "anonymous"


class PublicPetitionForm(StyledFormMixin, _IdentityFields):
    sent_as = forms.ChoiceField(
        label=_("Send it"),
        choices=REAL_NAME_CHOICES,
        initial="anonymous",
        widget=forms.RadioSelect,
        help_text=_(
            "Anonymous is the default. Your name, if you give it, is seen only by the team "
            "leader and the discipline officers handling petitions."
        ),
    )
    subject_persons = forms.CharField(
        label=_("Who is it about"),
        max_length=500,
        required=False,
        help_text=_("Names and posts of the persons you report, if any."),
    )
    content = forms.CharField(
        label=_("What do you want to report"),
        max_length=10_000,
        widget=forms.Textarea({"rows": 6}),
        help_text=_("When, where, who, what happened; how you know it."),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        help_text=_("Up to 5 photos (JPG or PNG, at most 10 MB each)."),
        widget=MultipleFileInput({"accept": "image/jpeg,image/png"}),
    )

    field_order = ["sent_as", "name", "phone", "subject_persons", "content", "photos"]


class StaffPetitionForm(StyledFormMixin, _IdentityFields):
    channel = forms.ChoiceField(label=_("Received by"), choices=STAFF_CHANNELS)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    unit = forms.TypedChoiceField(label=_("Unit concerned"), coerce=int)
    sent_as = forms.ChoiceField(
        label=_("Reporter"),
        choices=[("anonymous", _("Anonymous")), ("real_name", _("Real name"))],
        initial="anonymous",
        widget=forms.RadioSelect,
    )
    contact = forms.CharField(label=_("Other contact"), max_length=200, required=False)
    work_unit = forms.CharField(label=_("Reporter's work unit"), max_length=200, required=False)
    subject_persons = forms.CharField(label=_("Persons reported"), max_length=500, required=False)
    content = forms.CharField(
        label=_("Content"), max_length=10_000, widget=forms.Textarea({"rows": 6})
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        help_text=_("Up to 5 files: photos (JPG, PNG) or scanned letters (PDF)."),
        widget=MultipleFileInput({"accept": "image/jpeg,image/png,application/pdf"}),
    )

    field_order = [
        "channel",
        "received_on",
        "unit",
        "sent_as",
        "name",
        "phone",
        "contact",
        "work_unit",
        "subject_persons",
        "content",
        "attachments",
    ]

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]
        self.fields["channel"].initial = Channel.PHONE


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)


class ReceiptForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        widget=forms.TextInput({"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("The 16 characters you were given, e.g. ABCD-EFGH-JKLM-NPQR."),
    )


class PetitionFilterForm(forms.Form):
    channel = forms.ChoiceField(choices=[("", "")] + Channel.choices, required=False)
    status = forms.ChoiceField(choices=[("", "")] + Status.choices, required=False)
