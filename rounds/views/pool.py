"""The inspector pool: list and search for readers, editing and XLSX import for the office."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView

from rounds.capabilities import MANAGE_POOL, VIEW_POOL
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
    inspector_detail,
    inspector_keys,
    inspector_relative_list,
    inspector_row_list,
    inspector_rows,
    inspector_service_record,
    inspector_training_list,
    relative_list,
    training_list,
    unit_by_code,
    unit_home_choices,
)
from rounds.services import pool as services
from xuncha.tenancy.views import (
    ConfirmedActionView,
    OrgViewMixin,
    ServiceFormMixin,
    ServiceFormView,
)

DETAIL_TEMPLATE = "rounds/pool/inspector_detail.html"


class InspectorListView(OrgViewMixin, ListView):
    permission = VIEW_POOL
    template_name = "rounds/pool/inspector_list.html"
    paginate_by = 25
    context_object_name = "inspectors"

    @cached_property
    def filter_form(self) -> InspectorFilterForm:
        return InspectorFilterForm(self.request.GET or None, org=self.request.org)

    def get_queryset(self) -> QuerySet[Inspector, dict[str, Any]]:
        return inspector_row_list(org=self.request.org, **self.filter_form.selector_kwargs())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["inspectors"] = context["object_list"] = inspector_rows(context["object_list"])
        context["filter_form"] = self.filter_form
        context["can_manage"] = self.request.membership.has_perm(MANAGE_POOL)
        return context


def _detail_context(request: HttpRequest, inspector: Inspector, **forms: Any) -> dict[str, Any]:
    can_manage = request.membership.has_perm(MANAGE_POOL)
    context: dict[str, Any] = {
        "inspector": inspector,
        "relatives": inspector_relative_list(inspector=inspector),
        "trainings": inspector_training_list(inspector=inspector),
        "service_record": inspector_service_record(inspector=inspector),
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


def _detail_url(inspector_pk: int, anchor: str = "") -> str:
    url = reverse("rounds:inspector_detail", args=[inspector_pk])
    return f"{url}#{anchor}" if anchor else url


class InspectorCreateView(ServiceFormView):
    permission = MANAGE_POOL
    template_name = "rounds/pool/inspector_form.html"
    form_class = InspectorForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"org": self.request.org}

    def perform(self, form: InspectorForm) -> str:
        self.object = services.create_inspector(
            org=self.request.org, actor=self.request.user, **form.cleaned_data
        )
        return _("%(name)s added to the pool.") % {"name": self.object}

    def get_success_url(self) -> str:
        return _detail_url(self.object.pk)


class InspectorUpdateView(ServiceFormView):
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

    def perform(self, form: InspectorForm) -> str:
        services.update_inspector(
            inspector=self.inspector, actor=self.request.user, **form.cleaned_data
        )
        return _("%(name)s saved.") % {"name": form.cleaned_data["name"]}

    def get_success_url(self) -> str:
        return _detail_url(self.inspector.pk)


class _InspectorPartAddView(OrgViewMixin, ServiceFormMixin, View):
    """POST only: add a declared relative or a training record from the detail page, which
    shows the form again (as ``form_key``) when it is refused."""

    permission = MANAGE_POOL
    form_key: str
    anchor: str

    def make_form(self, request: HttpRequest) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, inspector_pk: int) -> HttpResponse:
        inspectors = inspector_detail(org=request.org)
        self.inspector = get_object_or_404(inspectors, pk=inspector_pk)
        form = self.make_form(request)
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def form_invalid(self, form: Any) -> HttpResponse:
        context = _detail_context(self.request, self.inspector, **{self.form_key: form})
        return render(self.request, DETAIL_TEMPLATE, context)

    def get_success_url(self) -> str:
        return _detail_url(self.inspector.pk, self.anchor)


class RelativeAddView(_InspectorPartAddView):
    form_key, anchor = "relative_form", "relatives"

    def make_form(self, request: HttpRequest) -> RelativeForm:
        return RelativeForm(request.POST, org=request.org)

    def perform(self, form: RelativeForm) -> str:
        data = form.cleaned_data
        services.declare_relative(inspector=self.inspector, actor=self.request.user, **data)
        return _("Relative declared.")


class TrainingAddView(_InspectorPartAddView):
    form_key, anchor = "training_form", "trainings"

    def make_form(self, request: HttpRequest) -> TrainingForm:
        return TrainingForm(request.POST)

    def perform(self, form: TrainingForm) -> str:
        data = form.cleaned_data
        services.add_training(inspector=self.inspector, actor=self.request.user, **data)
        return _("Training record added.")


class _InspectorPartRemoveView(ConfirmedActionView):
    """Remove a declared relative or a training record once confirmed, back to the detail page.

    Subclasses declare ``model`` for the isolation harness: it names what the ``pk`` is."""

    permission = MANAGE_POOL
    anchor: str
    confirm_button = gettext_lazy("Remove")

    def confirm_title(self) -> str:
        return _("Remove “%(record)s” from %(person)s's record?") % {
            "record": self.part,
            "person": self.part.inspector,
        }

    def get_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    @cached_property
    def part(self) -> Any:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_success_url(self) -> str:
        return _detail_url(self.part.inspector_id, self.anchor)


class RelativeRemoveView(_InspectorPartRemoveView):
    model, anchor = RelativeDeclaration, "relatives"

    def get_queryset(self) -> QuerySet[RelativeDeclaration]:
        return relative_list(org=self.request.org)

    def perform(self, data: dict[str, Any]) -> str:
        services.remove_relative(declaration=self.part, actor=self.request.user)
        return _("Declaration removed.")


class TrainingRemoveView(_InspectorPartRemoveView):
    model, anchor = TrainingRecord, "trainings"

    def get_queryset(self) -> QuerySet[TrainingRecord]:
        return training_list(org=self.request.org)

    def perform(self, data: dict[str, Any]) -> str:
        services.remove_training(training=self.part, actor=self.request.user)
        return _("Training record removed.")


class InspectorImportView(ServiceFormView):
    """Upload a filled-in template: every row is checked; any error saves nothing."""

    permission = MANAGE_POOL
    template_name = "rounds/pool/inspector_import.html"
    form_class = PoolImportForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            headers=HEADERS, specialty_labels=list(SPECIALTY_LABELS), **kwargs
        )

    def form_valid(self, form: PoolImportForm) -> HttpResponse:
        """The file is read and every row checked before the service sees it."""
        org = self.request.org
        try:
            result = parse_inspector_workbook(
                form.cleaned_data["file"].read(),
                units=unit_by_code(org=org),
                existing=inspector_keys(org=org),
            )
        except WorkbookError as error:
            form.add_error("file", error.message)
            return self.form_invalid(form)
        if result.errors:
            context = self.get_context_data(form=form, row_errors=result.errors)
            return self.render_to_response(context)
        self.rows = result.rows
        return super().form_valid(form)

    def perform(self, form: PoolImportForm) -> str:
        created = services.import_inspectors(
            org=self.request.org, actor=self.request.user, rows=self.rows
        )
        return _("%(count)d inspectors imported.") % {"count": len(created)}

    def get_success_url(self) -> str:
        return reverse("rounds:inspector_list")


class InspectorImportTemplateView(OrgViewMixin, View):
    permission = MANAGE_POOL

    def get(self, request: HttpRequest) -> HttpResponse:
        content = build_template(units=unit_home_choices(org=request.org))
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="inspector-pool-template.xlsx"'
        return response
