"""API tokens: a member's own, and an org admin's service accounts with theirs."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.errors import DomainError
from accounts.models import ApiToken, Membership
from accounts.roles import MANAGE_MEMBERS
from accounts.selectors import (
    api_token_list,
    api_token_manageable_list,
    membership_service_account_list,
)
from accounts.token_forms import ApiTokenForm, ServiceAccountForm
from accounts.tokens import create_api_token, create_service_account, revoke_api_token
from xuncha.tenancy.views import (
    ConfirmedActionView,
    OrgViewMixin,
    ServiceFormView,
    add_domain_error,
)

# Which membership a posted token form is for: the member's own when absent.
FOR = "membership"


def token_form(membership: Membership, *, own: bool, data: Any = None) -> ApiTokenForm:
    """A token form; each service account's has ids of its own, as they share one page."""
    auto_id = "id_%s" if own else f"id_sa{membership.pk}_%s"
    return ApiTokenForm(data=data, auto_id=auto_id)


class ApiTokenListView(OrgViewMixin, TemplateView):
    """The member's tokens and a form to make one; for an org admin also the service accounts
    with theirs. A new key is shown once, on the page that answers the POST that made it:
    rendered there and nowhere stored (not in a message, not in the session)."""

    permission = None
    template_name = "accounts/api_tokens.html"

    @cached_property
    def manages_service_accounts(self) -> bool:
        return self.request.membership.has_perm(MANAGE_MEMBERS)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        membership = self.request.membership
        bound = kwargs.get("bound_form")
        bound_for = kwargs.get("bound_for")
        context["now"] = timezone.now()
        context["tokens"] = api_token_list(membership=membership)
        own_bound = bound is not None and bound_for == membership.pk
        context["form"] = bound if own_bound else token_form(membership, own=True)
        if self.manages_service_accounts:
            accounts = list(membership_service_account_list(org=self.request.org))
            for account in accounts:
                is_bound = bound is not None and bound_for == account.pk
                account.token_form = bound if is_bound else token_form(account, own=False)
            context["service_accounts"] = accounts
        return context

    def _target(self) -> Membership:
        """The membership the posted form makes a token for: the member's own, or (org
        admins) one of the organization's service accounts; anything else is not found."""
        membership = self.request.membership
        wanted = self.request.POST.get(FOR, "")
        if not wanted or wanted == str(membership.pk):
            return membership
        if not self.manages_service_accounts or not wanted.isdigit():
            raise Http404
        return get_object_or_404(membership_service_account_list(org=self.request.org), pk=wanted)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        target = self._target()
        form = token_form(target, own=target == request.membership, data=request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    token, key = create_api_token(
                        membership=target,
                        actor=request.user,
                        actor_membership=request.membership,
                        name=form.cleaned_data["name"],
                        expires_at=form.expiry(),
                    )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                response = self.render_to_response(
                    self.get_context_data(new_token=token, new_key=key, new_for=target)
                )
                response["Cache-Control"] = "no-store"  # the key stays out of any cache
                return response
        return self.render_to_response(self.get_context_data(bound_form=form, bound_for=target.pk))


class ApiTokenRevokeView(ConfirmedActionView):
    """Revoke a token (asked first): calls with its key are refused from then on. Only the
    tokens the member may manage are found."""

    permission = None
    model = ApiToken
    confirm_button = gettext_lazy("Revoke")

    @cached_property
    def token(self) -> ApiToken:
        tokens = api_token_manageable_list(membership=self.request.membership)
        return get_object_or_404(tokens, pk=self.kwargs["pk"])

    def confirm_title(self) -> str:
        return _("Revoke the API token %(name)s (%(prefix)s)?") % {
            "name": self.token.name,
            "prefix": self.token.prefix,
        }

    def confirm_effects(self) -> list[str]:
        return [
            _("Refuse every call made with this key from now on: the systems using it stop."),
            _("Keep the token in the list as revoked; it cannot be used again."),
        ]

    def check_allowed(self) -> None:
        if self.token.revoked_at is not None:
            raise DomainError(_("This token is already revoked."))

    def perform(self, data: dict[str, Any]) -> str:
        revoke_api_token(
            token=self.token, actor=self.request.user, actor_membership=self.request.membership
        )
        return _("The API token %(name)s was revoked.") % {"name": self.token.name}

    def get_success_url(self) -> str:
        url = reverse("accounts:api_tokens")
        own = self.token.membership_id == self.request.membership.pk
        return url if own else f"{url}#service-accounts"


class ServiceAccountCreateView(ServiceFormView):
    """An org admin makes a service account (a user that never signs in) with its roles."""

    permission = MANAGE_MEMBERS
    template_name = "accounts/service_account_form.html"
    form_class = ServiceAccountForm

    def perform(self, form: ServiceAccountForm) -> str:
        self.object = create_service_account(
            org=self.request.org, actor=self.request.user, **form.cleaned_data
        )
        return _("Service account %(name)s created. Make a token for it below.") % {
            "name": self.object.user
        }

    def get_success_url(self) -> str:
        return f"{reverse('accounts:api_tokens')}#service-account-{self.object.pk}"
