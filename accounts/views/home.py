from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import TemplateView

from accounts.work_queue import home_queue, section_get, section_page
from xuncha.tenancy.views import OrgViewMixin


class HomeView(OrgViewMixin, TemplateView):
    """What is waiting for the member, a queue per role they hold (``accounts.work_queue``)."""

    permission = None
    template_name = "home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        membership = self.request.membership
        membership.user = self.request.user  # the member's own account: not read again
        context["queue"] = home_queue(membership)
        return context


class WorkQueueView(OrgViewMixin, TemplateView):
    """The full list of one section of the member's queue (``?section=<key>``), paginated:
    where the home page's "show all" goes. Another role's section is not found."""

    permission = None
    template_name = "accounts/work_queue.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.GET.get("section", "")
        if not key:
            return redirect("home")
        section = section_get(request.membership, key)
        if section is None:
            raise Http404
        try:
            page, entries = section_page(request.membership, section, request.GET.get("page"))
        except LookupError:
            raise Http404 from None
        context = self.get_context_data(
            section=section, entries=entries, page_obj=page, is_paginated=page.has_other_pages()
        )
        return self.render_to_response(context)
