"""Business rules of the inspector pool, at the service and selector level."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models import QuerySet

from accounts import services as account_services
from accounts.errors import DomainError
from rounds.models import Inspector, RelativeDeclaration, TrainingRecord
from rounds.selectors.pool import inspector_list, user_linkable_list
from rounds.services import pool as services
from tests.factories import (
    InspectionFactory,
    InspectorFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
    UnitFactory,
    UserFactory,
)
from xuncha.tenancy import dangerously_unscoped


def test_create_refuses_a_unit_of_another_organization(org, other_org):
    stranger = UnitFactory(organization=other_org)

    with pytest.raises(DomainError):
        services.create_inspector(org=org, actor=None, name="张伟", home_unit=stranger)
    with dangerously_unscoped():  # every organization's rows
        assert not Inspector.objects.exists()


def test_create_refuses_a_deactivated_unit(org, unit_tree, office_user):
    account_services.deactivate_unit(unit=unit_tree["mianyang"], actor=office_user)

    with pytest.raises(DomainError):
        services.create_inspector(org=org, actor=None, name="张伟", home_unit=unit_tree["mianyang"])
    assert not Inspector.objects.exists()


def test_create_refuses_an_account_that_is_not_a_member(org, outsider):
    with pytest.raises(DomainError):
        services.create_inspector(org=org, actor=None, name="张伟", user=outsider)
    with dangerously_unscoped():  # every organization's rows
        assert not Inspector.objects.exists()


def test_one_inspector_per_account(org, office_user):
    services.create_inspector(org=org, actor=None, name="张伟", user=office_user)

    with pytest.raises(DomainError):
        services.create_inspector(org=org, actor=None, name="张伟（重复）", user=office_user)
    assert Inspector.objects.count() == 1


def test_update_keeps_the_own_account_link(org, office_user):
    inspector = services.create_inspector(org=org, actor=None, name="张伟", user=office_user)

    services.update_inspector(
        inspector=inspector,
        actor=office_user,
        name="张伟",
        position="组长",
        user=office_user,
        home_unit=None,
        is_external=False,
        leader_eligible=True,
        phone="",
        notes="",
        is_active=True,
        specialties=["party"],
    )

    inspector.refresh_from_db()
    assert (inspector.position, inspector.user, inspector.leader_eligible) == (
        "组长",
        office_user,
        True,
    )


def test_unknown_specialty_is_refused(org):
    with pytest.raises(DomainError):
        services.create_inspector(org=org, actor=None, name="张伟", specialties=["astrology"])
    assert not Inspector.objects.exists()


def test_declared_relative_must_work_in_a_unit_of_this_organization(org, other_org, office_user):
    inspector = InspectorFactory(organization=org)

    with pytest.raises(DomainError):
        services.declare_relative(
            inspector=inspector,
            actor=office_user,
            unit=UnitFactory(organization=other_org),
            relative_name="张小红",
            relation="配偶",
            declared_on=datetime.date(2025, 1, 1),
        )
    with dangerously_unscoped():  # every organization's rows
        assert not RelativeDeclaration.objects.exists()


def test_training_hours_cannot_be_negative(org, office_user):
    inspector = InspectorFactory(organization=org)

    with pytest.raises(DomainError):
        services.add_training(
            inspector=inspector,
            actor=office_user,
            title="培训",
            completed_on=datetime.date(2025, 1, 1),
            hours=Decimal("-1"),
        )
    assert not TrainingRecord.objects.exists()


def test_rounds_served_counts_distinct_rounds(org):
    inspector = InspectorFactory(organization=org)
    for _ in range(3):
        TeamMemberFactory(
            team=TeamFactory(round=RoundFactory(organization=org)), inspector=inspector
        )

    assert inspector_list(org=org).get().rounds_served == 3


def test_list_filters_run_in_the_database(org, unit_tree):
    services.create_inspector(
        org=org, actor=None, name="张伟", home_unit=unit_tree["outlet"], specialties=["audit"]
    )
    services.create_inspector(org=org, actor=None, name="李娜", specialties=["audit"])

    found = inspector_list(org=org, specialty="audit", home_unit=unit_tree["chengdu"])

    assert isinstance(found, QuerySet)
    assert list(found.values_list("name", flat=True)) == ["张伟"]


def test_linkable_users_are_active_members_only(org, office_user, outsider):
    inactive = UserFactory(username="retired")
    membership = account_services.add_member(org=org, actor=None, user=inactive, roles=["office"])
    membership.is_active = False
    membership.save()

    assert list(user_linkable_list(org=org)) == [office_user]


def test_linking_an_account_moves_the_inspection_grants_with_it(org, office_user, team_member_user):
    member = TeamMemberFactory(team=TeamFactory(round=RoundFactory(organization=org)))
    inspection = InspectionFactory(round=member.round, team=member.team)
    changes = {"name": "李明", "position": "", "home_unit": None, "is_external": False}
    changes |= {"leader_eligible": False, "phone": "", "notes": "", "is_active": True}

    services.update_inspector(
        inspector=member.inspector,
        actor=office_user,
        user=team_member_user,
        specialties=[],
        **changes,
    )

    assert team_member_user.has_perm("rounds.view_inspection", inspection)
