"""The one exception a business rule raises; views turn it into a form error or a message."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused an action; ``message`` is translated and shown to the user.

    ``field`` names the form field the refusal is about (``None``: the form as a whole)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
