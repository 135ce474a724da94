"""Pages of document requests (调阅).

The team's pages hang off an inspection and follow its access (``InspectionAccessMixin``):
reading for whoever sees the inspection, requesting and marking returned for its team and the
office ("work"). A request's own pages (``document-requests/<pk>/``) first find the request in
the organization, then ask the same of its inspection.

The liaison's pages (``liaison/``) ask ``documents.answer_requests`` and reach only what
``documents.selectors`` gives the liaison: the announcement of their units' inspections and the
requests addressed to them — never anything else of the inspection. Anything else is a 404.
Delivered files are served only by these views, after their check (``attachment_response``
logs the download).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from accounts.errors import DomainError
from documents import selectors, services
from documents.capabilities import ANSWER_REQUESTS, MANAGE_USUAL_DOCUMENTS
from documents.forms import (
    AnswerForm,
    DocumentRequestCreateForm,
    DocumentRequestEditForm,
    UsualDocumentForm,
)
from documents.models import DocumentRequest, UsualDocument
from files.services import attachment_response
from rounds.models import Inspection
from rounds.views.inspections import InspectionAccessMixin, InspectionFormView
from xuncha.tenancy.views import (
    ConfirmationMixin,
    OrgViewMixin,
    ServiceFormMixin,
    add_domain_error,
)


def _status_filter(request: HttpRequest) -> str:
    status = request.GET.get("status", "")
    return status if status in selectors.STATUS_FILTERS else ""


def _filter_choices() -> list[tuple[str, Any]]:
    labels = dict(DocumentRequest.Status.choices)
    return [
        (key, gettext_lazy("Overdue") if key == "overdue" else labels[key])
        for key in selectors.STATUS_FILTERS
    ]


def request_url(document_request: DocumentRequest) -> str:
    return reverse("documents:request_detail", args=[document_request.pk])


# --- The team's pages ------------------------------------------------------------------------


class DocumentRequestListView(OrgViewMixin, InspectionAccessMixin, ListView):
    """The inspection's requests, soonest due first, filtered by status (overdue included)."""

    model = Inspection
    template_name = "documents/request_list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[DocumentRequest]:
        return selectors.document_request_list(
            inspection=self.inspection, status=_status_filter(self.request)
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            can_work=self.can_work,
            counts=selectors.document_request_status_counts(inspection=self.inspection),
            status=_status_filter(self.request),
            status_choices=_filter_choices(),
            today=timezone.localdate(),
            **kwargs,
        )


class DocumentRequestCreateView(InspectionFormView):
    """Request documents: items picked from the usual checklist and free ones, one request
    each, to the inspected unit or a sub-unit."""

    model = Inspection
    access = "work"
    form_class = DocumentRequestCreateForm
    template_name = "documents/request_form.html"
    title = gettext_lazy("Request documents")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "inspection": self.inspection}

    def get_initial(self) -> dict[str, Any]:
        return {"unit": self.inspection.unit_id}

    def perform(self, form: DocumentRequestCreateForm) -> str:
        data = form.cleaned_data
        made = services.request_documents(
            inspection=self.inspection,
            actor=self.request.user,
            unit=data["unit"],
            due_on=data["due_on"],
            usual_items=list(data["usual_items"]),
            free_items=data["free_items"],
            description=data["description"],
            team_notes=data["team_notes"],
        )
        return _("%(count)s documents requested.") % {"count": len(made)}

    def get_success_url(self) -> str:
        return reverse("documents:request_list", args=[self.inspection.pk])


class DocumentRequestAccessMixin(InspectionAccessMixin):
    """A request's own page: the request is found in the organization (404 otherwise), then
    its inspection's access is asked (``access``) as on every inspection page."""

    model = DocumentRequest
    inspection_kwarg = "inspection_pk"
    document_request: DocumentRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not hasattr(self, request.method.lower()):
            return self.http_method_not_allowed(request, *args, **kwargs)  # type: ignore[attr-defined]
        record = selectors.document_request_detail(pk=kwargs["pk"], org=request.org)  # type: ignore[attr-defined]
        if record is None:
            raise Http404
        self.document_request = record
        return super().dispatch(request, *args, inspection_pk=record.inspection_id, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            document_request=self.document_request, can_work=self.can_work, **kwargs
        )


class DocumentRequestDetailView(OrgViewMixin, DocumentRequestAccessMixin, TemplateView):
    template_name = "documents/request_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            deliveries=selectors.delivery_list(document_request=self.document_request),
            **kwargs,
        )


class DocumentRequestEditView(OrgViewMixin, DocumentRequestAccessMixin, ServiceFormMixin, FormView):
    access = "work"
    form_class = DocumentRequestEditForm
    template_name = "documents/request_edit.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "inspection": self.inspection}

    def get_initial(self) -> dict[str, Any]:
        record = self.document_request
        return {
            "title": record.title,
            "unit": record.unit_id,
            "due_on": record.due_on,
            "description": record.description,
            "team_notes": record.team_notes,
        }

    def perform(self, form: DocumentRequestEditForm) -> str:
        services.update_document_request(
            document_request=self.document_request, actor=self.request.user, **form.cleaned_data
        )
        return _("Saved.")

    def get_success_url(self) -> str:
        return request_url(self.document_request)


class _RequestActionView(OrgViewMixin, DocumentRequestAccessMixin, ConfirmationMixin, View):
    access = "work"

    def get_success_url(self) -> str:
        return request_url(self.document_request)


class DocumentRequestWithdrawView(_RequestActionView):
    """POST only: withdraw a request not yet delivered, giving a reason."""

    confirm_button = gettext_lazy("Withdraw the request")
    reason_label = gettext_lazy("Reason")

    def confirm_title(self) -> str:
        return _("Withdraw the request for “%(title)s”?") % {"title": self.document_request}

    def confirm_effects(self) -> list[Any]:
        return [_("The unit's liaison sees it withdrawn and can no longer answer it.")]

    def perform(self, data: dict[str, Any]) -> str:
        services.withdraw_document_request(
            document_request=self.document_request, actor=self.request.user, reason=data["reason"]
        )
        return _("The request is withdrawn.")


class DocumentRequestReturnView(_RequestActionView):
    """POST only: the team gave the delivered originals back to the unit."""

    confirm_button = gettext_lazy("Mark returned")

    def confirm_title(self) -> str:
        return _("Mark “%(title)s” returned to %(unit)s?") % {
            "title": self.document_request,
            "unit": self.document_request.unit,
        }

    def confirm_effects(self) -> list[Any]:
        return [_("The request is closed: the liaison can no longer add files to it.")]

    def perform(self, data: dict[str, Any]) -> str:
        services.mark_returned(document_request=self.document_request, actor=self.request.user)
        return _("Marked returned.")


def _download(request: HttpRequest, document_request: DocumentRequest) -> HttpResponse:
    """``?file=<id>`` of a file delivered for the request, as an attachment (logged); without
    it, back to the request's page."""
    key = request.GET.get("file", "")
    if not key:
        return redirect(request.path.rsplit("download/", 1)[0])
    delivered = selectors.delivery_file_get(document_request=document_request, pk=key)
    if delivered is None:
        raise Http404
    return attachment_response(file=delivered.file, actor=request.user)  # type: ignore[arg-type]


class DocumentRequestDownloadView(OrgViewMixin, DocumentRequestAccessMixin, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _download(request, self.document_request)


# --- The tenant's checklist of usual documents -----------------------------------------------


class UsualDocumentListView(OrgViewMixin, ServiceFormMixin, FormView):
    """The checklist, and a form adding an item to it."""

    permission = MANAGE_USUAL_DOCUMENTS
    template_name = "documents/usual_list.html"
    form_class = UsualDocumentForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            items=selectors.usual_document_list(org=self.request.org), **kwargs
        )

    def perform(self, form: UsualDocumentForm) -> str:
        data = form.cleaned_data
        services.add_usual_document(
            org=self.request.org,  # type: ignore[attr-defined]
            actor=self.request.user,  # type: ignore[arg-type]
            name=data["name"],
            description=data["description"],
        )
        return _("Added to the checklist.")

    def get_success_url(self) -> str:
        return reverse("documents:usual_list")


class UsualDocumentEditView(OrgViewMixin, ServiceFormMixin, FormView):
    permission = MANAGE_USUAL_DOCUMENTS
    model = UsualDocument
    template_name = "documents/usual_edit.html"
    form_class = UsualDocumentForm

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self._item: UsualDocument | None = None

    @property
    def item(self) -> UsualDocument:
        if self._item is None:
            items = selectors.usual_document_list(org=self.request.org)  # type: ignore[attr-defined]
            self._item = get_object_or_404(items, pk=self.kwargs["pk"])
        return self._item

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.item  # noqa: B018 - 404 first
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.item  # noqa: B018 - 404 before reading the form
        return super().post(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        item = self.item
        return {"name": item.name, "description": item.description, "is_active": item.is_active}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(item=self.item, **kwargs)

    def perform(self, form: UsualDocumentForm) -> str:
        services.update_usual_document(
            item=self.item,
            actor=self.request.user,  # type: ignore[arg-type]
            **form.cleaned_data,
        )
        return _("Saved.")

    def get_success_url(self) -> str:
        return reverse("documents:usual_list")


# --- The liaison's pages ---------------------------------------------------------------------


class LiaisonMixin(OrgViewMixin):
    permission = ANSWER_REQUESTS


class LiaisonHomeView(LiaisonMixin, TemplateView):
    """The liaison's portal: their units' inspections (announced, or with requests to them)
    and the requests still waiting for their answer."""

    template_name = "documents/liaison/home.html"
    open_limit = 20

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        membership = self.request.membership  # type: ignore[attr-defined]
        waiting = selectors.document_request_liaison_list(membership=membership, status="requested")
        return super().get_context_data(
            inspections=list(
                selectors.inspection_liaison_list(membership=membership, listed=True)[:50]
            ),
            waiting=list(waiting[: self.open_limit]),
            waiting_count=waiting.count(),
            today=timezone.localdate(),
            **kwargs,
        )


class LiaisonInspectionView(LiaisonMixin, TemplateView):
    """One inspection as the liaison sees it: its announcement (once published) and the
    requests addressed to them. Nothing else of the inspection."""

    model = Inspection
    template_name = "documents/liaison/inspection.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        membership = self.request.membership  # type: ignore[attr-defined]
        inspection = get_object_or_404(
            selectors.inspection_liaison_list(membership=membership), pk=self.kwargs["pk"]
        )
        requests = selectors.document_request_liaison_list(membership=membership).filter(
            inspection=inspection
        )
        return super().get_context_data(
            inspection=inspection,
            announcement=selectors.announcement_liaison_get(inspection=inspection),
            requests=list(requests[:100]),
            today=timezone.localdate(),
            **kwargs,
        )


class LiaisonRequestListView(LiaisonMixin, ListView):
    template_name = "documents/liaison/request_list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[DocumentRequest]:
        return selectors.document_request_liaison_list(
            membership=self.request.membership,  # type: ignore[attr-defined]
            status=_status_filter(self.request),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            status=_status_filter(self.request),
            status_choices=_filter_choices(),
            today=timezone.localdate(),
            **kwargs,
        )


class LiaisonRequestMixin(LiaisonMixin):
    model = DocumentRequest

    def document_request(self) -> DocumentRequest:
        if not hasattr(self, "_record"):
            record = selectors.document_request_liaison_get(
                membership=self.request.membership,  # type: ignore[attr-defined]
                pk=self.kwargs["pk"],  # type: ignore[attr-defined]
            )
            if record is None:
                raise Http404
            self._record = record
        return self._record


class LiaisonRequestDetailView(LiaisonRequestMixin, TemplateView):
    """A request addressed to the liaison, what was delivered for it, and the answer form."""

    template_name = "documents/liaison/request_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        record = self.document_request()
        kwargs.setdefault("form", AnswerForm())
        return super().get_context_data(
            document_request=record,
            deliveries=selectors.delivery_list(document_request=record),
            can_answer=record.is_open and record.inspection.stage != "closed",
            today=timezone.localdate(),
            **kwargs,
        )


class LiaisonAnswerView(LiaisonRequestDetailView):
    """POST only: the liaison answers with files and a note. A refused file refuses the whole
    answer: the page shows why, and nothing is stored."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The form is on the request's page."""
        record = self.document_request()
        return redirect(reverse("documents:liaison_request", args=[record.pk]))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        record = self.document_request()
        form = AnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.answer_document_request(
                    document_request=record,
                    actor=request.user,  # type: ignore[arg-type]
                    uploads=form.cleaned_data["files"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Delivered. The team sees your files."))
                return redirect(reverse("documents:liaison_request", args=[record.pk]))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class LiaisonDownloadView(LiaisonRequestMixin, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _download(request, self.document_request())
