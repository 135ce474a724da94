"""Object grants derived from the facts (``accounts.grants.sync_grants``), and capability names
declared by the app that owns them."""

from __future__ import annotations

from pathlib import Path

from accounts import services
from accounts.grants import sync_grants
from accounts.models import Membership, UnitGrant, UnitUserObjectPermission
from accounts.roles import Role
from rounds.capabilities import MANAGE_INSPECTIONS, VIEW_INSPECTIONS
from rounds.models import InspectionUserObjectPermission, TeamMember
from rounds.services import pool as pool_services
from rounds.services import teams as team_services
from tests.factories import MembershipFactory, TeamFactory, UnitFactory, seat_on_team
from xuncha.tenancy import org_scope

PROFILE = {"full_name": "王五", "email": "wangwu@example.cn", "title": ""}


def _update(membership: Membership, actor, **changes) -> None:
    fields = {"roles": membership.roles, "is_active": membership.is_active, **PROFILE}
    services.update_member(membership=membership, actor=actor, **{**fields, **changes})


def _leader_of_a_team(org, office_user) -> tuple[Membership, object]:
    membership = MembershipFactory(organization=org, roles=[Role.TEAM_LEADER])
    team = TeamFactory(round__organization=org)
    seat = seat_on_team(team, membership.user, role=TeamMember.Role.LEADER, actor=office_user)
    team_services.assign_unit(team=team, actor=office_user, unit=UnitFactory(organization=org))
    return membership, seat.inspector


def _inspection_grants(user) -> list[str]:
    rows = InspectionUserObjectPermission.objects.filter(user=user)
    return sorted(rows.values_list("permission__codename", flat=True))


def test_a_team_leader_holds_view_and_change(org, office_user):
    membership, _ = _leader_of_a_team(org, office_user)

    assert _inspection_grants(membership.user) == ["change_inspection", "view_inspection"]


def test_reactivating_a_membership_restores_its_grants(org, office_user, admin_user):
    membership, _ = _leader_of_a_team(org, office_user)
    _update(membership, admin_user, is_active=False)
    assert _inspection_grants(membership.user) == []

    _update(Membership.objects.get(pk=membership.pk), admin_user, is_active=True)

    assert _inspection_grants(membership.user) == ["change_inspection", "view_inspection"]


def test_syncing_again_changes_no_row(org, office_user):
    membership, _ = _leader_of_a_team(org, office_user)
    before = set(InspectionUserObjectPermission.objects.values_list("pk", flat=True))

    sync_grants(user=membership.user, organization=org)

    assert set(InspectionUserObjectPermission.objects.values_list("pk", flat=True)) == before


def test_relinking_an_inspector_moves_the_grants_to_the_new_account(org, office_user):
    membership, inspector = _leader_of_a_team(org, office_user)
    newcomer = MembershipFactory(organization=org, roles=[Role.TEAM_MEMBER]).user

    pool_services.update_inspector(
        inspector=inspector,
        actor=office_user,
        name=inspector.name,
        position=inspector.position,
        user=newcomer,
        home_unit=None,
        is_external=False,
        leader_eligible=True,
        phone="",
        notes="",
        is_active=True,
        specialties=[],
    )

    assert _inspection_grants(membership.user) == []
    assert _inspection_grants(newcomer) == ["change_inspection", "view_inspection"]


def test_a_unit_grant_is_kept_as_a_fact_while_the_liaison_is_deactivated(
    org, admin_user, liaison_membership, unit_tree
):
    services.set_granted_units(
        membership=liaison_membership, actor=admin_user, units=[unit_tree["chengdu"]]
    )

    _update(liaison_membership, admin_user, is_active=False)

    assert UnitGrant.objects.filter(membership=liaison_membership).count() == 1
    assert UnitUserObjectPermission.objects.filter(user=liaison_membership.user).count() == 0


def test_syncing_one_organization_leaves_the_others_grants_alone(
    org, other_org, admin_user, unit_tree, other_org_unit
):
    liaison = MembershipFactory(organization=org, roles=[Role.LIAISON])
    with org_scope(other_org):
        elsewhere = MembershipFactory(
            organization=other_org, user=liaison.user, roles=[Role.LIAISON]
        )
        services.set_granted_units(membership=elsewhere, actor=None, units=[other_org_unit])

    services.set_granted_units(membership=liaison, actor=admin_user, units=[])

    granted = UnitUserObjectPermission.objects.filter(user=liaison.user)
    assert list(granted.values_list("content_object", flat=True)) == [other_org_unit.pk]


def test_capabilities_of_rounds_are_registered_by_rounds(org):
    office = MembershipFactory(organization=org, roles=[Role.OFFICE])
    team_member = MembershipFactory(organization=org, roles=[Role.TEAM_MEMBER])

    assert office.has_perm(MANAGE_INSPECTIONS)
    assert team_member.has_perm(VIEW_INSPECTIONS)
    assert not team_member.has_perm(MANAGE_INSPECTIONS)


def test_accounts_names_no_capability_of_another_app():
    sources = Path(services.__file__).parent.glob("**/*.py")
    naming = [path.name for path in sources if '"rounds.' in path.read_text(encoding="utf-8")]
    assert naming == []
