"""Forms of the inspector pool. Validation of business rules stays in rounds.services.pool."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import DateInput, StyledFormMixin
from accounts.models import Organization, Unit, User
from accounts.selectors import unit_tree
from accounts.widgets import UnitSelect, options_html, select_html
from rounds.imports import MAX_BYTES
from rounds.models import Inspector
from rounds.selectors.pool import unit_home_choices, user_linkable_list
from rounds.taxonomy import Specialty


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.username})" if obj.full_name else obj.username


class InspectorForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=100)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    user = UserChoiceField(
        label=_("User account"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(none)"),
        help_text=_("Optional: an active member of this organization; one inspector per account."),
    )
    home_unit = forms.ModelChoiceField(
        label=_("Home unit"), queryset=Unit.objects.none(), required=False, widget=UnitSelect()
    )
    is_external = forms.BooleanField(label=_("External (not on staff)"), required=False)
    leader_eligible = forms.BooleanField(label=_("Eligible as team leader"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    specialties = forms.MultipleChoiceField(
        label=_("Specialties"),
        choices=Specialty.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(
        self, *args: Any, org: Organization, inspector: Inspector | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = user_linkable_list(org=org)
        units = unit_home_choices(org=org)
        if inspector is not None and inspector.home_unit_id is not None:
            # A home unit deactivated since stays selectable for this inspector.
            units = unit_tree(org=org).filter(pk=inspector.home_unit_id) | units
        self.fields["home_unit"].queryset = units


class FilterSelect(forms.Select):
    """A flat single ``<select>`` written as Django's template writes it, but directly: the
    template include and option dict per ``<option>`` made the filter bar's selects cost more
    than the table's rows."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer=None):  # type: ignore[no-untyped-def]
        return select_html(
            {"name": name, **self.build_attrs(self.attrs, attrs)},
            options_html(self.choices, self.format_value(value)),
        )


class InspectorFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Name or position"),
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Name or position")}),
    )
    specialty = forms.ChoiceField(
        label=_("Specialty"),
        choices=[("", _("All specialties")), *Specialty.choices],
        required=False,
        widget=FilterSelect,
    )
    leader = forms.ChoiceField(
        label=_("Eligible as team leader"),
        choices=[
            ("", _("Any leader eligibility")),
            ("1", _("Leader-eligible")),
            ("0", _("Not leader-eligible")),
        ],
        required=False,
        widget=FilterSelect,
    )
    external = forms.ChoiceField(
        label=_("External"),
        choices=[("", _("Staff and external")), ("0", _("Staff")), ("1", _("External"))],
        required=False,
        widget=FilterSelect,
    )
    unit = forms.ModelChoiceField(
        label=_("Home unit (with sub-units)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All units"),
        widget=UnitSelect(search={"inactive": "1"}),
    )
    active = forms.ChoiceField(
        label=_("Active"),
        choices=[("", _("Active and inactive")), ("1", _("Active")), ("0", _("Inactive"))],
        required=False,
        widget=FilterSelect,
    )

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The options show names only: no parent rows joined in for the 50 the picker lists.
        self.fields["unit"].queryset = unit_tree(org=org).select_related(None)

    def selector_kwargs(self) -> dict[str, Any]:
        """Filters for rounds.selectors.pool.inspector_list; invalid values are ignored."""
        data = self.cleaned_data if self.is_valid() else {}
        flag = {"1": True, "0": False}
        return {
            "search": data.get("q", "").strip(),
            "specialty": data.get("specialty", ""),
            "leader_eligible": flag.get(data.get("leader", "")),
            "external": flag.get(data.get("external", "")),
            "home_unit": data.get("unit"),
            "active": flag.get(data.get("active", "")),
        }


class RelativeForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit where the relative works"),
        queryset=Unit.objects.none(),
        widget=UnitSelect(),
    )
    relative_name = forms.CharField(label=_("Relative's name"), max_length=100)
    relation = forms.CharField(label=_("Relation"), max_length=50)
    declared_on = forms.DateField(label=_("Declared on"), widget=DateInput)

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_home_choices(org=org)


class TrainingForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Training"), max_length=200)
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput)
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=5, decimal_places=1, min_value=Decimal(0), initial=0
    )


class PoolImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("Fill in the template; at most 2000 rows and 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload
