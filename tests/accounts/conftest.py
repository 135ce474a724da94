"""Fixtures shared by the accounts tests, on top of the personas in tests/conftest.py."""

from __future__ import annotations

import pytest

from accounts import services
from accounts.models import Membership, Unit, User
from accounts.roles import Role
from tests.factories import MembershipFactory, UnitFactory, UserFactory


@pytest.fixture
def liaison_membership(org, liaison_user) -> Membership:
    return Membership.objects.for_org(org).get(user=liaison_user)


@pytest.fixture
def granted_liaison(liaison_membership, unit_tree, admin_user) -> User:
    """The liaison, granted 成都分公司 only (not its sub-units)."""
    services.set_granted_units(
        membership=liaison_membership, actor=admin_user, units=[unit_tree["chengdu"]]
    )
    return liaison_membership.user


@pytest.fixture
def other_org_unit(other_org) -> Unit:
    return UnitFactory(organization=other_org, name="西秀区委", code="xixiu")


@pytest.fixture
def two_org_user(org, other_org) -> User:
    """Office staff in both organizations (a two-level inspection office)."""
    user = UserFactory(username="both")
    MembershipFactory(organization=org, user=user, roles=(Role.OFFICE,))
    MembershipFactory(organization=other_org, user=user, roles=(Role.OFFICE,))
    return user
