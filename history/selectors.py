"""Reading a record's change history (修改记录): one query for a page of events and their actors.

The events of the record and of the child rows shown on its page (``track(shown_on=...)``) are
read in one ``UNION ALL`` query, each with the previous snapshot of the same row (a window
``LAG``) and the acting user joined from the context. Old and new values are compared in
Python; foreign keys named in the page's changes are resolved with one query per related model.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, models

from history import display, tracking

PER_PAGE = 20
MAX_PAGE = 10_000  # a hostile ?history_page= must not reach PostgreSQL's OFFSET limits

_PART = (
    "SELECT %s::text AS model, e.pgh_id, e.pgh_created_at, e.pgh_label,"
    " to_jsonb(e) AS data,"
    " LAG(to_jsonb(e)) OVER (PARTITION BY e.pgh_obj_id ORDER BY e.pgh_id) AS prev,"
    " e.pgh_context AS context"
    " FROM {table} e WHERE e.organization_id = %s AND e.{column} = %s"
)


@dataclass
class HistoryPage:
    entries: list[display.Entry]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _sources(model: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """(tracked model, column of the event table that points at the record) to read."""
    sources = [(model, "pgh_obj_id")]
    sources += [(child, fk.column) for child, fk in tracking.children_of(model)]
    return [(tracked, column) for tracked, column in sources if tracking.event_model(tracked)]


def _rows(obj: models.Model, *, offset: int, limit: int) -> list[dict[str, Any]]:
    sources = _sources(type(obj))
    if not sources:
        return []
    qn = connection.ops.quote_name
    parts, params = [], []
    for tracked, column in sources:
        table = tracking.event_model(tracked)._meta.db_table  # type: ignore[union-attr]
        parts.append(_PART.format(table=qn(table), column=qn(column)))
        params += [tracked._meta.label, obj.organization_id, obj.pk]  # type: ignore[attr-defined]
    user_table = qn(get_user_model()._meta.db_table)
    # Identifiers come from model metadata, never from input; every value is a parameter.
    sql = (
        f"SELECT ev.*, u.username, u.full_name FROM ({' UNION ALL '.join(parts)}) ev"  # noqa: S608
        f" LEFT JOIN {user_table} u ON u.id = (ev.context->>'user')::bigint"
        " ORDER BY ev.pgh_created_at DESC, ev.pgh_id DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        columns = [col.name for col in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:  # Django reads jsonb as text, for JSONField to decode
        for key in ("data", "prev", "context"):
            if isinstance(row[key], str):
                row[key] = json.loads(row[key])
    return rows


def history_for(obj: models.Model, *, page: int = 1, per_page: int = PER_PAGE) -> HistoryPage:
    """A page (newest first) of the changes of ``obj`` and of the rows shown on its page."""
    page = min(max(page, 1), MAX_PAGE)
    rows = _rows(obj, offset=(page - 1) * per_page, limit=per_page + 1)
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    record_label = type(obj)._meta.label
    diffs = [display.diff(row, is_child=row["model"] != record_label) for row in rows]
    labels = _foreign_labels(diffs)
    entries = [display.entry(row, diff, labels) for row, diff in zip(rows, diffs, strict=True)]
    return HistoryPage(entries=entries, number=page, has_next=has_next)


def _foreign_labels(diffs: list[display.Diff]) -> dict[tuple[type[models.Model], Any], str]:
    """``str()`` of every foreign key value named in the page: one query per related model."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for diff in diffs:
        for fld, old, new in diff.fields:
            if fld.is_relation and fld.related_model is not None:
                wanted[fld.related_model] |= {v for v in (old, new) if v is not None}
    labels = {}
    for model, pks in wanted.items():
        # str() of a row may name its required parents (a team names its round): join them.
        parents = [f.name for f in model._meta.concrete_fields if f.is_relation and not f.null]
        for pk, obj in model._default_manager.select_related(*parents).in_bulk(pks).items():
            labels[(model, pk)] = str(obj)
    return labels
