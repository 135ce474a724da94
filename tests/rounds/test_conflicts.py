"""The conflict-of-interest rule: nobody inspects a unit on the line of their home unit or of a
unit where a declared relative works: the unit itself, any unit above it, any unit below it."""

from __future__ import annotations

import pytest

from rounds.services.conflicts import conflict_reasons
from tests.factories import InspectorFactory, RelativeDeclarationFactory, UnitFactory


def _reasons(inspector, unit) -> list[str]:
    return conflict_reasons(inspector=inspector, unit=unit)


@pytest.mark.parametrize("inspected", ["jinjiang", "chengdu", "outlet"])
def test_home_unit_its_parent_chain_and_its_subtree_are_conflicted(org, unit_tree, inspected):
    inspector = InspectorFactory(organization=org, name="李四", home_unit=unit_tree["jinjiang"])

    reasons = _reasons(inspector, unit_tree[inspected])

    assert len(reasons) == 1
    assert "李四" in reasons[0]
    assert unit_tree[inspected].name in reasons[0]


@pytest.mark.parametrize("inspected", ["outlet", "jinjiang", "chengdu"])
def test_relatives_unit_its_parent_chain_and_its_subtree_are_conflicted(org, unit_tree, inspected):
    inspector = InspectorFactory(organization=org, name="李四")
    RelativeDeclarationFactory(
        inspector=inspector, unit=unit_tree["jinjiang"], relative_name="张三", relation="配偶"
    )

    reasons = _reasons(inspector, unit_tree[inspected])

    assert len(reasons) == 1
    assert all(part in reasons[0] for part in ("李四", "张三", "配偶", "锦江区分公司"))


@pytest.mark.parametrize("inspected", ["sibling", "mianyang"])
def test_units_off_the_line_are_fine(org, unit_tree, inspected):
    """A sibling under the same parent and another branch: neither above nor below."""
    sibling = UnitFactory(parent=unit_tree["chengdu"], name="高新区分公司", code="cd-gx")
    inspector = InspectorFactory(organization=org, home_unit=unit_tree["jinjiang"])
    RelativeDeclarationFactory(inspector=inspector, unit=unit_tree["jinjiang"])

    assert _reasons(inspector, (unit_tree | {"sibling": sibling})[inspected]) == []


def test_external_person_without_home_unit_is_free(org, unit_tree):
    inspector = InspectorFactory(organization=org, home_unit=None, is_external=True)

    assert _reasons(inspector, unit_tree["chengdu"]) == []


def test_home_unit_and_relative_both_reported(org, unit_tree):
    inspector = InspectorFactory(organization=org, home_unit=unit_tree["outlet"])
    RelativeDeclarationFactory(inspector=inspector, unit=unit_tree["jinjiang"])

    assert len(_reasons(inspector, unit_tree["chengdu"])) == 2
