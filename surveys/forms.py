"""Forms of the team's and the office's survey pages. They check the shape of the input; the
services check the rules. (The public answer form is read by ``surveys.answers``.)"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.forms import StyledFormMixin
from accounts.models import Unit
from surveys.models import Kind, Purpose, SurveyTemplate


class TemplateForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea({"rows": 2})
    )
    is_active = forms.BooleanField(
        label=_("In use (offered when a survey is made)"), required=False, initial=True
    )


class QuestionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    text = forms.CharField(label=_("Question"), max_length=300)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text=_(
            "Single and multiple choice: one option per line; start the options counted as "
            "satisfied with +, e.g. “+满意”. A grid grades each leader 好/较好/一般/差."
        ),
    )
    scale = forms.IntegerField(label=_("Rating scale (highest grade)"), initial=5)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)


def options_text(options: list[dict[str, Any]]) -> str:
    return "\n".join(("+" if row.get("positive") else "") + row["label"] for row in options)


class SurveyCreateForm(StyledFormMixin, forms.Form):
    template = forms.ModelChoiceField(label=_("Template"), queryset=SurveyTemplate.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit surveyed"), queryset=Unit.objects.none())
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("The unit's name and the template's when left empty."),
    )
    expected_respondents = forms.IntegerField(
        label=_("Expected respondents"),
        min_value=0,
        max_value=100000,
        initial=0,
        help_text=_("For the response rate: how many people are asked to answer."),
    )
    open_link = forms.BooleanField(
        label=_("Also take answers through an open link (QR code)"), required=False
    )

    def __init__(
        self, *args: Any, templates: QuerySet[SurveyTemplate], units: QuerySet[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["unit"].queryset = units


class SurveyEditForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    expected_respondents = forms.IntegerField(
        label=_("Expected respondents"), min_value=0, max_value=100000
    )
    open_link = forms.BooleanField(
        label=_("Also take answers through an open link (QR code)"), required=False
    )


class SubjectsForm(StyledFormMixin, forms.Form):
    subjects = forms.CharField(
        label=_("Leaders graded"),
        required=False,
        max_length=8000,
        widget=forms.Textarea({"rows": 8}),
        help_text=_("One leader per line: the name, a space, then the post, e.g. “张明 总经理”."),
    )


class CodeBatchForm(StyledFormMixin, forms.Form):
    label = forms.CharField(
        label=_("Meeting"),
        max_length=200,
        help_text=_("Where the slips are handed out, e.g. “中层以上干部大会”."),
    )
    count = forms.IntegerField(label=_("Number of codes"), min_value=1, max_value=500)
