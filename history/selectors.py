"""Reading a record's change history (修改记录): one query for a page of events and their actors.

The events of the record and of the child rows shown on its page (``track(shown_on=...)``) are
read in one ``UNION ALL`` query, each with the previous snapshot of the same row (a window
``LAG``) and the acting user joined from the context. Old and new values are compared in
Python; the rows foreign keys point to are named by subqueries of the same query.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.models import F, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, NullIf

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
    sources: list[tuple[type[models.Model], str]] = [(model, "pgh_obj_id")]
    sources += [(child, fk.column) for child, fk in tracking.children_of(model)]
    return [(tracked, column) for tracked, column in sources if tracking.event_model(tracked)]


@functools.cache
def _query(model: type[models.Model]) -> tuple[str, list[Any], list[str]] | None:
    """The panel's SQL for records of ``model``, its fixed parameters and the model label of
    each ``UNION ALL`` part. Built from model metadata only, so once per process: compiling
    the label subqueries costs more than running the query."""
    sources = _sources(model)
    if not sources:
        return None
    qn = connection.ops.quote_name
    parts, labels = [], []
    for tracked, column in sources:
        table = tracking.event_model(tracked)._meta.db_table  # type: ignore[union-attr]
        parts.append(_PART.format(table=qn(table), column=qn(column)))
        labels.append(tracked._meta.label)
    labels_sql, labels_params = _labels_column(model, [tracked for tracked, _ in sources])
    user_table = qn(get_user_model()._meta.db_table)
    # Identifiers come from model metadata, never from input; every value is a parameter.
    sql = (
        f"SELECT ev.*, u.username, u.full_name, {labels_sql} AS labels"  # noqa: S608
        f" FROM ({' UNION ALL '.join(parts)}) ev"
        f" LEFT JOIN {user_table} u ON u.id = (ev.context->>'user')::bigint"
        " ORDER BY ev.pgh_created_at DESC, ev.pgh_id DESC LIMIT %s OFFSET %s"
    )
    return sql, labels_params, labels


def _rows(obj: models.Model, *, offset: int, limit: int) -> list[dict[str, Any]]:
    query = _query(type(obj))
    if query is None:
        return []
    sql, labels_params, labels = query
    params = []
    for label in labels:
        params += [label, obj.organization_id, obj.pk]  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*labels_params, *params, limit, offset])
        columns = [col.name for col in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:  # Django reads jsonb as text, for JSONField to decode
        for key in ("data", "prev", "context", "labels"):
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
    labels = _foreign_labels(rows, diffs)
    entries = [display.entry(row, diff, labels) for row, diff in zip(rows, diffs, strict=True)]
    return HistoryPage(entries=entries, number=page, has_next=has_next)


def _label_of(model: type[models.Model]) -> Any:
    """What names a row of ``model`` when a history refers to it (its ``name`` by default)."""
    if model is get_user_model():
        return Coalesce(NullIf(F("full_name"), Value("")), F("username"))
    path = tracking.options(model).label
    if path is None and any(f.name == "name" for f in model._meta.concrete_fields):
        path = "name"
    return F(path) if path else None


def _label_sql(fld: models.Field, side: str) -> tuple[str, list[Any]] | None:
    """A scalar subquery naming the row ``fld`` points to in the event's ``side`` snapshot."""
    related = fld.related_model
    if not isinstance(related, type):
        return None
    label = _label_of(related)
    if label is None:
        return None
    target = RawSQL(f"(ev.{side}->>%s)::bigint", [fld.column])  # noqa: S611 - side is ours
    subquery = (
        related._base_manager.filter(pk=target)
        .annotate(_label=Cast(label, models.TextField()))
        .order_by()
        .values("_label")[:1]
    )
    sql, params = subquery.query.sql_with_params()
    return f"({sql})", list(params)


def _labels_column(
    record: type[models.Model], models_: list[type[models.Model]]
) -> tuple[str, list[Any]]:
    """SQL of a jsonb column naming, for each event, the rows its foreign keys point to (old
    values under ``<column>:old``), so the page costs one query whatever its changes name."""
    cases, params = [], []
    for model in models_:
        pairs, pair_params = [], []
        for fld in display.shown_fields(model, is_child=model is not record):
            for side, key in (("data", fld.column), ("prev", f"{fld.column}:old")):
                found = _label_sql(fld, side) if fld.is_relation else None
                if found is not None:
                    pairs.append(f"%s, {found[0]}")
                    pair_params += [key, *found[1]]
        if pairs:
            cases.append(f"WHEN %s THEN jsonb_build_object({', '.join(pairs)})")
            params += [model._meta.label, *pair_params]
    if not cases:
        return "'{}'::jsonb", []
    return f"CASE ev.model {' '.join(cases)} ELSE '{{}}'::jsonb END", params


def _foreign_labels(
    rows: list[dict[str, Any]], diffs: list[display.Diff]
) -> dict[tuple[type[models.Model], Any], str]:
    """Names of the rows the page's foreign keys point to, read by the page's one query."""
    labels: dict[tuple[type[models.Model], Any], str] = {}
    for row, diff in zip(rows, diffs, strict=True):
        named = row["labels"] or {}
        for side, key_suffix in ((row["data"] or {}, ""), (row["prev"] or {}, ":old")):
            for fld, _old, _new in diff.fields:
                name = named.get(f"{fld.column}{key_suffix}")
                related = fld.related_model
                if isinstance(related, type) and name is not None:
                    labels[(related, fld.to_python(side.get(fld.column)))] = name
    return labels
