"""Archiving (归档) coverage plans and rounds, and deleting them while nothing uses them.

An archived plan or round is hidden from lists and pickers, stays reachable with its whole
history (who archived it and when is its 修改记录), and is read-only until it is unarchived:
every service that changes one calls ``check_plan_editable`` / ``check_round_editable`` (a
round's team services through ``closed.while_round_open``, and again under the round's lock).
Once a plan has targets, or a round has teams or inspections, it can only be archived, never
deleted.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import User
from rounds.models import CoveragePlan, CoverageTarget, Inspection, Round, Team
from rounds.taxonomy import Stage

NAMED = 10  # how many units a refusal names before "and N more"


def named_list(names: list[str], total: int) -> str:
    """``names`` joined for a message, with how many more there are than shown."""
    text = "、".join(names)
    if total > len(names):
        text += _(" and %(count)d more") % {"count": total - len(names)}
    return text


def check_plan_editable(plan: CoveragePlan) -> None:
    if plan.archived_at is not None:
        raise DomainError(
            _("The plan %(name)s is archived and read-only: unarchive it to change it.")
            % {"name": plan.name}
        )


def check_round_editable(round: Round) -> None:
    if round.archived_at is not None:
        raise DomainError(
            _("The round %(name)s is archived and read-only: unarchive it to change it.")
            % {"name": round.name}
        )


def _locked_plan(plan: CoveragePlan) -> CoveragePlan:
    return CoveragePlan.objects.for_org(plan.organization).select_for_update().get(pk=plan.pk)


def _locked_round(round: Round) -> Round:
    return Round.objects.for_org(round.organization).select_for_update().get(pk=round.pk)


def _set_archived(record: CoveragePlan | Round, *, archived: bool) -> None:
    """Save only ``archived_at`` (the plan's stored figures stay as the database keeps them)."""
    if (record.archived_at is not None) == archived:
        return  # nothing changes: no write, no history event
    record.archived_at = timezone.now() if archived else None
    record.save(update_fields=["archived_at"])


@transaction.atomic
def archive_plan(*, plan: CoveragePlan, actor: User) -> CoveragePlan:
    """Hide the plan from lists and make it read-only; its targets and coverage are kept."""
    locked = _locked_plan(plan)
    _set_archived(locked, archived=True)
    plan.archived_at = locked.archived_at
    return plan


@transaction.atomic
def unarchive_plan(*, plan: CoveragePlan, actor: User) -> CoveragePlan:
    locked = _locked_plan(plan)
    _set_archived(locked, archived=False)
    plan.archived_at = locked.archived_at
    return plan


def round_open_inspections(round: Round) -> tuple[list[str], int]:
    """The units (first ``NAMED``, in tree order) and the number of the round's inspections
    that are not closed."""
    open_ = (
        Inspection.objects.for_org(round.organization)
        .filter(round=round)
        .exclude(stage=Stage.CLOSED)
    )
    names = list(open_.order_by("unit__path").values_list("unit__name", flat=True)[:NAMED])
    return names, (open_.count() if len(names) == NAMED else len(names))


def check_round_archivable(round: Round) -> None:
    """A round is archived once its work is done: an inspection still running would vanish
    from the lists while its team works on it (a closed inspection is read-only already)."""
    names, total = round_open_inspections(round)
    if total:
        raise DomainError(
            _(
                "Inspections of %(round)s are not closed yet: %(units)s. "
                "Close them before archiving the round."
            )
            % {"round": round.name, "units": named_list(names, total)}
        )


@transaction.atomic
def archive_round(*, round: Round, actor: User) -> Round:
    """Hide the round from lists and pickers and make it (and its teams) read-only."""
    locked = _locked_round(round)
    if locked.archived_at is None:
        check_round_archivable(locked)
    _set_archived(locked, archived=True)
    round.archived_at = locked.archived_at
    return round


@transaction.atomic
def unarchive_round(*, round: Round, actor: User) -> Round:
    locked = _locked_round(round)
    _set_archived(locked, archived=False)
    round.archived_at = locked.archived_at
    return round


def check_plan_deletable(plan: CoveragePlan) -> None:
    if CoverageTarget.objects.for_org(plan.organization).filter(plan=plan).exists():
        raise DomainError(
            _("The plan %(name)s has target units: archive it instead of deleting it.")
            % {"name": plan.name}
        )


def check_round_deletable(round: Round) -> None:
    org = round.organization
    if (
        Team.objects.for_org(org).filter(round=round).exists()
        or Inspection.objects.for_org(org).filter(round=round).exists()
    ):
        raise DomainError(
            _("The round %(name)s has teams or inspections: archive it instead of deleting it.")
            % {"name": round.name}
        )


@transaction.atomic
def delete_plan(*, plan: CoveragePlan, actor: User) -> None:
    """Delete a plan entered by mistake; refused once it has targets (the history keeps the
    deleted row)."""
    locked = _locked_plan(plan)
    check_plan_deletable(locked)
    locked.delete()


@transaction.atomic
def delete_round(*, round: Round, actor: User) -> None:
    """Delete a round entered by mistake; refused once it has teams or inspections."""
    locked = _locked_round(round)
    check_round_deletable(locked)
    locked.delete()
