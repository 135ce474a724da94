"""`make bench`: response times of the busiest pages at the size of a city committee
(Anshun: 13 SOEs, 38 county departments, 38 townships, 215 villages ≈ 300 units; a pool of 500).

Runs against a throwaway test database (SQLite, or the test database on DATABASE_URL's
server), seeds it through the services, then times each page with the test client.
Targets are printed next to the measurements; the run fails when a median misses its target.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

RUNS = 15
# page name -> (path template, target median in ms)
TARGETS = {
    "unit tree (300 units)": ("/units/", 100),
    "member list": ("/manage/members/", 50),
    "inspector pool (500)": ("/pool/", 150),
    "coverage plan (300 targets)": ("/plans/{plan}/", 250),
    "inspection list": ("/inspections/", 75),
    "inspection detail": ("/inspections/{inspection}/", 120),
}


def seed() -> dict[str, int]:
    from accounts import services as accounts
    from accounts.roles import Role
    from rounds.services import coverage, pool, teams

    org = accounts.create_organization(name="安顺市委", code="anshun")
    admin = accounts.create_member(
        org=org,
        actor=None,
        username="bench",
        password="Bench-pass-2026",
        roles=[Role.ORG_ADMIN, Role.OFFICE],
        notify=False,
    ).user
    top = [
        accounts.create_unit(org=org, actor=None, name=f"县区{i}", code=f"c{i}") for i in range(8)
    ]
    units = list(top)
    for i in range(290):
        parent = top[i % 8]
        units.append(
            accounts.create_unit(org=org, actor=None, name=f"乡镇{i}", code=f"t{i}", parent=parent)
        )
    for i in range(500):
        pool.create_inspector(
            org=org,
            actor=admin,
            name=f"干部{i:03d}",
            home_unit=units[i % len(units)],
            specialties=["audit", "finance"] if i % 2 else ["discipline"],
            leader_eligible=i % 10 == 0,
        )
    plan = coverage.create_plan(
        org=org, actor=admin, name="三年规划", start_year=2025, end_year=2027
    )
    for unit in top:
        coverage.add_targets(plan=plan, actor=admin, unit=unit, include_subunits=True)
    import datetime

    rnd = teams.create_round(
        org=org,
        actor=admin,
        name="2026年第一轮巡察",
        kind="routine",
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    team = teams.create_team(round=rnd, actor=admin, name="第一巡察组")
    inspection = None
    for unit in units[8:38]:
        inspection = teams.assign_unit(team=team, actor=admin, unit=unit)
    return {"plan": plan.pk, "inspection": inspection.pk}


def measure(client: Client, path: str) -> float:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(timings)


def main() -> int:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with scopes_disabled():
            ids = seed()
        client = Client()
        client.post("/accounts/login/", {"username": "bench", "password": "Bench-pass-2026"})
        failed = 0
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"{'page':32} {'median ms':>10} {'target':>8}  ({RUNS} runs, {engine})")
        for name, (path, target) in TARGETS.items():
            median = measure(client, path.format(**ids))
            failed += median > target
            print(f"{name:32} {median:10.1f} {target:8d}  {'ok' if median <= target else 'SLOW'}")
        return 1 if failed else 0
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
