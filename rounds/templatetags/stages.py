"""``{% stage_badge stage %}``: an inspection's stage as one badge, coloured the same on every
page (lists, detail, round and plan pages), so an office reads a stage by its colour."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from rounds.taxonomy import Stage

register = template.Library()

# Tabler's light badge colours, cool to warm as the work moves from planning to rectification;
# green only when the inspection is closed.
STAGE_COLOURS: dict[str, str] = {
    Stage.PLANNING: "secondary",
    Stage.PREPARATION: "cyan",
    Stage.MOBILIZATION: "azure",
    Stage.ONSITE: "blue",
    Stage.REPORTING: "indigo",
    Stage.FEEDBACK: "purple",
    Stage.RECTIFICATION: "orange",
    Stage.ACCEPTANCE: "yellow",
    Stage.CLOSED: "green",
}


@register.simple_tag
def stage_badge(stage: str, element_id: str = "") -> SafeString:
    """The badge of the stage ``stage`` (its code); an unknown code shows as itself, in grey."""
    label = Stage(stage).label if stage in Stage.values else stage
    return format_html(
        '<span class="badge stage-badge bg-{}-lt" data-stage="{}"{}>{}</span>',
        STAGE_COLOURS.get(stage, "secondary"),
        stage,
        format_html(' id="{}"', element_id) if element_id else "",
        label,
    )
