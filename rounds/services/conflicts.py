"""The conflict-of-interest rule (回避): who may not inspect which unit, and why.

A pure function of already-loaded rows, so the same rule serves the team services (refusing an
assignment) and the team suggestion (filtering candidates) without extra queries.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import Unit
from rounds.models import Inspector


def _within(inner: Unit, outer: Unit) -> bool:
    """``inner`` is ``outer`` itself or lies in its subtree (paths are chains of ids)."""
    return bool(outer.path) and inner.path.startswith(outer.path)


def conflict_reasons(*, inspector: Inspector, unit: Unit) -> list[str]:
    """Why ``inspector`` may not inspect ``unit``; an empty list when they may.

    Nobody inspects their home unit or a unit above it (its parent chain), nor a unit where a
    declared relative works or one above it. ``inspector.home_unit`` and
    ``inspector.relatives`` with their ``unit`` must be loaded (select_related /
    prefetch_related) by the caller.
    """
    reasons = []
    home = inspector.home_unit
    if home is not None and _within(home, unit):
        if home.pk == unit.pk:
            message = _("%(person)s may not inspect %(unit)s: it is their home unit.")
        else:
            message = _(
                "%(person)s may not inspect %(unit)s: their home unit %(home)s belongs to it."
            )
        reasons.append(message % {"person": inspector.name, "unit": unit.name, "home": home.name})
    for relative in inspector.relatives.all():
        if _within(relative.unit, unit):
            reasons.append(
                _(
                    "%(person)s may not inspect %(unit)s: their relative %(relative)s "
                    "(%(relation)s) works in %(where)s."
                )
                % {
                    "person": inspector.name,
                    "unit": unit.name,
                    "relative": relative.relative_name,
                    "relation": relative.relation,
                    "where": relative.unit.name,
                }
            )
    return reasons
