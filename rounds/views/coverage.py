"""Coverage plans (巡察规划) and extension visits (延伸巡察)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from rounds.capabilities import MANAGE_PLANS, VIEW_PLANS
from rounds.forms.coverage import ExtensionVisitForm, PlanForm, TargetAddForm
from rounds.models import CoveragePlan, CoverageTarget, ExtensionVisit
from rounds.selectors import coverage as selectors
from rounds.services import coverage as services
from rounds.services.archive import check_plan_editable
from rounds.views.inspections import InspectionAccessMixin
from rounds.views.read_only import ReadOnlyWhenArchivedMixin
from xuncha.tenancy.views import ConfirmedActionView, OrgViewMixin, ServiceFormView

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_SUGGESTIONS = 100


class PlanListView(OrgViewMixin, ListView):
    permission = VIEW_PLANS
    template_name = "rounds/coverage/plan_list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[CoveragePlan]:
        search = self.request.GET.get("q", "").strip()
        return selectors.plan_list(org=self.request.org, search=search, archived=self.archived)

    @property
    def archived(self) -> bool:
        """``?archived=1``: archived plans are listed too."""
        return self.request.GET.get("archived") == "1"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            can_manage=self.request.membership.has_perm(MANAGE_PLANS),
            archived=self.archived,
            **kwargs,
        )


class PlanMixin(OrgViewMixin):
    model = CoveragePlan

    @cached_property
    def plan(self) -> CoveragePlan:
        return get_object_or_404(selectors.plan_all(org=self.request.org), pk=self.kwargs["pk"])

    def archived_record(self) -> CoveragePlan:  # for ReadOnlyWhenArchivedMixin
        return self.plan


def _plan_url(plan: CoveragePlan) -> str:
    return reverse("rounds:plan_detail", args=[plan.pk])


class PlanCreateView(ServiceFormView):
    permission = MANAGE_PLANS
    template_name = "rounds/coverage/plan_form.html"
    form_class = PlanForm

    def perform(self, form: PlanForm) -> str:
        self.object = services.create_plan(
            org=self.request.org, actor=self.request.user, **form.cleaned_data
        )
        return _("Plan %(name)s created.") % {"name": self.object.name}

    def get_success_url(self) -> str:
        return _plan_url(self.object)


class PlanUpdateView(PlanMixin, ReadOnlyWhenArchivedMixin, ServiceFormView):
    permission = MANAGE_PLANS
    template_name = "rounds/coverage/plan_form.html"
    form_class = PlanForm

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.plan, name) for name in PlanForm.base_fields}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(plan=self.plan, **kwargs)

    def perform(self, form: PlanForm) -> str:
        plan = services.update_plan(plan=self.plan, actor=self.request.user, **form.cleaned_data)
        return _("Plan %(name)s saved.") % {"name": plan.name}

    def get_success_url(self) -> str:
        return _plan_url(self.plan)


class PlanDetailView(PlanMixin, ListView):
    """The plan's figures, the suggestion for the next round, and its targets (paginated)."""

    permission = VIEW_PLANS
    template_name = "rounds/coverage/plan_detail.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[CoverageTarget]:
        params = self.request.GET
        return selectors.plan_target_list(
            org=self.request.org,
            plan=self.plan,
            status=params.get("status", ""),
            search=params.get("q", "").strip(),
        )

    @cached_property
    def figures(self) -> selectors.PlanFigures:
        return selectors.plan_figures(
            org=self.request.org, plan=self.plan, today=timezone.localdate()
        )

    def get_paginator(self, queryset: Any, per_page: int, *args: Any, **kwargs: Any) -> Any:
        """The figures already counted the targets (covered or not): no count query, unless a
        search narrows the list."""
        paginator = super().get_paginator(queryset, per_page, *args, **kwargs)
        if not self.request.GET.get("q", "").strip():
            status = self.request.GET.get("status", "")
            paginator.count = {  # Paginator.count is a cached property: set, it is not queried
                "covered": self.figures.covered,
                "uncovered": self.figures.uncovered,
            }.get(status, self.figures.total)
        return paginator

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
        targets = selectors.plan_target_evidence(
            org=org, plan=plan, targets=list(context["object_list"])
        )
        context.update(
            plan=plan,
            targets=targets,
            rows=selectors.plan_target_rows(targets),
            figures=self.figures,
            suggestions=selectors.plan_suggestions(org=org, plan=plan, limit=limit),
            suggest=limit,
            can_manage=can_manage,
            can_edit=can_manage and not plan.is_archived,
            deletable=self.figures.total == 0,  # a plan with targets is only archived
        )
        return context


class TargetAddView(PlanMixin, ReadOnlyWhenArchivedMixin, ServiceFormView):
    """Add a unit, or a whole subtree, to the plan's targets."""

    permission = MANAGE_PLANS
    template_name = "rounds/coverage/target_form.html"
    form_class = TargetAddForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "org": self.request.org, "plan": self.plan}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(plan=self.plan, **kwargs)

    def perform(self, form: TargetAddForm) -> str:
        added = services.add_targets(plan=self.plan, actor=self.request.user, **form.cleaned_data)
        return _("%(count)d unit(s) added.") % {"count": added}

    def get_success_url(self) -> str:
        return _plan_url(self.plan)


class TargetRemoveView(ConfirmedActionView):
    """Take a unit out of the plan's targets, once confirmed."""

    permission = MANAGE_PLANS
    model = CoverageTarget
    confirm_button = gettext_lazy("Remove")

    def confirm_title(self) -> str:
        return _("Remove %(unit)s from the plan %(plan)s?") % {
            "unit": self.target.unit,
            "plan": self.target.plan,
        }

    def check_allowed(self) -> None:
        check_plan_editable(self.target.plan)

    def confirm_effects(self) -> list[StrOrPromise]:
        effects: list[StrOrPromise] = [
            _("The plan's coverage figures and suggestion are counted without it.")
        ]
        if self.target.covered:
            effects.append(_("Its coverage no longer counts towards the plan."))
        return effects

    @cached_property
    def target(self) -> CoverageTarget:
        targets = selectors.coverage_target_all(org=self.request.org)
        return get_object_or_404(targets, pk=self.kwargs["pk"])

    def perform(self, data: dict[str, Any]) -> str:
        services.remove_target(target=self.target, actor=self.request.user)
        return _("%(name)s removed from the plan.") % {"name": self.target.unit}

    def get_success_url(self) -> str:
        return reverse("rounds:plan_detail", args=[self.target.plan_id])


class InspectionVisitsMixin(OrgViewMixin, InspectionAccessMixin):
    """Extension visits hang off an inspection the member can see (404 otherwise), resolved and
    checked by the inspection pages' own ``InspectionAccessMixin``."""

    inspection_kwarg = "inspection_pk"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(can_manage=self.can_manage, **kwargs)


class ExtensionVisitListView(InspectionVisitsMixin, ListView):
    template_name = "rounds/coverage/extension_visit_list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[ExtensionVisit]:
        return selectors.extension_visit_list(org=self.request.org, inspection=self.inspection)


class ExtensionVisitCreateView(InspectionVisitsMixin, ServiceFormView):
    """Record a sub-unit visited by the team: office staff or the inspection's team leader."""

    template_name = "rounds/coverage/extension_visit_form.html"
    form_class = ExtensionVisitForm
    access = "manage"  # office staff or the team's leader and deputies (403 otherwise)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "org": self.request.org,
            "inspection": self.inspection,
        }

    def perform(self, form: ExtensionVisitForm) -> str:
        services.record_extension_visit(
            inspection=self.inspection, actor=self.request.user, **form.cleaned_data
        )
        return _("Extension visit recorded.")

    def get_success_url(self) -> str:
        return reverse("rounds:extension_visit_list", args=[self.inspection.pk])
