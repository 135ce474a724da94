"""Log filters of the console handler (settings.LOGGING)."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, SuspiciousOperation

REFUSED = {400, 403}


class OneLineRefusals(logging.Filter):
    """A refused request stays one line: Django logs a 403 (``PermissionDenied``) on
    ``django.request`` and a suspicious request (a bad host, 400) on ``django.security`` with
    the exception's traceback, which would fill the console on every refused page. The
    warning is kept, the traceback dropped; a server error (500) keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        exception = record.exc_info[1] if record.exc_info else None
        refused = isinstance(exception, PermissionDenied | SuspiciousOperation)
        if refused or getattr(record, "status_code", None) in REFUSED:
            record.exc_info = None
            record.exc_text = None
        return True
