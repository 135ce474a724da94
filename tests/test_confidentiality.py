"""The confidentiality twin of the isolation harness: the confidential records of an inspection
(interviews and their notes, petitions, raw survey answers) are its team's alone.

It walks the URL configuration like the isolation harness, so a new route is covered the moment
it is routed:

- a route is *team-only* when it serves a confidential model (``confidential = True`` on the
  model), its view says ``confidential = True``, or it is an inspection page of access "team" /
  "team_work"; a team-only route is ``hidden`` (every refusal is a 404 that does not confirm the
  record exists);
- on every hidden route, inside the same organization, the liaison of the inspected unit, a
  functional-department reviewer and a team member of another inspection get 404 on every
  method; on a team-only route the office and the leadership too — while a member of the
  inspection's own team (or, off any inspection, a member holding every role) is let in, so the
  404s are for the right reason.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models
from django.urls import reverse

from accounts import services as account_services
from accounts.roles import Role
from rounds.models import Inspection
from tests.factories import (
    InspectionFactory,
    MembershipFactory,
    RoundFactory,
    TeamFactory,
    make_for_org,
    seat_on_team,
)
from tests.test_isolation import METHODS, SCOPED, Route, _call, _model_for, path_to
from xuncha.tenancy import org_scope

HIDDEN = [route for route in SCOPED if route.hidden]


def _is_confidential(model: type[models.Model]) -> bool:
    return bool(getattr(model, "confidential", False))


def _served_models(route: Route) -> list[type[models.Model]]:
    found = [_model_for(route, name) for name in route.kwarg_names]
    model = getattr(route.view_class, "model", None)
    return [*found, model] if model is not None else found


TEAM_ACCESS = {"team", "team_work"}


def _team_only(route: Route) -> bool:
    view = route.view_class
    access = getattr(view, "access", None)  # an API viewset's is a dict of actions
    return (
        bool(getattr(view, "confidential", False))
        or (isinstance(access, str) and access in TEAM_ACCESS)
        or any(_is_confidential(model) for model in _served_models(route))
    )


def test_the_harness_sees_the_confidential_routes():
    names = {route.name for route in HIDDEN if _team_only(route)}
    assert {"interviews:interview_detail", "clues:petition_detail"} <= names


@pytest.mark.parametrize("route", SCOPED, ids=str)
def test_a_team_only_route_is_hidden(route):
    assert not _team_only(route) or route.hidden, f"{route} is team-only: set hidden = True"


def _objects(route: Route, org) -> dict[str, models.Model]:
    """One row per URL kwarg, the record's own first and its parents taken from it, so that a
    nested address names rows that belong together."""
    names = sorted(route.kwarg_names, key=lambda name: name != "pk")
    made: dict[str, models.Model] = {}
    for name in names:
        model = _model_for(route, name)
        parents = (path_to(row, model) for row in made.values())
        made[name] = next((row for row in parents if row is not None), None) or make_for_org(
            model, org
        )
    return made


def _inspection(rows: dict[str, models.Model]) -> Inspection | None:
    for row in rows.values():
        inspection = path_to(row, Inspection)
        if inspection is not None:
            return inspection
    return None  # a tenant-wide list (the clue handlers' petitions…)


def _member(org, *roles: str) -> Any:
    return MembershipFactory(organization=org, roles=roles)


def _outsiders(org, inspection: Inspection | None, *, team_only: bool) -> dict[str, Any]:
    """The people of the same organization who must not reach the route."""
    liaison = _member(org, Role.LIAISON)
    if inspection is not None:
        with org_scope(org):
            account_services.set_granted_units(
                membership=liaison, actor=None, units=[inspection.unit]
            )
    people = {
        "liaison of the unit": liaison.user,
        "department reviewer": _member(org, Role.DEPT_REVIEWER).user,
    }
    if team_only:
        people["office"] = _member(org, Role.OFFICE).user
        people["leadership"] = _member(org, Role.LEADERSHIP).user
    if inspection is not None:
        other = InspectionFactory(round=RoundFactory(organization=org))
        other.team = TeamFactory(round=other.round)
        other.save(update_fields=["team"])
        stranger = _member(org, Role.TEAM_MEMBER)
        seat_on_team(other.team, stranger.user)
        people["another team's member"] = stranger.user
    return people


def _insider(org, inspection: Inspection | None) -> Any:
    """A leader of the inspection's team; off any inspection, a member holding every role."""
    if inspection is None:
        return _member(org, *Role.values).user
    if inspection.team_id is None:
        inspection.team = TeamFactory(round=inspection.round)
        inspection.save(update_fields=["team"])
    member = _member(org, Role.TEAM_LEADER)
    seat_on_team(inspection.team, member.user, role="leader")
    return member.user


def _calls(route: Route, client, url: str) -> list[tuple[str, int]]:
    methods = [m for m in METHODS if route.handles(m)] if route.is_api else None
    if methods is None:
        methods = [m for m in ("get", "post") if route.handles(m)]
        return [(m, getattr(client, m)(url).status_code) for m in methods]
    return [(m, _call(client, m, url).status_code) for m in methods]


@pytest.mark.parametrize("route", HIDDEN, ids=str)
def test_only_those_entitled_reach_a_hidden_route(route, org, login, api):
    rows = _objects(route, org)
    inspection = _inspection(rows)
    url = reverse(route.name, kwargs={name: row.pk for name, row in rows.items()})
    connect = api if route.is_api else login

    for who, user in _outsiders(org, inspection, team_only=_team_only(route)).items():
        calls = _calls(route, connect(user), url)
        assert [(who, m, s) for m, s in calls] == [(who, m, 404) for m, _ in calls]

    first = _calls(route, connect(_insider(org, inspection)), url)[0]
    assert first[1] != 404, f"{route}: the team itself is refused ({first})"
