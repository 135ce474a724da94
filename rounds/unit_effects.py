"""What rounds says about deactivating units (``accounts.unit_hooks``): an inspection under way
in one of them refuses it; planned inspections and plan targets are listed as affected."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Unit
from accounts.unit_hooks import register_deactivation_check, register_deactivation_effects
from rounds.models import CoverageTarget, Inspection
from rounds.taxonomy import Stage


def refuse_while_under_way(units: QuerySet[Unit]) -> str | None:
    """Inspections past planning and not closed: the unit is being inspected."""
    first = units.select_related("organization").first()
    if first is None:
        return None
    running = (
        Inspection.objects.for_org(first.organization)
        .filter(unit__in=units.values("pk"))
        .exclude(stage__in=[Stage.PLANNING, Stage.CLOSED])
        .select_related("unit", "round")
        .order_by("unit__path")
    )
    names = [f"{i.unit.name}（{i.round.name}）" for i in running[:10]]
    if not names:
        return None
    return _(
        "An inspection is under way in %(units)s: a unit cannot be deactivated while it is "
        "inspected. Close the inspection first."
    ) % {"units": "、".join(names)}


def affected(units: QuerySet[Unit]) -> list[str]:
    first = units.select_related("organization").first()  # their organization, read once
    if first is None:
        return []
    org, effects = first.organization, []
    planned = (
        Inspection.objects.for_org(org)
        .filter(unit__in=units.values("pk"), stage=Stage.PLANNING)
        .count()
    )
    if planned:
        effects.append(
            ngettext(
                "%(count)d planned inspection of these units stays planned; unassign it if it "
                "will not take place.",
                "%(count)d planned inspections of these units stay planned; unassign them if "
                "they will not take place.",
                planned,
            )
            % {"count": planned}
        )
    targets = (
        CoverageTarget.objects.for_org(org)
        .filter(unit__in=units.values("pk"))
        .values("plan__name")
        .annotate(n=Count("pk"))
        .order_by("plan__name")
    )
    for row in targets:
        effects.append(
            ngettext(
                "%(count)d of them is a target of the plan %(plan)s and is no longer "
                "suggested for its next round.",
                "%(count)d of them are targets of the plan %(plan)s and are no longer "
                "suggested for its next round.",
                row["n"],
            )
            % {"count": row["n"], "plan": row["plan__name"]}
        )
    return effects


def register() -> None:
    register_deactivation_check(refuse_while_under_way)
    register_deactivation_effects(affected)
