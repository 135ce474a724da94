"""The isolation harness builds "another tenant's object" with these factories: the row and
every tenant-owned row it points to must belong to the requested organization."""

import pytest

from tests.factories import FACTORIES, make_for_org


def _tenant_parents(obj):
    for field in obj._meta.concrete_fields:
        if field.is_relation and field.name != "organization":
            related = getattr(obj, field.name)
            if related is not None and hasattr(related, "organization_id"):
                yield field.name, related


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m.__name__)
def test_every_factory_builds_a_row_of_the_requested_organization(model, org):
    obj = make_for_org(model, org)
    assert obj.organization_id == org.pk
    for name, related in _tenant_parents(obj):
        assert related.organization_id == org.pk, name
