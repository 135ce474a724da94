"""The inspection page's 现场工作 section and the announcement's public forms come from the
apps' registrations (``rounds.workspace``): each reader sees the links their access allows."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from rounds.models import Inspection
from rounds.taxonomy import Stage
from tests.factories import (
    AnnouncementFactory,
    InspectionFactory,
    RoundFactory,
    TeamFactory,
    seat_on_team,
)


@pytest.fixture
def inspection(org) -> Inspection:
    rnd = RoundFactory(organization=org)
    return InspectionFactory(round=rnd, team=TeamFactory(round=rnd), stage=Stage.ONSITE)


def _sections(response) -> list[str]:
    return re.findall(r'id="section-([a-z]+)"', response.content.decode())


def _detail(inspection: Inspection) -> str:
    return reverse("rounds:inspection_detail", args=[inspection.pk])


def test_the_team_sees_every_section_of_the_on_site_work(login, team_member_user, inspection):
    seat_on_team(inspection.team, team_member_user)

    sections = _sections(login(team_member_user).get(_detail(inspection)))

    assert sections == ["surveys", "interviews", "checklists", "documents", "petitions"]


@pytest.mark.parametrize("persona", ["office_user", "leadership_user"])
def test_others_who_see_the_inspection_see_no_confidential_section(
    request, login, persona, inspection
):
    user = request.getfixturevalue(persona)

    assert _sections(login(user).get(_detail(inspection))) == [
        "surveys",
        "checklists",
        "documents",
    ]


def test_the_public_page_opens_the_form_its_code_is_for_first(client, inspection):
    announcement = AnnouncementFactory(inspection=inspection, published_at=timezone.now())
    url = reverse("rounds:announcement_public", args=[announcement.token])

    page = client.get(url, {"unit": inspection.unit_id, "for": "petition"}).content.decode()

    forms = re.findall(r'id="form-([a-z]+)"', page)
    assert forms == ["petition", "survey"]
    assert reverse("clues:petition_public", args=[announcement.token]) in page


def test_the_public_page_offers_no_form_once_the_on_site_work_is_over(client, inspection):
    announcement = AnnouncementFactory(inspection=inspection, published_at=timezone.now())
    Inspection.objects.filter(pk=inspection.pk).update(stage=Stage.REPORTING)
    url = reverse("rounds:announcement_public", args=[announcement.token])

    page = client.get(url, {"unit": inspection.unit_id}).content.decode()

    assert 'id="closed"' in page
    assert 'id="public-forms"' not in page
