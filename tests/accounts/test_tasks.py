"""The welcome e-mail travels through a real Redis broker to a real (in-thread) Celery worker."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import kombu.pools
import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from accounts.models import Organization
from accounts.roles import Role
from accounts.services import create_member
from xuncha.celery import app

NEW_PASSWORD = "Initial-Secret-93"
BROKER_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
# A queue of our own: test runs in parallel (and development workers) never take our messages.
QUEUE = f"xuncha-test-{uuid.uuid4().hex}"


def _redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


if not _redis_answers(BROKER_URL):
    pytest.skip(f"no Redis answers at {BROKER_URL}", allow_module_level=True)


def _drop_broker_pools() -> None:
    # The app pools broker connections made with the old settings. app.close() would drop them
    # too, but it also unregisters the app, and then our shared tasks no longer register on it.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def _celery_conf(**values: Any) -> Iterator[None]:
    """Override settings of xuncha's Celery app; the old values come back afterwards."""
    saved = {key: app.conf[key] for key in values}
    _drop_broker_pools()
    app.conf.update(values)
    try:
        yield
    finally:
        _drop_broker_pools()
        app.conf.update(saved)


@pytest.fixture(scope="module")
def worker(django_db_blocker) -> Iterator[None]:
    """One embedded worker for the whole module, consuming only our queue.

    One per module, so no half-stopped worker of an earlier test competes for the messages."""
    conf = {"broker_url": BROKER_URL, "task_always_eager": False, "task_default_queue": QUEUE}
    with ExitStack() as stack:
        stack.enter_context(_celery_conf(**conf, worker_hijack_root_logger=False))
        with django_db_blocker.unblock():  # the worker runs Django's system checks as it starts
            stack.enter_context(
                start_worker(app, queues=[QUEUE], perform_ping_check=False, shutdown_timeout=30)
            )
        yield
    broker = redis.Redis.from_url(BROKER_URL)
    broker.delete(QUEUE, *broker.scan_iter(f"_kombu.*{QUEUE}"))


@pytest.fixture
def eager() -> Iterator[None]:
    with _celery_conf(task_always_eager=True):
        yield


def _new_member(org: Organization, username: str) -> None:
    create_member(
        org=org,
        actor=None,
        username=username,
        password=NEW_PASSWORD,
        roles=[Role.TEAM_MEMBER],
        full_name="李明",
        email=f"{username}@example.cn",
    )


def _wait_for_mail(count: int = 1, timeout: float = 15) -> list[mail.EmailMessage]:
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return mail.outbox


@pytest.mark.django_db(transaction=True)
def test_worker_sends_one_welcome_email_after_commit(worker, org, mailoutbox):
    _new_member(org, "liming")

    sent = _wait_for_mail()

    assert len(sent) == 1
    assert sent[0].to == ["liming@example.cn"]
    assert "liming" in sent[0].body
    assert NEW_PASSWORD not in sent[0].body
    assert NEW_PASSWORD not in sent[0].subject


@pytest.mark.django_db(transaction=True)
def test_rolled_back_member_gets_no_email(worker, org, mailoutbox):
    with transaction.atomic():
        _new_member(org, "ghost")
        transaction.set_rollback(True)
    # Tasks run in order: once the next member's mail is out, a stray one would be too.
    _new_member(org, "wangfang")

    sent = _wait_for_mail()

    assert [message.to for message in sent] == [["wangfang@example.cn"]]


@pytest.mark.django_db
def test_eager_mode_sends_welcome_email_in_process(
    eager, org, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _new_member(org, "zhaolei")

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["zhaolei@example.cn"]
    assert NEW_PASSWORD not in mailoutbox[0].body


@pytest.mark.django_db
def test_nothing_is_enqueued_before_commit(
    eager, org, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _new_member(org, "sunli")

    assert len(callbacks) == 1
    assert mailoutbox == []
