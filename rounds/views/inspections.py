"""Inspection pages: the list, the detail page with its timeline, stage moves, the schedule,
tenant settings, preparation intelligence, work plan, tasks, milestones, problems, look-backs.

Every page declares a capability and reaches its inspection through
``rounds.permissions.inspections_viewable`` (another tenant's or another team's inspection is a
404); working on it or managing it is asked of ``rounds.permissions.can`` (403 otherwise)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from accounts.errors import DomainError
from rounds.capabilities import (
    CLOSE_INSPECTIONS,
    MANAGE_INSPECTION_SETTINGS,
    MANAGE_INSPECTIONS,
    VIEW_INSPECTIONS,
)
from rounds.forms import inspections as forms
from rounds.gates import unmet_gates
from rounds.models import Inspection, Milestone, StagePlan
from rounds.permissions import Action, can, can_move_to, inspections_viewable
from rounds.selectors.inspection_detail import (
    inspection_detail,
    inspection_member_list,
    inspection_part_list,
    work_task_list,
)
from rounds.selectors.inspections import inspection_list, inspection_rows, inspection_settings
from rounds.selectors.teams import round_filter_choices, round_look_back_list
from rounds.services import inspections as services
from rounds.services import lifecycle
from rounds.services.closed import closed_message, reopen_inspection
from rounds.taxonomy import Stage
from rounds.workspace import section_links
from xuncha.tenancy.views import (
    ConfirmationMixin,
    OrgViewMixin,
    ServiceActionMixin,
    ServiceFormMixin,
    ServiceFormView,
)


def _detail_url(inspection: Inspection, anchor: str = "") -> str:
    url = reverse("rounds:inspection_detail", args=[inspection.pk])
    return f"{url}#{anchor}" if anchor else url


def _work_plan_url(inspection: Inspection) -> str:
    return reverse("rounds:inspection_workplan", args=[inspection.pk])


def _chosen_request(request: HttpRequest) -> dict[str, int]:
    """Initial ``request`` field from ``?request=<pk>`` (the link of one intelligence request);
    the form still limits the choice to the inspection's own requests."""
    request_pk = request.GET.get("request", "")
    return {"request": int(request_pk)} if request_pk.isdigit() else {}


class InspectionAccessMixin:
    """Resolves ``self.inspection`` (after OrgViewMixin's checks) and enforces ``access``:
    "view" (anyone who sees it), "work" (its team and managers), "manage", or, for the pages
    of confidential records, "team" (reading them, closed or not) and "team_work" (changing
    them): its team only (``Action.TEAM``), and anybody else is told 404."""

    permission: str = VIEW_INSPECTIONS
    access = "view"
    inspection_kwarg = "pk"
    open_when_closed = False  # the one page that acts on a closed inspection: reopening it
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not hasattr(self, request.method.lower()):
            return self.http_method_not_allowed(request, *args, **kwargs)  # type: ignore[attr-defined]
        membership = request.membership
        visible = inspections_viewable(membership)
        self.inspection: Inspection = get_object_or_404(visible, pk=kwargs[self.inspection_kwarg])
        self.inspection.organization = request.org  # the row matched it: no join to read it again
        self.can_manage = can(membership, Action.MANAGE, self.inspection)
        self.can_work = self.can_manage or can(membership, Action.WORK, self.inspection)
        if self.access in {"team", "team_work"}:
            if not can(membership, Action.TEAM, self.inspection):
                raise Http404
        elif not {"view": True, "work": self.can_work, "manage": self.can_manage}[self.access]:
            raise PermissionDenied
        self.is_closed = self.inspection.stage == Stage.CLOSED
        if self.is_closed:
            # A closed inspection's record is read-only for everyone: its pages show no edit
            # controls, and its edit pages and actions send back to it (the services refuse too).
            self.can_manage = self.can_work = False
            if self.access not in {"view", "team"} and not self.open_when_closed:
                messages.error(request, closed_message(self.inspection))
                return redirect(_detail_url(self.inspection))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["inspection"] = self.inspection
        context["is_closed"] = self.is_closed
        return context


class InspectionListView(OrgViewMixin, ListView):
    permission = VIEW_INSPECTIONS
    template_name = "rounds/inspections/list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Inspection, int]:
        """The keys only: the page's rows are loaded for its page alone (``inspection_rows``)."""
        params = self.request.GET
        round_id = params.get("round", "")
        return inspection_list(
            org=self.request.org,
            membership=self.request.membership,
            round_id=int(round_id) if round_id.isdigit() else None,
            stage=params.get("stage", ""),
            search=params.get("q", "").strip(),
        ).values_list("pk", flat=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        round_id = self.request.GET.get("round", "")
        context.update(
            rows=inspection_rows(org=self.request.org, ids=list(context["object_list"])),
            rounds=round_filter_choices(
                org=self.request.org,
                membership=self.request.membership,
                archived=self.request.GET.get("archived") == "1",
                selected=int(round_id) if round_id.isdigit() else None,
            ),
            stages=Stage.choices,
            can_edit_settings=self.request.membership.has_perm(MANAGE_INSPECTION_SETTINGS),
        )
        return context


class InspectionDetailView(OrgViewMixin, InspectionAccessMixin, TemplateView):
    model = Inspection
    template_name = "rounds/inspections/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        inspection, membership = self.inspection, self.request.membership
        upcoming = inspection.next_stage
        context.update(
            detail=inspection_detail(inspection=inspection),
            can_manage=self.can_manage,
            can_work=self.can_work,
            can_advance=upcoming is not None and can_move_to(membership, inspection, upcoming),
            advance_form=forms.AdvanceForm(),
            stage_count=len(Stage.values) - 1,
            can_reopen=self.is_closed and membership.has_perm(CLOSE_INSPECTIONS),
            onsite_sections=section_links(membership, inspection),
        )
        if inspection.stage == Stage.CLOSED and membership.has_perm(MANAGE_INSPECTIONS):
            rounds = round_look_back_list(org=self.request.org)
            context["look_back_form"] = forms.LookBackForm(rounds=rounds)
        return context


class InspectionAdvanceView(OrgViewMixin, InspectionAccessMixin, ConfirmationMixin, View):
    """POST only: move the inspection to ``to_stage``; the lifecycle service decides. Closing
    (销号) cannot be undone by its author: it asks for confirmation first."""

    model = Inspection
    form_class = forms.AdvanceForm
    invalid_message = gettext_lazy("Choose the stage to move to.")
    confirm_button = gettext_lazy("Close the inspection")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("to_stage") != Stage.CLOSED:
            return ServiceActionMixin.post(self, request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def check_allowed(self) -> None:
        unmet = unmet_gates(self.inspection, Stage.CLOSED)
        if unmet and not self.cleaned_data()["exception"]:
            raise DomainError(" ".join(unmet))

    def confirm_title(self) -> str:
        return _("Close the inspection of %(unit)s?") % {"unit": self.inspection.unit}

    def confirm_effects(self) -> list[str]:
        return [
            _(
                "Its record becomes read-only for everyone; only the leadership group can "
                "reopen it, giving a reason."
            )
        ]

    def cleaned_data(self) -> dict[str, Any]:
        form = forms.AdvanceForm(**self.get_form_kwargs())
        if not form.is_valid() and "effective_on" in form.errors:  # not a date: say so
            error = form.errors["effective_on"][0]
            label = form["effective_on"].label
            raise DomainError(_("%(field)s: %(error)s") % {"field": label, "error": error})
        return super().cleaned_data()

    def perform(self, data: dict[str, Any]) -> str:
        lifecycle.advance(
            inspection=self.inspection,
            actor=self.request.user,
            to_stage=data["to_stage"],
            reason=data["reason"],
            exception=data["exception"],
            effective_on=data["effective_on"],
        )
        stage = self.inspection.get_stage_display()
        return _("The inspection moved to “%(stage)s”.") % {"stage": stage}

    def get_success_url(self) -> str:
        return _detail_url(self.inspection, "timeline")


class InspectionFormView(OrgViewMixin, InspectionAccessMixin, ServiceFormMixin, FormView):
    """A form about one inspection that calls one service (``perform``), then returns to the
    detail page."""

    access = "manage"
    template_name = "rounds/inspections/form.html"
    title = ""
    anchor = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=self.title, **kwargs)

    def get_success_url(self) -> str:
        return _detail_url(self.inspection, self.anchor)


class InspectionScheduleView(InspectionFormView):
    model = Inspection
    template_name = "rounds/inspections/schedule.html"
    form_class = forms.ScheduleForm
    title = gettext_lazy("Schedule")
    anchor = "schedule"

    def get_initial(self) -> dict[str, Any]:
        defaults = forms.ScheduleDefaultsForm(self.request.GET or None)
        if defaults.is_valid():
            settings = inspection_settings(org=self.request.org)
            start = defaults.cleaned_data["defaults_from"]
            dates = services.default_schedule(settings=settings, start=start).items()
        else:
            plans = inspection_part_list(StagePlan, self.inspection)
            dates = ((plan.stage, (plan.planned_start, plan.planned_end)) for plan in plans)
        initial = {}
        for stage, (start, end) in dates:
            initial[f"{stage}_start"], initial[f"{stage}_end"] = start, end
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        defaults = forms.ScheduleDefaultsForm(self.request.GET or None)
        return super().get_context_data(defaults_form=defaults, **kwargs)

    def perform(self, form: forms.ScheduleForm) -> str:
        services.save_schedule(
            inspection=self.inspection, actor=self.request.user, dates=form.dates()
        )
        return _("Schedule saved.")


class InspectionSettingsView(ServiceFormView):
    permission = MANAGE_INSPECTION_SETTINGS
    template_name = "rounds/inspections/settings.html"
    form_class = forms.InspectionSettingsForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = inspection_settings(org=self.request.org)
        return kwargs

    def perform(self, form: forms.InspectionSettingsForm) -> str:
        services.update_inspection_settings(
            org=self.request.org, actor=self.request.user, **form.cleaned_data
        )
        return _("Inspection settings saved.")

    def get_success_url(self) -> str:
        return reverse("rounds:inspection_settings")


class WorkPlanView(InspectionFormView):
    model = Inspection
    template_name = "rounds/inspections/workplan.html"
    form_class = forms.WorkPlanForm
    title = gettext_lazy("Work plan")

    def get_initial(self) -> dict[str, Any]:
        inspection = self.inspection
        return {
            "focus_areas": inspection.focus_areas or inspection.round.focus_areas,
            "work_plan": inspection.work_plan,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            members=inspection_member_list(inspection=self.inspection),
            tasks=work_task_list(inspection=self.inspection),
            milestones=inspection_part_list(Milestone, self.inspection),
            today=timezone.localdate(),
            **kwargs,
        )

    def perform(self, form: Form) -> str:
        services.save_work_plan(
            inspection=self.inspection, actor=self.request.user, **form.cleaned_data
        )
        return _("Work plan saved.")

    def get_success_url(self) -> str:
        return _work_plan_url(self.inspection)


class WorkPlanPartCreateView(InspectionFormView):
    """A task or milestone added from the work plan page, which it returns to."""

    inspection_kwarg = "inspection_pk"

    def get_success_url(self) -> str:
        return _work_plan_url(self.inspection)


class TaskCreateView(WorkPlanPartCreateView):
    form_class = forms.TaskForm
    title = gettext_lazy("New task")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "inspection": self.inspection}

    def perform(self, form: Form) -> str:
        services.add_task(inspection=self.inspection, actor=self.request.user, **form.cleaned_data)
        return _("Saved.")


class MilestoneCreateView(WorkPlanPartCreateView):
    form_class = forms.MilestoneForm
    title = gettext_lazy("New milestone")

    def perform(self, form: Form) -> str:
        services.add_milestone(
            inspection=self.inspection, actor=self.request.user, **form.cleaned_data
        )
        return _("Saved.")


class InspectionActionView(OrgViewMixin, InspectionAccessMixin, ServiceActionMixin, View):
    """POST only: one small action on a row of the inspection, chosen in the form among the
    inspection's own rows; back to ``back`` with a success or error message."""

    access = "manage"
    model = Inspection
    back = "rounds:inspection_workplan"
    invalid_message = gettext_lazy("Choose a row and enter valid values.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "inspection": self.inspection}

    def get_success_url(self) -> str:
        return reverse(self.back, args=[self.inspection.pk])


class TaskRemoveView(ConfirmationMixin, InspectionActionView):
    form_class = forms.TaskRemoveForm
    confirm_button = gettext_lazy("Remove")

    def confirm_title(self) -> str:
        task = self.cleaned_data()["task"]
        return _("Remove the task “%(task)s”?") % {"task": task.description}

    def perform(self, data: dict[str, Any]) -> str:
        services.remove_task(task=data["task"], actor=self.request.user)
        return _("Task removed.")


class MilestoneDoneView(InspectionActionView):
    form_class = forms.MilestoneDoneForm

    def perform(self, data: dict[str, Any]) -> str:
        services.mark_milestone_done(
            milestone=data["milestone"], actor=self.request.user, done_on=data["done_on"]
        )
        return _("Milestone marked done.")


class IntelligenceRequestCreateView(InspectionFormView):
    inspection_kwarg = "inspection_pk"
    form_class = forms.IntelligenceRequestForm
    title = gettext_lazy("New intelligence request")
    anchor = "preparation"

    def perform(self, form: Form) -> str:
        services.add_intelligence_request(
            inspection=self.inspection, actor=self.request.user, **form.cleaned_data
        )
        return _("Saved.")


class IntelligenceAnswerView(InspectionFormView):
    inspection_kwarg = "inspection_pk"
    form_class = forms.IntelligenceAnswerForm
    title = gettext_lazy("Record an answer")
    anchor = "preparation"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "inspection": self.inspection}

    def get_initial(self) -> dict[str, Any]:
        return {"answered_on": timezone.localdate(), **_chosen_request(self.request)}

    def perform(self, form: Form) -> str:
        services.answer_intelligence_request(
            request=form.cleaned_data["request"],
            actor=self.request.user,
            answered_on=form.cleaned_data["answered_on"],
        )
        return _("Saved.")


class IntelligenceItemCreateView(InspectionFormView):
    inspection_kwarg = "inspection_pk"
    form_class = forms.IntelligenceItemForm
    title = gettext_lazy("New intelligence item")
    anchor = "preparation"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "inspection": self.inspection}

    def get_initial(self) -> dict[str, Any]:
        return _chosen_request(self.request)

    def perform(self, form: Form) -> str:
        services.add_intelligence_item(
            inspection=self.inspection, actor=self.request.user, **form.cleaned_data
        )
        return _("Saved.")


class ProblemCreateView(InspectionFormView):
    access = "work"
    inspection_kwarg = "inspection_pk"
    form_class = forms.ProblemForm
    title = gettext_lazy("New problem")
    anchor = "problems"

    def perform(self, form: Form) -> str:
        services.add_problem(
            inspection=self.inspection, actor=self.request.user, **form.cleaned_data
        )
        return _("Saved.")


class ProblemRecheckView(InspectionActionView):
    access = "work"
    form_class = forms.RecheckForm
    back = "rounds:inspection_detail"
    invalid_message = gettext_lazy("Choose whether the problem was resolved or recurred.")

    def perform(self, data: dict[str, Any]) -> str:
        services.recheck_problem(
            problem=data["problem"], actor=self.request.user, result=data["result"]
        )
        return _("Re-check recorded.")


class LookBackCreateView(OrgViewMixin, InspectionAccessMixin, ServiceActionMixin, View):
    """POST only: create a look-back inspection of this closed one in a look-back round."""

    permission = MANAGE_INSPECTIONS
    model = Inspection
    form_class = forms.LookBackForm
    invalid_message = gettext_lazy("Choose a look-back round.")

    def get_form_kwargs(self) -> dict[str, Any]:
        rounds = round_look_back_list(org=self.request.org)
        return {**super().get_form_kwargs(), "rounds": rounds}

    def perform(self, data: dict[str, Any]) -> str:
        self.look_back = services.create_look_back(
            inspection=self.inspection, actor=self.request.user, target_round=data["round"]
        )
        return _("Look-back inspection created.")

    def get_success_url(self) -> str:
        return _detail_url(self.look_back)

    def get_failure_url(self) -> str:
        return _detail_url(self.inspection)


class InspectionReopenView(OrgViewMixin, InspectionAccessMixin, ConfirmationMixin, View):
    """Leadership reopens a closed inspection, giving a reason (on the timeline)."""

    permission = CLOSE_INSPECTIONS
    model = Inspection
    open_when_closed = True
    confirm_button = gettext_lazy("Reopen")
    reason_label = gettext_lazy("Why is the inspection reopened?")

    def confirm_title(self) -> str:
        return _("Reopen the closed inspection of %(unit)s?") % {"unit": self.inspection.unit}

    def confirm_effects(self) -> list[str]:
        return [
            _("It goes back to acceptance: its record can be changed again until it is closed.")
        ]

    def perform(self, data: dict[str, Any]) -> str:
        reopen_inspection(
            inspection=self.inspection, actor=self.request.user, reason=data["reason"]
        )
        return _("The inspection was reopened.")

    def get_success_url(self) -> str:
        return _detail_url(self.inspection)
