"""Helpers for selectors that resolve a page's display values once (rows, not instances)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

_MARKER = 2147483647  # a pk no page shows, replaced by each row's pk


def pk_url(name: str) -> Callable[[Any], str]:
    """``reverse(name, args=[pk])`` for many pks: reversed once, the pk put in by formatting."""
    return reverse(name, args=[_MARKER]).replace(str(_MARKER), "{}").format


def choice_labels(model: Any, field: str) -> dict[Any, str]:
    """A choice field's labels by value, translated once."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}
