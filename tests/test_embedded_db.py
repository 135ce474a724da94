"""The embedded PostgreSQL that `make demo` and `make test` use when DATABASE_URL is unset.

Each case runs the server in a child interpreter on a data directory of its own, so the
server of the test run itself (if any) is not touched."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent
START = """
import json, sys
from pathlib import Path
import psycopg
from xuncha import embedded_db
db = embedded_db.database_settings(Path(sys.argv[1]))
with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]) as c:
    c.autocommit = True
    c.execute("CREATE TABLE IF NOT EXISTS marker (n int)")
    c.execute("INSERT INTO marker VALUES (1)")
    rows = c.execute("SELECT count(*) FROM marker").fetchone()[0]
    version = c.execute("SHOW server_version_num").fetchone()[0]
print(json.dumps({"pid": embedded_db.server_pid(), "rows": rows, "version": int(version),
                  "host": db["HOST"], "engine": db["ENGINE"]}))
"""


def _run(pgdata: Path) -> dict:
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", START, str(pgdata)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def pgdata(tmp_path_factory) -> Path:
    """One data directory for the module: initdb once (the slow part), then each case starts
    and stops the server itself."""
    folder = tmp_path_factory.mktemp("embedded")
    # A path the embedded server's system user can traverse when the suite runs as root.
    folder.chmod(0o755)
    return folder / "pgdata"


def test_it_runs_postgresql_18_on_a_socket_inside_its_data_directory(pgdata):
    started = _run(pgdata)

    assert started["engine"] == "django.db.backends.postgresql"
    assert started["version"] >= 180000
    assert Path(started["host"]).is_relative_to(pgdata) or "runtime" in started["host"]


def test_the_server_stops_when_the_command_ends(pgdata):
    started = _run(pgdata)

    # The postmaster removes its pid file just before it exits; give it a moment.
    with contextlib.suppress(psutil.NoSuchProcess):
        psutil.Process(started["pid"]).wait(timeout=10)
    assert not psutil.pid_exists(started["pid"])


def test_the_data_directory_is_reused_between_runs(pgdata):
    first = _run(pgdata)
    again = _run(pgdata)

    assert again["rows"] == first["rows"] + 1


def _join(pgdata: Path, then: str) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", f"{START}\n{then}", str(pgdata)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    # The server is up and this process is one of its users.
    started = json.loads(process.stdout.readline())
    return process, started["pid"]


def test_a_user_killed_without_goodbye_does_not_keep_the_server_running(pgdata):
    survivor, server_pid = _join(pgdata, "import sys; sys.stdin.readline()")
    # runserver's reloader kills its child with SIGKILL when it is interrupted: the child
    # never removes itself from the server's users.
    killed, _ = _join(pgdata, "import time; time.sleep(60)")
    killed.kill()
    killed.wait(timeout=10)

    survivor.communicate("\n", timeout=60)  # the last live user ends

    with contextlib.suppress(psutil.NoSuchProcess):
        psutil.Process(server_pid).wait(timeout=10)
    assert not psutil.pid_exists(server_pid)
