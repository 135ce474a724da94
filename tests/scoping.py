"""Test-only code about scoping: a worker's empty scope, and services that forget scoping.

The forgetful services exist to prove that the suite's scope catches them
(``tests/test_tenancy.py``); no production code may look like them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django_scopes.state import state

from accounts.models import Organization, Unit
from xuncha.tenancy import org_scope


@contextmanager
def outside_any_scope() -> Iterator[None]:
    """No scope at all, as a Celery worker or a management command starts."""
    token = state.set({})
    try:
        yield
    finally:
        state.reset(token)


def unit_names(*, org: Organization) -> list[str]:
    """Forgets scoping: filters by hand instead of ``Unit.objects.for_org(org)``."""
    return sorted(Unit.objects.filter(organization=org).values_list("name", flat=True))


def unit_names_scoped(*, org: Organization) -> list[str]:
    return sorted(Unit.objects.for_org(org).values_list("name", flat=True))


def count_units_task(*, organization_id: int) -> int:
    """Forgets to enter its organization's scope, as a task must."""
    return Unit.objects.filter(organization_id=organization_id).count()


def count_units_task_scoped(*, organization_id: int) -> int:
    org = Organization.objects.get(pk=organization_id)
    with org_scope(org):
        return Unit.objects.for_org(org).count()


class ScopeProbeMiddleware:
    """Records the scope a request starts with (put first in ``MIDDLEWARE`` by a test)."""

    seen: list[dict] = []

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        ScopeProbeMiddleware.seen.append(dict(state.get() or {}))
        return self.get_response(request)
