"""The conflict-of-interest rule (回避): who may not inspect which unit, and why.

Nobody inspects a unit on the line of their home unit or of a unit where a declared relative
works: the unit itself, any unit above it (its parent chain) and any unit below it (its
subtree). A 绵阳分公司 cadre no more inspects 江油市分公司 under it than a 江油 cadre inspects
绵阳分公司 above it: one reports to the other.

``on_line`` is the rule over two units, a pure function of already-loaded rows, so the team
services (refusing an assignment) apply it without extra queries; ``line_paths`` states the same
line as paths for the team suggestion's one SQL statement, which filters the pool by it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from accounts.models import Unit
from rounds.models import Inspector


def _within(inner: Unit, outer: Unit) -> bool:
    """``inner`` is ``outer`` itself or lies in its subtree (paths are chains of ids)."""
    return bool(outer.path) and inner.path.startswith(outer.path)


def on_line(first: Unit, second: Unit) -> bool:
    """The two units are one, or one lies above the other: they are on one line."""
    return _within(first, second) or _within(second, first)


def ancestor_paths(path: str) -> list[str]:
    """The paths of the units above the unit at ``path``, from the root down
    ("00000001/00000007/" → ["00000001/"])."""
    ids = path.split("/")[:-1]
    return ["".join(f"{id_}/" for id_ in ids[:n]) for n in range(1, len(ids))]


def line_paths(paths: Iterable[str]) -> tuple[list[str], list[str]]:
    """The line of the units at ``paths`` as ``(above, roots)``: a unit is on it when its path is
    one of ``above`` (a unit above one of them) or starts with one of ``roots`` (one of them or
    a unit below) — what ``on_line`` says of one pair, for a query over many units."""
    roots = [path for path in dict.fromkeys(paths) if path]
    above = {ancestor for path in roots for ancestor in ancestor_paths(path)}
    return sorted(above), roots


def _home_reason(inspector: Inspector, unit: Unit, home: Unit) -> str:
    if home.pk == unit.pk:
        message = _("%(person)s may not inspect %(unit)s: it is their home unit.")
    elif _within(home, unit):
        message = _("%(person)s may not inspect %(unit)s: their home unit %(home)s belongs to it.")
    else:
        message = _("%(person)s may not inspect %(unit)s: it belongs to their home unit %(home)s.")
    return message % {"person": inspector.name, "unit": unit.name, "home": home.name}


def conflict_reasons(*, inspector: Inspector, unit: Unit) -> list[str]:
    """Why ``inspector`` may not inspect ``unit``; an empty list when they may.

    Conflicted: ``unit`` is on the line (``on_line``) of their home unit or of a unit where a
    declared relative works. ``inspector.home_unit`` and ``inspector.relatives`` with their
    ``unit`` must be loaded (select_related / prefetch_related) by the caller.
    """
    reasons = []
    home = inspector.home_unit
    if home is not None and on_line(home, unit):
        reasons.append(_home_reason(inspector, unit, home))
    for relative in inspector.relatives.all():
        if on_line(relative.unit, unit):
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
