"""Sign-in, sign-out, password, organization switch and two-factor enrolment."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import LoginForm, PasswordChangeForm, TokenForm
from accounts.middleware import SESSION_ORG_KEY
from accounts.two_factor import code_wait_seconds, verify_code


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # A stolen password alone must not be enough to change it: when any organization of
        # the user requires a second factor, this page waits for it like the tenant pages.
        user = request.user
        if user.is_authenticated and any(
            membership.needs_second_factor(user) for membership in request.memberships
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two_factor')}?{query}")
        return super().dispatch(request, *args, **kwargs)


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class NoOrgView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/no_org.html"


class SwitchOrgView(LoginRequiredMixin, View):
    """Switch the active organization among the user's own memberships."""

    def post(self, request: HttpRequest) -> HttpResponse:
        wanted = request.POST.get("organization", "")
        for membership in request.memberships:
            if str(membership.organization_id) == wanted:
                request.session[SESSION_ORG_KEY] = membership.organization_id
                messages.success(
                    request, _("Now working in %(org)s.") % {"org": membership.organization}
                )
                return redirect("home")
        messages.error(request, _("You are not a member of that organization."))
        return redirect("home")


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse_lazy("home")


class TwoFactorView(LoginRequiredMixin, View):
    """Enrol a TOTP device (shown as a QR code), or verify this session with an enrolled one."""

    template_name = "accounts/two_factor.html"

    def _device(self, request: HttpRequest) -> tuple[TOTPDevice, bool]:
        confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
        if confirmed:
            return confirmed, True
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=request.user, name=_("Authenticator app"), confirmed=False
            )
        return device, False

    def _render(self, request: HttpRequest, form: TokenForm, status: int = 200) -> HttpResponse:
        device, enrolled = self._device(request)
        context: dict[str, Any] = {"form": form, "enrolled": enrolled, "next": _safe_next(request)}
        if not enrolled:
            context["qr_svg"] = segno.make(device.config_url).svg_inline(scale=4)
            context["secret"] = b32encode(device.bin_key).decode()
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, TokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        device, enrolled = self._device(request)
        wait = code_wait_seconds(device)
        if wait:
            form.add_error(
                "token",
                ngettext(
                    "Too many wrong codes: wait %(seconds)d second, then enter the current one.",
                    "Too many wrong codes: wait %(seconds)d seconds, then enter the current one.",
                    wait,
                )
                % {"seconds": wait},
            )
            return self._render(request, form, status=400)
        if not verify_code(device=device, token=form.cleaned_data["token"]):
            form.add_error("token", _("The code is wrong or has expired. Try the current one."))
            return self._render(request, form, status=400)
        if not enrolled:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, _("Two-factor authentication verified."))
        return HttpResponseRedirect(_safe_next(request))


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
