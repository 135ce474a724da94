"""The petition pages (信访举报).

Public (no sign-in, listed in ``xuncha.tenancy.PUBLIC_URL_NAMES``): the form opened from the
announcement's page or its petition QR code (``/a/<token>/petition/?unit=<pk>``) — a wrong
token, an unpublished announcement and an unknown unit are the announcement's own 404, byte
for byte — and the status check by receipt code (``/p/``).

Staff: an inspection's petitions (its team's, and the clue handlers'), the team's record of a
petition received by phone, letter, visit, mailbox or e-mail, one petition's page with its
attachments and status, the explicit reveal of the reporter's identity, and every petition a
member may read (the clue handlers': the tenant's). Every one is ``hidden``: whoever may not
read petitions — office, leadership, liaisons, other teams — is told 404. Every read of a
petition's page, identity or attachment is logged (``PetitionRead``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.generic import FormView, ListView, View
from django.views.generic.base import ContextMixin, TemplateResponseMixin

from accounts.throttling import client_ip
from clues import selectors, services
from clues.capabilities import VIEW_PETITIONS
from clues.crypto import Identity, client_key
from clues.forms import (
    PetitionFilterForm,
    PublicPetitionForm,
    ReceiptForm,
    StaffPetitionForm,
    StatusForm,
)
from clues.models import Channel, Petition, PetitionAttachment, PetitionRead, Status
from clues.permissions import can_read_petitions, can_reveal_identity, inspections_with_petitions
from files.services import attachment_response
from rounds.models import Inspection
from rounds.selectors.announcements import (
    announcement_organization,
    announcement_public_get,
    announcement_unit_list,
)
from rounds.services.announcements import accepts_input
from rounds.services.closed import closed_message
from rounds.taxonomy import Stage
from xuncha.tenancy import org_scope
from xuncha.tenancy.errors import DomainError
from xuncha.tenancy.views import (
    OrgViewMixin,
    ServiceActionMixin,
    ServiceFormMixin,
    add_domain_error,
)

# --- Public pages ----------------------------------------------------------------------------


def _not_found(request: HttpRequest) -> HttpResponse:
    # The announcement's own 404 (the same template, the same bytes): the petition page of a
    # wrong token, an unpublished announcement or an unknown unit tells nothing more.
    return render(request, "rounds/announcements/not_found.html", status=404)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def petition_public(request: HttpRequest, token: str) -> HttpResponse:
    """The public petition form; its answer on success is the receipt code, shown once."""
    org = announcement_organization(token=token)
    if org is None:
        return _not_found(request)
    with org_scope(org):
        announcement = announcement_public_get(org=org, token=token)
        if announcement is None:
            return _not_found(request)
        inspection = announcement.inspection
        unit = inspection.unit
        unit_key = request.GET.get("unit", "")
        if unit_key:
            units = {str(row.pk): row for row in announcement_unit_list(inspection=inspection)}
            if unit_key not in units:
                return _not_found(request)
            unit = units[unit_key]
        closed = not accepts_input(inspection)
        context: dict[str, Any] = {
            "announcement": announcement,
            "inspection": inspection,
            "organization": org,
            "unit": unit,
            "closed": closed,
        }
        status = 200
        form = PublicPetitionForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
        )
        if request.method == "POST" and not closed:
            if form.is_valid():
                try:
                    receipt = services.submit_petition(
                        inspection=inspection,
                        unit=unit,
                        client=client_key(client_ip(request)),
                        is_anonymous=form.is_anonymous,
                        identity=form.identity(),
                        subject_persons=form.cleaned_data["subject_persons"],
                        content=form.cleaned_data["content"],
                        photos=form.cleaned_data["photos"],
                    )
                except services.RateLimited as error:
                    add_domain_error(form, error)
                    status = 429
                except DomainError as error:
                    add_domain_error(form, error)
                    status = 400
                else:
                    return _no_store(
                        render(
                            request,
                            "clues/public/receipt.html",
                            {**context, "code": receipt.code},
                        )
                    )
            else:
                status = 400
        elif request.method == "POST":
            status = 400
        return _no_store(
            render(request, "clues/public/form.html", {**context, "form": form}, status=status)
        )


@never_cache
@require_http_methods(["GET", "POST"])
def petition_status(request: HttpRequest) -> HttpResponse:
    """The status check: a receipt code (posted, never in the address) → its petition's
    status and the day it was received; nothing else, and the same answer for every unknown
    code."""
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.check_status_rate(client=client_key(client_ip(request)))
            except services.RateLimited as error:
                add_domain_error(form, error)
                status = 429
            else:
                found = selectors.petition_public_status(code=form.cleaned_data["code"])
                if found is None:
                    context["unknown"] = True
                    status = 404
                else:
                    context["found"] = found
                    context["public_status"] = services.PUBLIC_STATUS[Status(found.status)]
        else:
            status = 400
    return _no_store(render(request, "clues/public/status.html", context, status=status))


# --- The team's and the clue handlers' pages -------------------------------------------------


class _PetitionPage(OrgViewMixin):
    permission = VIEW_PETITIONS
    hidden = True
    request: Any


class InspectionPetitionMixin:
    """An inspection's petitions (``pk`` is the inspection): its team's and the clue
    handlers'; ``writes``: a page that changes them, sent back when the inspection is closed.
    Runs after ``OrgViewMixin``'s checks (signed in, second factor, ``VIEW_PETITIONS``)."""

    model = Inspection
    writes = False
    request: Any

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not hasattr(self, request.method.lower()):
            return self.http_method_not_allowed(request, *args, **kwargs)  # type: ignore[attr-defined]
        visible = inspections_with_petitions(request.membership)
        self.inspection: Inspection = get_object_or_404(visible, pk=kwargs["pk"])
        if not can_read_petitions(request.membership, self.inspection):
            raise Http404
        self.is_closed = self.inspection.stage == Stage.CLOSED
        if self.writes and self.is_closed:
            messages.error(request, closed_message(self.inspection))
            return redirect(_list_url(self.inspection.pk))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(inspection=self.inspection, is_closed=self.is_closed)
        return context


def _list_url(inspection_pk: int) -> str:
    return reverse("clues:petition_list", args=[inspection_pk])


def _detail_url(pk: int) -> str:
    return reverse("clues:petition_detail", args=[pk])


class _Filtered:
    request: Any

    def filters(self) -> dict[str, str]:
        form = PetitionFilterForm(self.request.GET)
        data = form.cleaned_data if form.is_valid() else {}
        return {"channel": data.get("channel", ""), "status": data.get("status", "")}


class PetitionListView(_PetitionPage, InspectionPetitionMixin, _Filtered, ListView):
    template_name = "clues/petitions/list.html"
    paginate_by = 25
    context_object_name = "petitions"

    def get_queryset(self) -> QuerySet[Petition]:
        return selectors.petition_list(inspection=self.inspection, **self.filters())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            channels=Channel.choices,
            statuses=Status.choices,
            can_record=not self.is_closed,
            **kwargs,
        )


class PetitionCreateView(_PetitionPage, InspectionPetitionMixin, ServiceFormMixin, FormView):
    """The team records a petition it received by phone, letter, visit, mailbox or e-mail."""

    writes = True
    template_name = "clues/petitions/form.html"
    form_class = StaffPetitionForm

    def get_form_kwargs(self) -> dict[str, Any]:
        units = [
            (unit.pk, unit.name) for unit in announcement_unit_list(inspection=self.inspection)
        ]
        kwargs = super().get_form_kwargs()
        kwargs["units"] = units
        kwargs.setdefault("initial", {})["unit"] = self.inspection.unit_id
        return kwargs

    def perform(self, form: StaffPetitionForm) -> str:
        unit_pk = form.cleaned_data["unit"]
        units = {unit.pk: unit for unit in announcement_unit_list(inspection=self.inspection)}
        self.petition = services.record_petition(
            inspection=self.inspection,
            actor=self.request.user,
            membership=self.request.membership,
            channel=form.cleaned_data["channel"],
            received_on=form.cleaned_data["received_on"],
            unit=units.get(unit_pk),
            is_anonymous=form.is_anonymous,
            identity=form.identity(),
            subject_persons=form.cleaned_data["subject_persons"],
            content=form.cleaned_data["content"],
            attachments=form.cleaned_data["attachments"],
        )
        return _("Petition recorded.")

    def get_success_url(self) -> str:
        return _detail_url(self.petition.pk)


class PetitionMixin:
    """One petition (``pk``), if the member reads it; 404 otherwise (after ``OrgViewMixin``)."""

    model = Petition
    request: Any

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if not hasattr(self, request.method.lower()):
            return self.http_method_not_allowed(request, *args, **kwargs)  # type: ignore[attr-defined]
        found = selectors.petition_get(membership=request.membership, pk=kwargs["pk"])
        if found is None or not can_read_petitions(request.membership, found.inspection):
            raise Http404
        self.petition: Petition = found
        self.inspection: Inspection = found.inspection
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class _PetitionPageContext(_PetitionPage, PetitionMixin, ContextMixin, TemplateResponseMixin):
    template_name = "clues/petitions/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        membership = self.request.membership
        can_reveal = can_reveal_identity(membership, self.inspection)
        return super().get_context_data(
            petition=self.petition,
            inspection=self.inspection,
            attachments=list(selectors.petition_attachment_list(petition=self.petition)),
            can_reveal=can_reveal,
            can_change=self.inspection.stage != Stage.CLOSED,
            reads=selectors.petition_read_list(petition=self.petition) if can_reveal else [],
            statuses=Status.choices,
            **kwargs,
        )


class PetitionDetailView(_PetitionPageContext, View):
    """The petition, its attachments and status; the read logged."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        services.log_petition_read(
            petition=self.petition, reader=request.user, what=PetitionRead.What.DETAIL
        )
        return self.render_to_response(self.get_context_data(**kwargs))


class PetitionIdentityView(_PetitionPageContext, View):
    """POST only: the petition's page with the reporter's identity shown, the reveal logged
    (a link or a prefetch never reveals it)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_reveal_identity(request.membership, self.inspection):
            raise Http404
        identity: Identity | None = services.reveal_identity(
            petition=self.petition, actor=request.user, membership=request.membership
        )
        context = self.get_context_data(identity=identity, revealed=True, **kwargs)
        return _no_store(self.render_to_response(context))


class PetitionStatusView(_PetitionPage, PetitionMixin, ServiceActionMixin, View):
    form_class = StatusForm

    def perform(self, data: dict[str, Any]) -> str:
        services.change_petition_status(
            petition=self.petition,
            actor=self.request.user,
            membership=self.request.membership,
            status=data["status"],
        )
        return _("Status changed.")

    def get_success_url(self) -> str:
        return _detail_url(self.petition.pk)


class PetitionAttachmentView(_PetitionPage, View):
    """A petition's attachment, downloaded by one who reads the petition; logged twice: as a
    file download and as a read of the petition."""

    model = PetitionAttachment

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        attachment = selectors.petition_attachment_get(
            membership=request.membership, pk=kwargs["pk"]
        )
        if attachment is None or not can_read_petitions(
            request.membership, attachment.petition.inspection
        ):
            raise Http404
        services.log_petition_read(
            petition=attachment.petition, reader=request.user, what=PetitionRead.What.ATTACHMENT
        )
        return attachment_response(file=attachment.file, actor=request.user)


class PetitionAllView(_PetitionPage, _Filtered, ListView):
    """Every petition the member reads: the clue handlers', the tenant's; a team member's,
    those of their inspections."""

    template_name = "clues/petitions/all.html"
    paginate_by = 25
    context_object_name = "petitions"

    def get_queryset(self) -> QuerySet[Petition]:
        if self.request.membership is None:
            raise PermissionDenied
        return selectors.petition_all(membership=self.request.membership, **self.filters())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(channels=Channel.choices, statuses=Status.choices, **kwargs)
