"""Rounds and their teams: browse for those who see rounds, build for the inspection office."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView, TemplateView

from accounts.models import Unit
from rounds.capabilities import MANAGE_ROUNDS, VIEW_ROUNDS
from rounds.forms.teams import (
    AcceptSuggestionForm,
    AssignUnitForm,
    RecusalForm,
    RoundFilterForm,
    RoundForm,
    SuggestionUnitForm,
    TeamForm,
    TeamMemberForm,
)
from rounds.models import Inspection, Round, Team, TeamMember
from rounds.selectors import teams as selectors
from rounds.selectors.inspections import inspection_all
from rounds.selectors.round_dates import plan_coverage_change_list
from rounds.services import suggestion
from rounds.services import teams as services
from rounds.taxonomy import FocusArea
from rounds.views.read_only import ReadOnlyWhenArchivedMixin
from xuncha.tenancy.views import (
    ConfirmedActionView,
    ConfirmedFormView,
    OrgViewMixin,
    ServiceFormMixin,
    ServiceFormView,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RoundListView(OrgViewMixin, ListView):
    permission = VIEW_ROUNDS
    template_name = "rounds/teams/round_list.html"
    paginate_by = 25

    @cached_property
    def filters(self) -> RoundFilterForm:
        form = RoundFilterForm(self.request.GET)
        form.is_valid()  # a bad filter value is ignored, never an error page
        return form

    def get_queryset(self) -> QuerySet[Round]:
        data = getattr(self.filters, "cleaned_data", {})
        return selectors.round_list(
            org=self.request.org,
            kind=data.get("kind") or "",
            year=data.get("year"),
            archived=self.archived,
        )

    @property
    def archived(self) -> bool:
        """``?archived=1``: archived rounds are listed too."""
        return bool(getattr(self.filters, "cleaned_data", {}).get("archived"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            kinds=Round.Kind.choices,
            years=selectors.round_years(org=self.request.org, archived=self.archived),
            kind=self.request.GET.get("kind", ""),
            year=self.request.GET.get("year", ""),
            archived=self.archived,
            can_manage=self.request.membership.has_perm(MANAGE_ROUNDS),
        )
        return context


def _initial_from(obj: Round | Team, form_class: type[forms.Form]) -> dict[str, Any]:
    """An edit form's initial data: the object's values of the form's fields."""
    return {name: getattr(obj, name) for name in form_class.base_fields}


class RoundCreateView(ServiceFormView):
    permission = MANAGE_ROUNDS
    template_name = "rounds/teams/round_form.html"
    form_class = RoundForm

    def perform(self, form: RoundForm) -> str:
        data = form.cleaned_data
        self.object = services.create_round(org=self.request.org, actor=self.request.user, **data)
        return _("Round %(name)s created.") % {"name": self.object.name}

    def get_success_url(self) -> str:
        return reverse("rounds:round_detail", args=[self.object.pk])


class RoundMixin(OrgViewMixin):
    model = Round

    @cached_property
    def round(self) -> Round:
        key = self.kwargs.get("round_pk", self.kwargs.get("pk"))
        round_ = get_object_or_404(selectors.round_all(org=self.request.org), pk=key)
        round_.organization = self.request.org  # the row matched it: no query to read it again
        return round_

    def archived_record(self) -> Round:  # for ReadOnlyWhenArchivedMixin
        return self.round


class RoundUpdateView(RoundMixin, ReadOnlyWhenArchivedMixin, ConfirmedFormView):
    """Edit a round; new dates that change which targets count as covered are confirmed
    first (the plans that lose or gain covered units)."""

    permission = MANAGE_ROUNDS
    template_name = "rounds/teams/round_form.html"
    form_class = RoundForm

    def confirm_title(self, form: RoundForm) -> str:
        return _("This change alters coverage. Save the new dates of %(name)s?") % {
            "name": self.round.name
        }

    def confirm_effects(self, form: RoundForm) -> list[StrOrPromise]:
        dates = {key: form.cleaned_data[key] for key in ("start_date", "end_date")}
        services.check_round_update(round=self.round, **dates)  # refused: no question asked
        effects: list[StrOrPromise] = []
        for change in plan_coverage_change_list(round=self.round, **dates):
            if change.lost:
                effects.append(
                    _("Plan %(plan)s loses %(count)d covered unit(s).")
                    % {"plan": change.plan_name, "count": change.lost}
                )
            if change.gained:
                effects.append(
                    _("Plan %(plan)s gains %(count)d covered unit(s).")
                    % {"plan": change.plan_name, "count": change.gained}
                )
        return effects

    def get_initial(self) -> dict[str, Any]:
        return _initial_from(self.round, RoundForm)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(round=self.round, **kwargs)

    def perform(self, form: RoundForm) -> str:
        services.update_round(round=self.round, actor=self.request.user, **form.cleaned_data)
        return _("Round %(name)s saved.") % {"name": self.round.name}

    def get_success_url(self) -> str:
        return reverse("rounds:round_detail", args=[self.round.pk])


ROUND_INSPECTIONS_PER_PAGE = 50


class _CountedPaginator(Paginator):
    """Pages ``object_list`` but asks ``count`` for the number of rows (a cheaper query)."""

    def __init__(self, object_list: Any, per_page: int, *, count: Callable[[], int]) -> None:
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count()


class RoundDetailView(RoundMixin, DetailView):
    permission = VIEW_ROUNDS
    template_name = "rounds/teams/round_detail.html"
    context_object_name = "round"

    def get_object(self, queryset: QuerySet | None = None) -> Round:
        return self.round

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["focus_labels"] = [
            FocusArea(code).label for code in self.round.focus_areas if code in FocusArea.values
        ]
        context["teams"] = selectors.round_team_rows(selectors.round_team_list(round=self.round))
        # A provincial round inspects hundreds of units: the table is paginated.
        page = _CountedPaginator(
            selectors.round_inspection_list(round=self.round),
            ROUND_INSPECTIONS_PER_PAGE,
            count=lambda: selectors.round_inspection_count(round=self.round),
        ).get_page(self.request.GET.get("page"))
        context.update(
            inspections=selectors.round_inspection_rows(page.object_list),
            page_obj=page,
            is_paginated=page.has_other_pages(),
        )
        context["can_manage"] = self.request.membership.has_perm(MANAGE_ROUNDS)
        # A round with teams or inspections is only archived, never deleted.
        context["deletable"] = not context["teams"] and not page.paginator.count
        return context


class TeamCreateView(RoundMixin, ReadOnlyWhenArchivedMixin, ServiceFormView):
    permission = MANAGE_ROUNDS
    template_name = "rounds/teams/team_form.html"
    form_class = TeamForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(round=self.round, **kwargs)

    def perform(self, form: TeamForm) -> str:
        data = form.cleaned_data
        self.object = services.create_team(round=self.round, actor=self.request.user, **data)
        return _("Team %(name)s created.") % {"name": self.object.name}

    def get_success_url(self) -> str:
        return reverse("rounds:team_detail", args=[self.object.pk])


class TeamMixin(OrgViewMixin):
    model = Team

    @cached_property
    def team(self) -> Team:
        key = self.kwargs.get("team_pk", self.kwargs.get("pk"))
        return get_object_or_404(selectors.team_all(org=self.request.org), pk=key)

    def archived_record(self) -> Round:  # for ReadOnlyWhenArchivedMixin
        return self.team.round

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(team=self.team, round=self.team.round, **kwargs)

    def get_success_url(self) -> str:
        return reverse("rounds:team_detail", args=[self.team.pk])


class TeamDetailView(TeamMixin, TemplateView):
    permission = VIEW_ROUNDS
    template_name = "rounds/teams/team_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        team = self.team
        context["members"] = members = list(selectors.team_member_list(team=team))
        context["has_leader"] = any(m.role == TeamMember.Role.LEADER for m in members)
        context["inspections"] = selectors.team_inspection_list(team=team)
        context["recusals"] = selectors.team_recusal_list(team=team)
        # An archived round's teams are read-only: no buttons to change them.
        context["can_manage"] = (
            self.request.membership.has_perm(MANAGE_ROUNDS) and not team.round.is_archived
        )
        return context


class TeamUpdateView(TeamMixin, ReadOnlyWhenArchivedMixin, ServiceFormView):
    permission = MANAGE_ROUNDS
    template_name = "rounds/teams/team_form.html"
    form_class = TeamForm

    def get_initial(self) -> dict[str, Any]:
        return _initial_from(self.team, TeamForm)

    def perform(self, form: TeamForm) -> str:
        services.update_team(team=self.team, actor=self.request.user, **form.cleaned_data)
        return _("Team %(name)s saved.") % {"name": self.team.name}


class TeamFormView(TeamMixin, ReadOnlyWhenArchivedMixin, ServiceFormView):
    """A form on one team, on the shared action page titled ``title``."""

    permission = MANAGE_ROUNDS
    template_name = "rounds/teams/action_form.html"
    title: str | Promise

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | self.form_context()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=self.title, **kwargs)

    def form_context(self) -> dict[str, Any]:
        return {"org": self.request.org}


class TeamMemberAddView(TeamFormView):
    title = gettext_lazy("Add a team member")
    form_class = TeamMemberForm

    def perform(self, form: TeamMemberForm) -> str:
        data = form.cleaned_data
        member = services.add_member(team=self.team, actor=self.request.user, **data)
        return _("%(name)s joined the team.") % {"name": member.inspector.name}


class AssignUnitView(TeamFormView):
    title = gettext_lazy("Assign a unit")
    form_class = AssignUnitForm

    def perform(self, form: AssignUnitForm) -> str:
        data = form.cleaned_data
        inspection = services.assign_unit(team=self.team, actor=self.request.user, **data)
        return _("%(unit)s assigned to the team.") % {"unit": inspection.unit.name}


class RecusalCreateView(TeamFormView):
    title = gettext_lazy("Record a recusal declaration")
    form_class = RecusalForm

    def form_context(self) -> dict[str, Any]:
        return {"team": self.team}

    def perform(self, form: RecusalForm) -> str:
        services.declare_recusal(actor=self.request.user, **form.cleaned_data)
        return _("Recusal declaration recorded.")


def _team_url(team_pk: int) -> str:
    return reverse("rounds:team_detail", args=[team_pk])


class UnassignUnitView(ConfirmedActionView):
    permission = MANAGE_ROUNDS
    model = Inspection
    confirm_button = gettext_lazy("Unassign")

    def confirm_title(self) -> str:
        return _("Take %(unit)s away from %(team)s?") % {
            "unit": self.inspection.unit,
            "team": self.inspection.team or self.inspection.round,
        }

    @cached_property
    def inspection(self) -> Inspection:
        inspection = get_object_or_404(inspection_all(org=self.request.org), pk=self.kwargs["pk"])
        self.team_pk = inspection.team_id  # the page to go back to, read before unassigning
        return inspection

    def perform(self, data: dict[str, Any]) -> str:
        services.unassign_unit(inspection=self.inspection, actor=self.request.user)
        return _("%(unit)s unassigned.") % {"unit": self.inspection.unit}

    def get_success_url(self) -> str:
        if self.team_pk is None:
            return reverse("rounds:round_detail", args=[self.inspection.round_id])
        return _team_url(self.team_pk)


class TeamSuggestView(TeamMixin, ServiceFormMixin, TemplateView):
    """GET ?unit=<id>: a proposed team to tick and edit; POST: accept the ticked people with
    their roles and assign the unit, all or nothing."""

    permission = MANAGE_ROUNDS
    template_name = "rounds/teams/suggest.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = SuggestionUnitForm(request.GET or None, org=request.org)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(unit_form=form))
        return self._show(form.cleaned_data["unit"], unit_form=form)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = AcceptSuggestionForm(request.POST, org=request.org)
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def perform(self, form: AcceptSuggestionForm) -> str:
        data = form.cleaned_data
        suggestion.accept_proposal(
            team=self.team, actor=self.request.user, unit=data["unit"], picks=data["picks"]
        )
        return _("Team accepted and unit assigned.")

    def form_invalid(self, form: AcceptSuggestionForm) -> HttpResponse:
        if "unit" not in form.cleaned_data:
            unit_form = SuggestionUnitForm(org=self.request.org)
            context = self.get_context_data(unit_form=unit_form, accept_form=form)
            return self.render_to_response(context, status=400)
        return self._show(form.cleaned_data["unit"], accept_form=form, status=400)

    def _show(
        self,
        unit: Unit,
        *,
        unit_form: SuggestionUnitForm | None = None,
        accept_form: AcceptSuggestionForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        self.team.organization = self.request.org  # the row matched it: no query to read it
        proposal = suggestion.suggest_team(team=self.team, unit=unit)
        submitted = accept_form.data if accept_form is not None else None
        rows = [
            {
                "inspector": inspector,
                "role": submitted.get(f"role_{inspector.pk}", role) if submitted else role,
                "checked": str(inspector.pk) in submitted.getlist("inspectors")
                if submitted
                else True,
            }
            for inspector, role in proposal.picks
        ]
        context = self.get_context_data(
            proposal=proposal,
            rows=rows,
            unit=unit,
            roles=TeamMember.Role.choices,
            unit_form=unit_form or SuggestionUnitForm(initial={"unit": unit}, org=self.request.org),
            accept_form=accept_form,
        )
        return self.render_to_response(context, status=status)
