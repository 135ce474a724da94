"""Coverage plans (巡察规划) and extension visits (延伸巡察)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from accounts.errors import DomainError
from accounts.roles import MANAGE_PLANS, VIEW_PLANS
from rounds.forms.coverage import ExtensionVisitForm, PlanForm, TargetAddForm
from rounds.models import CoveragePlan, CoverageTarget, ExtensionVisit, Inspection
from rounds.selectors import coverage as selectors
from rounds.selectors.inspections import can_manage_inspection, inspections_visible_to
from rounds.services import coverage as services
from xuncha.tenancy.views import OrgViewMixin

MAX_SUGGESTIONS = 100


class PlanListView(OrgViewMixin, ListView):
    permission = VIEW_PLANS
    template_name = "rounds/coverage/plan_list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[CoveragePlan]:
        search = self.request.GET.get("q", "").strip()
        return selectors.plan_list(org=self.request.org, search=search)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            can_manage=self.request.membership.has_perm(MANAGE_PLANS),
            **kwargs,
        )


class PlanMixin(OrgViewMixin):
    model = CoveragePlan

    @cached_property
    def plan(self) -> CoveragePlan:
        return get_object_or_404(selectors.plans(org=self.request.org), pk=self.kwargs["pk"])


class PlanCreateView(OrgViewMixin, FormView):
    permission = MANAGE_PLANS
    template_name = "rounds/coverage/plan_form.html"
    form_class = PlanForm

    def form_valid(self, form: PlanForm) -> HttpResponse:
        try:
            plan = services.create_plan(
                org=self.request.org, actor=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Plan %(name)s created.") % {"name": plan.name})
        return redirect("rounds:plan_detail", pk=plan.pk)


class PlanUpdateView(PlanMixin, FormView):
    permission = MANAGE_PLANS
    template_name = "rounds/coverage/plan_form.html"
    form_class = PlanForm

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.plan, name) for name in PlanForm.base_fields}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(plan=self.plan, **kwargs)

    def form_valid(self, form: PlanForm) -> HttpResponse:
        try:
            plan = services.update_plan(
                plan=self.plan, actor=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Plan %(name)s saved.") % {"name": plan.name})
        return redirect("rounds:plan_detail", pk=plan.pk)


class PlanDetailView(PlanMixin, ListView):
    """The plan's figures, the suggestion for the next round, and its targets (paginated)."""

    permission = VIEW_PLANS
    template_name = "rounds/coverage/plan_detail.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[CoverageTarget]:
        params = self.request.GET
        return selectors.plan_targets(
            org=self.request.org,
            plan=self.plan,
            status=params.get("status", ""),
            search=params.get("q", "").strip(),
        )

    def _suggestion_limit(self) -> int:
        wanted = self.request.GET.get("suggest", "")
        if not wanted.isdigit():
            return selectors.DEFAULT_SUGGESTIONS
        return min(int(wanted), MAX_SUGGESTIONS)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        org, plan = self.request.org, self.plan
        can_manage = self.request.membership.has_perm(MANAGE_PLANS)
        limit = self._suggestion_limit()
        context.update(
            plan=plan,
            targets=selectors.attach_evidence(
                org=org, plan=plan, targets=list(context["object_list"])
            ),
            figures=selectors.plan_figures(org=org, plan=plan, today=timezone.localdate()),
            suggestions=selectors.suggested_targets(org=org, plan=plan, limit=limit),
            suggest=limit,
            can_manage=can_manage,
            add_form=TargetAddForm(org=org, plan=plan) if can_manage else None,
        )
        return context


class TargetAddView(PlanMixin, FormView):
    """Add a unit, or a whole subtree, to the plan's targets."""

    permission = MANAGE_PLANS
    template_name = "rounds/coverage/target_form.html"
    form_class = TargetAddForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "org": self.request.org, "plan": self.plan}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(plan=self.plan, **kwargs)

    def form_valid(self, form: TargetAddForm) -> HttpResponse:
        try:
            added = services.add_targets(
                plan=self.plan, actor=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("%(count)d unit(s) added.") % {"count": added})
        return redirect("rounds:plan_detail", pk=self.plan.pk)


class TargetRemoveView(OrgViewMixin, View):
    """POST only: take a unit out of the plan's targets."""

    permission = MANAGE_PLANS
    model = CoverageTarget

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        target = get_object_or_404(selectors.coverage_targets(org=request.org), pk=pk)
        services.remove_target(target=target, actor=request.user)
        messages.success(request, _("%(name)s removed from the plan.") % {"name": target.unit})
        return redirect("rounds:plan_detail", pk=target.plan_id)


class InspectionVisitsMixin(OrgViewMixin):
    """Extension visits hang off an inspection the member can see (404 otherwise)."""

    permission = None  # whoever sees the inspection; managing is checked per inspection

    @cached_property
    def inspection(self) -> Inspection:
        visible = inspections_visible_to(org=self.request.org, membership=self.request.membership)
        return get_object_or_404(visible, pk=self.kwargs["inspection_pk"])

    @cached_property
    def can_manage(self) -> bool:
        return can_manage_inspection(membership=self.request.membership, inspection=self.inspection)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            inspection=self.inspection, can_manage=self.can_manage, **kwargs
        )


class ExtensionVisitListView(InspectionVisitsMixin, ListView):
    template_name = "rounds/coverage/extension_visit_list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[ExtensionVisit]:
        return selectors.extension_visits(org=self.request.org, inspection=self.inspection)


class ExtensionVisitCreateView(InspectionVisitsMixin, FormView):
    """Record a sub-unit visited by the team: office staff or the inspection's team leader."""

    template_name = "rounds/coverage/extension_visit_form.html"
    form_class = ExtensionVisitForm

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self._check_can_manage()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self._check_can_manage()
        return super().post(request, *args, **kwargs)

    def _check_can_manage(self) -> None:
        if not self.can_manage:
            raise PermissionDenied

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "org": self.request.org,
            "inspection": self.inspection,
        }

    def form_valid(self, form: ExtensionVisitForm) -> HttpResponse:
        try:
            services.record_extension_visit(
                inspection=self.inspection, actor=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Extension visit recorded."))
        return redirect("rounds:extension_visit_list", inspection_pk=self.inspection.pk)
