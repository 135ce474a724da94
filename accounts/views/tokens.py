"""API tokens: a member's own, and an org admin's service accounts with theirs."""

from __future__ import annotations

from django.views.generic import TemplateView

from xuncha.tenancy.views import OrgViewMixin


class ApiTokenListView(OrgViewMixin, TemplateView):
    permission = None
    template_name = "accounts/api_tokens.html"
