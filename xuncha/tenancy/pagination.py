"""Cursor pagination, the API's one way through a list (see ``xuncha.tenancy.api``)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import CursorPagination


def _link(description: str, label: Any, example: str) -> dict[str, Any]:
    with translation.override("zh-hans"):
        chinese = str(label)
    return {
        "type": "string",
        "nullable": True,
        "format": "uri",
        "title": description.split(":")[0],
        "description": description,
        "x-label-zh": chinese,
        "example": example,
    }


class CursorPage(CursorPagination):
    """Stable pages however the list grows: ``next``/``previous`` carry an opaque cursor."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "pk"
    invalid_cursor_message = _(  # type: ignore[assignment]
        "The cursor is not valid: start from the first page."
    )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        with translation.override("zh-hans"):
            results = str(_("results"))
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": _link(
                    "Next page: the address of the following page, null on the last one.",
                    _("next page"),
                    "https://xuncha.example.org/api/units/?cursor=cD0wMDAwMDAwMS8%3D",
                ),
                "previous": _link(
                    "Previous page: the address of the page before, null on the first one.",
                    _("previous page"),
                    "https://xuncha.example.org/api/units/?cursor=cj0xJnA9MDAwMDAwMDQv",
                ),
                "results": {
                    **schema,
                    "title": "Results",
                    "description": "The records of this page, in the list's order.",
                    "x-label-zh": results,
                },
            },
        }
