from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import services
from accounts.forms import OrgSecurityForm
from accounts.roles import MANAGE_SETTINGS
from xuncha.tenancy.views import ServiceFormView


class OrgSettingsView(ServiceFormView):
    permission = MANAGE_SETTINGS
    template_name = "accounts/org_settings.html"
    form_class = OrgSecurityForm

    def get_initial(self) -> dict[str, Any]:
        return {"two_factor_roles": self.request.org.two_factor_roles}

    def perform(self, form: OrgSecurityForm) -> str:
        services.set_two_factor_roles(
            org=self.request.org,
            actor=self.request.user,
            roles=form.cleaned_data["two_factor_roles"],
        )
        return _("Security settings saved.")

    def get_success_url(self) -> str:
        return reverse("accounts:org_settings")
