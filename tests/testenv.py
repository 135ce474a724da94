"""Test-process defaults, set before pytest-django imports the settings.

Tests run with DEBUG off (as production does) but on plain HTTP with a throwaway key."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")  # no collectstatic before tests
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in tests
