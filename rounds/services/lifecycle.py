"""The inspection lifecycle: one service function per stage transition.

planning → preparation → mobilization → onsite → reporting → feedback → rectification →
acceptance → closed. Each transition locks the inspection, refuses an illegal move, checks who
acts and the gates of the target stage (``rounds.gates``), saves the stage and writes one
``StageTransition`` row (the timeline) — all in one transaction, so a refusal changes nothing.

A move of past work entered after the fact carries its ``effective_on`` day: the transition
keeps it (``effective_at``) beside the time of entry (``at``), and the stage dates read it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import User
from accounts.selectors import membership_get
from rounds.gates import unmet_gates
from rounds.models import Inspection, StageTransition
from rounds.permissions import can_move_to
from rounds.services.coverage import refresh_coverage
from rounds.services.effective_dates import check_past_day, day_start
from rounds.taxonomy import COVERING_STAGES, STAGE_ORDER, Stage


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label) if stage in Stage.values else stage


def illegal_move_message(current: str, target: str) -> str:
    return _("An inspection in stage “%(current)s” cannot move to “%(target)s”.") % {
        "current": _stage_label(current),
        "target": _stage_label(target),
    }


def move_refusal(target: str) -> str:
    """What a member who may not move an inspection into ``target`` is told (the page's
    message, and the API's 403)."""
    if target == Stage.CLOSED:
        return _("Only the leadership group may close an inspection.")
    return _("Only the inspection office or this inspection's team leaders may move it.")


def _authorize(inspection: Inspection, actor: User, target: str) -> None:
    membership = membership_get(org=inspection.organization, user=actor)
    if not can_move_to(membership, inspection, target):
        raise DomainError(move_refusal(target))


def _exception_reason(reason: str, waived: list[str]) -> str:
    return _("Leadership exception: %(reason)s (waived: %(waived)s)") % {
        "reason": reason,
        "waived": " ".join(waived),
    }


def _checked_reason(
    inspection: Inspection, *, actor: User, target: str, reason: str, exception: bool
) -> str:
    """Refuse the move unless it is legal, allowed to ``actor`` and its gates are met (or,
    for closing, waived by a leadership exception); return the reason to record."""
    _authorize(inspection, actor, target)
    if inspection.stage != STAGE_ORDER[STAGE_ORDER.index(target) - 1]:
        raise DomainError(illegal_move_message(inspection.stage, target))
    unmet, reason = unmet_gates(inspection, target), reason.strip()
    if not exception:
        if unmet:
            raise DomainError(" ".join(unmet))
        return reason
    if not reason:
        raise DomainError(_("Give the reason for the leadership exception."))
    return _exception_reason(reason, unmet) if unmet else reason


def _previous_move_at(inspection: Inspection) -> datetime.datetime | None:
    """When the inspection's last stage move took effect (its creation is no move: past work
    is created when it is entered, after the moves it records)."""
    moves = StageTransition.objects.for_org(inspection.organization).filter(inspection=inspection)
    latest = moves.exclude(from_stage="").order_by("-effective_at")
    return latest.values_list("effective_at", flat=True).first()


def _effective_at(
    inspection: Inspection, effective_on: datetime.date | None, now: datetime.datetime
) -> datetime.datetime:
    """When a move dated ``effective_on`` took effect: now without a date or for today,
    otherwise the start of that day (not before a previous move of the same day). Refused in
    the future, far from the round, or before the previous move took effect."""
    if effective_on is None:
        return now
    check_past_day(
        effective_on, round=inspection.round, label=_("Effective date"), field="effective_on"
    )
    previous = _previous_move_at(inspection)
    if previous is not None and effective_on < timezone.localdate(previous):
        raise DomainError(
            _("The effective date cannot be before %(date)s, when the last stage move took effect.")
            % {"date": timezone.localdate(previous)},
            field="effective_on",
        )
    if effective_on == timezone.localdate(now):
        return now
    return max(day_start(effective_on), previous) if previous else day_start(effective_on)


def _move(
    *,
    inspection: Inspection,
    actor: User,
    reason: str,
    target: str,
    exception: bool = False,
    effective_on: datetime.date | None = None,
) -> Inspection:
    """Move ``inspection`` from the stage just before ``target`` into ``target``, effective on
    ``effective_on`` (past work entered after the fact) or now."""
    with transaction.atomic():
        org = inspection.organization
        locked = Inspection.objects.for_org(org).select_for_update().get(pk=inspection.pk)
        source = locked.stage
        reason = _checked_reason(
            locked, actor=actor, target=target, reason=reason, exception=exception
        )
        now = timezone.now()
        effective = _effective_at(locked, effective_on, now)
        locked.stage, locked.stage_entered_at = target, effective
        fields = ["stage", "stage_entered_at"]
        if target == Stage.CLOSED:
            locked.closed_at = effective
            fields.append("closed_at")
        locked.save(update_fields=fields)
        StageTransition.objects.create(
            organization=org,
            inspection=locked,
            from_stage=source,
            to_stage=target,
            actor=actor,
            reason=reason,
            at=now,
            effective_at=effective,
        )
        if (source in COVERING_STAGES) != (target in COVERING_STAGES):
            refresh_coverage(organization=org, unit_ids=[locked.unit_id])
    for name in fields:
        setattr(inspection, name, getattr(locked, name))
    return inspection


Day = datetime.date | None  # the effective day of a move entered after the fact


class StartStage(Protocol):
    """A transition into one stage before closing (``start_preparation`` … ``start_acceptance``)."""

    def __call__(
        self, *, inspection: Inspection, actor: User, reason: str = "", effective_on: Day = None
    ) -> Inspection: ...


def _start(target: Stage) -> StartStage:
    """The transition function entering ``target``: ``_move`` with that target."""

    def start(
        *, inspection: Inspection, actor: User, reason: str = "", effective_on: Day = None
    ) -> Inspection:
        return _move(
            inspection=inspection,
            actor=actor,
            reason=reason,
            target=target,
            effective_on=effective_on,
        )

    start.__name__ = start.__qualname__ = f"start_{target.value}"
    start.__doc__ = f"Move an inspection into the {target.value} stage (``_move``)."
    return start


start_preparation = _start(Stage.PREPARATION)
start_mobilization = _start(Stage.MOBILIZATION)
start_onsite = _start(Stage.ONSITE)
start_reporting = _start(Stage.REPORTING)
start_feedback = _start(Stage.FEEDBACK)
start_rectification = _start(Stage.RECTIFICATION)
start_acceptance = _start(Stage.ACCEPTANCE)


def close_inspection(
    *,
    inspection: Inspection,
    actor: User,
    reason: str = "",
    exception: bool = False,
    effective_on: Day = None,
) -> Inspection:
    """Close (销号) an inspection: leadership only. With ``exception`` the leadership group
    overrides unmet gates (e.g. items still open); the reason and the waived gates are
    recorded in the transition."""
    return _move(
        inspection=inspection,
        actor=actor,
        reason=reason,
        target=Stage.CLOSED,
        exception=exception,
        effective_on=effective_on,
    )


TRANSITIONS: dict[str, Callable[..., Inspection]] = {
    Stage.PREPARATION: start_preparation,
    Stage.MOBILIZATION: start_mobilization,
    Stage.ONSITE: start_onsite,
    Stage.REPORTING: start_reporting,
    Stage.FEEDBACK: start_feedback,
    Stage.RECTIFICATION: start_rectification,
    Stage.ACCEPTANCE: start_acceptance,
    Stage.CLOSED: close_inspection,
}


def advance(
    *,
    inspection: Inspection,
    actor: User,
    to_stage: str,
    reason: str = "",
    exception: bool = False,
    effective_on: Day = None,
) -> Inspection:
    """Dispatch to the transition function entering ``to_stage``; only closing takes an
    ``exception``. ``effective_on``: the day the move took effect, for past work."""
    transition = TRANSITIONS.get(to_stage)
    if transition is None:
        raise DomainError(illegal_move_message(inspection.stage, to_stage))
    extra = {"exception": exception} if to_stage == Stage.CLOSED else {}
    return transition(
        inspection=inspection, actor=actor, reason=reason, effective_on=effective_on, **extra
    )
