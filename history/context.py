"""Who changed what, from where: the context attached to every history event.

One mechanism, three entry points. ``recorded(...)`` opens a pghistory context whose metadata
(``user``, ``org`` and one of ``url`` / ``task`` / ``command``) the triggers copy into every
event row written inside it:

- requests: ``HistoryMiddleware`` (after the tenancy middleware, so ``request.org`` is known);
- Celery tasks: every task runs inside ``recorded(task=<name>)``, connected once to Celery's
  signals; a task that acts for someone passes ``actor_id`` (and ``organization_id``) as
  keyword arguments, the same ids it hands to the service as ``actor``;
- management commands: they inherit ``RecordedCommand``.

A context opened inside another one (an eager task within a request) joins the outer one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pghistory
import pghistory.middleware
from django.core.management.base import BaseCommand
from django.http import HttpRequest
from pghistory import runtime

_open_task_contexts: dict[str, pghistory.context] = {}


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def recorded(*, user: Any = None, org: Any = None, **source: str) -> pghistory.context:
    """A context manager (or decorator) naming the actor, organization and source of changes."""
    return pghistory.context(user=_pk(user), org=_pk(org), **source)


@contextmanager
def recorded_apart(*, user: Any = None, org: Any = None, **source: str) -> Iterator[None]:
    """Like ``recorded``, but in a context of its own even inside another one: the outer
    context is set aside for the block (a context opened inside another joins it and would
    relabel everything the outer one records), then restored."""
    outer = runtime._tracker.__dict__.pop("value", None)
    try:
        with recorded(user=user, org=org, **source):
            yield
    finally:
        if outer is not None:
            runtime._tracker.value = outer


class HistoryMiddleware(pghistory.middleware.HistoryMiddleware):
    """Annotate every event of a request with the signed-in user, organization and path."""

    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().get_context(request)
        context["org"] = _pk(getattr(request, "org", None))
        return context


def _task_started(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    if task_id is None or task is None or hasattr(runtime._tracker, "value"):
        return  # an eager task inside a request: the request's context already applies
    task_kwargs = kwargs.get("kwargs") or {}
    context = recorded(
        user=task_kwargs.get("actor_id"), org=task_kwargs.get("organization_id"), task=task.name
    )
    context.__enter__()
    _open_task_contexts[task_id] = context


def _task_finished(task_id: str | None = None, **kwargs: Any) -> None:
    context = _open_task_contexts.pop(task_id or "", None)
    if context is not None:
        context.__exit__(None, None, None)


def connect_task_signals() -> None:
    from celery import signals

    signals.task_prerun.connect(_task_started, weak=False, dispatch_uid="history_task_started")
    signals.task_postrun.connect(_task_finished, weak=False, dispatch_uid="history_task_finished")


class RecordedCommand(BaseCommand):
    """Base of our management commands: their changes are recorded as made by the command."""

    def execute(self, *args: Any, **options: Any) -> Any:
        name = type(self).__module__.rsplit(".", 1)[-1]
        with recorded(command=name):
            return super().execute(*args, **options)
