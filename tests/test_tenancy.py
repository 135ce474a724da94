"""The scoped-query mechanism itself: fail closed, filter by the active organization."""

import ast
import contextlib
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_scopes import ScopeError

from accounts.middleware import TenantMiddleware
from accounts.models import Membership, Unit
from accounts.selectors import unit_tree
from tests import scoping
from tests.factories import UnitFactory
from tests.scoping import outside_any_scope
from xuncha.tenancy import (
    CrossTenantAccess,
    active_org_id,
    dangerously_unscoped,
    no_org_scope,
    org_scope,
)

KERNEL = Path(__file__).resolve().parent.parent / "xuncha" / "tenancy"


@pytest.fixture
def two_units(org, other_org):
    return UnitFactory(organization=org, name="ours"), UnitFactory(organization=other_org)


@pytest.mark.parametrize("model", [Unit, Membership])
def test_a_tenant_query_without_an_organization_raises(model, two_units):
    with no_org_scope(), pytest.raises(ScopeError):
        list(model.objects.all())


def test_a_tenant_get_without_an_organization_raises(two_units):
    with no_org_scope(), pytest.raises(ScopeError):
        Unit.objects.get(pk=two_units[0].pk)


def test_the_active_organization_filters_every_query(org, two_units):
    with org_scope(org):
        assert [unit.name for unit in Unit.objects.all()] == ["ours"]
        assert not Unit.objects.filter(pk=two_units[1].pk).exists()


def test_org_scope_refuses_a_missing_organization():
    with pytest.raises(ValueError, match="saved organization"):
        org_scope(None).__enter__()


# --- for_org checks the organization against the active scope -------------------------------


def test_a_selector_handed_another_organization_refuses(org, other_org, two_units):
    with org_scope(org), pytest.raises(CrossTenantAccess, match="dangerously_unscoped"):
        unit_tree(org=other_org)


def test_a_selector_of_the_active_organization_reads_its_rows(org, two_units):
    with org_scope(org):
        assert [unit.name for unit in unit_tree(org=org)] == ["ours"]


def test_a_selector_crosses_tenants_only_when_dangerously_unscoped(org, other_org, two_units):
    with org_scope(org), dangerously_unscoped():
        assert list(unit_tree(org=other_org)) == [two_units[1]]


@pytest.mark.parametrize("enter", [no_org_scope, contextlib.nullcontext])
def test_for_org_outside_an_organization_scope_raises(enter, org, two_units):
    with outside_any_scope(), enter(), pytest.raises(ScopeError, match="org_scope"):
        Unit.objects.for_org(org)


def test_org_scope_replaces_the_enclosing_scope(org, other_org, two_units):
    with org_scope(other_org), org_scope(org):
        assert [unit.name for unit in Unit.objects.all()] == ["ours"]


def test_no_org_scope_drops_the_enclosing_organization(org, two_units):
    with org_scope(org), no_org_scope(), pytest.raises(ScopeError):
        list(Unit.objects.all())


# --- the test suite itself runs in the persona's scope --------------------------------------


def test_test_code_runs_in_the_org_personas_scope(org, other_org, two_units):
    assert [unit.name for unit in Unit.objects.all()] == ["ours"]


def test_a_test_without_the_persona_runs_in_no_scope(db):
    with pytest.raises(ScopeError):
        list(Unit.objects.all())


def test_a_service_that_forgets_scoping_fails_inside_the_test_scope(org, other_org, two_units):
    # Asked for the other organization, the forgetful service sees only the test organization,
    # as it would inside a request of that organization: its own test cannot pass.
    assert scoping.unit_names(org=other_org) == []
    with dangerously_unscoped():  # what the old suite-wide fixture did: the bug passed
        assert scoping.unit_names(org=other_org) == [two_units[1].name]


def test_a_service_that_scopes_refuses_the_wrong_organization_in_the_test_scope(org, other_org):
    with pytest.raises(CrossTenantAccess):
        scoping.unit_names_scoped(org=other_org)


def test_a_task_that_forgets_its_scope_fails_as_in_a_worker(org, two_units):
    with outside_any_scope(), pytest.raises(ScopeError):
        scoping.count_units_task(organization_id=org.pk)


def test_a_task_that_enters_its_scope_works_in_a_worker(org, two_units):
    with outside_any_scope():
        assert scoping.count_units_task_scoped(organization_id=org.pk) == 1


# --- a request runs in the middleware's scope, not the test's --------------------------------


def test_a_request_inside_the_test_scope_runs_in_the_users_scope(
    org, login, outsider, other_org, two_units
):
    response = login(outsider).get(reverse("accounts:unit_tree"))
    assert two_units[1].name in response.content.decode()
    assert "ours" not in response.content.decode()


def test_a_client_request_starts_outside_the_test_scope(org, client, settings):
    settings.MIDDLEWARE = ["tests.scoping.ScopeProbeMiddleware", *settings.MIDDLEWARE]
    scoping.ScopeProbeMiddleware.seen = []

    client.get(reverse("healthz"))

    assert scoping.ScopeProbeMiddleware.seen == [{}]


def _scope_seen_by_a_request(user) -> list[object]:
    seen: list[object] = []

    def view(request):
        seen.append(active_org_id())
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user, request.session = user, {}
    TenantMiddleware(view)(request)
    return seen


def test_an_anonymous_request_inside_the_test_scope_has_no_organization(org):
    assert _scope_seen_by_a_request(AnonymousUser()) == [None]


def test_a_members_request_inside_another_scope_has_the_members_organization(
    org, other_org, outsider
):
    assert _scope_seen_by_a_request(outsider) == [other_org.pk]


# --- the kernel imports no app ---------------------------------------------------------------

APPS = {
    "accounts",
    "rounds",
    "surveys",
    "interviews",
    "documents",
    "clues",
    "rectification",
    "demo",
    "files",
}


@pytest.mark.parametrize("path", sorted(KERNEL.glob("*.py")), ids=lambda p: p.name)
def test_the_tenancy_kernel_imports_no_app(path):
    nodes = list(ast.walk(ast.parse(path.read_text())))
    imported = [a.name for node in nodes if isinstance(node, ast.Import) for a in node.names]
    imported += [node.module or "" for node in nodes if isinstance(node, ast.ImportFrom)]
    assert [name for name in imported if name.split(".")[0] in APPS] == []
