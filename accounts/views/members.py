"""Tenant administration of members: accounts, roles and unit grants."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from accounts import services
from accounts.forms import MemberCreateForm, MemberUpdateForm
from accounts.models import Membership
from accounts.roles import MANAGE_MEMBERS, Role
from accounts.selectors import membership_identity_is_shared, membership_list, unit_grant_units
from accounts.two_factor import check_second_factor_reset, reset_second_factor, second_factor_exists
from xuncha.tenancy.views import ConfirmedActionView, OrgViewMixin, ServiceFormView


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


class MemberCreateView(ServiceFormView):
    permission = MANAGE_MEMBERS
    template_name = "accounts/member_form.html"
    form_class = MemberCreateForm

    def perform(self, form: MemberCreateForm) -> str:
        self.object = services.create_member(
            org=self.request.org, actor=self.request.user, **form.cleaned_data
        )
        return _("Member %(name)s created.") % {"name": self.object.user}

    def get_success_url(self) -> str:
        return reverse("accounts:member_edit", args=[self.object.pk])


class MemberUpdateView(ServiceFormView):
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
        kwargs["identity_locked"] = membership_identity_is_shared(membership=self.membership)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        membership = self.membership
        return {
            "full_name": membership.user.full_name,
            "email": membership.user.email,
            "phone": membership.user.phone,
            "title": membership.title,
            "roles": sorted(membership.roles),
            "is_active": membership.is_active,
            "units": unit_grant_units(membership=membership),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["membership"] = self.membership
        context["has_second_factor"] = second_factor_exists(user=self.membership.user)
        return context

    def perform(self, form: MemberUpdateForm) -> str:
        data = form.cleaned_data
        services.update_member(
            membership=self.membership,
            actor=self.request.user,
            roles=data["roles"],
            is_active=data["is_active"],
            full_name=data["full_name"],
            email=data["email"],
            phone=data["phone"],
            title=data["title"],
            units=data["units"],
        )
        return _("Member %(name)s saved.") % {"name": self.membership.user}

    def get_success_url(self) -> str:
        return reverse("accounts:member_list")


class MemberSecondFactorResetView(ConfirmedActionView):
    """An admin removes a member's authenticator app (lost or replaced phone): they set up a
    new one at their next page where their roles require it."""

    permission = MANAGE_MEMBERS
    model = Membership
    confirm_button = gettext_lazy("Reset")

    @cached_property
    def membership(self) -> Membership:
        return get_object_or_404(membership_list(org=self.request.org), pk=self.kwargs["pk"])

    def confirm_title(self) -> str:
        return _("Reset the two-factor authentication of %(name)s?") % {
            "name": self.membership.user
        }

    def confirm_effects(self) -> list[str]:
        return [
            _("Remove the authenticator app they sign in with: its codes stop working."),
            _(
                "Where their roles require two-factor sign-in, have them set up a new app at "
                "their next visit."
            ),
        ]

    def check_allowed(self) -> None:
        check_second_factor_reset(membership=self.membership)

    def perform(self, data: dict[str, Any]) -> str:
        reset_second_factor(membership=self.membership, actor=self.request.user)
        return _("The two-factor authentication of %(name)s was reset.") % {
            "name": self.membership.user
        }

    def get_success_url(self) -> str:
        return reverse("accounts:member_edit", args=[self.membership.pk])
