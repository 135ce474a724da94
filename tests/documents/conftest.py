"""An inspection of 成都分公司 on site, its team, the unit's liaison (granted the unit) and a
liaison of another unit; the private storage in a directory of the test's own."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Membership, Unit, User
from accounts.roles import Role
from documents import services
from documents.models import DocumentRequest
from rounds.models import Inspection, TeamMember
from rounds.services import teams as team_services
from rounds.taxonomy import Stage
from tests.factories import (
    MembershipFactory,
    RoundFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
    seat_on_team,
)
from tests.files import samples

PDF = samples.pdf()


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path) -> Path:
    root = tmp_path / "private_media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


def stored_paths(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def unit(org) -> Unit:
    return UnitFactory(organization=org, name="成都分公司")


@pytest.fixture
def sub_unit(unit) -> Unit:
    return UnitFactory(organization=unit.organization, parent=unit, name="锦江区分公司")


@pytest.fixture
def other_unit(org) -> Unit:
    return UnitFactory(organization=org, name="绵阳分公司")


@pytest.fixture
def team_leader(org) -> User:
    return MembershipFactory(
        organization=org,
        user=UserFactory(username="zuzhang", full_name="赵志强"),
        roles=[Role.TEAM_LEADER],
    ).user


@pytest.fixture
def inspection(org, unit, team_leader, office_user) -> Inspection:
    round_ = RoundFactory(
        organization=org,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    team = TeamFactory(round=round_, name="第一巡察组")
    seat_on_team(team, team_leader, role=TeamMember.Role.LEADER)
    inspection = team_services.assign_unit(team=team, actor=office_user, unit=unit)
    Inspection.objects.for_org(org).filter(pk=inspection.pk).update(stage=Stage.ONSITE)
    inspection.refresh_from_db()
    return inspection


def _grant(org, user: User, units: list[Unit], admin: User) -> None:
    membership = Membership.objects.for_org(org).get(user=user)
    account_services.set_granted_units(membership=membership, actor=admin, units=units)


@pytest.fixture
def liaison(org, unit, admin_user) -> User:
    """The liaison of 成都分公司."""
    user = MembershipFactory(
        organization=org,
        user=UserFactory(username="lianluo", full_name="李联络"),
        roles=[Role.LIAISON],
    ).user
    _grant(org, user, [unit], admin_user)
    return user


@pytest.fixture
def other_liaison(org, other_unit, admin_user) -> User:
    """The liaison of 绵阳分公司."""
    user = MembershipFactory(
        organization=org, user=UserFactory(username="mylianluo"), roles=[Role.LIAISON]
    ).user
    _grant(org, user, [other_unit], admin_user)
    return user


@pytest.fixture
def grant():
    return _grant


@pytest.fixture
def doc_request(inspection, unit, team_leader) -> DocumentRequest:
    (made,) = services.request_documents(
        inspection=inspection,
        actor=team_leader,
        unit=unit,
        due_on=timezone.localdate() + datetime.timedelta(days=5),
        free_items=["党委会会议纪要"],
        description="2023年以来的会议纪要，复印件加盖公章。",
        team_notes="TEAMONLY-重点看大额资金决策",
    )
    return made


def deliver(document_request: DocumentRequest, liaison: User, name: str = "会议纪要.pdf"):
    return services.answer_document_request(
        document_request=document_request,
        actor=liaison,
        uploads=[samples.upload(name, PDF)],
        note="已按要求提供",
    )
