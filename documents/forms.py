"""Forms of document requests. They check the shape of the input; the services check the
rules (the unit within the inspection, the due date, the files by their content)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import DateInput, StyledFormMixin
from accounts.models import Unit
from documents.models import UsualDocument
from documents.selectors import unit_request_choices, usual_document_list
from rounds.models import Inspection

DATE = DateInput()


class _InspectionUnitMixin:
    fields: dict[str, forms.Field]

    def _set_units(self, inspection: Inspection) -> None:
        self.fields["unit"].queryset = unit_request_choices(inspection=inspection)  # type: ignore[attr-defined]


class DocumentRequestCreateForm(_InspectionUnitMixin, StyledFormMixin, forms.Form):
    usual_items = forms.ModelMultipleChoiceField(
        label=_("Usual documents"),
        queryset=UsualDocument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each document picked becomes a request of its own."),
    )
    free_items = forms.CharField(
        label=_("Other documents"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("One document a line."),
    )
    unit = forms.ModelChoiceField(label=_("Addressed to"), queryset=Unit.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    description = forms.CharField(
        label=_("What to provide"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Shown to the unit's liaison: period, form (originals or copies)…"),
    )
    team_notes = forms.CharField(
        label=_("Team notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("For the team only: never shown to the unit."),
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_units(inspection)
        self.fields["usual_items"].queryset = usual_document_list(  # type: ignore[attr-defined]
            org=inspection.organization, offered_only=True
        )

    def clean_free_items(self) -> list[str]:
        lines = self.cleaned_data["free_items"].splitlines()
        return [line.strip() for line in lines if line.strip()]


class DocumentRequestEditForm(_InspectionUnitMixin, StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Document"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Addressed to"), queryset=Unit.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    description = forms.CharField(
        label=_("What to provide"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Shown to the unit's liaison."),
    )
    team_notes = forms.CharField(
        label=_("Team notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("For the team only: never shown to the unit."),
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_units(inspection)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the service (``files.services``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else [single(data, initial)]


class AnswerForm(StyledFormMixin, forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_("PDF, Word, Excel, PowerPoint, JPG or PNG; up to 20 MB each."),
    )
    note = forms.CharField(
        label=_("Note to the team"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 3}),
    )


class UsualDocumentForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000, widget=forms.Textarea({"rows": 2})
    )
    is_active = forms.BooleanField(label=_("Offered when requesting"), required=False, initial=True)
