from __future__ import annotations

from typing import Any

from django import template
from django.db import models

from history.selectors import MAX_PAGE, history_for

register = template.Library()


def _page(raw: str) -> int:
    return int(raw) if raw.isdigit() and len(raw) <= len(str(MAX_PAGE)) else 1


@register.inclusion_tag("history/_panel.html", takes_context=True)
def history_panel(context: dict[str, Any], obj: models.Model) -> dict[str, Any]:
    """The 修改记录 panel of ``obj``. Rendered inside the record's own page, so only those who
    may see the record reach it; ``?history_page=`` pages through it."""
    request = context["request"]
    return {
        "request": request,
        "history": history_for(obj, page=_page(request.GET.get("history_page", ""))),
    }
