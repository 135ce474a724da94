"""Scoped bases for views: every routed tenant page or API view inherits one of them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from rest_framework import permissions

from xuncha.tenancy import TenantRequest
from xuncha.tenancy.errors import DomainError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def check_permission(
    request: TenantRequest, permission: str | None, *, hidden: bool = False
) -> None:
    """Refuse a caller without ``permission``: 403, or 404 for a ``hidden`` page (a confidential
    record's page does not confirm that it exists to somebody who may not read it)."""
    if request.membership is None or (
        permission is not None and not request.membership.has_perm(permission)
    ):
        raise Http404 if hidden else PermissionDenied


class OrgViewMixin(LoginRequiredMixin):
    """Base of every tenant page: signed in, member of an organization, holding ``permission``.

    ``permission = None`` means "any member"; it must be said explicitly. ``hidden = True``
    (the pages of confidential records: interviews, petitions, survey answers) answers every
    refusal with 404 instead of 403.
    """

    permission: str | None
    hidden: bool = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not hasattr(self, "permission"):
            raise ImproperlyConfigured(f"{type(self).__name__} must declare `permission`.")
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        membership = cast(TenantRequest, request).membership
        if membership is None:
            return redirect("accounts:no_org")
        if membership.needs_second_factor(request.user):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two_factor')}?{query}")
        check_permission(cast(TenantRequest, request), self.permission, hidden=self.hidden)
        return super().dispatch(request, *args, **kwargs)


class OrgPermission(permissions.BasePermission):
    """A member of the organization, holding the view's capability for this action. A session
    caller must have passed the second factor when their roles require it; an API token was
    made in such a session and stands on its own (``request.auth`` is the token)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        membership = getattr(request, "membership", None)
        if membership is None:
            return False
        if request.auth is None and membership.needs_second_factor(request.user):
            return False
        required = getattr(view, "get_required_permission", None)
        permission = required() if required is not None else view.permission
        return permission is None or membership.has_perm(permission)


class OrgAPIMixin:
    """Base of every tenant API view; same rules as ``OrgViewMixin``."""

    permission_classes = [permissions.IsAuthenticated, OrgPermission]
    permission: str | None
    hidden: bool = False  # as on pages: a member refused a confidential record is told 404


# --- Views that call one service -----------------------------------------------------------
# A view hands valid input to one service and reports the outcome; the refusal of a business
# rule (``DomainError``) is never an error page. The mixins carry the behaviour so that a view
# whose object check must run after OrgViewMixin's (``OrgViewMixin, <Access>Mixin, ...``) can
# use it; ordinary views inherit ``ServiceFormView`` / ``ServiceActionView``.


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a refusal on ``error.field``, or on the whole form when the form does not show
    that field (another form's name for it)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class ServiceFormMixin:
    """A form whose valid data goes to one service.

    ``perform(form)`` calls the service and returns the success message, then the user goes to
    ``get_success_url()``. A refusal (``DomainError``) becomes an error on the form (on
    ``error.field``, or the whole form) shown again with what was typed; nothing is saved."""

    request: HttpRequest

    def perform(self, form: Any) -> StrOrPromise:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            with transaction.atomic():
                message = self.perform(form)
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, message)
        return redirect(self.get_success_url())  # type: ignore[attr-defined]


class ServiceFormView(OrgViewMixin, ServiceFormMixin, FormView):
    """A tenant page with a form that calls one service (see ``ServiceFormMixin``)."""


class ServiceActionMixin:
    """POST only: one action through one service, then back to a page with a message.

    ``form_class`` (optional) checks the posted values first; an invalid form is refused with
    ``invalid_message``. ``perform(data)`` gets the form's cleaned data (``{}`` without a form),
    calls the service and returns the success message; the user goes to ``get_success_url()``.
    A refusal (``DomainError``) is shown as an error message, nothing is saved, and the user goes
    to ``get_failure_url()`` (the success page unless overridden)."""

    request: HttpRequest
    form_class: type[forms.Form] | None = None
    invalid_message: StrOrPromise = gettext_lazy("Check the values entered.")

    def perform(self, data: dict[str, Any]) -> StrOrPromise:
        raise NotImplementedError

    def get_success_url(self) -> str:
        raise NotImplementedError

    def get_failure_url(self) -> str:
        return self.get_success_url()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"data": self.request.POST}

    def cleaned_data(self) -> dict[str, Any]:
        if self.form_class is None:
            return {}
        form = self.form_class(**self.get_form_kwargs())
        if not form.is_valid():
            raise DomainError(str(self.invalid_message))
        return form.cleaned_data

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            with transaction.atomic():
                message = self.perform(self.cleaned_data())
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.get_failure_url())
        messages.success(request, message)
        return redirect(self.get_success_url())


class ServiceActionView(OrgViewMixin, ServiceActionMixin, View):
    """A tenant POST action that calls one service (see ``ServiceActionMixin``)."""


# --- Confirmation: the one pattern for destructive or irreversible actions ------------------
# The page's button posts to the action as before; the action answers with a confirmation page
# (what it is about to do, what it affects, a reason when one is asked) and acts only on the
# POST that page sends back (``confirmed=1``). It works without JavaScript and is the same for
# every remove, deactivate, approve, refuse, close and reopen.

CONFIRMED = "confirmed"


def render_confirmation(
    request: HttpRequest,
    *,
    template: str,
    title: StrOrPromise,
    effects: list[StrOrPromise],
    button: StrOrPromise,
    cancel_url: str,
    asked: Iterable[str] = (),
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The shared confirmation page: it posts back to the same address with ``confirmed=1``,
    carrying every posted value except the ones the page asks again (``asked``)."""
    skipped = {"csrfmiddlewaretoken", CONFIRMED, *asked}
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in skipped
        for value in values
    ]
    context = {
        "title": title,
        "effects": effects,
        "button": button,
        "carried": carried,
        "action": request.get_full_path(),
        "cancel_url": cancel_url,
        **extra,
    }
    return render(request, template, context, status=status)


class ConfirmationMixin(ServiceActionMixin):
    """A ``ServiceActionMixin`` that asks first (see above).

    ``confirm_title``: the question ("Remove 刘洋 from the team?"), ``confirm_effects()``: what
    the action changes besides the obvious, ``confirm_button``: the verb on the button,
    ``reason_label``: set to ask for a reason, passed to ``perform`` as ``data["reason"]``
    (required unless ``reason_optional``). ``confirm_cancel_url()``: where Cancel goes (the
    failure page by default). ``check_allowed()``: refuse before asking. Other posted values (a
    decision, a replacement) are carried through the confirmation page unchanged. Only POST:
    a link never changes anything, not even by showing the question."""

    confirm_template = "_confirm.html"
    confirm_button: StrOrPromise = gettext_lazy("Confirm")
    reason_label: StrOrPromise | None = None
    reason_optional: bool = False
    # Fields asked on the confirmation page itself (a choice, a replacement); checked on the
    # confirming POST and merged into ``perform``'s data. The form gets ``data`` and
    # ``get_confirm_form_kwargs()``.
    confirm_form_class: type[forms.Form] | None = None

    def confirm_title(self) -> StrOrPromise:
        raise NotImplementedError

    def confirm_effects(self) -> list[StrOrPromise]:
        return []

    def confirm_cancel_url(self) -> str:
        return self.get_failure_url()

    def _reason(self) -> str:
        return self.request.POST.get("reason", "").strip()

    def get_confirm_form_kwargs(self) -> dict[str, Any]:
        """Arguments of ``confirm_form_class`` besides ``data`` (e.g. the record whose people
        it offers)."""
        return {}

    def _confirm_form(self, *, bound: bool) -> forms.Form | None:
        if self.confirm_form_class is None:
            return None
        data = self.request.POST if bound else None
        return self.confirm_form_class(data=data, **self.get_confirm_form_kwargs())

    def _ask(
        self, *, error: StrOrPromise | None = None, confirm_form: forms.Form | None = None
    ) -> HttpResponse:
        confirm_form = confirm_form or self._confirm_form(bound=False)
        asked = set(confirm_form.fields) if confirm_form is not None else set()
        invalid = error is not None or (confirm_form is not None and confirm_form.errors)
        return render_confirmation(
            self.request,
            template=self.confirm_template,
            title=self.confirm_title(),
            effects=self.confirm_effects(),
            button=self.confirm_button,
            cancel_url=self.confirm_cancel_url(),
            asked={"reason", *asked},
            status=400 if invalid else 200,
            reason_label=self.reason_label,
            reason_required=self.reason_label is not None and not self.reason_optional,
            reason=self._reason(),
            error=error,
            confirm_form=confirm_form,
        )

    def cleaned_data(self) -> dict[str, Any]:
        """The posted values (checked once per request), with ``reason`` when one is asked."""
        if not hasattr(self, "_cleaned"):
            self._cleaned = super().cleaned_data()
        data = {**self._cleaned, **getattr(self, "_confirmed", {})}
        if self.reason_label is not None:
            data["reason"] = self._reason()
        return data

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get(CONFIRMED) != "1":
            try:  # what is to be confirmed must be valid and allowed before asking
                self.cleaned_data()
                self.check_allowed()
            except DomainError as error:
                messages.error(request, error.message)
                return redirect(self.get_failure_url())
            return self._ask()
        confirm_form = self._confirm_form(bound=True)
        if confirm_form is not None and not confirm_form.is_valid():
            return self._ask(confirm_form=confirm_form)
        if self.reason_label is not None and not self.reason_optional and not self._reason():
            return self._ask(error=gettext_lazy("Give a reason."), confirm_form=confirm_form)
        if confirm_form is not None:
            self._confirmed = confirm_form.cleaned_data
        return super().post(request, *args, **kwargs)

    def check_allowed(self) -> None:
        """Raise ``DomainError`` when the action would be refused anyway: the user learns it
        before confirming (the service checks again when it acts)."""


class ConfirmedActionView(OrgViewMixin, ConfirmationMixin, View):
    """A tenant action that asks for confirmation first (see ``ConfirmationMixin``)."""


class FormConfirmationMixin(ServiceFormMixin):
    """A ``ServiceFormMixin`` whose valid form is confirmed first when saving it changes more
    than the form shows: ``confirm_effects(form)`` lists those changes (e.g. coverage figures);
    when there are any, the shared confirmation page shows them with ``confirm_title(form)``,
    carries the typed values through, and the form is saved only on the POST that page sends
    back (``confirmed=1``). Nothing to confirm: saved at once. A refusal (``DomainError``) met
    while working out the effects is an error on the form, as when saving."""

    confirm_template = "_confirm.html"
    confirm_button: StrOrPromise = gettext_lazy("Confirm and save")

    def confirm_title(self, form: Any) -> StrOrPromise:
        raise NotImplementedError

    def confirm_effects(self, form: Any) -> list[StrOrPromise]:
        return []

    def confirm_cancel_url(self) -> str:
        return self.get_success_url()  # type: ignore[attr-defined]

    def form_valid(self, form: Any) -> HttpResponse:
        if self.request.POST.get(CONFIRMED) != "1":
            try:
                effects = self.confirm_effects(form)
            except DomainError as error:
                add_domain_error(form, error)
                return self.form_invalid(form)  # type: ignore[attr-defined]
            if effects:
                return render_confirmation(
                    self.request,
                    template=self.confirm_template,
                    title=self.confirm_title(form),
                    effects=effects,
                    button=self.confirm_button,
                    cancel_url=self.confirm_cancel_url(),
                )
        return super().form_valid(form)


class ConfirmedFormView(OrgViewMixin, FormConfirmationMixin, FormView):
    """A tenant page with a form that may ask for confirmation (``FormConfirmationMixin``)."""
