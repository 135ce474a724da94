"""The scoped-query mechanism itself: fail closed, filter by the active organization."""

import pytest
from django_scopes import ScopeError

from accounts.models import Membership, Unit
from tests.factories import UnitFactory
from xuncha.tenancy import no_org_scope, org_scope


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


def test_for_org_names_the_organization_explicitly(org, other_org, two_units):
    with org_scope(other_org):
        assert list(Unit.objects.for_org(org)) == [two_units[0]]


def test_org_scope_refuses_a_missing_organization():
    with pytest.raises(ValueError, match="saved organization"):
        org_scope(None).__enter__()
