"""Forms of the inspection pages. They validate input shape; business rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.forms import DateInput, StyledFormMixin
from rounds.models import (
    Inspection,
    InspectionSettings,
    IntelligenceItem,
    IntelligenceRequest,
    Milestone,
    Problem,
    Round,
    TeamMember,
    WorkTask,
)
from rounds.selectors.inspection_detail import inspection_part_list
from rounds.services.inspections import PLANNED_STAGES, Dates
from rounds.taxonomy import FocusArea, Stage

DATE = DateInput()


class AdvanceForm(StyledFormMixin, forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea({"rows": 2}))
    exception = forms.BooleanField(
        label=_("Leadership exception (close despite unmet checks)"), required=False
    )
    effective_on = forms.DateField(
        label=_("Effective date"),
        required=False,
        widget=DATE,
        help_text=_("For past work entered now: the day the move took effect. Empty: now."),
    )


class _ScheduleFormBase(StyledFormMixin, forms.Form):
    """Planned start and end of every stage (进度表): fields ``<stage>_start``/``<stage>_end``."""

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (Stage(stage).label, self[f"{stage}_start"], self[f"{stage}_end"])
            for stage in PLANNED_STAGES
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for stage in PLANNED_STAGES:
            start, end = cleaned.get(f"{stage}_start"), cleaned.get(f"{stage}_end")
            if start and end and end < start:
                self.add_error(f"{stage}_end", _("The end cannot be before the start."))
        return cleaned

    def dates(self) -> dict[str, Dates]:
        data = self.cleaned_data
        return {
            stage: (data.get(f"{stage}_start"), data.get(f"{stage}_end"))
            for stage in PLANNED_STAGES
        }


def _schedule_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for stage in PLANNED_STAGES:
        label = Stage(stage).label
        fields[f"{stage}_start"] = forms.DateField(label=label, required=False, widget=DATE)
        fields[f"{stage}_end"] = forms.DateField(label=label, required=False, widget=DATE)
    return fields


# Declared through the form metaclass so every stage gets a declared (and styled) field.
ScheduleForm = type("ScheduleForm", (_ScheduleFormBase,), _schedule_fields())


class ScheduleDefaultsForm(StyledFormMixin, forms.Form):
    defaults_from = forms.DateField(label=_("Fill defaults starting on"), widget=DATE)


class InspectionSettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = InspectionSettings
        fields = [
            "onsite_days",
            "rectification_months",
            "min_supervision_visits",
            "report_months",
            "announcement_lead_days",
        ]
        help_texts = {"report_months": _("Comma-separated months, e.g. 3,6,12.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left out: the stored value stays (a post from before the setting existed).
        self.fields["announcement_lead_days"].required = False

    def clean_report_months(self) -> list[int]:
        parts = [part.strip() for part in self.cleaned_data["report_months"].split(",")]
        if not all(part.isdigit() and int(part) > 0 for part in parts):
            raise forms.ValidationError(_("Enter positive whole numbers separated by commas."))
        return sorted({int(part) for part in parts})

    # The bounds of each value are the service's (rounds.services.inspections), shown on the
    # field by ServiceFormMixin.

    def _post_clean(self) -> None:
        # report_months is cleaned to a list for the service; skip the model's own validation.
        pass


class IntelligenceRequestForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = IntelligenceRequest
        fields = ["department", "requested_on", "due_on", "note"]
        widgets = {"requested_on": DATE, "due_on": DATE, "note": forms.Textarea({"rows": 3})}


class _RowsOfInspection:
    """Fields choosing rows of one inspection: ``rows`` maps field name → queryset builder."""

    rows: dict[str, Any] = {}

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, build in self.rows.items():
            self.fields[name].queryset = build(inspection)  # type: ignore[attr-defined]


def _parts(model: Any, **filters: Any) -> Any:
    def build(inspection: Inspection) -> QuerySet:
        return inspection_part_list(model, inspection).filter(**filters)

    return build


class IntelligenceAnswerForm(_RowsOfInspection, StyledFormMixin, forms.Form):
    rows = {"request": _parts(IntelligenceRequest)}

    request = forms.ModelChoiceField(label=_("Request"), queryset=None)
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE)


class IntelligenceItemForm(_RowsOfInspection, StyledFormMixin, forms.Form):
    rows = {"request": _parts(IntelligenceRequest)}

    request = forms.ModelChoiceField(label=_("In answer to"), queryset=None, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=IntelligenceItem.Source.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2999)
    summary = forms.CharField(label=_("Problem"), max_length=300)
    detail = forms.CharField(label=_("Detail"), required=False, widget=forms.Textarea({"rows": 3}))


class WorkPlanForm(StyledFormMixin, forms.Form):
    focus_areas = forms.MultipleChoiceField(
        label=_("Focus areas"),
        choices=FocusArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    work_plan = forms.CharField(
        label=_("Work plan"), required=False, widget=forms.Textarea({"rows": 8})
    )


def _team_members(inspection: Inspection) -> QuerySet[TeamMember]:
    members = TeamMember.objects.for_org(inspection.organization)
    return members.filter(team_id=inspection.team_id or 0).select_related("inspector")


class TaskForm(_RowsOfInspection, StyledFormMixin, forms.Form):
    rows = {"assignee": _team_members}

    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=None)
    description = forms.CharField(label=_("Task"), max_length=300)


class TaskRemoveForm(_RowsOfInspection, forms.Form):
    rows = {"task": _parts(WorkTask)}

    task = forms.ModelChoiceField(queryset=None)


class MilestoneForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


class MilestoneDoneForm(_RowsOfInspection, forms.Form):
    rows = {"milestone": _parts(Milestone)}

    milestone = forms.ModelChoiceField(queryset=None)
    done_on = forms.DateField()


class ProblemForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=FocusArea.choices)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Problem.Severity.choices, initial=Problem.Severity.SERIOUS
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea({"rows": 4}))
    found_on = forms.DateField(
        label=_("Found on"),
        required=False,
        widget=DATE,
        help_text=_("For past work entered now: the day the problem was found. Empty: today."),
    )


class RecheckForm(_RowsOfInspection, forms.Form):
    rows = {"problem": _parts(Problem, inherited_from__isnull=False)}

    problem = forms.ModelChoiceField(queryset=None)
    result = forms.ChoiceField(
        choices=[(Problem.Recheck.RESOLVED, ""), (Problem.Recheck.RECURRED, "")]
    )


class LookBackForm(StyledFormMixin, forms.Form):
    round = forms.ModelChoiceField(label=_("Look-back round"), queryset=None)

    def __init__(self, *args: Any, rounds: QuerySet[Round], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
