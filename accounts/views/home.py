from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from accounts.selectors import membership_list, unit_visible_list
from xuncha.tenancy.views import OrgViewMixin


class HomeView(OrgViewMixin, TemplateView):
    permission = None
    template_name = "home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        org, membership = self.request.org, self.request.membership
        units = unit_visible_list(org=org, membership=membership)
        context["unit_count"] = units.filter(is_active=True).count()
        context["member_count"] = membership_list(org=org, active=True).count()
        return context
