"""One decorator puts a tenant model under trigger-based history (django-pghistory).

Every insert, update (only when a tracked value really changes) and delete is copied by a
PostgreSQL trigger into the model's event table, so bulk ``QuerySet.update()`` calls (moving a
unit subtree) are recorded too. Event rows keep every column of the row, ``organization_id``
included, plus the context of the change (who, in which organization, from which request,
task or command) in ``pgh_context``. Event tables are append-only: a database trigger refuses
UPDATE and DELETE on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pghistory
from django.db import models

M = TypeVar("M", bound=type[models.Model])

_TRACKED: list[type[models.Model]] = []


@dataclass(frozen=True)
class HistoryOptions:
    """How a tracked model's events read on a record page.

    Shown are the editable fields besides the primary key and ``organization``. ``notes``: a
    sentence shown when a hidden field changed (a unit moved along with its parent changes only
    its hidden ``path``). ``shown_on``: the foreign key whose record
    page also lists this model's events (a team's page lists its members' events).
    ``value_choices``: choices for the items of a JSON list field (focus areas). ``label``: the
    field that names a row of this model in other records' histories (default ``name``).
    """

    notes: Mapping[str, Any] = field(default_factory=dict)
    shown_on: str | None = None
    value_choices: Mapping[str, Any] = field(default_factory=dict)
    label: str | None = None


def track(
    *,
    notes: Mapping[str, Any] | None = None,
    shown_on: str | None = None,
    value_choices: Mapping[str, Any] | None = None,
    label: str | None = None,
    exclude: Iterable[str] = (),
) -> Callable[[M], M]:
    """``exclude``: derived fields kept out of the history altogether (no column, and a change
    of only them writes no event), e.g. a stored result recomputed from other records."""

    def wrap(model: M) -> M:
        pghistory.track(
            pghistory.InsertEvent(),
            pghistory.UpdateEvent(),
            pghistory.DeleteEvent(),
            context_field=pghistory.ContextJSONField(),
            append_only=True,
            exclude=list(exclude) or None,
        )(model)
        model.history_options = HistoryOptions(  # type: ignore[attr-defined]
            notes=dict(notes or {}),
            shown_on=shown_on,
            value_choices=dict(value_choices or {}),
            label=label,
        )
        _TRACKED.append(model)
        return model

    return wrap


def event_model(model: type[models.Model]) -> type[models.Model] | None:
    """The event model of a tracked model, None when the model is not tracked."""
    return next(iter(getattr(model, "pgh_event_models", {}).values()), None)


def options(model: type[models.Model]) -> HistoryOptions:
    return getattr(model, "history_options", HistoryOptions())


def children_of(model: type[models.Model]) -> list[tuple[type[models.Model], models.ForeignKey]]:
    """Tracked models whose events show on ``model``'s page, with the foreign key to it."""
    found = []
    for child in _TRACKED:
        name = options(child).shown_on
        fk = child._meta.get_field(name) if name else None
        if isinstance(fk, models.ForeignKey) and fk.related_model is model:
            found.append((child, fk))
    return found
