"""Changes of who works a team's inspections, each confirmed first (``ConfirmedActionView``):
removing a member (with a reason while the team's inspections are under way, and the new leader
when the leader leaves an inspection past planning) and deciding a recusal declaration."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import DomainError
from rounds.capabilities import MANAGE_ROUNDS
from rounds.forms.teams import NewLeaderForm, RecusalDecisionForm, RecusalReplacementForm
from rounds.models import Recusal, TeamMember
from rounds.selectors import teams as selectors
from rounds.services import teams as services
from xuncha.tenancy.views import ConfirmedActionView

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _team_url(team_pk: int) -> str:
    return reverse("rounds:team_detail", args=[team_pk])


class TeamMemberRemoveView(ConfirmedActionView):
    permission = MANAGE_ROUNDS
    model = TeamMember
    confirm_button = gettext_lazy("Remove")

    @cached_property
    def member(self) -> TeamMember:
        members = selectors.team_member_all(org=self.request.org)
        return get_object_or_404(members, pk=self.kwargs["pk"])

    @cached_property
    def stages(self) -> set[str]:
        return services.team_stages(team=self.member.team)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # What is asked depends on the member and on how far the team's inspections are.
        if self.member.role == TeamMember.Role.LEADER:
            self.confirm_form_class = NewLeaderForm
        if services.under_way(self.stages):
            self.reason_label = gettext_lazy("Reason for the removal")
        return super().post(request, *args, **kwargs)

    def get_confirm_form_kwargs(self) -> dict[str, Any]:
        required = services.needs_new_leader(member=self.member, stages=self.stages)
        return {"member": self.member, "required": required}

    def check_allowed(self) -> None:
        services.check_member_removable(member=self.member)

    def confirm_title(self) -> str:
        return _("Remove %(person)s from %(team)s?") % {
            "person": self.member.inspector,
            "team": self.member.team.name,
        }

    def confirm_effects(self) -> list[StrOrPromise]:
        effects: list[StrOrPromise] = [
            _("%(person)s loses access to the team's inspections.")
            % {"person": self.member.inspector}
        ]
        if services.needs_new_leader(member=self.member, stages=self.stages):
            effects.append(
                _(
                    "The team's inspections are past planning: the new leader you name takes "
                    "over at once, with their own authorization."
                )
            )
        return effects

    def perform(self, data: dict[str, Any]) -> str:
        seat = services.remove_member(
            member=self.member,
            actor=self.request.user,
            reason=data.get("reason", ""),
            new_leader=data.get("new_leader"),
            authorization_ref=data.get("authorization_ref") or "",
            authorized_on=data.get("authorized_on"),
        )
        if seat is not None:
            return _("%(name)s left the team; %(leader)s leads it now.") % {
                "name": self.member.inspector,
                "leader": seat.inspector,
            }
        return _("%(name)s left the team.") % {"name": self.member.inspector}

    def get_success_url(self) -> str:
        return _team_url(self.member.team_id)


class RecusalDecideView(ConfirmedActionView):
    permission = MANAGE_ROUNDS
    model = Recusal
    form_class = RecusalDecisionForm
    confirm_form_class = RecusalReplacementForm
    invalid_message = gettext_lazy("Choose to approve or reject the declaration.")

    @cached_property
    def recusal(self) -> Recusal:
        return get_object_or_404(selectors.recusal_all(org=self.request.org), pk=self.kwargs["pk"])

    @property
    def approve(self) -> bool:
        return self.request.POST.get("decision") == Recusal.Decision.APPROVED

    def get_confirm_form_kwargs(self) -> dict[str, Any]:
        return {"recusal": self.recusal, "approve": self.approve}

    def check_allowed(self) -> None:
        if self.recusal.decision != Recusal.Decision.PENDING:
            raise DomainError(_("This declaration has already been decided."))

    def confirm_title(self) -> str:
        names = {"person": self.recusal.member.inspector, "unit": self.recusal.unit.name}
        if self.approve:
            return _("Approve the recusal of %(person)s from %(unit)s?") % names
        return _("Reject the recusal of %(person)s from %(unit)s?") % names

    def confirm_effects(self) -> list[StrOrPromise]:
        if not self.approve:
            return [
                _("%(person)s goes on working %(unit)s.")
                % {"person": self.recusal.member.inspector, "unit": self.recusal.unit.name}
            ]
        effects: list[StrOrPromise] = [
            _(
                "%(person)s leaves the work on %(unit)s and loses access to its inspection; "
                "the team's other inspections stay theirs."
            )
            % {"person": self.recusal.member.inspector, "unit": self.recusal.unit.name}
        ]
        if self.recusal.member.role == TeamMember.Role.LEADER:
            effects.append(
                _("If nobody replaces them, the inspection has no leader and cannot move on.")
            )
        return effects

    def perform(self, data: dict[str, Any]) -> str:
        services.decide_recusal(
            recusal=self.recusal,
            actor=self.request.user,
            approve=data["decision"] == Recusal.Decision.APPROVED,
            replacement=data.get("replacement"),
        )
        return _("Decision recorded.")

    def get_success_url(self) -> str:
        return _team_url(self.recusal.member.team_id)
