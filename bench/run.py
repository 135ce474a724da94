"""`make bench`: the key pages at the size of a real tenant, measured as production runs them.

1. The bench database (``BENCH_DATABASE_URL``; else database ``xuncha_bench`` on the
   ``DATABASE_URL`` server; else on the embedded PostgreSQL) is migrated and seeded with
   ``bench/seed.py``'s data set, or reused when it holds the current seed version.
2. gunicorn serves ``xuncha.wsgi`` with 2 sync workers on a free loopback port, DEBUG off,
   with the environment's ``CONN_MAX_AGE`` (settings default 0: a connection per request;
   ``CONN_MAX_AGE=60 make bench`` measures with persistent connections, as the compose file
   runs: every page is faster, the trivial page most of all, so the ratios are lower).
3. For each page, a trivial signed-in page (the password-changed page: the site layout and
   one sentence; the home page became a work queue) and then the page itself each get
   ``REQUESTS`` requests from ``CLIENTS`` concurrent keep-alive clients in this process, in
   ``ALTERNATIONS`` alternating runs (so a machine whose speed drifts moves both alike).
4. Queries per request are counted once per page in-process (test client, same database).

Prints p50 / p95 / requests per second / queries / KB and the ratio of the page's throughput
to the trivial page's, as a table and as JSON (``artifacts/bench.json``). Exits 1 when a page
misses p95 ≤ ``P95_TARGET_MS`` or ratio ≥ ``RATIO_TARGET`` or answers anything but 200.
Only 127.0.0.1 is contacted; every loop is bounded in requests and in time.

Options: ``--pages unit_tree,plan_list`` (subset), ``--requests N``, ``--reseed``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "xuncha_bench"
CLIENTS = 4
REQUESTS = 200
ALTERNATIONS = 4  # trivial page, page, trivial page, page, …: REQUESTS of each in all
P95_TARGET_MS = 150.0
RATIO_TARGET = 0.4
PAGE_TIME_LIMIT_S = 180.0  # a page slower than this is cut short (and fails)
REQUEST_TIMEOUT_S = 40.0
TRIVIAL = "/accounts/password/done/"  # the site layout and one sentence, signed in

# name -> path template (ids from bench.seed.BenchData)
PAGES: dict[str, str] = {
    "home": "/",  # the work queue of the bench user (the office)
    "unit_tree": "/units/",
    "member_list": "/manage/members/",
    "pool_list": "/pool/",
    "pool_search": "/pool/?q=%E7%8E%8B&specialty=audit&leader=1",
    "plan_list": "/plans/",
    "plan_detail": "/plans/{plan}/",
    "round_list": "/rounds/",
    "round_detail": "/rounds/{round}/",
    "team_detail": "/teams/{team}/",
    "team_suggest": "/teams/{team}/suggest/?unit={suggest_unit}",
    "inspection_list": "/inspections/",
    "inspection_detail": "/inspections/{inspection}/",
    "visit_list": "/inspections/{inspection}/extension-visits/",
    # The API, as another system pages through it (the session cookie authenticates it too).
    "api_units": "/api/units/",
    "api_inspectors": "/api/inspectors/?page_size=50",
    "api_plan_targets": "/api/coverage-plans/{plan}/targets/",
    "api_inspections": "/api/inspections/",
    "api_inspection": "/api/inspections/{inspection}/",
}


@dataclass
class Result:
    page: str
    path: str
    p50_ms: float
    p95_ms: float
    rps: float
    trivial_rps: float
    ratio: float
    queries: int
    kb: float
    errors: int
    ok: bool


# -- the database --------------------------------------------------------------------------------


def bench_database_url() -> str:
    """Where the data set lives; starts (and keeps, for this process) the embedded server when
    no server is named."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    if os.environ.get("DATABASE_URL"):
        return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{BENCH_DB}").geturl()
    from xuncha.embedded_db import database_settings

    db = database_settings(ROOT / ".pgdata")
    # A Unix socket directory: django-environ passes query parameters on as OPTIONS.
    return f"postgres://postgres@/{BENCH_DB}?host={quote(db['HOST'])}&port={db['PORT']}"


def _admin_connect(url: str) -> Any:
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    options = config.get("OPTIONS", {})
    return psycopg.connect(
        host=config["HOST"] or options.get("host", ""),
        port=config["PORT"] or options.get("port", 5432),
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or "",
        dbname="postgres",
        autocommit=True,
    )


def recreate_database(url: str, *, drop: bool) -> None:
    name = urlsplit(url).path.lstrip("/").split("?")[0]
    with _admin_connect(url) as conn:
        if drop:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(url: str, *, reseed: bool) -> Any:
    """Migrate and seed (or reuse) the bench database; returns the seed's ids."""
    recreate_database(url, drop=reseed)
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from bench import seed

    call_command("migrate", verbosity=0, interactive=False)
    data = seed.existing()
    if data is not None:
        print(f"Reusing the seeded data set ({seed.ORG_CODE}).", flush=True)
        return data
    from accounts.models import Organization
    from xuncha.tenancy import dangerously_unscoped

    with dangerously_unscoped():
        stale = Organization.objects.exists()
    if stale:  # an older seed version: start from an empty database
        connections.close_all()
        recreate_database(url, drop=True)
        call_command("migrate", verbosity=0, interactive=False)
    print("Seeding the tenant-scale data set…", flush=True)
    started = time.monotonic()
    data = seed.seed()
    print(f"Seeded in {time.monotonic() - started:.0f} s.", flush=True)
    return data


def session_cookie(user_id: int) -> str:
    """A signed-in session for the bench user, written straight to the session store."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    user = get_user_model().objects.get(pk=user_id)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def count_queries(paths: dict[str, str], user_id: int) -> dict[str, tuple[int, int]]:
    """(queries, bytes) of one request per page, in-process on the same database."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_id))
    client.get(TRIVIAL)
    counts = {}
    for name, path in paths.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        counts[name] = (len(captured.captured_queries), len(response.content))
    return counts


# -- gunicorn ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(url: str, port: int) -> Iterator[None]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-not-for-production",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)  # pages need no broker; keep the bench self-contained
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "xuncha.wsgi:application",
        "--workers=2",
        f"--bind=127.0.0.1:{port}",
        "--timeout=30",
        "--log-level=warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    try:
        _wait_until_up(port, process)
        yield
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited while starting")
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz/")
            if conn.getresponse().status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


# -- load ----------------------------------------------------------------------------------------


def drive(port: int, path: str, cookie: str, requests: int) -> tuple[list[float], int, float]:
    """``requests`` GETs of ``path`` from ``CLIENTS`` threads: (latencies ms, errors, seconds)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    budget = iter(range(requests))
    deadline = time.monotonic() + PAGE_TIME_LIMIT_S
    headers = {"Cookie": cookie, "Host": "127.0.0.1", "Connection": "keep-alive"}

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
        while time.monotonic() < deadline:
            with lock:
                if next(budget, None) is None:
                    break
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                status = 0
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += status != 200
        conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(PAGE_TIME_LIMIT_S + REQUEST_TIMEOUT_S)
    seconds = time.perf_counter() - started
    errors[0] += requests - len(latencies)  # cut short by the time limit
    return latencies, errors[0], seconds


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("inf")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(port: int, name: str, path: str, cookie: str, requests: int) -> Result:
    """The trivial page and then the page, in ``ALTERNATIONS`` runs each of ``requests``
    requests in all: a shared machine that speeds up or slows down between two long runs would
    otherwise move the ratio more than the page does."""
    drive(port, path, cookie, CLIENTS * 2)  # warm both workers up on this page
    batch = max(requests // ALTERNATIONS, CLIENTS)
    latencies: list[float] = []
    errors = 0
    seconds = trivial_seconds = 0.0
    trivial_done = 0
    for _ in range(ALTERNATIONS):
        trivial, _, elapsed = drive(port, TRIVIAL, cookie, batch)
        trivial_done, trivial_seconds = trivial_done + len(trivial), trivial_seconds + elapsed
        page, page_errors, elapsed = drive(port, path, cookie, batch)
        latencies, errors, seconds = latencies + page, errors + page_errors, seconds + elapsed
    trivial_rps = trivial_done / trivial_seconds if trivial_seconds else 0.0
    rps = len(latencies) / seconds if seconds else 0.0
    p95 = percentile(latencies, 0.95)
    ratio = rps / trivial_rps if trivial_rps else 0.0
    return Result(
        page=name,
        path=path,
        p50_ms=round(statistics.median(latencies) if latencies else float("inf"), 1),
        p95_ms=round(p95, 1),
        rps=round(rps, 1),
        trivial_rps=round(trivial_rps, 1),
        ratio=round(ratio, 3),
        queries=0,
        kb=0.0,
        errors=errors,
        ok=errors == 0 and p95 <= P95_TARGET_MS and ratio >= RATIO_TARGET,
    )


# -- report --------------------------------------------------------------------------------------


def print_table(results: list[Result]) -> None:
    header = (
        f"{'page':18} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'triv/s':>7} {'ratio':>6} "
        f"{'queries':>7} {'KB':>7} {'err':>4}  verdict"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.page:18} {r.p50_ms:8.1f} {r.p95_ms:8.1f} {r.rps:7.1f} {r.trivial_rps:7.1f} "
            f"{r.ratio:6.2f} {r.queries:7d} {r.kb:7.1f} {r.errors:4d}  "
            f"{'ok' if r.ok else 'MISS'}"
        )
    print(
        f"targets: p95 ≤ {P95_TARGET_MS:.0f} ms and ratio ≥ {RATIO_TARGET} "
        f"({CLIENTS} clients, {REQUESTS} requests a page, gunicorn 2 workers)"
    )


def load_average() -> list[float]:
    with contextlib.suppress(OSError):
        return [round(x, 2) for x in os.getloadavg()]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--reseed", action="store_true", help="drop the bench database first")
    args = parser.parse_args(argv)
    wanted = [p for p in args.pages.split(",") if p] or list(PAGES)
    unknown = set(wanted) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
    os.environ.update(
        {
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-not-for-production"),
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_MANIFEST": "false",
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)
    url = bench_database_url()
    data = prepare(url, reseed=args.reseed)
    paths = {name: PAGES[name].format(**asdict(data)) for name in wanted}
    counts = count_queries(paths, data.user)
    cookie = session_cookie(data.user)
    from django.db import connections

    connections.close_all()
    results: list[Result] = []
    port = free_port()
    load_before = load_average()
    with gunicorn(url, port):
        for name, path in paths.items():
            result = measure(port, name, path, cookie, args.requests)
            result.queries, size = counts[name]
            result.kb = round(size / 1024, 1)
            results.append(result)
            print(f"  {name}: p95 {result.p95_ms} ms, ratio {result.ratio}", flush=True)
    print()
    print_table(results)
    report = {
        "targets": {"p95_ms": P95_TARGET_MS, "ratio": RATIO_TARGET},
        "clients": CLIENTS,
        "requests": args.requests,
        "workers": 2,
        "trivial_page": TRIVIAL,
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "pages": [asdict(r) for r in results],
    }
    out = ROOT / "artifacts" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(
        f"load average {report['load_average_before']} → {report['load_average_after']}; "
        f"JSON in {out.relative_to(ROOT)}"
    )
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # gunicorn is stopped by the context manager on the way out
        sys.exit(130)
