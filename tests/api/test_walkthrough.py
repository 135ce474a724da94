"""The issue's acceptance, end to end over HTTP: with a token of 中国电信四川公司党委's office,
``scripts/api_walkthrough.py`` lists the inspections page by page, records a problem and moves
an inspection on, and both changes show on the inspection pages' 修改记录; the same calls with
安顺市委's token get 404."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import Organization, User
from rounds.models import Inspection, Problem, StageTransition
from scripts.api_walkthrough import main
from tests.conftest import BACKEND, make_api_token
from xuncha.tenancy import dangerously_unscoped, org_scope

DESCRIPTION = "违规发放津贴补贴，涉及金额约 12 万元"


@pytest.fixture
def demo(transactional_db, settings) -> dict:
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    call_command("seed_demo", stdout=io.StringIO())
    with dangerously_unscoped():
        sichuan = Organization.objects.get(code="sctelecom")
        anshun = Organization.objects.get(code="anshun")
        office, as_office = (User.objects.get(username=n) for n in ("sc_office", "as_office"))
    return {
        "sichuan": sichuan,
        "office": office,
        "sc": make_api_token(office, sichuan),
        "as": make_api_token(as_office, anshun),
    }


def _run(live_server, key: str, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(["--base", live_server.url, "--token", key, *args], out=out)
    return status, out.getvalue()


def test_the_offices_token_lists_records_and_advances(live_server, demo):
    with org_scope(demo["sichuan"]):
        count = Inspection.objects.for_org(demo["sichuan"]).count()
        moves = StageTransition.objects.for_org(demo["sichuan"]).count()

    status, output = _run(live_server, demo["sc"])

    assert status == 0, output
    assert f"{count} inspections:" in output  # every page of two followed
    problem_on = int(re.search(r"recorded on inspection #(\d+)", output).group(1))
    moved, stage = re.search(r"Inspection #(\d+) is now (\S+)\.", output).groups()
    with org_scope(demo["sichuan"]):
        problem = Problem.objects.for_org(demo["sichuan"]).get(description=DESCRIPTION)
        assert problem.inspection_id == problem_on
        assert StageTransition.objects.for_org(demo["sichuan"]).count() == moves + 1
    page = Client()
    page.force_login(demo["office"], backend=BACKEND)
    history = page.get(f"/inspections/{problem_on}/").content.decode().split("修改记录", 1)[1]
    assert DESCRIPTION in history
    # The move itself, not just any stage change the demo's history already holds.
    moved_history = page.get(f"/inspections/{moved}/").content.decode().split("修改记录", 1)[1]
    assert f"→ {stage}" in moved_history


def test_another_organizations_token_gets_404_for_the_same_calls(live_server, demo):
    with org_scope(demo["sichuan"]):
        inspection = Inspection.objects.for_org(demo["sichuan"]).filter(stage="onsite").first()
        unit_name = inspection.unit.name
    ours = str(inspection.pk)

    status, output = _run(live_server, demo["as"], "--problem-on", ours, "--advance", ours)

    assert status == 1
    assert "Refused: 404 not_found" in output
    assert unit_name not in output.split("Refused")[0]  # its list: none of ours
    with org_scope(demo["sichuan"]):
        assert not Problem.objects.for_org(demo["sichuan"]).filter(description=DESCRIPTION)


def test_another_organizations_token_cannot_advance_ours(live_server, demo):
    with org_scope(demo["sichuan"]):
        inspection = Inspection.objects.for_org(demo["sichuan"]).filter(stage="onsite").first()
        stage = inspection.stage

    client = Client(headers={"Authorization": f"Bearer {demo['as']}"})
    response = client.post(
        f"/api/inspections/{inspection.pk}/advance/",
        data={"to_stage": "feedback"},
        content_type="application/json",
    )

    assert response.status_code == 404
    with org_scope(demo["sichuan"]):
        inspection.refresh_from_db()
    assert inspection.stage == stage
