"""What other apps say about deactivating units, without accounts importing them.

An app registers, from its ``AppConfig.ready()``:
- ``register_deactivation_check(fn)``: ``fn(units) -> message | None``, a refusal (e.g. an
  inspection under way in one of the units);
- ``register_deactivation_effects(fn)``: ``fn(units) -> [message, …]``, what deactivating them
  affects, listed on the confirmation page.
``units`` is the queryset of the units about to be deactivated (a unit and its sub-units).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from accounts.models import Unit

Check = Callable[[QuerySet[Unit]], str | None]
Effects = Callable[[QuerySet[Unit]], list[str]]

_CHECKS: list[Check] = []
_EFFECTS: list[Effects] = []


def register_deactivation_check(fn: Check) -> None:
    if fn not in _CHECKS:
        _CHECKS.append(fn)


def register_deactivation_effects(fn: Effects) -> None:
    if fn not in _EFFECTS:
        _EFFECTS.append(fn)


def deactivation_refusals(units: QuerySet[Unit]) -> list[str]:
    return [message for message in (check(units) for check in _CHECKS) if message]


def deactivation_effects(units: QuerySet[Unit]) -> list[str]:
    return [message for effects in _EFFECTS for message in effects(units)]
