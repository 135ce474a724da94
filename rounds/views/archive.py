"""Archive, unarchive and delete coverage plans and rounds (``rounds.services.archive``).

Archiving and deleting ask first on the shared confirmation page, which lists what they
affect; unarchiving (it only undoes an archive) acts at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rounds.capabilities import MANAGE_PLANS, MANAGE_ROUNDS
from rounds.selectors import coverage as plan_selectors
from rounds.selectors import teams as round_selectors
from rounds.services import archive as services
from rounds.views.coverage import PlanMixin
from rounds.views.teams import RoundMixin
from xuncha.tenancy.views import ConfirmedActionView, ServiceActionView

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class _PlanAction(PlanMixin):
    permission = MANAGE_PLANS

    def get_success_url(self) -> str:
        return reverse("rounds:plan_detail", args=[self.plan.pk])

    def target_count(self) -> int:
        return plan_selectors.plan_target_list(org=self.request.org, plan=self.plan).count()


class PlanArchiveView(_PlanAction, ConfirmedActionView):
    confirm_button = gettext_lazy("Archive")

    def confirm_title(self) -> str:
        return _("Archive the plan %(name)s?") % {"name": self.plan.name}

    def confirm_effects(self) -> list[StrOrPromise]:
        return [
            _("It leaves the plan list (shown again with “Show archived”); its page stays."),
            _(
                "It becomes read-only: its name, period and %(count)d target unit(s) cannot be "
                "changed until it is unarchived. Their coverage is kept."
            )
            % {"count": self.target_count()},
        ]

    def perform(self, data: dict[str, Any]) -> str:
        services.archive_plan(plan=self.plan, actor=self.request.user)
        return _("Plan %(name)s archived.") % {"name": self.plan.name}


class PlanUnarchiveView(_PlanAction, ServiceActionView):
    def perform(self, data: dict[str, Any]) -> str:
        services.unarchive_plan(plan=self.plan, actor=self.request.user)
        return _("Plan %(name)s unarchived.") % {"name": self.plan.name}


class PlanDeleteView(_PlanAction, ConfirmedActionView):
    confirm_button = gettext_lazy("Delete")

    def confirm_title(self) -> str:
        return _("Delete the plan %(name)s?") % {"name": self.plan.name}

    def confirm_effects(self) -> list[StrOrPromise]:
        return [_("The plan is removed from the plan list; its history keeps what it was.")]

    def check_allowed(self) -> None:
        services.check_plan_deletable(self.plan)

    def perform(self, data: dict[str, Any]) -> str:
        name = self.plan.name
        services.delete_plan(plan=self.plan, actor=self.request.user)
        return _("Plan %(name)s deleted.") % {"name": name}

    def get_success_url(self) -> str:
        return reverse("rounds:plan_list")

    def get_failure_url(self) -> str:
        return reverse("rounds:plan_detail", args=[self.plan.pk])


class _RoundAction(RoundMixin):
    permission = MANAGE_ROUNDS

    def get_success_url(self) -> str:
        return reverse("rounds:round_detail", args=[self.round.pk])


class RoundArchiveView(_RoundAction, ConfirmedActionView):
    confirm_button = gettext_lazy("Archive")

    def confirm_effects(self) -> list[StrOrPromise]:
        teams = round_selectors.round_team_count(round=self.round)
        inspections = round_selectors.round_inspection_count(round=self.round)
        return [
            _(
                "It leaves the round list, the round filter of the inspection list and the "
                "choice of look-back rounds (shown again with “Show archived”); its page stays."
            ),
            _(
                "It becomes read-only with its %(teams)d team(s): nothing of the round, its "
                "teams, members or units can be changed until it is unarchived."
            )
            % {"teams": teams},
            _("Its %(count)d closed inspection(s) still count towards coverage.")
            % {"count": inspections},
        ]

    def confirm_title(self) -> str:
        return _("Archive the round %(name)s?") % {"name": self.round.name}

    def check_allowed(self) -> None:
        if not self.round.is_archived:
            services.check_round_archivable(self.round)

    def perform(self, data: dict[str, Any]) -> str:
        services.archive_round(round=self.round, actor=self.request.user)
        return _("Round %(name)s archived.") % {"name": self.round.name}


class RoundUnarchiveView(_RoundAction, ServiceActionView):
    def perform(self, data: dict[str, Any]) -> str:
        services.unarchive_round(round=self.round, actor=self.request.user)
        return _("Round %(name)s unarchived.") % {"name": self.round.name}


class RoundDeleteView(_RoundAction, ConfirmedActionView):
    confirm_button = gettext_lazy("Delete")

    def confirm_title(self) -> str:
        return _("Delete the round %(name)s?") % {"name": self.round.name}

    def confirm_effects(self) -> list[StrOrPromise]:
        return [_("The round is removed from the round list; its history keeps what it was.")]

    def check_allowed(self) -> None:
        services.check_round_deletable(self.round)

    def perform(self, data: dict[str, Any]) -> str:
        name = self.round.name
        services.delete_round(round=self.round, actor=self.request.user)
        return _("Round %(name)s deleted.") % {"name": name}

    def get_success_url(self) -> str:
        return reverse("rounds:round_list")

    def get_failure_url(self) -> str:
        return reverse("rounds:round_detail", args=[self.round.pk])
