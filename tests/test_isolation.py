"""The isolation harness: walks every routed URL of the project, so a new view is covered the
moment it is routed — nobody has to remember to add a test.

- every view is tenant-scoped (inherits OrgViewMixin / OrgAPIMixin) or on the reviewed public list;
- anonymous visitors are sent to sign-in (pages) or refused (API);
- a user holding *every* role in organization A gets 404 for any object of organization B,
  on GET and POST, while the same URL with A's own object is found (so the 404 is for the
  right reason).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rounds.models import Inspection, TeamMember
from tests.factories import MembershipFactory, TeamFactory, UserFactory, make_for_org, seat_on_team
from xuncha.tenancy import PUBLIC_URL_NAMES
from xuncha.tenancy.views import OrgAPIMixin, OrgViewMixin

SKIPPED_NAMESPACES = {"admin"}  # Django's admin: superusers only, tested by Django itself
DOMAIN_APPS = {
    "accounts",
    "files",
    "rounds",
    "surveys",
    "interviews",
    "documents",
    "rectification",
    "clues",
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: URLPattern

    @property
    def view_class(self) -> type | None:
        callback = self.pattern.callback
        return getattr(callback, "view_class", None) or getattr(callback, "cls", None)

    @property
    def kwarg_names(self) -> list[str]:
        converters = getattr(self.pattern.pattern, "converters", None)
        names = list(converters) if converters else list(self.pattern.pattern.regex.groupindex)
        return [name for name in names if name != "format"]

    def handles(self, method: str) -> bool:
        actions = getattr(self.pattern.callback, "actions", None)  # DRF viewsets
        if actions is None:
            return hasattr(self.view_class, method)
        return method in actions and method in self.view_class.http_method_names

    def required_permission(self, method: str) -> str | None:
        """The capability the route asks of a caller of ``method`` (API viewsets name one per
        action)."""
        view = self.view_class
        actions = getattr(self.pattern.callback, "actions", None)
        if actions is None:
            return getattr(view, "permission", None)
        return getattr(view, "action_permissions", {}).get(actions[method], view.permission)

    @property
    def hidden(self) -> bool:
        """A confidential record's route: every refusal is a 404 (``OrgViewMixin.hidden``)."""
        return bool(getattr(self.view_class, "hidden", False))

    @property
    def is_api(self) -> bool:
        return self.view_class is not None and issubclass(self.view_class, OrgAPIMixin)

    def __str__(self) -> str:
        return self.name


def _walk(resolver: URLResolver, namespace: str = "") -> list[Route]:
    routes = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            routes += _walk(entry, f"{namespace}{ns}:" if ns else namespace)
        elif entry.name and "format" not in entry.pattern.regex.groupindex:
            routes.append(Route(f"{namespace}{entry.name}", entry))
    return routes


ROUTES = _walk(get_resolver())
SCOPED = [route for route in ROUTES if route.name not in PUBLIC_URL_NAMES]
WITH_OBJECTS = [route for route in SCOPED if route.kwarg_names]


def _model_for(route: Route, kwarg: str) -> type[models.Model]:
    if kwarg == "pk":
        view = route.view_class
        model = getattr(view, "model", None) or getattr(
            getattr(view, "queryset", None), "model", None
        )
        assert model is not None, f"{route}: a view taking `pk` must declare `model`"
        return model
    assert kwarg.endswith("_pk"), f"{route}: name URL kwargs `pk` or `<model>_pk`, not {kwarg}"
    wanted = kwarg.removesuffix("_pk").replace("_", "")
    for model in apps.get_models():
        if model._meta.model_name == wanted and model._meta.app_label in DOMAIN_APPS:
            return model
    raise AssertionError(f"{route}: no model named {wanted} for kwarg {kwarg}")


def _url(route: Route, org, *, seat=None) -> str:
    """An address of ``route`` naming rows of ``org``; with ``seat``, that user is seated on
    the team of each row's inspection (a team-only route is its team's alone)."""
    rows = {name: make_for_org(_model_for(route, name), org) for name in route.kwarg_names}
    if seat is not None:
        for row in rows.values():
            _seat_on_inspection(seat, row)
    return reverse(route.name, kwargs={name: row.pk for name, row in rows.items()})


def path_to(start: models.Model, target: type[models.Model]) -> models.Model | None:
    """The ``target`` row that ``start`` hangs off (following foreign keys), if any."""
    queue: deque[tuple[models.Model, int]] = deque([(start, 0)])
    while queue:
        row, depth = queue.popleft()
        if isinstance(row, target):
            return row
        if depth == 4:
            continue
        for field in row._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and getattr(row, field.attname) is not None:
                queue.append((getattr(row, field.name), depth + 1))
    return None


def _seat_on_inspection(user, row: models.Model) -> None:
    inspection = path_to(row, Inspection)
    if inspection is None:
        return
    if inspection.team_id is None:
        inspection.team = TeamFactory(round=inspection.round)
        inspection.save(update_fields=["team"])
    if not TeamMember.objects.filter(team=inspection.team, inspector__user=user).exists():
        seat_on_team(inspection.team, user)


def test_the_harness_sees_the_routes():
    names = {route.name for route in ROUTES}
    assert {"home", "accounts:unit_detail", "accounts:member_edit", "api:unit-detail"} <= names


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_every_view_is_scoped_or_reviewed_public(route):
    if route.name in PUBLIC_URL_NAMES:
        return
    view = route.view_class
    assert view is not None, f"{route.name} is a function view; use a class on OrgViewMixin"
    assert issubclass(view, OrgViewMixin | OrgAPIMixin), (
        f"{route.name} must inherit OrgViewMixin/OrgAPIMixin or be listed in PUBLIC_URL_NAMES"
    )


@pytest.mark.parametrize("route", SCOPED, ids=str)
def test_anonymous_visitor_is_refused(route, client, other_org):
    response = client.get(_url(route, other_org))
    if route.is_api:
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("route", WITH_OBJECTS, ids=str)
def test_another_tenants_object_is_not_found(route, login, all_roles_user, org, other_org):
    client = login(all_roles_user)
    url = _url(route, other_org)
    handles = {method: route.handles(method) for method in ("get", "post")}
    # The API reads JSON bodies only; pages read forms.
    body = {"data": "{}", "content_type": "application/json"} if route.is_api else {"data": {}}
    assert client.get(url).status_code == (404 if handles["get"] else 405)
    assert client.post(url, **body).status_code == (404 if handles["post"] else 405)
    own_url = _url(route, org, seat=all_roles_user if route.hidden else None)
    own = client.get(own_url) if handles["get"] else client.post(own_url, **body)
    assert own.status_code in {200, 302, 400}


@pytest.mark.parametrize("route", SCOPED, ids=str)
def test_member_without_organization_is_sent_away(route, login, other_org):
    client = login(UserFactory())
    url = _url(route, other_org)
    response = client.get(url) if route.handles("get") else client.post(url, {})
    if route.is_api:
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:no_org")


GUARDED = [route for route in SCOPED if getattr(route.view_class, "permission", None) is not None]


@pytest.mark.parametrize("route", GUARDED, ids=str)
def test_a_member_without_the_capability_is_refused(route, login, org):
    """Every view that names a capability refuses a member of the same organization whose
    roles do not grant it (here: no roles at all)."""
    client = login(MembershipFactory(organization=org, roles=()).user)
    url = _url(route, org)
    response = client.get(url) if route.handles("get") else client.post(url, {})
    assert response.status_code == (404 if route.hidden else 403)


# --- The API, called with tokens as other systems call it ------------------------------------
API_ROUTES = [route for route in SCOPED if route.is_api]
API_WITH_OBJECTS = [route for route in API_ROUTES if route.kwarg_names]
METHODS = ("get", "post", "put", "patch", "delete")


def _call(client, method: str, url: str):
    if method in {"get", "delete"}:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data="{}", content_type="application/json")


@pytest.mark.parametrize("route", API_WITH_OBJECTS, ids=str)
def test_a_token_finds_no_object_of_another_tenant(route, api, all_roles_user, org, other_org):
    """Every method of every API route with an id: another organization's record (or parent
    record) is a 404 in the error shape, whatever the body; our own is found."""
    client = api(all_roles_user)
    url = _url(route, other_org)
    methods = [method for method in METHODS if route.handles(method)]
    for method in methods:
        response = _call(client, method, url)
        assert (method, response.status_code) == (method, 404)
        assert response.json()["code"] == "not_found"
    own = _call(client, methods[0], _url(route, org, seat=all_roles_user if route.hidden else None))
    assert own.status_code != 404


@pytest.mark.parametrize("route", API_ROUTES, ids=str)
def test_a_token_without_the_capability_is_refused(route, api, org):
    """Each method that asks for a capability refuses, with 403 in the error shape, a token of a
    member of the same organization whose roles do not grant it."""
    client = api(MembershipFactory(organization=org, roles=()).user)
    url = _url(route, org)
    guarded = [m for m in METHODS if route.handles(m) and route.required_permission(m)]
    status, code = (404, "not_found") if route.hidden else (403, "permission_denied")
    for method in guarded:
        response = _call(client, method, url)
        assert (method, response.status_code) == (method, status)
        assert response.json()["code"] == code


@pytest.mark.parametrize("route", API_ROUTES, ids=str)
def test_a_refused_key_is_401_on_every_method(route, client, org):
    url = _url(route, org)
    for method in (m for m in METHODS if route.handles(m)):
        response = getattr(client, method)(url, headers={"Authorization": "Bearer xc_forged_key"})
        assert (method, response.status_code) == (method, 401)
        assert response.json()["code"] == "authentication_failed"
