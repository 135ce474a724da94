"""A closed inspection (办结) is a record of what happened: nothing on it changes afterwards,
and a round whose inspections are all closed is closed with them. Reopening is an explicit
leadership action with a reason, written on the timeline.

Every service that changes an inspection's record is decorated ``@while_open`` (the work plan,
schedule, tasks, milestones, intelligence, problems, extension visits), every service that
changes a round's teams ``@while_round_open`` (which refuses an archived round too); the
check reads the current stage from the database, whatever the caller's instance says.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import User
from accounts.selectors import membership_get
from rounds.capabilities import CLOSE_INSPECTIONS
from rounds.models import Inspection, Round, StageTransition
from rounds.services.archive import check_round_editable
from rounds.taxonomy import STAGE_ORDER, Stage

_PARTS = ("task", "milestone", "request", "problem", "visit")


def _inspection_in(kwargs: dict[str, Any]) -> Inspection | None:
    if isinstance(kwargs.get("inspection"), Inspection):
        return kwargs["inspection"]
    for name in _PARTS:
        part = kwargs.get(name)
        if part is not None and hasattr(part, "inspection_id"):
            return part.inspection
    return None


def closed_message(inspection: Inspection) -> str:
    return _(
        "The inspection of %(unit)s is closed: its record is read-only. The leadership "
        "group can reopen it, giving a reason."
    ) % {"unit": inspection.unit}


def check_open(inspection: Inspection) -> None:
    stage = (
        Inspection.objects.for_org(inspection.organization)
        .filter(pk=inspection.pk)
        .values_list("stage", flat=True)
        .first()
    )
    if stage == Stage.CLOSED:
        raise DomainError(closed_message(inspection))


def while_open[**P, R](fn: Callable[P, R]) -> Callable[P, R]:
    """Refuse the service when the inspection it changes is closed."""

    @functools.wraps(fn)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        inspection = _inspection_in(kwargs)
        if inspection is not None:
            check_open(inspection)
        return fn(*args, **kwargs)

    return inner


def round_is_closed(round: Round) -> bool:
    """Closed with its inspections: it has some, and every one is closed."""
    stages = set(
        Inspection.objects.for_org(round.organization)
        .filter(round=round)
        .values_list("stage", flat=True)
        .distinct()
    )
    return stages == {Stage.CLOSED}


def _round_in(kwargs: dict[str, Any]) -> Round | None:
    if isinstance(kwargs.get("round"), Round):
        return kwargs["round"]
    for name in ("team", "inspection"):
        if kwargs.get(name) is not None:
            return kwargs[name].round
    member = kwargs.get("member") or getattr(kwargs.get("recusal"), "member", None)
    return member.team.round if member is not None else None


def check_round_open(round: Round) -> None:
    """Refuse changing ``round`` when it is closed, or archived (``archive``), as stored."""
    if round_is_closed(round):
        raise DomainError(
            _(
                "The round %(name)s is closed: every inspection of it is closed, so its teams "
                "and dates are read-only."
            )
            % {"name": round.name}
        )
    check_round_editable(Round.objects.for_org(round.organization).get(pk=round.pk))


def while_round_open[**P, R](fn: Callable[P, R]) -> Callable[P, R]:
    """Refuse the service when the round it changes is closed or archived."""

    @functools.wraps(fn)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        round_ = _round_in(kwargs)
        if round_ is not None:
            check_round_open(round_)
        return fn(*args, **kwargs)

    return inner


REOPENED_TO = STAGE_ORDER[STAGE_ORDER.index(Stage.CLOSED) - 1]  # acceptance


@transaction.atomic
def reopen_inspection(*, inspection: Inspection, actor: User, reason: str) -> Inspection:
    """Leadership reopens a closed inspection: back to acceptance, the reason on the timeline."""
    org = inspection.organization
    locked = Inspection.objects.for_org(org).select_for_update().get(pk=inspection.pk)
    membership = membership_get(org=org, user=actor)
    if membership is None or not membership.has_perm(CLOSE_INSPECTIONS):
        raise DomainError(_("Only the leadership group may reopen an inspection."))
    if locked.stage != Stage.CLOSED:
        raise DomainError(_("Only a closed inspection can be reopened."))
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for reopening the inspection."), field="reason")
    now = timezone.now()
    locked.stage, locked.stage_entered_at, locked.closed_at = REOPENED_TO, now, None
    locked.save(update_fields=["stage", "stage_entered_at", "closed_at"])
    StageTransition.objects.create(
        organization=org,
        inspection=locked,
        from_stage=Stage.CLOSED,
        to_stage=REOPENED_TO,
        actor=actor,
        reason=_("Reopened: %(reason)s") % {"reason": reason},
        at=now,
        effective_at=now,
    )
    for name in ("stage", "stage_entered_at", "closed_at"):
        setattr(inspection, name, getattr(locked, name))
    return inspection
