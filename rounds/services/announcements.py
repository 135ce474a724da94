"""The announcement of an inspection's on-site work (巡察公告): saving it and publishing it.
Publishing opens its public page (``/a/<token>/``) and meets the gate of the on-site stage."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import User
from accounts.phones import check_phone
from rounds.models import Announcement, Inspection, StagePlan
from rounds.services.closed import while_open
from rounds.taxonomy import STAGE_ORDER, Stage

# Published from preparation on (it goes out before 进驻) until the on-site work ends.
PUBLISHING_STAGES = frozenset(
    STAGE_ORDER[STAGE_ORDER.index(Stage.PREPARATION) : STAGE_ORDER.index(Stage.ONSITE) + 1]
)


def accepts_input(inspection: Inspection) -> bool:
    """The public page takes petitions and survey answers until the on-site stage ends (the
    forms that read this come with surveys and petitions)."""
    return STAGE_ORDER.index(inspection.stage) <= STAGE_ORDER.index(Stage.ONSITE)


def default_period(inspection: Inspection) -> tuple[datetime.date | None, datetime.date | None]:
    """The planned dates of the on-site stage (``None`` where none are planned)."""
    plan = (
        StagePlan.objects.for_org(inspection.organization)
        .filter(inspection=inspection, stage=Stage.ONSITE)
        .values_list("planned_start", "planned_end")
        .first()
    )
    return plan if plan is not None else (None, None)


def _check_period(inspection: Inspection, start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise DomainError(_("The period cannot end before it starts."), field="period_end")
    round_ = inspection.round
    if start < round_.start_date or end > round_.end_date:
        raise DomainError(
            _("The period must lie within the round (%(start)s to %(end)s).")
            % {"start": round_.start_date, "end": round_.end_date},
            field="period_start",
        )


def _check_mailbox(mailbox: str) -> str:
    value = mailbox.strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise DomainError(_("Enter a valid e-mail address."), field="mailbox") from None
    return value


def _locked(inspection: Inspection) -> Announcement | None:
    return (
        Announcement.objects.for_org(inspection.organization)
        .select_for_update()
        .filter(inspection=inspection)
        .first()
    )


@transaction.atomic
@while_open
def save_announcement(
    *,
    inspection: Inspection,
    actor: User,
    period_start: datetime.date,
    period_end: datetime.date,
    scope: str = "",
    phone: str = "",
    mailbox: str = "",
    postal_box: str = "",
    reception_hours: str = "",
) -> Announcement:
    _check_period(inspection, period_start, period_end)
    values = {
        "period_start": period_start,
        "period_end": period_end,
        "scope": scope.strip(),
        "phone": check_phone(phone),
        "mailbox": _check_mailbox(mailbox),
        "postal_box": postal_box.strip(),
        "reception_hours": reception_hours.strip(),
    }
    announcement = _locked(inspection)
    if announcement is None:
        return Announcement.objects.create(
            organization=inspection.organization, inspection=inspection, **values
        )
    changed = [name for name, value in values.items() if getattr(announcement, name) != value]
    for name in changed:
        setattr(announcement, name, values[name])
    if changed:
        announcement.save(update_fields=changed)
    return announcement


@transaction.atomic
@while_open
def publish_announcement(*, inspection: Inspection, actor: User) -> Announcement:
    """Publish the saved announcement; publishing it again changes nothing."""
    announcement = _locked(inspection)
    if announcement is None:
        raise DomainError(_("Save the announcement before publishing it."))
    if announcement.published_at is not None:
        return announcement
    stage = (
        Inspection.objects.for_org(inspection.organization)
        .filter(pk=inspection.pk)
        .values_list("stage", flat=True)
        .get()
    )
    if stage not in PUBLISHING_STAGES:
        raise DomainError(
            _(
                "The announcement is published from preparation until the end of the on-site "
                "work; this inspection is in “%(stage)s”."
            )
            % {"stage": Stage(stage).label}
        )
    announcement.published_at = timezone.now()
    announcement.save(update_fields=["published_at"])
    return announcement
