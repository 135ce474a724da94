"""Turning event rows into what a person reads: field labels, old → new, in their language."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from history import tracking

EMPTY = "—"


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    at: datetime
    person: str
    action: str
    subject: str  # the child row's kind ("team member"), empty for the record itself
    changes: list[Change] = field(default_factory=list)
    note: str = ""


@dataclass
class Diff:
    model: type[models.Model]
    label: str  # insert / update / delete
    is_child: bool
    fields: list[tuple[models.Field, Any, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unknown_before: bool = False


def shown_fields(model: type[models.Model], *, is_child: bool) -> list[models.Field]:
    opts = tracking.options(model)
    hidden = {"organization"}
    if is_child and opts.shown_on:
        hidden.add(opts.shown_on)  # the record the page is about
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in hidden
    ]


def _value(fld: models.Field, raw: Any) -> Any:
    if raw is None:
        return None
    try:
        return fld.to_python(raw)
    except (ValidationError, TypeError, ValueError):
        return raw


def diff(row: dict[str, Any], *, is_child: bool) -> Diff:
    """What an event changed, as (field, old, new) in Python values."""
    model = apps.get_model(row["model"])
    result = Diff(model=model, label=row["pgh_label"], is_child=is_child)
    data, prev = row["data"] or {}, row["prev"]
    shown = shown_fields(model, is_child=is_child)
    if result.label == "update":
        if prev is None:
            result.unknown_before = True
            return result
        changed = [
            f for f in model._meta.concrete_fields if data.get(f.column) != prev.get(f.column)
        ]
        result.fields = [
            (f, _value(f, prev.get(f.column)), _value(f, data.get(f.column)))
            for f in shown
            if f in changed
        ]
        notes = tracking.options(model).notes
        result.notes = [str(notes[f.name]) for f in changed if f.name in notes]
    elif is_child:  # an added or removed row: what it held
        values = [(f, _value(f, data.get(f.column))) for f in shown]
        values = [(f, v) for f, v in values if v not in (None, "", [])]
        if result.label == "insert":
            result.fields = [(f, None, v) for f, v in values]
        else:
            result.fields = [(f, v, None) for f, v in values]
    return result


def _format(fld: models.Field, value: Any, labels: dict[tuple[Any, Any], str]) -> str:
    if value in (None, "", [], {}):
        return EMPTY
    if fld.is_relation:
        return labels.get((fld.related_model, value), f"#{value}")
    if fld.choices:
        return str(dict(fld.flatchoices).get(value, value))
    value_choices = tracking.options(fld.model).value_choices.get(fld.name)
    if value_choices is not None and isinstance(value, list):
        names = dict(value_choices)
        return "、".join(str(names.get(item, item)) for item in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return Truncator(str(value)).chars(120)


def _person(row: dict[str, Any]) -> str:
    if row.get("username"):
        return row["full_name"] or row["username"]
    context = row.get("context") or {}
    source = context.get("command") or context.get("task")
    if source:
        return _("System (%(source)s)") % {"source": source}
    return _("System")


def _action(diff: Diff) -> str:
    if diff.label == "insert":
        return _("Added") if diff.is_child else _("Created")
    if diff.label == "delete":
        return _("Removed") if diff.is_child else _("Deleted")
    return _("Changed")


def entry(row: dict[str, Any], diff: Diff, labels: dict[tuple[Any, Any], str]) -> Entry:
    changes = [
        Change(
            label=capfirst(str(fld.verbose_name)),
            old=_format(fld, old, labels),
            new=_format(fld, new, labels),
        )
        for fld, old, new in diff.fields
    ]
    note = " ".join(diff.notes)
    if diff.unknown_before:
        note = _("Earlier values were not recorded.")
    elif diff.label == "update" and not changes and not note:
        note = _("Internal fields updated.")
    return Entry(
        at=row["pgh_created_at"],
        person=_person(row),
        action=_action(diff),
        subject=capfirst(str(diff.model._meta.verbose_name)) if diff.is_child else "",
        changes=changes,
        note=note,
    )
