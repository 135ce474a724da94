"""``fetch_lists`` reads several querysets in one statement and gives back what iterating each
would: the same rows, in the same order, with the same field values and annotations."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from rounds.models import Inspection, Milestone, Round
from tests.factories import InspectionFactory, MilestoneFactory, RoundFactory
from xuncha.lists import fetch_lists
from xuncha.tenancy import dangerously_unscoped


def _values(instances) -> list[tuple]:
    return [
        tuple(getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields) for obj in instances
    ]


@pytest.fixture
def rows(org, other_org, unit_tree):
    rounds = [
        RoundFactory(
            organization=org,
            start_date=datetime.date(2025, 3, n),
            end_date=datetime.date(2025, 6, n),
            focus_areas=["party", "finance"][: n % 3],
        )
        for n in (1, 2, 3)
    ]
    inspection = InspectionFactory(organization=org, round=rounds[0], unit=unit_tree["chengdu"])
    inspection.stage_entered_at = datetime.datetime(2025, 3, 4, 9, 30, tzinfo=datetime.UTC)
    inspection.save(update_fields=["stage_entered_at"])
    MilestoneFactory(inspection=inspection, title="进驻", due_on=datetime.date(2025, 3, 5))
    MilestoneFactory(
        inspection=inspection,
        title="反馈",
        due_on=datetime.date(2025, 5, 5),
        done_on=datetime.date(2025, 5, 6),
    )
    RoundFactory(organization=other_org)
    return {"rounds": rounds, "inspection": inspection}


def test_each_list_equals_iterating_its_queryset_in_one_statement(org, rows):
    querysets = {
        "rounds": Round.objects.for_org(org).order_by("-start_date"),
        "milestones": Milestone.objects.for_org(org).filter(inspection=rows["inspection"]),
        "inspections": Inspection.objects.for_org(org).annotate(round_name=F("round__name")),
    }

    with CaptureQueriesContext(connection) as queries:
        lists = fetch_lists(**querysets)

    assert len(queries) == 1
    for name, queryset in querysets.items():
        assert _values(lists[name]) == _values(queryset), name
        assert all(type(obj) is queryset.model for obj in lists[name])
    assert [r.start_date for r in lists["rounds"]] == [
        datetime.date(2025, 3, 3),
        datetime.date(2025, 3, 2),
        datetime.date(2025, 3, 1),
    ]
    assert lists["inspections"][0].round_name == rows["rounds"][0].name
    assert lists["inspections"][0].stage_entered_at == rows["inspection"].stage_entered_at
    assert lists["inspections"][0].stage_entered_at.tzinfo is not None
    assert [m.done_on for m in lists["milestones"]] == [None, datetime.date(2025, 5, 6)]


def test_the_querysets_scope_and_filters_hold(org, other_org, rows):
    with dangerously_unscoped():
        assert Round.objects.filter(organization=other_org).exists()

    lists = fetch_lists(
        mine=Round.objects.for_org(org),
        none=Round.objects.for_org(org).none(),
        empty=Round.objects.for_org(org).filter(name="不存在"),
    )

    assert {r.organization_id for r in lists["mine"]} == {org.pk}
    assert len(lists["mine"]) == 3
    assert lists["none"] == []
    assert lists["empty"] == []


def test_instances_behave_as_loaded_rows(org, rows):
    (milestone, _) = fetch_lists(m=Milestone.objects.for_org(org).order_by("due_on"))["m"]

    assert not milestone._state.adding
    milestone.title = "进驻（改）"
    milestone.save(update_fields=["title"])
    assert Milestone.objects.for_org(org).get(pk=milestone.pk).title == "进驻（改）"


def test_select_related_is_refused(org):
    with pytest.raises(ValueError, match="select_related"):
        fetch_lists(rows=Inspection.objects.for_org(org).select_related("round"))
