"""The row helpers live in accounts (which rounds may import, not the other way round)."""

from accounts.rows import choice_labels, pk_url

__all__ = ["choice_labels", "pk_url"]
