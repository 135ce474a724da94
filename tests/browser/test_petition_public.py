"""A petition in a browser: on a phone (390×844) a visitor opens the announcement's petition
page, files an anonymous petition with a photo, gets a receipt code and checks its status with
it; the team then sees it on its list. Screenshots in artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from clues.models import Petition
from rounds.models import TeamMember
from rounds.services import teams as team_services
from rounds.taxonomy import Stage
from tests.factories import AnnouncementFactory, TeamFactory, UnitFactory, seat_on_team
from tests.factories_clues import PNG

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture
def announcement(org, team_member_user, office_user):
    team = TeamFactory(round__organization=org, name="第一巡察组")
    seat_on_team(team, team_member_user, role=TeamMember.Role.MEMBER)
    unit = UnitFactory(organization=org, name="成都分公司")
    inspection = team_services.assign_unit(team=team, actor=office_user, unit=unit)
    inspection.stage = Stage.ONSITE
    inspection.save(update_fields=["stage"])
    return AnnouncementFactory(
        inspection=inspection, phone="028-86001234", published_at=timezone.now()
    )


def test_a_visitor_files_a_petition_and_checks_it(
    page: Page, live_server, sign_in, tmp_path, announcement, team_member_user
):
    page.set_viewport_size({"width": 390, "height": 844})
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)
    url = reverse("clues:petition_public", args=[announcement.token])

    page.goto(f"{live_server.url}{url}?unit={announcement.inspection.unit_id}")
    page.fill("#id_subject_persons", "某分局局长")
    page.fill("#id_content", "反映某分局2025年违规发放津补贴、公车私用。")
    page.set_input_files("#id_photos", str(photo))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SHOTS / "petition_public_form_phone.png", full_page=True)
    page.click("#submit-petition")

    code = page.locator("#receipt-code").inner_text().strip()
    assert len(code) == 19
    page.screenshot(path=SHOTS / "petition_public_receipt_phone.png", full_page=True)

    page.click("#status-link")
    page.fill("#id_code", code)
    page.click("#check-status")
    assert "已收到" in page.locator("#status-found").inner_text()
    page.screenshot(path=SHOTS / "petition_public_status_phone.png", full_page=True)

    petition = Petition.objects.get()
    assert petition.attachments.count() == 1
    team = sign_in(team_member_user)
    team.set_viewport_size({"width": 1280, "height": 900})
    team.goto(f"{live_server.url}{reverse('clues:petition_list', args=[petition.inspection_id])}")
    assert team.locator("#petition-list .petition-link").count() == 1
    team.click("#petition-list .petition-link")
    assert "违规发放津补贴" in team.locator("#content").inner_text()
    team.screenshot(path=SHOTS / "petition_team_detail.png", full_page=True)
