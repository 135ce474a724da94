"""An inspection on site worked by a team of two (组长 and 组员), its unit's liaison, and
another team's member."""

from __future__ import annotations

import pytest

from accounts import services as account_services
from accounts.models import Membership, User
from accounts.roles import Role
from interviews import services
from interviews.models import Checklist, ChecklistItem, Interview, Method
from rounds.models import Inspection, Inspector, TeamMember
from rounds.services import teams as team_services
from rounds.taxonomy import Stage
from tests.factories import (
    InspectionFactory,
    MembershipFactory,
    RoundFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
    seat_on_team,
)
from tests.factories_interviews import HELD_AT


@pytest.fixture
def leader(org) -> User:
    return MembershipFactory(
        organization=org, user=UserFactory(username="zuzhang"), roles=[Role.TEAM_LEADER]
    ).user


@pytest.fixture
def team(org, leader, team_member_user):
    team = TeamFactory(round=RoundFactory(organization=org), name="第一巡察组")
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
def interviewers(inspection) -> list[Inspector]:
    seats = TeamMember.objects.for_org(inspection.organization).filter(team=inspection.team)
    return [seat.inspector for seat in seats.select_related("inspector").order_by("pk")]


@pytest.fixture
def unit_liaison(org, inspection, admin_user) -> User:
    user = _member(org, Role.LIAISON, "lianluoren")
    membership = Membership.objects.for_org(org).get(user=user)
    account_services.set_granted_units(
        membership=membership, actor=admin_user, units=[inspection.unit]
    )
    return user


@pytest.fixture
def other_team_member(org) -> User:
    user = _member(org, Role.TEAM_MEMBER, "qita")
    other = InspectionFactory(round=RoundFactory(organization=org))
    team = TeamFactory(round=other.round)
    seat_on_team(team, user)
    other.team = team
    other.save(update_fields=["team"])
    return user


def _member(org, role: str, username: str) -> User:
    user = UserFactory(username=username)
    return MembershipFactory(organization=org, user=user, roles=[role]).user


@pytest.fixture
def checklists(inspection, leader) -> list[Checklist]:
    return services.start_checklists(inspection=inspection, actor=leader)


def item_named(inspection: Inspection, checklist: str, text: str) -> ChecklistItem:
    return ChecklistItem.objects.for_org(inspection.organization).get(
        inspection=inspection, checklist__name=checklist, text=text
    )


def details(interviewers: list[Inspector], **changes) -> services.InterviewDetails:
    values = {
        "interviewee_name": "张明",
        "interviewee_position": "党委书记、总经理",
        "category": "leadership",
        "method": Method.IN_PERSON,
        "held_at": HELD_AT,
        "place": "成都分公司第一会议室",
        "interviewers": interviewers,
        "notes": "谈及“三重一大”决策程序（保密）",
        **changes,
    }
    return services.InterviewDetails(**values)


@pytest.fixture
def interview(inspection, leader, interviewers, checklists) -> Interview:
    return services.record_interview(
        inspection=inspection, actor=leader, details=details(interviewers)
    )
