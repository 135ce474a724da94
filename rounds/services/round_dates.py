"""The rules a change of a round's dates must keep (``rounds.services.teams.update_round``)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from accounts.errors import DomainError
from rounds.models import Round
from rounds.selectors.round_dates import round_mobilized_inspection_list
from rounds.services.archive import NAMED, check_round_editable, named_list


def check_round_dates(*, round: Round, start_date: datetime.date, end_date: datetime.date) -> None:
    """Refuse dates that would leave out an inspection already mobilized (进驻): the day it
    was mobilized must stay within the round. An inspection with no recorded mobilization day
    (neither its move nor a planned date) has nothing to leave out."""
    outside = round_mobilized_inspection_list(round=round, outside=(start_date, end_date))
    rows = list(outside[:NAMED])
    if not rows:
        return
    total = outside.count() if len(rows) == NAMED else len(rows)
    named = [
        _("%(unit)s (mobilized on %(day)s)")
        % {"unit": row["unit__name"], "day": row["mobilized_on"].isoformat()}
        for row in rows
    ]
    raise DomainError(
        _(
            "These inspections were already mobilized outside %(start)s – %(end)s: "
            "%(inspections)s. The round's dates must include the day each was mobilized."
        )
        % {
            "start": start_date.isoformat(),
            "end": end_date.isoformat(),
            "inspections": named_list(named, total),
        },
        field="start_date" if any(row["mobilized_on"] < start_date for row in rows) else "end_date",
    )


def check_round_change(*, round: Round, start_date: datetime.date, end_date: datetime.date) -> None:
    """What ``update_round`` checks before saving: the round is not archived, and new dates
    keep its mobilized inspections."""
    check_round_editable(round)
    if (start_date, end_date) != (round.start_date, round.end_date):
        check_round_dates(round=round, start_date=start_date, end_date=end_date)
