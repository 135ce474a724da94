"""The access-loss harness: for each way a person loses an object, every page and API route
of that object refuses them afterwards — and the object grant behind it is gone.

It walks the URL configuration like the isolation harness (whose route helpers it reuses), so
a new route that takes an inspection or a unit is covered the moment it is routed. Each test
first proves the person had access (a page answers 200), then performs the loss through the
service that changes the fact, then walks the routes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import models
from django.db.models.deletion import Collector, ProtectedError
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Membership, Unit, UnitUserObjectPermission, User
from accounts.roles import Role
from rounds.models import Inspection, InspectionUserObjectPermission, TeamMember
from rounds.services import inspections as inspection_services
from rounds.services import teams as team_services
from rounds.taxonomy import Stage
from tests.factories import (
    FACTORIES,
    InspectionFactory,
    MembershipFactory,
    RoundFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
    seat_on_team,
)
from tests.test_isolation import SCOPED, Route, _model_for

REFUSED = {403, 404}
SENT_AWAY = {"accounts:login", "accounts:no_org"}  # a page may send a signed-out member away


def _owner_field(model: type[models.Model], target: type[models.Model]) -> str | None:
    """The foreign key by which rows of ``model`` hang off ``target`` (``inspection``…)."""
    for field in model._meta.get_fields():
        if isinstance(field, models.ForeignKey) and field.related_model is target:
            return field.name
    return None


def _routes_of(target: type[models.Model], *, children: bool) -> list[Route]:
    """Routes taking ``target`` (a ``pk`` of that model or a ``<model>_pk``), and, with
    ``children``, routes of rows hanging off it (an interview of the inspection…)."""
    found = []
    for route in SCOPED:
        kwarg_models = [_model_for(route, name) for name in route.kwarg_names]
        if target in kwarg_models or (
            children and any(_owner_field(model, target) for model in kwarg_models)
        ):
            found.append(route)
    return found


INSPECTION_ROUTES = _routes_of(Inspection, children=True)
UNIT_ROUTES = _routes_of(Unit, children=False)


def _url(route: Route, obj: models.Model) -> str:
    kwargs = {}
    for name in route.kwarg_names:
        model = _model_for(route, name)
        if model is type(obj):
            kwargs[name] = obj.pk
        else:  # a row of the object, made for it
            kwargs[name] = FACTORIES[model](**{_owner_field(model, type(obj)): obj}).pk
    return reverse(route.name, kwargs=kwargs)


def _is_refused(response: Any) -> bool:
    if response.status_code in REFUSED:
        return True
    if response.status_code == 302:
        return any(response["Location"].startswith(reverse(name)) for name in SENT_AWAY)
    return False


def _addresses(routes: list[Route], obj: models.Model) -> list[tuple[Route, str]]:
    """The routes' addresses for ``obj`` (made before a loss that may delete it: the rows of
    ``obj`` they need cannot be made after it)."""
    return [(route, _url(route, obj)) for route in routes]


def _still_open(client: Any, routes: list[Route], obj: models.Model) -> list[str]:
    """The routes (and methods) of ``obj`` that do not refuse ``client``."""
    return _still_open_at(client, _addresses(routes, obj))


def _still_open_at(client: Any, addresses: list[tuple[Route, str]]) -> list[str]:
    open_routes = []
    for route, url in addresses:
        for method in ("get", "post"):
            if route.handles(method) and not _is_refused(getattr(client, method)(url)):
                open_routes.append(f"{method.upper()} {route.name}")
    return open_routes


def test_the_harness_walks_the_inspection_and_unit_routes():
    names = {route.name for route in INSPECTION_ROUTES + UNIT_ROUTES}
    assert {
        "rounds:inspection_detail",
        "rounds:problem_create",
        "rounds:extension_visit_list",
        "accounts:unit_detail",
        "api:unit-detail",
    } <= names


@pytest.mark.parametrize("route", INSPECTION_ROUTES, ids=str)
def test_every_inspection_route_declares_a_capability(route):
    """None relies on the object grant alone: a removed role closes them all."""
    assert getattr(route.view_class, "permission", None) is not None


# --- team members and their inspections ------------------------------------------------------


@pytest.fixture
def leader(org) -> User:
    """A team leader of our organization: sees and manages their team's inspections."""
    return MembershipFactory(
        organization=org, user=UserFactory(username="zuzhang"), roles=[Role.TEAM_LEADER]
    ).user


@pytest.fixture
def team(org, leader):
    team = TeamFactory(round__organization=org, name="第一巡察组")
    seat_on_team(team, leader, role=TeamMember.Role.LEADER)
    return team


@pytest.fixture
def inspection(team, office_user) -> Inspection:
    unit = UnitFactory(organization=team.organization, name="成都分公司")
    return team_services.assign_unit(team=team, actor=office_user, unit=unit)


@pytest.fixture
def look_back(org, leader, office_user) -> Inspection:
    """A look-back inspection adopted by the leader's team: unassigning it keeps it."""
    source = InspectionFactory(round__organization=org, stage=Stage.CLOSED)
    target_round = RoundFactory(organization=org, kind="look_back")
    inspection_services.create_look_back(
        inspection=source, actor=office_user, target_round=target_round
    )
    team = TeamFactory(round=target_round)
    seat_on_team(team, leader, role=TeamMember.Role.LEADER)
    return team_services.assign_unit(team=team, actor=office_user, unit=source.unit)


def _membership(org, user: User) -> Membership:
    return Membership.objects.for_org(org).get(user=user)


def _update_member(org, user: User, admin: User, **changes: Any) -> None:
    membership = _membership(org, user)
    profile = {
        "roles": membership.roles,
        "is_active": membership.is_active,
        "full_name": user.full_name,
        "email": user.email,
        "title": membership.title,
    }
    account_services.update_member(membership=membership, actor=admin, **{**profile, **changes})


def _remove_from_team(inspection, user, org, admin, office) -> None:
    seat = TeamMember.objects.for_org(org).get(team=inspection.team, inspector__user=user)
    team_services.remove_member(member=seat, actor=office)


def _recuse(inspection, user, org, admin, office) -> None:
    seat = TeamMember.objects.for_org(org).get(team=inspection.team, inspector__user=user)
    recusal = team_services.declare_recusal(
        member=seat,
        actor=office,
        unit=inspection.unit,
        reason="配偶在该单位任职",
        declared_on=datetime.date(2025, 3, 1),
    )
    team_services.decide_recusal(recusal=recusal, actor=office, approve=True)


def _unassign(inspection, user, org, admin, office) -> None:
    # The harness recorded on-site work on the planned inspection (a survey, a petition…) to
    # walk its routes; the service refuses to delete an inspection holding such records (see
    # test_an_inspection_with_recorded_work_is_not_unassigned), so they go first.
    try:
        Collector(using="default").collect([inspection])
    except ProtectedError as error:
        for row in error.protected_objects:
            row.delete()
    team_services.unassign_unit(inspection=inspection, actor=office)


def _remove_role(inspection, user, org, admin, office) -> None:
    _update_member(org, user, admin, roles=[Role.LIAISON])


def _deactivate(inspection, user, org, admin, office) -> None:
    _update_member(org, user, admin, is_active=False)


INSPECTION_LOSSES: dict[str, Callable[..., None]] = {
    "removed_from_team": _remove_from_team,
    "recusal_approved": _recuse,
    "unit_unassigned_and_deleted": _unassign,
    "role_removed": _remove_role,
    "membership_deactivated": _deactivate,
}


@pytest.mark.parametrize("loss", INSPECTION_LOSSES.values(), ids=INSPECTION_LOSSES.keys())
def test_every_route_of_an_inspection_refuses_after_the_loss(
    loss, login, org, leader, inspection, admin_user, office_user
):
    client = login(leader)
    detail = reverse("rounds:inspection_detail", args=[inspection.pk])
    assert client.get(detail).status_code == 200
    addresses = _addresses(INSPECTION_ROUTES, inspection)

    loss(inspection, leader, org, admin_user, office_user)

    assert _still_open_at(client, addresses) == []
    assert InspectionUserObjectPermission.objects.filter(user=leader).count() == 0


def test_every_route_of_a_look_back_refuses_once_it_leaves_the_team(
    login, org, leader, look_back, office_user
):
    client = login(leader)
    assert client.get(reverse("rounds:inspection_detail", args=[look_back.pk])).status_code == 200

    team_services.unassign_unit(inspection=look_back, actor=office_user)

    assert Inspection.objects.for_org(org).filter(pk=look_back.pk, team=None).exists()
    assert _still_open(client, INSPECTION_ROUTES, look_back) == []
    assert InspectionUserObjectPermission.objects.filter(user=leader).count() == 0


def test_a_lingering_grant_opens_nothing_without_the_role(
    login, org, leader, inspection, admin_user
):
    """Access asks for the role and the grant: a grant row left behind (drift, a bulk edit)
    does not keep the pages open after the role is gone."""
    grants = list(InspectionUserObjectPermission.objects.filter(user=leader))
    _update_member(org, leader, admin_user, roles=[Role.LIAISON])
    InspectionUserObjectPermission.objects.bulk_create(
        InspectionUserObjectPermission(
            user=leader, permission=row.permission, content_object=row.content_object
        )
        for row in grants
    )

    assert _still_open(login(leader), INSPECTION_ROUTES, inspection) == []


# --- liaisons and their units ----------------------------------------------------------------


@pytest.fixture
def liaison(org, admin_user) -> User:
    return MembershipFactory(
        organization=org, user=UserFactory(username="lianluoren"), roles=[Role.LIAISON]
    ).user


@pytest.fixture
def unit(org, liaison, admin_user) -> Unit:
    unit = UnitFactory(organization=org, name="绵阳分公司")
    account_services.set_granted_units(
        membership=_membership(org, liaison), actor=admin_user, units=[unit]
    )
    return unit


def _withdraw_unit(unit, user, org, admin) -> None:
    account_services.set_granted_units(membership=_membership(org, user), actor=admin, units=[])


UNIT_LOSSES: dict[str, Callable[..., None]] = {
    "unit_grant_withdrawn": _withdraw_unit,
    "role_removed": lambda unit, user, org, admin: _update_member(
        org, user, admin, roles=[Role.DEPT_REVIEWER]
    ),
    "membership_deactivated": lambda unit, user, org, admin: _update_member(
        org, user, admin, is_active=False
    ),
}


@pytest.mark.parametrize("loss", UNIT_LOSSES.values(), ids=UNIT_LOSSES.keys())
def test_every_route_of_a_unit_refuses_after_the_loss(loss, login, org, liaison, unit, admin_user):
    client = login(liaison)
    assert client.get(reverse("accounts:unit_detail", args=[unit.pk])).status_code == 200

    loss(unit, liaison, org, admin_user)

    assert _still_open(client, UNIT_ROUTES, unit) == []
    assert UnitUserObjectPermission.objects.filter(user=liaison).count() == 0


def test_a_lingering_unit_grant_opens_nothing_without_the_role(
    login, org, liaison, unit, admin_user
):
    grants = list(UnitUserObjectPermission.objects.filter(user=liaison))
    _update_member(org, liaison, admin_user, roles=[Role.DEPT_REVIEWER])
    UnitUserObjectPermission.objects.bulk_create(
        UnitUserObjectPermission(user=liaison, permission=row.permission, content_object=unit)
        for row in grants
    )

    assert _still_open(login(liaison), UNIT_ROUTES, unit) == []
