"""One round trip for the several short lists of a record page (its tasks, milestones, members,
…): every list is the JSON array of one subquery of a single statement.

A page that shows ten child lists would otherwise pay ten statements, each planned and answered
apart; together they cost about what one does. Each queryset keeps its own filters, ordering
and tenant scope (the SQL is the queryset's own); its rows come back as model instances with
its annotations, as iterating it would give.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet


def _rows(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):  # Django reads json as text, for its fields to decode
        value = json.loads(value, parse_float=Decimal)
    return value or []


@dataclass(frozen=True)
class Statement:
    """The one statement of ``fetch_lists``, compiled: ``run_lists`` runs it again (same SQL,
    same parameters) without building and compiling the querysets anew. A page whose lists
    depend only on a few known inputs may keep it for them."""

    using: str
    sql: str
    params: tuple[Any, ...]
    plans: tuple[tuple[str, type[Model], tuple[Any, ...], dict[str, Any]], ...]


class KeptStatements[T]:
    """Compiled statements kept for the inputs they were built from (least recently used out
    past ``size``). Building and compiling a page's querysets costs more than running them; a
    page whose statement depends only on a few known inputs (the organization, the record, the
    day…) builds it once for them. The rows are read anew at every run."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, T] = OrderedDict()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        if key in self._kept:
            self._kept.move_to_end(key)
            return self._kept[key]
        value = self._kept[key] = build()
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return value


def fetch_lists(**querysets: QuerySet[Any]) -> dict[str, list[Any]]:
    """The rows of each queryset (keyword = name of the list), read in one statement.

    A queryset must select its model's rows, optionally with annotations (``F``, subqueries):
    ``select_related`` and ``values`` are not supported (annotate the few related values
    the page shows instead)."""
    return run_lists(compile_lists(**querysets))


def compile_lists(**querysets: QuerySet[Any]) -> Statement:
    """``fetch_lists``' statement for ``querysets``, not run yet."""
    if not querysets:
        return Statement(using="", sql="", params=(), plans=())
    using = next(iter(querysets.values())).db
    columns, plans = [], []
    params: list[Any] = []
    for name, queryset in querysets.items():
        query = queryset.query
        if query.select_related or queryset._fields is not None:  # type: ignore[attr-defined]
            raise ValueError(
                f"fetch_lists({name}=...): select_related and values are not supported."
            )
        if queryset.db != using:
            raise ValueError("fetch_lists: every queryset must read the same database.")
        fields = tuple(queryset.model._meta.concrete_fields)
        annotations = dict(query.annotations)
        shaped = queryset.values(*[field.attname for field in fields], *annotations)
        plans.append((name, queryset.model, fields, annotations))
        try:
            sql, part_params = shaped.query.sql_with_params()
        except EmptyResultSet:  # e.g. ``.none()``: nothing to ask
            columns.append("NULL")
            continue
        # json_agg over an ordered subquery keeps the subquery's order.
        columns.append(f"(SELECT json_agg(p) FROM ({sql}) p)")  # noqa: S608 - the ORM's SQL
        params += part_params
    return Statement(
        using=using, sql=f"SELECT {', '.join(columns)}", params=tuple(params), plans=tuple(plans)
    )


def run_lists(statement: Statement) -> dict[str, list[Any]]:
    """Run a compiled ``Statement``: each list's rows, as iterating its queryset would give."""
    if not statement.plans:
        return {}
    with connections[statement.using].cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        row = cursor.fetchone()
    lists: dict[str, list[Any]] = {}
    for (name, model, fields, extra), value in zip(statement.plans, row, strict=True):
        lists[name] = [
            _instance(model, fields, extra, statement.using, data) for data in _rows(value)
        ]
    return lists


def _instance(
    model: type[Model], fields: tuple[Any, ...], annotations: dict[str, Any], using: str, data: dict
) -> Model:
    values = [field.to_python(data[field.column]) for field in fields]
    instance = model.from_db(using, [field.attname for field in fields], values)
    for alias, expression in annotations.items():
        setattr(instance, alias, expression.output_field.to_python(data[alias]))
    return instance
