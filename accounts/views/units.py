"""The unit tree: browse for everyone who may see units; edit for tenant administrators."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import DetailView, ListView

from accounts import services, unit_hooks
from accounts.forms import UnitCreateForm, UnitForm, UnitMoveForm
from accounts.models import Unit
from accounts.roles import MANAGE_UNITS
from accounts.selectors import (
    unit_subtree,
    unit_tree,
    unit_tree_display,
    unit_tree_rows,
    unit_visible_list,
)
from accounts.widgets import LIMIT
from xuncha.tenancy.views import ConfirmationMixin, OrgViewMixin, ServiceFormView

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class UnitTreeView(OrgViewMixin, ListView):
    permission = None
    template_name = "accounts/unit_tree.html"
    paginate_by = 200

    def get_queryset(self) -> QuerySet[Unit, Any]:
        units = unit_visible_list(
            org=self.request.org,
            membership=self.request.membership,
            search=self.request.GET.get("q", "").strip(),
        )
        return unit_tree_rows(units)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        indented = not self.request.GET.get("q", "")
        context["object_list"] = unit_tree_display(context["object_list"], indented=indented)
        context["can_manage"] = self.request.membership.has_perm(MANAGE_UNITS)
        context["q"] = self.request.GET.get("q", "")
        return context


class UnitDetailView(OrgViewMixin, DetailView):
    permission = None
    template_name = "accounts/unit_detail.html"
    model = Unit
    context_object_name = "unit"

    def get_queryset(self) -> QuerySet[Unit]:
        return unit_visible_list(org=self.request.org, membership=self.request.membership)

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

    def get_success_url(self) -> str:
        return reverse("accounts:unit_detail", args=[self.unit.pk])


class UnitCreateView(ServiceFormView):
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

    def perform(self, form: UnitCreateForm) -> str:
        self.object = services.create_unit(
            org=self.request.org, actor=self.request.user, **form.cleaned_data
        )
        return _("Unit %(name)s created.") % {"name": self.object.name}

    def get_success_url(self) -> str:
        return reverse("accounts:unit_detail", args=[self.object.pk])


class UnitUpdateView(ManagedUnitMixin, ServiceFormView):
    template_name = "accounts/unit_form.html"
    form_class = UnitForm

    def get_initial(self) -> dict[str, Any]:
        return {"name": self.unit.name, "code": self.unit.code, "kind": self.unit.kind}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(unit=self.unit, **kwargs)

    def perform(self, form: UnitForm) -> str:
        services.update_unit(unit=self.unit, actor=self.request.user, **form.cleaned_data)
        return _("Unit %(name)s saved.") % {"name": self.unit.name}


class UnitMoveView(ManagedUnitMixin, ServiceFormView):
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

    def perform(self, form: UnitMoveForm) -> str:
        services.move_unit(
            unit=self.unit, actor=self.request.user, new_parent=form.cleaned_data["parent"]
        )
        return _("Unit %(name)s moved.") % {"name": self.unit.name}


class _SubunitsForm(forms.Form):
    with_subunits = forms.BooleanField(
        label=gettext_lazy("Also reactivate its deactivated sub-units"), required=False
    )


class UnitActivationView(ManagedUnitMixin, ConfirmationMixin, View):
    """Deactivate a unit with its sub-units, or reactivate it (and, if chosen on the
    confirmation page, the sub-units deactivated under it), once confirmed."""

    activate: bool = False

    @property
    def confirm_form_class(self) -> type[forms.Form] | None:  # type: ignore[override]
        """Reactivation asks whether the sub-units come back too (when there are any)."""
        return _SubunitsForm if self.activate and self.affected.count() > 1 else None

    @cached_property
    def affected(self) -> QuerySet[Unit]:
        """The units the action changes: the active subtree, or the inactive one."""
        return unit_subtree(unit=self.unit).filter(is_active=self.activate is False)

    def check_allowed(self) -> None:
        if not self.activate:
            services.check_deactivation(unit=self.unit)

    def confirm_title(self) -> str:
        if self.activate:
            return _("Reactivate %(name)s?") % {"name": self.unit.name}
        return _("Deactivate %(name)s and its sub-units?") % {"name": self.unit.name}

    @property
    def confirm_button(self) -> str:  # type: ignore[override]
        return _("Reactivate") if self.activate else _("Deactivate")

    def confirm_effects(self) -> list[StrOrPromise]:
        below = [unit.name for unit in self.affected if unit.pk != self.unit.pk]
        if self.activate:
            if not below:
                return []
            return [_("Its deactivated sub-units: %(names)s.") % {"names": "、".join(below)}]
        effects: list[StrOrPromise] = []
        if below:
            effects.append(
                ngettext(
                    "%(count)d sub-unit is deactivated with it: %(names)s.",
                    "%(count)d sub-units are deactivated with it: %(names)s.",
                    len(below),
                )
                % {
                    "count": len(below),
                    "names": "、".join(below[:20]) + ("…" if len(below) > 20 else ""),
                }
            )
        return effects + unit_hooks.deactivation_effects(self.affected)

    def perform(self, data: dict[str, Any]) -> str:
        if self.activate:
            count = services.reactivate_unit(
                unit=self.unit,
                actor=self.request.user,
                with_subunits=data.get("with_subunits", False),
            )
            return ngettext(
                "%(count)d unit reactivated.", "%(count)d units reactivated.", count
            ) % {"count": count}
        count = services.deactivate_unit(unit=self.unit, actor=self.request.user)
        return _("%(count)d unit(s) deactivated.") % {"count": count}


class UnitOptionsView(OrgViewMixin, ListView):
    """The ``<option>``s of a ``UnitSelect`` search box: units the member may see matching the
    text typed (name or code), in tree order, at most ``widgets.LIMIT``."""

    permission = None
    template_name = "accounts/_unit_options.html"
    context_object_name = "units"

    def get_queryset(self) -> QuerySet[Unit]:
        params = self.request.GET
        typed = next((v for k, v in params.items() if k.endswith("_search")), "").strip()
        units = unit_visible_list(
            org=self.request.org, membership=self.request.membership, search=typed
        )
        if not params.get("inactive"):
            units = units.filter(is_active=True)
        within = params.get("within", "")
        if within.isdigit():
            parent = units.model.objects.for_org(self.request.org).filter(pk=within).first()
            units = (
                units.filter(path__startswith=parent.path).exclude(pk=parent.pk)
                if parent
                else units.none()
            )
        return units[:LIMIT]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(empty_label=self.request.GET.get("empty", ""), **kwargs)
