"""Forms for rounds, teams, assignments, recusals and the accepted team suggestion."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import DateInput, StyledFormMixin
from accounts.models import Organization, Unit
from accounts.widgets import UnitSelect
from rounds.models import Inspector, Recusal, Round, Team, TeamMember
from rounds.selectors.teams import inspector_candidate_list, team_member_list, unit_assignable_list
from rounds.taxonomy import FocusArea


class RoundForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Round.Kind.choices)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    focus_areas = forms.MultipleChoiceField(
        label=_("Focus areas"),
        choices=FocusArea.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    # The period's rules (order, length) are rounds.services.teams.check_round_period's, shown
    # on the field by ServiceFormMixin.


class RoundFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", _("All kinds")), *Round.Kind.choices], required=False)
    year = forms.IntegerField(min_value=1900, max_value=2999, required=False)
    archived = forms.BooleanField(required=False)  # list archived rounds too


class TeamForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    authorization_ref = forms.CharField(
        label=_("Leader authorization (document no.)"),
        max_length=100,
        required=False,
        help_text=_("The leader is authorized for this round only (一次一授权)."),
    )
    authorized_on = forms.DateField(label=_("Authorized on"), widget=DateInput(), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        ref, day = data.get("authorization_ref"), data.get("authorized_on")
        if ref and not day and "authorized_on" not in self.errors:
            self.add_error("authorized_on", _("Give the date of the authorization."))
        if day and not ref:
            self.add_error("authorization_ref", _("Give the authorization document number."))
        return data


class InspectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Inspector) -> str:
        extra = [obj.home_unit.name] if obj.home_unit else []
        if obj.leader_eligible:
            extra.append(str(_("leader-eligible")))
        return f"{obj.name} ({', '.join(extra)})" if extra else obj.name


class TeamMemberForm(StyledFormMixin, forms.Form):
    inspector = InspectorChoiceField(label=_("Inspector"), queryset=Inspector.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=TeamMember.Role.choices)

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspector_candidate_list(org=org)


class AssignUnitForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), widget=UnitSelect()
    )

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_assignable_list(org=org)


class RecusalForm(StyledFormMixin, forms.Form):
    member = forms.ModelChoiceField(label=_("Team member"), queryset=TeamMember.objects.none())
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), widget=UnitSelect()
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    declared_on = forms.DateField(label=_("Declared on"), widget=DateInput())

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = team_member_list(team=team)
        self.fields["unit"].queryset = unit_assignable_list(org=team.organization)


class RecusalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (Recusal.Decision.APPROVED, Recusal.Decision.APPROVED.label),
            (Recusal.Decision.REJECTED, Recusal.Decision.REJECTED.label),
        ]
    )


class SuggestionUnitForm(StyledFormMixin, forms.Form):
    """GET form: the unit to propose a team for."""

    unit = forms.ModelChoiceField(
        label=_("Unit to inspect"), queryset=Unit.objects.none(), widget=UnitSelect()
    )

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_assignable_list(org=org)


class AcceptSuggestionForm(SuggestionUnitForm):
    """The ticked people, each with the role chosen in the ``role_<inspector id>`` field."""

    inspectors = forms.ModelMultipleChoiceField(
        label=_("People"), queryset=Inspector.objects.none(), required=False
    )

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, org=org, **kwargs)
        self.fields["inspectors"].queryset = inspector_candidate_list(org=org)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        picks = []
        for inspector in data.get("inspectors", []):
            role = self.data.get(f"role_{inspector.pk}", TeamMember.Role.MEMBER)
            if role not in TeamMember.Role.values:
                self.add_error(
                    "inspectors", _("Choose a valid role for %(name)s.") % {"name": inspector.name}
                )
            picks.append((inspector, role))
        data["picks"] = picks
        return data


class NewLeaderForm(StyledFormMixin, forms.Form):
    """Asked when a leader is removed: who leads from now on, with their authorization
    ("一次一授权"). ``required``: an inspection of the team is past planning."""

    new_leader = InspectorChoiceField(
        label=_("New leader"),
        queryset=Inspector.objects.none(),
        help_text=_("A member of the team, promoted, or a leader-eligible person from the pool."),
    )
    authorization_ref = forms.CharField(
        label=_("Leader authorization (document no.)"), max_length=100, required=False
    )
    authorized_on = forms.DateField(label=_("Authorized on"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, member: TeamMember, required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_leader"]
        people = inspector_candidate_list(org=member.organization).filter(leader_eligible=True)
        field.queryset = people.exclude(pk=member.inspector_id)
        field.required = required

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("new_leader") is None:
            return data
        for name, message in (
            ("authorization_ref", _("Give the new leader's authorization document number.")),
            ("authorized_on", _("Give the date of the new leader's authorization.")),
        ):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        return data


class RecusalReplacementForm(StyledFormMixin, forms.Form):
    """Asked when a recusal is approved: who works the inspection in the member's place."""

    replacement = InspectorChoiceField(
        label=_("Replaced by"),
        queryset=Inspector.objects.none(),
        required=False,
        empty_label=_("Nobody"),
        help_text=_(
            "Someone from the pool who is on no team of this round, for this inspection only."
        ),
    )

    def __init__(self, *args: Any, recusal: Recusal, approve: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not approve:  # a refusal changes nothing: nobody to name
            del self.fields["replacement"]
            return
        people = inspector_candidate_list(org=recusal.organization)
        if recusal.member.role == TeamMember.Role.LEADER:
            people = people.filter(leader_eligible=True)
        self.fields["replacement"].queryset = people.exclude(pk=recusal.member.inspector_id)
