"""Deactivating a unit (with its subtree) asks first, lists what it affects in rounds, and is
refused while the unit or a sub-unit is being inspected."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Unit
from rounds.models import CoveragePlan
from rounds.services import coverage as coverage_services
from rounds.taxonomy import Stage
from tests.factories import InspectionFactory


def _deactivate(client, unit, **data):
    return client.post(reverse("accounts:unit_deactivate", args=[unit.pk]), data, follow=True)


@pytest.mark.parametrize("stage", [Stage.PREPARATION, Stage.ONSITE, Stage.RECTIFICATION])
def test_an_inspection_under_way_below_refuses_it(login, admin_user, org, unit_tree, stage):
    InspectionFactory(organization=org, unit=unit_tree["outlet"], stage=stage)
    client = login(admin_user)

    for data in ({}, {"confirmed": "1"}):
        response = _deactivate(client, unit_tree["chengdu"], **data)

        content = response.content.decode()
        assert "春熙路分局" in content
        assert "正在接受巡察" in content
        assert all(Unit.objects.values_list("is_active", flat=True))


def test_closed_and_planned_inspections_do_not_refuse_it_and_are_listed(
    login, admin_user, office_user, org, unit_tree
):
    InspectionFactory(organization=org, unit=unit_tree["jinjiang"], stage=Stage.CLOSED)
    InspectionFactory(organization=org, unit=unit_tree["outlet"], stage=Stage.PLANNING)
    plan = CoveragePlan.objects.create(
        organization=org, name="规划", start_year=2024, end_year=2026
    )
    coverage_services.add_targets(
        plan=plan, actor=office_user, unit=unit_tree["chengdu"], include_subunits=True
    )
    client = login(admin_user)

    asked = client.post(reverse("accounts:unit_deactivate", args=[unit_tree["chengdu"].pk]))

    effects = asked.content.decode()
    assert asked.status_code == 200
    assert "这些单位有1项计划中的巡察" in effects
    assert "其中3个单位是规划“规划”的巡察对象" in effects
    assert all(Unit.objects.values_list("is_active", flat=True))

    _deactivate(client, unit_tree["chengdu"], confirmed="1")
    assert not Unit.objects.get(pk=unit_tree["outlet"].pk).is_active
