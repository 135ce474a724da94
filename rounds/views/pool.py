"""The inspector pool: list and search for readers, editing and XLSX import for the office."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from accounts.errors import DomainError
from accounts.roles import MANAGE_POOL, VIEW_POOL
from rounds.forms.pool import (
    InspectorFilterForm,
    InspectorForm,
    PoolImportForm,
    RelativeForm,
    TrainingForm,
)
from rounds.imports import (
    HEADERS,
    SPECIALTY_LABELS,
    XLSX_CONTENT_TYPE,
    WorkbookError,
    build_template,
    parse_inspector_workbook,
)
from rounds.models import Inspector, RelativeDeclaration, TrainingRecord
from rounds.selectors.pool import (
    home_unit_choices,
    inspector_detail,
    inspector_list,
    pool_keys,
    relative_list,
    relatives_of,
    service_record,
    training_list,
    trainings_of,
    units_by_code,
)
from rounds.services import pool as services
from xuncha.tenancy.views import OrgViewMixin

DETAIL_TEMPLATE = "rounds/pool/inspector_detail.html"


class InspectorListView(OrgViewMixin, ListView):
    permission = VIEW_POOL
    template_name = "rounds/pool/inspector_list.html"
    paginate_by = 25
    context_object_name = "inspectors"

    @cached_property
    def filter_form(self) -> InspectorFilterForm:
        return InspectorFilterForm(self.request.GET or None, org=self.request.org)

    def get_queryset(self) -> QuerySet[Inspector]:
        return inspector_list(org=self.request.org, **self.filter_form.selector_kwargs())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["can_manage"] = self.request.membership.has_perm(MANAGE_POOL)
        return context


def _detail_context(request: HttpRequest, inspector: Inspector, **forms: Any) -> dict[str, Any]:
    can_manage = request.membership.has_perm(MANAGE_POOL)
    context: dict[str, Any] = {
        "inspector": inspector,
        "relatives": relatives_of(inspector=inspector),
        "trainings": trainings_of(inspector=inspector),
        "service_record": service_record(inspector=inspector),
        "can_manage": can_manage,
    }
    if can_manage:
        context["relative_form"] = forms.get("relative_form") or RelativeForm(org=request.org)
        context["training_form"] = forms.get("training_form") or TrainingForm()
    return context


class InspectorDetailView(OrgViewMixin, DetailView):
    permission = VIEW_POOL
    model = Inspector
    template_name = DETAIL_TEMPLATE

    def get_queryset(self) -> QuerySet[Inspector]:
        return inspector_detail(org=self.request.org)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        return context | _detail_context(self.request, self.object)


class InspectorCreateView(OrgViewMixin, FormView):
    permission = MANAGE_POOL
    template_name = "rounds/pool/inspector_form.html"
    form_class = InspectorForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"org": self.request.org}

    def form_valid(self, form: InspectorForm) -> HttpResponse:
        try:
            inspector = services.create_inspector(
                org=self.request.org, actor=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s added to the pool.") % {"name": inspector})
        return redirect("rounds:inspector_detail", pk=inspector.pk)


class InspectorUpdateView(OrgViewMixin, FormView):
    permission = MANAGE_POOL
    template_name = "rounds/pool/inspector_form.html"
    form_class = InspectorForm
    model = Inspector  # for the isolation harness: the `pk` URL kwarg names an Inspector

    @cached_property
    def inspector(self) -> Inspector:
        return get_object_or_404(inspector_detail(org=self.request.org), pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        return kwargs | {"org": self.request.org, "inspector": self.inspector}

    def get_initial(self) -> dict[str, Any]:
        fields = set(InspectorForm.base_fields) - {"specialties"}
        initial = {field: getattr(self.inspector, field) for field in fields}
        initial["specialties"] = [row.specialty for row in self.inspector.specialties.all()]
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(inspector=self.inspector, **kwargs)

    def form_valid(self, form: InspectorForm) -> HttpResponse:
        try:
            services.update_inspector(
                inspector=self.inspector, actor=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s saved.") % {"name": form.cleaned_data["name"]})
        return redirect("rounds:inspector_detail", pk=self.inspector.pk)


def _back_to_detail(inspector_pk: int, anchor: str) -> HttpResponse:
    url = reverse("rounds:inspector_detail", args=[inspector_pk])
    return redirect(f"{url}#{anchor}")


class _InspectorPartAddView(OrgViewMixin, View):
    """POST only: add a declared relative or a training record from the detail page."""

    permission = MANAGE_POOL
    form_key: str
    anchor: str

    def make_form(self, request: HttpRequest) -> Any:
        raise NotImplementedError

    def save(self, inspector: Inspector, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, inspector_pk: int) -> HttpResponse:
        inspector = get_object_or_404(inspector_detail(org=request.org), pk=inspector_pk)
        form = self.make_form(request)
        if form.is_valid():
            try:
                self.save(inspector, form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return _back_to_detail(inspector.pk, self.anchor)
        context = _detail_context(request, inspector, **{self.form_key: form})
        return render(request, DETAIL_TEMPLATE, context)


class RelativeAddView(_InspectorPartAddView):
    form_key, anchor = "relative_form", "relatives"

    def make_form(self, request: HttpRequest) -> RelativeForm:
        return RelativeForm(request.POST, org=request.org)

    def save(self, inspector: Inspector, data: dict[str, Any]) -> None:
        services.declare_relative(inspector=inspector, actor=self.request.user, **data)
        messages.success(self.request, _("Relative declared."))


class TrainingAddView(_InspectorPartAddView):
    form_key, anchor = "training_form", "trainings"

    def make_form(self, request: HttpRequest) -> TrainingForm:
        return TrainingForm(request.POST)

    def save(self, inspector: Inspector, data: dict[str, Any]) -> None:
        services.add_training(inspector=inspector, actor=self.request.user, **data)
        messages.success(self.request, _("Training record added."))


class _InspectorPartRemoveView(OrgViewMixin, View):
    """POST only: remove a declared relative or a training record, back to the detail page.

    Subclasses declare ``model`` for the isolation harness: it names what the ``pk`` is."""

    permission = MANAGE_POOL
    anchor: str

    def get_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def remove(self, part: Any) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        part = get_object_or_404(self.get_queryset(), pk=pk)
        self.remove(part)
        return _back_to_detail(part.inspector_id, self.anchor)


class RelativeRemoveView(_InspectorPartRemoveView):
    model, anchor = RelativeDeclaration, "relatives"

    def get_queryset(self) -> QuerySet[RelativeDeclaration]:
        return relative_list(org=self.request.org)

    def remove(self, part: RelativeDeclaration) -> None:
        services.remove_relative(declaration=part, actor=self.request.user)
        messages.success(self.request, _("Declaration removed."))


class TrainingRemoveView(_InspectorPartRemoveView):
    model, anchor = TrainingRecord, "trainings"

    def get_queryset(self) -> QuerySet[TrainingRecord]:
        return training_list(org=self.request.org)

    def remove(self, part: TrainingRecord) -> None:
        services.remove_training(training=part, actor=self.request.user)
        messages.success(self.request, _("Training record removed."))


class InspectorImportView(OrgViewMixin, FormView):
    """Upload a filled-in template: every row is checked; any error saves nothing."""

    permission = MANAGE_POOL
    template_name = "rounds/pool/inspector_import.html"
    form_class = PoolImportForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            headers=HEADERS, specialty_labels=list(SPECIALTY_LABELS), **kwargs
        )

    def form_valid(self, form: PoolImportForm) -> HttpResponse:
        org = self.request.org
        try:
            result = parse_inspector_workbook(
                form.cleaned_data["file"].read(),
                units=units_by_code(org=org),
                existing=pool_keys(org=org),
            )
        except WorkbookError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        if result.errors:
            context = self.get_context_data(form=form, row_errors=result.errors)
            return self.render_to_response(context)
        try:
            created = services.import_inspectors(org=org, actor=self.request.user, rows=result.rows)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(count)d inspectors imported.") % {"count": len(created)}
        )
        return redirect("rounds:inspector_list")


class InspectorImportTemplateView(OrgViewMixin, View):
    permission = MANAGE_POOL

    def get(self, request: HttpRequest) -> HttpResponse:
        content = build_template(units=home_unit_choices(org=request.org))
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="inspector-pool-template.xlsx"'
        return response
