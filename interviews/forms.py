"""Forms of the interviews app. They check the shape of the input and offer only the
inspection's own people, outlines and checklist items; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.forms import StyledFormMixin
from documents.selectors import document_request_list
from interviews.models import (
    Category,
    ChecklistItem,
    Evidence,
    Interview,
    Method,
    OutlineRole,
    OutlineTemplate,
)
from interviews.selectors import (
    checklist_item_list,
    interviewer_candidate_list,
    outline_template_list,
)
from interviews.services import InterviewDetails
from rounds.models import Inspection


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (local time of Asia/Shanghai)."""

    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class OutlineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OutlineTemplate) -> str:
        return f"{obj.name}（{obj.get_role_display()}）"


class ItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ChecklistItem) -> str:
        return f"{obj.checklist.name} · {obj.text}"


def _items_offered(inspection: Inspection, interview: Interview | None) -> QuerySet[ChecklistItem]:
    """Items an interview may tick: those still missing, not done by documents only, and
    those this interview did."""
    open_items = Q(done_at__isnull=True) & ~Q(evidence=Evidence.DOCUMENT)
    mine = Q(interview=interview) if interview is not None else Q(pk__in=[])
    return checklist_item_list(inspection=inspection).filter(open_items | mine)


class InterviewForm(StyledFormMixin, forms.Form):
    interviewee_name = forms.CharField(label=_("Interviewee"), max_length=100)
    interviewee_position = forms.CharField(label=_("Position"), max_length=100, required=False)
    interviewee_unit = forms.CharField(
        label=_("Unit or department"), max_length=200, required=False
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    method = forms.ChoiceField(
        label=_("Method"),
        choices=Method.choices,
        help_text=_("A face-to-face talk is held by the number of interviewers the tenant sets."),
    )
    held_at = forms.DateTimeField(label=_("Held at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    interviewers = forms.ModelMultipleChoiceField(
        label=_("Interviewers"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The people working this inspection."),
    )
    outline = OutlineChoiceField(label=_("Outline"), queryset=None, required=False)
    items = ItemChoiceField(
        label=_("Checklist items it covers"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea({"rows": 8}),
        required=False,
        help_text=_("Confidential: read by this inspection's team only."),
    )
    confirmed_by_interviewee = forms.BooleanField(
        label=_("The interviewee confirmed the record"), required=False
    )

    def __init__(
        self, *args: Any, inspection: Inspection, interview: Interview | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        org = inspection.organization
        self.fields["interviewers"].queryset = interviewer_candidate_list(inspection=inspection)
        outlines = outline_template_list(org=org, active_only=True)
        if interview is not None and interview.outline_id:
            outlines = outline_template_list(org=org).filter(
                Q(active=True) | Q(pk=interview.outline_id)
            )
        self.fields["outline"].queryset = outlines
        self.fields["items"].queryset = _items_offered(inspection, interview)
        if not self.fields["items"].queryset.exists():
            self.fields["items"].help_text = _(
                "No checklist item is waiting for an interview: the checklists start with the "
                "first interview."
            )

    def details(self) -> InterviewDetails:
        data = self.cleaned_data
        return InterviewDetails(
            interviewee_name=data["interviewee_name"],
            interviewee_position=data["interviewee_position"],
            interviewee_unit=data["interviewee_unit"],
            category=data["category"],
            method=data["method"],
            held_at=data["held_at"],
            place=data["place"],
            interviewers=list(data["interviewers"]),
            outline=data["outline"],
            notes=data["notes"],
            confirmed_by_interviewee=data["confirmed_by_interviewee"],
        )


class InterviewFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All categories")), *Category.choices], required=False
    )
    method = forms.ChoiceField(
        label=_("Method"), choices=[("", _("All methods")), *Method.choices], required=False
    )


class DocumentTickForm(StyledFormMixin, forms.Form):
    """Done by documents: a document request (调阅) of the inspection and/or a named document."""

    document_request = forms.ModelChoiceField(
        label=_("Document request"), queryset=None, required=False
    )
    document_note = forms.CharField(
        label=_("Document"),
        max_length=200,
        required=False,
        help_text=_("The document that covers the item, e.g. 2024年党委会会议纪要."),
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document_request"].queryset = document_request_list(inspection=inspection)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("document_request") and not data.get("document_note", "").strip():
            raise forms.ValidationError(_("Name the document that covers the item."))
        return data


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class OutlineTemplateForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    role = forms.ChoiceField(label=_("Interviewee role"), choices=OutlineRole.choices)
    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea({"rows": 10}),
        help_text=_("One question per line."),
    )
    active = forms.BooleanField(label=_("Offered on the interview form"), required=False)

    def clean_questions(self) -> list[str]:
        return _lines(self.cleaned_data["questions"])


class ChecklistTemplateForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    evidence = forms.ChoiceField(label=_("Items are done by"), choices=Evidence.choices)
    items = forms.CharField(
        label=_("Items"), widget=forms.Textarea({"rows": 8}), help_text=_("One item per line.")
    )
    active = forms.BooleanField(label=_("Used for new inspections"), required=False)

    def clean_items(self) -> list[str]:
        return _lines(self.cleaned_data["items"])


class InterviewSettingsForm(StyledFormMixin, forms.Form):
    min_interviewers_in_person = forms.IntegerField(
        label=_("Interviewers of a face-to-face talk (at least)"),
        min_value=1,
        max_value=9,
        help_text=_("个别谈话 are held by two inspectors at least; a tenant may ask more."),
    )
