"""Unit selects on a large tree: a page lists at most LIMIT units plus a search box, the search
answers the rest, and any unit of the field's queryset is still accepted."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.models import Unit
from accounts.widgets import LIMIT
from rounds.forms.teams import SuggestionUnitForm
from rounds.models import CoverageTarget
from tests.factories import CoveragePlanFactory, UnitFactory

OPTIONS = reverse("accounts:unit_options")


@pytest.fixture
def plan(org):
    return CoveragePlanFactory(organization=org)


def _page(client, plan) -> str:
    """The add-target page, whose form has a unit select."""
    return client.get(reverse("rounds:plan_target_add", args=[plan.pk])).content.decode()


def _unit_options(html: str) -> int:
    """Options of the add-target form's unit select, its empty choice included."""
    select = html[html.index('<select name="unit"') :]
    return select[: select.index("</select>")].count("<option")


def test_a_small_tree_lists_every_unit_and_no_search_box(login, office_user, org, plan):
    UnitFactory.create_batch(3, organization=org)

    html = _page(login(office_user), plan)

    assert _unit_options(html) == 3 + 1
    assert "unit_search" not in html


def test_the_picker_indents_each_unit_by_its_depth(login, office_user, unit_tree, plan):
    html = _page(login(office_user), plan)

    select = html[html.index('<select name="unit"') :]
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", select[: select.index("</select>")])
    assert labels[1:] == ["成都分公司", "— 锦江区分公司", "— — 春熙路分局", "绵阳分公司"]


def test_a_large_tree_lists_the_first_units_and_a_search_box(login, office_user, org, plan):
    UnitFactory.create_batch(LIMIT + 5, organization=org)

    html = _page(login(office_user), plan)

    assert _unit_options(html) == LIMIT + 1
    assert 'name="unit_search"' in html


def test_a_unit_beyond_the_listed_ones_is_still_accepted(login, office_user, org, plan):
    units = UnitFactory.create_batch(LIMIT + 5, organization=org)
    last = max(units, key=lambda unit: unit.path)
    url = reverse("rounds:plan_target_add", args=[plan.pk])

    login(office_user).post(url, {"unit": last.pk, "planned_year": ""})

    assert list(CoverageTarget.objects.filter(plan=plan).values_list("unit", flat=True)) == [
        last.pk
    ]


def test_the_search_answers_matching_active_units(login, office_user, org):
    UnitFactory(organization=org, name="锦江区分公司")
    closed = UnitFactory(organization=org, name="锦江停用")
    Unit.objects.filter(pk=closed.pk).update(is_active=False)
    UnitFactory(organization=org, name="青羊区分公司")

    html = login(office_user).get(OPTIONS, {"unit_search": "锦江"}).content.decode()

    assert "锦江区分公司" in html
    assert "锦江停用" not in html
    assert "青羊" not in html


def test_the_search_keeps_to_the_sub_units_asked_for(login, office_user, unit_tree):
    inspected = unit_tree["chengdu"]

    html = login(office_user).get(OPTIONS, {"unit_search": "", "within": inspected.pk})

    html = html.content.decode()
    assert html.count("<option") == 2
    assert "锦江区分公司" in html
    assert "春熙路分局" in html
    assert "绵阳分公司" not in html


def test_the_search_shows_nothing_of_another_tenant(login, outsider, org, other_org):
    UnitFactory(organization=org, name="锦江区分公司")
    UnitFactory(organization=other_org, name="锦江区支行")

    html = login(outsider).get(OPTIONS, {"unit_search": "锦江"}).content.decode()

    assert "锦江区支行" in html  # the outsider's own unit: the search did run
    assert "锦江区分公司" not in html


def test_the_chosen_unit_is_selected_even_beyond_the_listed_ones(org):
    units = UnitFactory.create_batch(LIMIT + 5, organization=org)
    last = max(units, key=lambda unit: unit.path)

    html = str(SuggestionUnitForm(initial={"unit": last}, org=org)["unit"])

    assert html.count(" selected") == 1
    assert f'<option value="{last.pk}" selected>{last.name}</option>' in html


def test_without_a_choice_the_empty_option_is_selected(org):
    UnitFactory.create_batch(2, organization=org)

    html = str(SuggestionUnitForm(org=org)["unit"])

    assert html.count(" selected") == 1
    assert '<option value="" selected>' in html


def test_unit_names_are_escaped_in_the_picker(org):
    UnitFactory(organization=org, name='<b>"A&B"</b>')

    html = str(SuggestionUnitForm(org=org)["unit"])

    assert "<b>" not in html
    assert "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;" in html
