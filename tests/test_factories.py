"""The isolation harness builds "another tenant's object" with these factories."""

import pytest
from tests.factories import FACTORIES, make_for_org


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m.__name__)
def test_every_factory_builds_a_row_of_the_requested_organization(model, org):
    obj = make_for_org(model, org)
    assert obj.organization_id == org.pk
