"""Fixtures of the petition tests (tests/clues/conftest.py and the API tests import them): an
inspection on site with its team (a leader and a member), its published announcement, the
unit's liaison, and an empty rate-limit cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Membership
from accounts.roles import Role
from rounds.models import Announcement, Inspection, TeamMember
from rounds.services import teams as team_services
from rounds.taxonomy import Stage
from tests.factories import (
    AnnouncementFactory,
    MembershipFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
    seat_on_team,
)
from tests.factories_clues import PNG


@pytest.fixture(autouse=True)
def empty_rate_limits():
    """The real cache (Redis db of this run): every test starts with no counts."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def leader(org):
    return MembershipFactory(
        organization=org,
        user=UserFactory(username="zuzhang", full_name="赵志强"),
        roles=[Role.TEAM_LEADER],
    ).user


@pytest.fixture
def team(org, leader, team_member_user):
    team = TeamFactory(round__organization=org, name="第一巡察组")
    seat_on_team(team, leader, role=TeamMember.Role.LEADER)
    seat_on_team(team, team_member_user)
    return team


@pytest.fixture
def inspection(team, office_user) -> Inspection:
    unit = UnitFactory(organization=team.organization, name="成都分公司")
    inspection = team_services.assign_unit(team=team, actor=office_user, unit=unit)
    inspection.stage = Stage.ONSITE
    inspection.save(update_fields=["stage"])
    return inspection


@pytest.fixture
def announcement(inspection) -> Announcement:
    return AnnouncementFactory(inspection=inspection, published_at=timezone.now())


@pytest.fixture
def other_team_user(org, office_user):
    user = MembershipFactory(
        organization=org, user=UserFactory(username="other_member"), roles=[Role.TEAM_MEMBER]
    ).user
    team = TeamFactory(round__organization=org, name="第二巡察组")
    seat_on_team(team, user)
    team_services.assign_unit(team=team, actor=office_user, unit=UnitFactory(organization=org))
    return user


@pytest.fixture
def unit_liaison(org, liaison_user, admin_user, inspection):
    """The liaison of the inspected unit (granted it)."""
    membership = Membership.objects.for_org(org).get(user=liaison_user)
    account_services.set_granted_units(
        membership=membership, actor=admin_user, units=[inspection.unit]
    )
    return liaison_user


def png(name: str = "现场照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def forged(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00 not a picture", content_type="image/png")
