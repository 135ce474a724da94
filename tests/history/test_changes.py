"""Edit services that are given the values a record already has write nothing at all."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services as account_services
from accounts.roles import Role
from history.changes import save_changes
from rounds.services import coverage, pool, teams
from tests.factories import (
    CoveragePlanFactory,
    InspectorFactory,
    RoundFactory,
    TeamFactory,
    UnitFactory,
)

WRITES = {"INSERT", "UPDATE", "DELETE"}


def _updates(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]


def test_save_changes_saves_only_the_fields_that_differ(org):
    unit = UnitFactory(organization=org, name="绵阳分公司", code="my")

    with CaptureQueriesContext(connection) as queries:
        changed = save_changes(unit, {"name": "绵阳市分公司", "code": "my"})

    assert changed == ["name"]
    (update,) = _updates(queries)
    assert '"code"' not in update


def test_save_changes_compares_a_foreign_key_by_id(org):
    parent = UnitFactory(organization=org)
    unit = UnitFactory(organization=org, parent=parent)
    unit.refresh_from_db()  # the parent is not loaded: only its id is known

    assert save_changes(unit, {"parent": parent}) == []


def test_an_unchanged_team_edit_runs_no_update(org, office_user):
    team = TeamFactory(round=RoundFactory(organization=org), name="第一巡察组")

    with CaptureQueriesContext(connection) as queries:
        teams.update_team(team=team, actor=office_user, name="第一巡察组")

    assert _updates(queries) == []


def test_an_unchanged_round_edit_runs_no_update(org, office_user):
    round_ = RoundFactory(organization=org)

    with CaptureQueriesContext(connection) as queries:
        teams.update_round(
            round=round_,
            actor=office_user,
            name=round_.name,
            kind=round_.kind,
            start_date=round_.start_date,
            end_date=round_.end_date,
            focus_areas=round_.focus_areas,
            description=round_.description,
        )

    assert _updates(queries) == []


@pytest.mark.parametrize(("position", "updates"), [("主任科员", 0), ("副主任", 1)])
def test_an_inspector_edit_updates_only_when_something_changed(org, office_user, position, updates):
    inspector = InspectorFactory(organization=org, position="主任科员")

    with CaptureQueriesContext(connection) as queries:
        pool.update_inspector(
            inspector=inspector,
            actor=office_user,
            name=inspector.name,
            position=position,
            user=None,
            home_unit=None,
            is_external=inspector.is_external,
            leader_eligible=inspector.leader_eligible,
            phone=inspector.phone,
            notes=inspector.notes,
            is_active=inspector.is_active,
            specialties=[],
        )

    assert len(_updates(queries)) == updates


def test_an_unchanged_unit_edit_runs_no_update(org, admin_user):
    unit = UnitFactory(organization=org, name="绵阳分公司", code="my")

    with CaptureQueriesContext(connection) as queries:
        account_services.update_unit(
            unit=unit, actor=admin_user, name="绵阳分公司", code="my", kind=unit.kind
        )

    assert _updates(queries) == []


def test_an_unchanged_member_edit_writes_nothing(org, admin_user, office_user):
    membership = office_user.memberships.get(organization=org)

    with CaptureQueriesContext(connection) as queries:
        account_services.update_member(
            membership=membership,
            actor=admin_user,
            roles=[Role.OFFICE],
            is_active=True,
            full_name=office_user.full_name,
            email=office_user.email,
            title=membership.title,
        )

    writes = [q["sql"] for q in queries.captured_queries if q["sql"].split()[0] in WRITES]
    assert writes == []


def test_an_unchanged_plan_edit_runs_no_update(org, office_user):
    plan = CoveragePlanFactory(organization=org, start_year=2024, end_year=2026)

    with CaptureQueriesContext(connection) as queries:
        coverage.update_plan(
            plan=plan,
            actor=office_user,
            name=plan.name,
            start_year=2024,
            end_year=2026,
            description=plan.description,
        )

    assert _updates(queries) == []
