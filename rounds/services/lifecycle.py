"""The inspection lifecycle: one service function per stage transition.

planning → preparation → mobilization → onsite → reporting → feedback → rectification →
acceptance → closed. Each transition locks the inspection, refuses an illegal move, checks who
acts and the gates of the target stage (``rounds.gates``), saves the stage and writes one
``StageTransition`` row (the timeline) — all in one transaction, so a refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

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
from rounds.taxonomy import COVERING_STAGES, STAGE_ORDER, Stage


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label) if stage in Stage.values else stage


def illegal_move_message(current: str, target: str) -> str:
    return _("An inspection in stage “%(current)s” cannot move to “%(target)s”.") % {
        "current": _stage_label(current),
        "target": _stage_label(target),
    }


def _authorize(inspection: Inspection, actor: User, target: str) -> None:
    membership = membership_get(org=inspection.organization, user=actor)
    if can_move_to(membership, inspection, target):
        return
    if target == Stage.CLOSED:
        raise DomainError(_("Only the leadership group may close an inspection."))
    raise DomainError(
        _("Only the inspection office or this inspection's team leaders may move it.")
    )


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


def _move(
    *, inspection: Inspection, actor: User, reason: str, target: str, exception: bool = False
) -> Inspection:
    """Move ``inspection`` from the stage just before ``target`` into ``target``."""
    with transaction.atomic():
        org = inspection.organization
        locked = Inspection.objects.for_org(org).select_for_update().get(pk=inspection.pk)
        source = locked.stage
        reason = _checked_reason(
            locked, actor=actor, target=target, reason=reason, exception=exception
        )
        now = timezone.now()
        locked.stage, locked.stage_entered_at = target, now
        fields = ["stage", "stage_entered_at"]
        if target == Stage.CLOSED:
            locked.closed_at = now
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
        )
        if (source in COVERING_STAGES) != (target in COVERING_STAGES):
            refresh_coverage(organization=org, unit_ids=[locked.unit_id])
    for name in fields:
        setattr(inspection, name, getattr(locked, name))
    return inspection


def start_preparation(*, inspection: Inspection, actor: User, reason: str = "") -> Inspection:
    return _move(inspection=inspection, actor=actor, reason=reason, target=Stage.PREPARATION)


def start_mobilization(*, inspection: Inspection, actor: User, reason: str = "") -> Inspection:
    return _move(inspection=inspection, actor=actor, reason=reason, target=Stage.MOBILIZATION)


def start_onsite(*, inspection: Inspection, actor: User, reason: str = "") -> Inspection:
    return _move(inspection=inspection, actor=actor, reason=reason, target=Stage.ONSITE)


def start_reporting(*, inspection: Inspection, actor: User, reason: str = "") -> Inspection:
    return _move(inspection=inspection, actor=actor, reason=reason, target=Stage.REPORTING)


def start_feedback(*, inspection: Inspection, actor: User, reason: str = "") -> Inspection:
    return _move(inspection=inspection, actor=actor, reason=reason, target=Stage.FEEDBACK)


def start_rectification(*, inspection: Inspection, actor: User, reason: str = "") -> Inspection:
    return _move(inspection=inspection, actor=actor, reason=reason, target=Stage.RECTIFICATION)


def start_acceptance(*, inspection: Inspection, actor: User, reason: str = "") -> Inspection:
    return _move(inspection=inspection, actor=actor, reason=reason, target=Stage.ACCEPTANCE)


def close_inspection(
    *, inspection: Inspection, actor: User, reason: str = "", exception: bool = False
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
) -> Inspection:
    """Dispatch to the transition function entering ``to_stage``; only closing takes an
    ``exception``."""
    transition = TRANSITIONS.get(to_stage)
    if transition is None:
        raise DomainError(illegal_move_message(inspection.stage, to_stage))
    extra = {"exception": exception} if to_stage == Stage.CLOSED else {}
    return transition(inspection=inspection, actor=actor, reason=reason, **extra)
