from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.errors import DomainError
from accounts.forms import DateInput, StyledFormMixin
from accounts.models import Organization, Unit
from accounts.selectors import unit_tree
from accounts.widgets import UnitSelect
from rounds.models import CoveragePlan, ExtensionVisit, Inspection
from rounds.selectors.coverage import extension_visit_unit_choices
from rounds.services.coverage import check_plan_years


class PlanForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    start_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2100)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start is None or end is None:
            return data
        try:
            check_plan_years(start_year=start, end_year=end)
        except DomainError as error:
            self.add_error("end_year", error.message)
        return data


class TargetAddForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), widget=UnitSelect()
    )
    include_subunits = forms.BooleanField(
        label=_("Include all its sub-units"), required=False, initial=True
    )
    planned_year = forms.TypedChoiceField(
        label=_("Planned year"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: Any, org: Organization, plan: CoveragePlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = unit_tree(org=org, include_inactive=False)
        if not self.is_bound:  # the picker reads only what its options show (no parents)
            units = units.select_related(None).only("pk", "name", "depth", "path")
        self.fields["unit"].queryset = units
        self.fields["planned_year"].choices = [("", _("(not scheduled)"))] + [
            (year, str(year)) for year in plan.years
        ]


class ExtensionVisitForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Sub-unit visited"), queryset=Unit.objects.none(), widget=UnitSelect()
    )
    occasion = forms.ChoiceField(label=_("Occasion"), choices=ExtensionVisit.Occasion.choices)
    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput())
    visit_reference = forms.CharField(
        label=_("Which visit"),
        max_length=200,
        help_text=_("E.g. the second supervision visit."),
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(
        self, *args: Any, org: Organization, inspection: Inspection, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = extension_visit_unit_choices(org=org, inspection=inspection)
        self.fields["unit"].widget.search = {"within": inspection.unit_id}
