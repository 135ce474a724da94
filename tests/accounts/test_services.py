"""Business rules of the unit tree and of memberships, called through the services."""

from __future__ import annotations

import pytest

from accounts import services
from accounts.errors import DomainError
from accounts.models import Membership, MembershipRole, Unit
from accounts.roles import Role
from accounts.selectors import unit_granted_list
from tests.factories import UnitFactory
from xuncha.tenancy import dangerously_unscoped, org_scope

PROFILE = {"full_name": "管理员", "email": "", "title": ""}


def _tree_state(org) -> list[tuple[str, int | None, str, int]]:
    return list(Unit.objects.for_org(org).values_list("code", "parent_id", "path", "depth"))


def test_create_unit_at_top_level_sets_path_and_depth(org, admin_user):
    unit = services.create_unit(org=org, actor=admin_user, name="成都分公司", code="cd")

    assert unit.path == f"{unit.pk:08d}/"
    assert unit.depth == 0


def test_create_unit_under_parent_sets_path_and_depth(org, admin_user, unit_tree):
    jinjiang = unit_tree["jinjiang"]

    unit = services.create_unit(
        org=org, actor=admin_user, name="红星路分局", code="cd-jj-2", parent=jinjiang
    )

    assert unit.path == f"{unit_tree['chengdu'].pk:08d}/{jinjiang.pk:08d}/{unit.pk:08d}/"
    assert unit.depth == 2


def test_unit_code_is_unique_in_organization(org, admin_user, unit_tree):
    with pytest.raises(DomainError):
        services.create_unit(org=org, actor=admin_user, name="成都二分公司", code="cd")

    assert Unit.objects.for_org(org).filter(code="cd").count() == 1


def test_same_unit_code_is_allowed_in_another_organization(other_org, outsider, unit_tree):
    with org_scope(other_org):  # as the other organization's request runs
        unit = services.create_unit(org=other_org, actor=outsider, name="西秀区委", code="cd")

    with dangerously_unscoped():  # every organization's rows
        assert Unit.objects.filter(code="cd").count() == 2
    assert unit.organization == other_org


def test_update_unit_to_a_code_in_use_is_refused(admin_user, unit_tree):
    mianyang = unit_tree["mianyang"]

    with pytest.raises(DomainError):
        services.update_unit(unit=mianyang, actor=admin_user, name="绵阳", code="cd", kind="branch")

    mianyang.refresh_from_db()
    assert (mianyang.name, mianyang.code) == ("绵阳分公司", "my")


def test_create_unit_under_parent_of_another_organization_is_refused(
    org, admin_user, other_org_unit
):
    with pytest.raises(DomainError):
        services.create_unit(
            org=org, actor=admin_user, name="某单位", code="x", parent=other_org_unit
        )

    with dangerously_unscoped():  # every organization's rows
        assert not Unit.objects.filter(code="x").exists()


def test_create_unit_under_inactive_parent_is_refused(org, admin_user, unit_tree):
    services.deactivate_unit(unit=unit_tree["chengdu"], actor=admin_user)
    chengdu = Unit.objects.get(pk=unit_tree["chengdu"].pk)

    with pytest.raises(DomainError):
        services.create_unit(
            org=org, actor=admin_user, name="高新区分公司", code="cd-gx", parent=chengdu
        )

    assert not Unit.objects.filter(code="cd-gx").exists()


def test_move_rehangs_whole_subtree(admin_user, unit_tree):
    jinjiang, outlet, mianyang = unit_tree["jinjiang"], unit_tree["outlet"], unit_tree["mianyang"]

    services.move_unit(unit=jinjiang, actor=admin_user, new_parent=mianyang)

    jinjiang.refresh_from_db()
    outlet.refresh_from_db()
    assert jinjiang.parent == mianyang
    assert (jinjiang.path, jinjiang.depth) == (f"{mianyang.path}{jinjiang.pk:08d}/", 1)
    assert (outlet.path, outlet.depth) == (f"{jinjiang.path}{outlet.pk:08d}/", 2)


def test_move_to_top_level_rehangs_whole_subtree(admin_user, unit_tree):
    jinjiang, outlet = unit_tree["jinjiang"], unit_tree["outlet"]

    services.move_unit(unit=jinjiang, actor=admin_user, new_parent=None)

    jinjiang.refresh_from_db()
    outlet.refresh_from_db()
    assert (jinjiang.parent, jinjiang.path, jinjiang.depth) == (None, f"{jinjiang.pk:08d}/", 0)
    assert (outlet.path, outlet.depth) == (f"{jinjiang.pk:08d}/{outlet.pk:08d}/", 1)


def test_move_deeper_increases_depth_of_subtree(admin_user, unit_tree):
    mianyang, outlet = unit_tree["mianyang"], unit_tree["outlet"]
    child = UnitFactory(parent=mianyang, name="涪城区分公司", code="my-fc")

    services.move_unit(unit=mianyang, actor=admin_user, new_parent=outlet)

    child.refresh_from_db()
    assert child.path == f"{outlet.path}{mianyang.pk:08d}/{child.pk:08d}/"
    assert child.depth == 4


@pytest.mark.parametrize("target", ["chengdu", "jinjiang", "outlet"])
def test_move_under_itself_or_a_descendant_is_refused(org, admin_user, unit_tree, target):
    before = _tree_state(org)

    with pytest.raises(DomainError):
        services.move_unit(
            unit=unit_tree["chengdu"], actor=admin_user, new_parent=unit_tree[target]
        )

    assert _tree_state(org) == before


def test_move_under_parent_of_another_organization_is_refused(
    org, admin_user, unit_tree, other_org_unit
):
    before = _tree_state(org)

    with pytest.raises(DomainError):
        services.move_unit(unit=unit_tree["mianyang"], actor=admin_user, new_parent=other_org_unit)

    assert _tree_state(org) == before


def test_deactivate_deactivates_the_subtree(org, admin_user, unit_tree):
    count = services.deactivate_unit(unit=unit_tree["jinjiang"], actor=admin_user)

    active = dict(Unit.objects.for_org(org).values_list("code", "is_active"))
    assert count == 2
    assert active == {"cd": True, "cd-jj": False, "cd-jj-1": False, "my": True}


def test_reactivate_is_refused_while_parent_is_inactive(admin_user, unit_tree):
    services.deactivate_unit(unit=unit_tree["chengdu"], actor=admin_user)
    jinjiang = Unit.objects.get(pk=unit_tree["jinjiang"].pk)

    with pytest.raises(DomainError):
        services.reactivate_unit(unit=jinjiang, actor=admin_user)

    jinjiang.refresh_from_db()
    assert jinjiang.is_active is False


def test_reactivate_reactivates_only_the_unit(org, admin_user, unit_tree):
    services.deactivate_unit(unit=unit_tree["chengdu"], actor=admin_user)

    services.reactivate_unit(unit=Unit.objects.get(pk=unit_tree["chengdu"].pk), actor=admin_user)

    active = dict(Unit.objects.for_org(org).values_list("code", "is_active"))
    assert active == {"cd": True, "cd-jj": False, "cd-jj-1": False, "my": True}


def test_create_member_refuses_username_taken_in_any_case(org, admin_user, outsider):
    with pytest.raises(DomainError):
        services.create_member(
            org=org, actor=admin_user, username="OUTSIDER", password="x", roles=[Role.OFFICE]
        )

    assert not Membership.objects.for_org(org).filter(user__username__iexact="outsider").exists()


@pytest.mark.parametrize(("roles", "is_active"), [([Role.OFFICE], True), ([Role.ORG_ADMIN], False)])
def test_last_admin_cannot_be_removed(org, admin_user, roles, is_active):
    membership = Membership.objects.for_org(org).get(user=admin_user)

    with pytest.raises(DomainError):
        services.update_member(
            membership=membership, actor=admin_user, roles=roles, is_active=is_active, **PROFILE
        )

    roles_now = MembershipRole.objects.for_org(org).filter(membership=membership)
    assert list(roles_now.values_list("role", flat=True)) == [Role.ORG_ADMIN]
    assert Membership.objects.get(pk=membership.pk).is_active is True


def test_granting_units_of_another_organization_is_refused(
    org, admin_user, liaison_membership, other_org_unit
):
    with pytest.raises(DomainError):
        services.set_granted_units(
            membership=liaison_membership, actor=admin_user, units=[other_org_unit]
        )

    assert list(unit_granted_list(org=org, user=liaison_membership.user)) == []


def test_granting_units_replaces_previous_grants(org, admin_user, granted_liaison, unit_tree):
    membership = Membership.objects.for_org(org).get(user=granted_liaison)

    services.set_granted_units(membership=membership, actor=admin_user, units=[unit_tree["outlet"]])

    assert list(unit_granted_list(org=org, user=granted_liaison)) == [unit_tree["outlet"]]
