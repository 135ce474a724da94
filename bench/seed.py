"""The tenant-scale data set of `make bench`, bulk-inserted (about a minute, not hours).

One organization the size of a large provincial company: 20 city branches × 250 county
branches = 5,020 units; a pool of 3,000 inspectors with specialties, home units and some
declared relatives; 15 rounds of 8 teams (5 people each); 3,000 inspections in every stage; a
coverage plan targeting all 5,020 units, two smaller plans, and 600 extension visits.

Rows are written with ``bulk_create`` under ``dangerously_unscoped`` (the services check one row
at a time and would take hours). The organization's code carries ``SEED_VERSION``: a database
holding that code is reused as it is; bump the version whenever this file changes what it makes.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from xuncha.tenancy import dangerously_unscoped

SEED_VERSION = 1
ORG_CODE = f"bench-v{SEED_VERSION}"
USERNAME = "bench-office"
PASSWORD = "Bench-pass-2026"  # noqa: S105 - a local benchmark account

CITIES = 20
COUNTIES_PER_CITY = 250
INSPECTORS = 3_000
ROUNDS = 15
TEAMS_PER_ROUND = 8
INSPECTIONS_PER_ROUND = 200  # 15 × 200 = 3,000
EXTENSION_VISITS = 600
BATCH = 2_000


@dataclass(frozen=True)
class BenchData:
    """Ids the page list needs: what to open in the benchmark."""

    org: int
    user: int
    plan: int
    round: int
    team: int
    suggest_unit: int
    inspection: int
    city: int


def existing() -> BenchData | None:
    """The data set already in the database at this version, or None."""
    from accounts.models import Organization

    with dangerously_unscoped():
        org = Organization.objects.filter(code=ORG_CODE).first()
        return _ids(org) if org is not None else None


def _ids(org) -> BenchData:  # type: ignore[no-untyped-def]
    from accounts.models import Unit, User
    from rounds.models import CoveragePlan, Inspection, Round, Team

    with dangerously_unscoped():
        latest = Round.objects.filter(organization=org).order_by("-start_date").first()
        team = Team.objects.filter(round=latest).order_by("name").first()
        inspection = (
            Inspection.objects.filter(organization=org, extension_visits__isnull=False)
            .order_by("pk")
            .first()
        )
        taken = Inspection.objects.filter(round=latest).values("unit")
        free_unit = (
            Unit.objects.filter(organization=org, depth=1).exclude(pk__in=taken).order_by("path")
        ).first()
        return BenchData(
            org=org.pk,
            user=User.objects.get(username=USERNAME).pk,
            plan=CoveragePlan.objects.filter(organization=org).order_by("-start_year").first().pk,
            round=latest.pk,
            team=team.pk,
            suggest_unit=free_unit.pk,
            inspection=inspection.pk,
            city=Unit.objects.filter(organization=org, depth=0).order_by("path").first().pk,
        )


def seed() -> BenchData:
    """Insert the data set (the caller makes sure the database does not hold it yet)."""
    rng = random.Random(6)  # noqa: S311 - reproducible fake data, not security
    with dangerously_unscoped(), transaction.atomic():
        org, user = _organization()
        cities, counties = _units(org)
        inspectors = _pool(org, rng, [*cities, *counties])
        rounds = _rounds(org, user, inspectors, rng)
        _inspections(org, user, rounds, counties, rng)
        _plans(org, user, cities, counties, rng)
        from rounds.services.coverage import refresh_coverage

        refresh_coverage(organization=org)  # bulk inserts bypass the services that keep it
    # Fresh statistics, as autovacuum would have them on a live tenant: without them the
    # planner takes the bulk-loaded tables for empty ones.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return _ids(org)


def _organization():  # type: ignore[no-untyped-def]
    from accounts import services as accounts
    from accounts.roles import Role

    org = accounts.create_organization(name=f"基准测试公司党委 v{SEED_VERSION}", code=ORG_CODE)
    membership = accounts.create_member(
        org=org,
        actor=None,
        username=USERNAME,
        password=PASSWORD,
        roles=[Role.OFFICE, Role.ORG_ADMIN],
        full_name="基准 巡察办",
        notify=False,
    )
    return org, membership.user


def _units(org):  # type: ignore[no-untyped-def]
    from accounts.models import Unit

    cities = Unit.objects.bulk_create(
        Unit(organization=org, name=f"{i + 1:02d}市分公司", code=f"c{i:02d}", kind="branch")
        for i in range(CITIES)
    )
    counties = Unit.objects.bulk_create(
        (
            Unit(
                organization=org,
                parent=city,
                name=f"{c + 1:02d}市{k + 1:03d}县分公司",
                code=f"c{c:02d}k{k:03d}",
                kind="county_branch",
                depth=1,
                is_active=k % 97 != 96,
            )
            for c, city in enumerate(cities)
            for k in range(COUNTIES_PER_CITY)
        ),
        batch_size=BATCH,
    )
    # Paths are chains of zero-padded ids: two statements instead of 5,020 updates.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_unit SET path = lpad(id::text, 8, '0') || '/' "
            "WHERE organization_id = %s AND parent_id IS NULL",
            [org.pk],
        )
        cursor.execute(
            "UPDATE accounts_unit u SET path = p.path || lpad(u.id::text, 8, '0') || '/' "
            "FROM accounts_unit p WHERE u.parent_id = p.id AND u.organization_id = %s",
            [org.pk],
        )
    ids = [unit.pk for unit in [*cities, *counties]]
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[u.pk] for u in cities], [by_id[u.pk] for u in counties]


def _pool(org, rng, units):  # type: ignore[no-untyped-def]
    from rounds.models import Inspector, InspectorSpecialty, RelativeDeclaration
    from rounds.taxonomy import Specialty

    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    inspectors = Inspector.objects.bulk_create(
        (
            Inspector(
                organization=org,
                name=f"{surnames[i % len(surnames)]}干部{i:04d}",
                position="纪检监察员" if i % 3 else "审计主管",
                home_unit=units[rng.randrange(len(units))],
                leader_eligible=i % 10 == 0,
                is_external=i % 25 == 0,
                is_active=i % 50 != 49,
            )
            for i in range(INSPECTORS)
        ),
        batch_size=BATCH,
    )
    codes = list(Specialty.values)
    InspectorSpecialty.objects.bulk_create(
        (
            InspectorSpecialty(organization=org, inspector=inspector, specialty=code)
            for inspector in inspectors
            for code in rng.sample(codes, rng.randint(1, 3))
        ),
        batch_size=BATCH,
    )
    RelativeDeclaration.objects.bulk_create(
        RelativeDeclaration(
            organization=org,
            inspector=inspector,
            unit=units[rng.randrange(len(units))],
            relative_name="亲属",
            relation="配偶",
            declared_on=datetime.date(2024, 1, 1),
        )
        for inspector in inspectors[::10]
    )
    return inspectors


def _rounds(org, user, inspectors, rng):  # type: ignore[no-untyped-def]
    from rounds.models import Round, Team, TeamMember
    from rounds.taxonomy import FocusArea

    areas = list(FocusArea.values)
    rounds = Round.objects.bulk_create(
        Round(
            organization=org,
            name=f"{2022 + r // 3}年第{r % 3 + 1}轮巡察",
            start_date=datetime.date(2022 + r // 3, 1 + 4 * (r % 3), 1),
            end_date=datetime.date(2022 + r // 3, 4 + 4 * (r % 3), 28),
            focus_areas=rng.sample(areas, 4),
            created_by=user,
        )
        for r in range(ROUNDS)
    )
    teams = Team.objects.bulk_create(
        Team(organization=org, round=rnd, name=f"第{t + 1}巡察组")
        for rnd in rounds
        for t in range(TEAMS_PER_ROUND)
    )
    members = []
    for rnd in rounds:
        people = rng.sample(inspectors, TEAMS_PER_ROUND * 5)
        for t, team in enumerate(team for team in teams if team.round_id == rnd.pk):
            crew = people[t * 5 : t * 5 + 5]
            roles = ["leader", "deputy", "member", "member", "member"]
            members += [
                TeamMember(organization=org, team=team, round=rnd, inspector=person, role=role)
                for person, role in zip(crew, roles, strict=True)
            ]
    TeamMember.objects.bulk_create(members, batch_size=BATCH)
    return [(rnd, [team for team in teams if team.round_id == rnd.pk]) for rnd in rounds]


def _stage_for(round_index: int, rng: random.Random) -> str:
    from rounds.taxonomy import STAGE_ORDER

    if round_index < ROUNDS - 4:
        return "closed"
    # Recent rounds: anywhere in the lifecycle, the latest ones early on.
    top = min(len(STAGE_ORDER) - 1, 2 * (ROUNDS - round_index) + 1)
    return STAGE_ORDER[rng.randrange(top)]


def _inspections(org, user, rounds, counties, rng):  # type: ignore[no-untyped-def]
    from rounds.models import ExtensionVisit, Inspection

    now = timezone.now()
    rows = []
    for r, (rnd, teams) in enumerate(rounds):
        for n, unit in enumerate(rng.sample(counties, INSPECTIONS_PER_ROUND)):
            stage = _stage_for(r, rng)
            rows.append(
                Inspection(
                    organization=org,
                    round=rnd,
                    team=teams[n % len(teams)],
                    unit=unit,
                    stage=stage,
                    stage_entered_at=now,
                    focus_areas=rnd.focus_areas,
                    created_by=user,
                    closed_at=now if stage == "closed" else None,
                )
            )
    inspections = Inspection.objects.bulk_create(rows, batch_size=BATCH)
    # Extension visits need a sub-unit: the benchmark's inspections of city branches visit
    # their counties, as the supervision visits of the real article do.
    visits = []
    city_inspections = Inspection.objects.bulk_create(
        Inspection(
            organization=org,
            round=rounds[-5][0],
            team=rounds[-5][1][0],
            unit_id=unit_id,
            stage="rectification",
            stage_entered_at=now,
            created_by=user,
        )
        for unit_id in sorted({county.parent_id for county in counties})[:3]
    )
    for inspection in city_inspections:
        subunits = [county for county in counties if county.parent_id == inspection.unit_id]
        for k in range(EXTENSION_VISITS // len(city_inspections)):
            visits.append(
                ExtensionVisit(
                    organization=org,
                    inspection=inspection,
                    unit=subunits[k % len(subunits)],
                    occasion="onsite" if k % 2 else "supervision",
                    visited_on=datetime.date(2025, 1 + k % 12, 1 + k % 28),
                    visit_reference=f"第{k % 3 + 1}次督导",
                    recorded_by=user,
                )
            )
    ExtensionVisit.objects.bulk_create(visits, batch_size=BATCH)
    return inspections


def _plans(org, user, cities, counties, rng):  # type: ignore[no-untyped-def]
    from rounds.models import CoveragePlan, CoverageTarget

    big = CoveragePlan.objects.create(
        organization=org,
        name="2024–2028年巡察规划",
        start_year=2024,
        end_year=2028,
        created_by=user,
    )
    small = [
        CoveragePlan.objects.create(
            organization=org,
            name=f"{year}–{year + 2}年专项规划",
            start_year=year,
            end_year=year + 2,
            created_by=user,
        )
        for year in (2022, 2023)
    ]
    targets = [
        CoverageTarget(organization=org, plan=big, unit=unit, planned_year=2024 + rng.randrange(5))
        for unit in [*cities, *counties]
    ]
    for plan in small:
        targets += [
            CoverageTarget(organization=org, plan=plan, unit=unit)
            for unit in rng.sample(counties, 500)
        ]
    CoverageTarget.objects.bulk_create(targets, batch_size=BATCH)
