"""Tenant administration of members: accounts, roles and unit grants."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from accounts import services
from accounts.errors import DomainError
from accounts.forms import MemberCreateForm, MemberUpdateForm
from accounts.models import Membership
from accounts.roles import MANAGE_MEMBERS, Role
from accounts.selectors import granted_units, membership_list
from xuncha.tenancy.views import OrgViewMixin


class MemberListView(OrgViewMixin, ListView):
    permission = MANAGE_MEMBERS
    template_name = "accounts/member_list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Membership]:
        params = self.request.GET
        active = {"1": True, "0": False}.get(params.get("active", ""))
        return membership_list(
            org=self.request.org,
            search=params.get("q", "").strip(),
            role=params.get("role", "") if params.get("role", "") in Role.values else "",
            active=active,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["roles"] = Role.choices
        return context


class MemberCreateView(OrgViewMixin, FormView):
    permission = MANAGE_MEMBERS
    template_name = "accounts/member_form.html"
    form_class = MemberCreateForm

    def form_valid(self, form: MemberCreateForm) -> HttpResponse:
        try:
            membership = services.create_member(
                org=self.request.org, actor=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Member %(name)s created.") % {"name": membership.user})
        return redirect("accounts:member_edit", pk=membership.pk)


class MemberUpdateView(OrgViewMixin, FormView):
    permission = MANAGE_MEMBERS
    template_name = "accounts/member_form.html"
    form_class = MemberUpdateForm
    model = Membership

    @cached_property
    def membership(self) -> Membership:
        return get_object_or_404(membership_list(org=self.request.org), pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["org"] = self.request.org
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        membership = self.membership
        return {
            "full_name": membership.user.full_name,
            "email": membership.user.email,
            "title": membership.title,
            "roles": sorted(membership.roles),
            "is_active": membership.is_active,
            "units": granted_units(org=self.request.org, user=membership.user),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["membership"] = self.membership
        return context

    def form_valid(self, form: MemberUpdateForm) -> HttpResponse:
        data = form.cleaned_data
        membership = self.membership
        try:
            services.update_member(
                membership=membership,
                actor=self.request.user,
                roles=data["roles"],
                is_active=data["is_active"],
                full_name=data["full_name"],
                email=data["email"],
                title=data["title"],
                units=data["units"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Member %(name)s saved.") % {"name": membership.user})
        return redirect("accounts:member_list")
