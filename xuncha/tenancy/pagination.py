"""Cursor pagination, the API's one way through a list (see ``xuncha.tenancy.api``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    """Stable pages however the list grows: ``next``/``previous`` carry an opaque cursor."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "pk"
    invalid_cursor_message = _(  # type: ignore[assignment]
        "The cursor is not valid: start from the first page."
    )
