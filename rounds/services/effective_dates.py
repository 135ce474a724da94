"""Effective dates of past work entered after the fact (DESIGN.md §6: "past work can be entered
with effective dates, kept apart from the time of entry").

An office entering last year's inspection gives the day each stage began or each problem was
found; the record keeps that day beside its time of entry. A date given is refused when it is
in the future, or absurdly far from the round it belongs to (a mistyped year)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from rounds.models import Round

# Planning (工作方案) and preparation may begin before a round's official start, and a
# rectification may be accepted well after its end: past work is dated from three months
# before the round starts to a year after it ends.
BEFORE_ROUND = datetime.timedelta(days=92)
AFTER_ROUND = datetime.timedelta(days=366)


def check_past_day(
    day: datetime.date, *, round: Round, label: StrOrPromise, field: str | None = None
) -> None:
    """Refuse ``day`` (the date of the field ``label``) after today, or outside the reach of
    ``round``'s period; today itself is always accepted."""
    today = timezone.localdate()
    if day > today:
        raise DomainError(
            _("%(field)s cannot be after today (%(today)s).") % {"field": label, "today": today},
            field=field,
        )
    if day == today:
        return
    if not round.start_date - BEFORE_ROUND <= day <= round.end_date + AFTER_ROUND:
        raise DomainError(
            _(
                "%(field)s %(date)s is too far from %(round)s (%(start)s to %(end)s): past work "
                "is dated from three months before its round starts to a year after it ends."
            )
            % {
                "field": label,
                "date": day,
                "round": round.name,
                "start": round.start_date,
                "end": round.end_date,
            },
            field=field,
        )


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day`` in the current time zone (a back-dated move's time: the day
    is known, the hour is not)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
