"""The unit tree: browse for everyone who may see units; edit for tenant administrators."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from accounts import services
from accounts.errors import DomainError
from accounts.forms import UnitCreateForm, UnitForm, UnitMoveForm
from accounts.models import Unit
from accounts.roles import MANAGE_UNITS
from accounts.selectors import unit_tree, units_visible_to
from xuncha.tenancy.views import OrgViewMixin


class UnitTreeView(OrgViewMixin, ListView):
    permission = None
    template_name = "accounts/unit_tree.html"
    paginate_by = 200

    def get_queryset(self) -> QuerySet[Unit]:
        return units_visible_to(
            org=self.request.org,
            membership=self.request.membership,
            search=self.request.GET.get("q", "").strip(),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_manage"] = self.request.membership.has_perm(MANAGE_UNITS)
        context["q"] = self.request.GET.get("q", "")
        return context


class UnitDetailView(OrgViewMixin, DetailView):
    permission = None
    template_name = "accounts/unit_detail.html"
    model = Unit
    context_object_name = "unit"

    def get_queryset(self) -> QuerySet[Unit]:
        return units_visible_to(org=self.request.org, membership=self.request.membership)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        unit = self.object
        ancestor_ids = [int(part) for part in unit.path.strip("/").split("/")[:-1]]
        context["ancestors"] = self.get_queryset().filter(pk__in=ancestor_ids).order_by("depth")
        context["children"] = self.get_queryset().filter(parent=unit).order_by("path")
        context["can_manage"] = self.request.membership.has_perm(MANAGE_UNITS)
        # Counted among visible units only: a liaison must not learn about units not granted.
        context["subtree_size"] = self.get_queryset().filter(path__startswith=unit.path).count()
        return context


class ManagedUnitMixin(OrgViewMixin):
    permission = MANAGE_UNITS
    model = Unit

    @cached_property
    def unit(self) -> Unit:
        return get_object_or_404(unit_tree(org=self.request.org), pk=self.kwargs["pk"])


class UnitCreateView(OrgViewMixin, FormView):
    permission = MANAGE_UNITS
    template_name = "accounts/unit_form.html"
    form_class = UnitCreateForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["org"] = self.request.org
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        parent = self.request.GET.get("parent", "")
        return {"parent": parent} if parent.isdigit() else {}

    def form_valid(self, form: UnitCreateForm) -> HttpResponse:
        try:
            unit = services.create_unit(
                org=self.request.org, actor=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Unit %(name)s created.") % {"name": unit.name})
        return redirect("accounts:unit_detail", pk=unit.pk)


class UnitUpdateView(ManagedUnitMixin, FormView):
    template_name = "accounts/unit_form.html"
    form_class = UnitForm

    def get_initial(self) -> dict[str, Any]:
        return {"name": self.unit.name, "code": self.unit.code, "kind": self.unit.kind}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(unit=self.unit, **kwargs)

    def form_valid(self, form: UnitForm) -> HttpResponse:
        try:
            services.update_unit(unit=self.unit, actor=self.request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Unit %(name)s saved.") % {"name": self.unit.name})
        return redirect("accounts:unit_detail", pk=self.unit.pk)


class UnitMoveView(ManagedUnitMixin, FormView):
    template_name = "accounts/unit_move.html"
    form_class = UnitMoveForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(org=self.request.org, unit=self.unit)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"parent": self.unit.parent_id}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(unit=self.unit, **kwargs)

    def form_valid(self, form: UnitMoveForm) -> HttpResponse:
        try:
            services.move_unit(
                unit=self.unit, actor=self.request.user, new_parent=form.cleaned_data["parent"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Unit %(name)s moved.") % {"name": self.unit.name})
        return redirect("accounts:unit_detail", pk=self.unit.pk)


class UnitActivationView(ManagedUnitMixin, View):
    """POST only: deactivate (with its sub-units) or reactivate a unit."""

    activate: bool = False

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            if self.activate:
                services.reactivate_unit(unit=self.unit, actor=request.user)
                messages.success(request, _("Unit %(name)s reactivated.") % {"name": self.unit})
            else:
                count = services.deactivate_unit(unit=self.unit, actor=request.user)
                messages.success(request, _("%(count)d unit(s) deactivated.") % {"count": count})
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("accounts:unit_detail", pk=self.unit.pk)
