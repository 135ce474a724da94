from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accounts import services
from accounts.forms import OrgSecurityForm
from accounts.roles import MANAGE_SETTINGS
from xuncha.tenancy.views import OrgViewMixin


class OrgSettingsView(OrgViewMixin, FormView):
    permission = MANAGE_SETTINGS
    template_name = "accounts/org_settings.html"
    form_class = OrgSecurityForm

    def get_initial(self) -> dict[str, Any]:
        return {"two_factor_roles": self.request.org.two_factor_roles}

    def form_valid(self, form: OrgSecurityForm) -> HttpResponse:
        services.set_two_factor_roles(
            org=self.request.org,
            actor=self.request.user,
            roles=form.cleaned_data["two_factor_roles"],
        )
        messages.success(self.request, _("Security settings saved."))
        return redirect("accounts:org_settings")
