"""A tour of how we test, for a newcomer. Read it top to bottom; each test shows one habit.

1. Personas: the fixtures of ``tests/conftest.py`` are people, not rows. ``org`` is "our"
   organization; ``admin_user``, ``office_user``, ``leadership_user``, ``team_member_user``,
   ``clue_handler_user`` and ``liaison_user`` each hold one role in it; ``outsider`` belongs to
   ``other_org``. ``unit_tree`` is a small tree of units of ``org``; ``login(user)`` gives a
   signed-in test client. Test code runs inside ``org``'s scope, as a request of ours would.
2. A service test calls the real service with ``actor=`` and asserts on the rows, never mocks
   our own code or the database.
3. Every page is tried by the outsider too: another organization's object is a 404, the same
   answer as for a missing one.
4. Every list pins its query count at two sizes: the same number for 3 rows and for 30.
5. A change leaves a history event (django-pghistory) naming who made it and what changed.

Tests are named for the behaviour, hold one behaviour, and assert concrete values.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import services
from accounts.errors import DomainError
from accounts.models import Unit
from history.tracking import event_model
from tests.factories import UnitFactory


# 2. A service test: real service, real database, the acting persona passed as ``actor``.
def test_creating_a_unit_puts_it_under_its_parent(org, admin_user, unit_tree):
    unit = services.create_unit(
        org=org, actor=admin_user, name="青羊区分公司", code="cd-qy", parent=unit_tree["chengdu"]
    )

    assert (unit.parent, unit.depth) == (unit_tree["chengdu"], 1)
    assert Unit.objects.for_org(org).filter(code="cd-qy").count() == 1


# A refusal is a ``DomainError`` with a translated message, and it saves nothing. The negative
# test reuses the positive test's fixtures, so it cannot pass for a wrong reason.
def test_a_unit_code_is_used_once_per_organization(org, admin_user, unit_tree):
    with pytest.raises(DomainError):
        services.create_unit(org=org, actor=admin_user, name="重名", code="cd")

    assert Unit.objects.for_org(org).filter(code="cd").count() == 1


# 3. A view test: the happy path, then the same URL for the outsider.
def test_admin_sees_a_unit_page(login, admin_user, unit_tree):
    url = reverse("accounts:unit_detail", args=[unit_tree["chengdu"].pk])

    assert login(admin_user).get(url).status_code == 200


def test_another_organizations_unit_is_not_found(login, outsider, unit_tree):
    url = reverse("accounts:unit_detail", args=[unit_tree["chengdu"].pk])

    assert login(outsider).get(url).status_code == 404


# A refusal on a form page is a form error on the same page (status 200), not an error page:
# the view inherits ``ServiceFormView``, which turns the ``DomainError`` into the form's error.
def test_a_refused_edit_shows_the_form_again_and_saves_nothing(login, admin_user, unit_tree):
    url = reverse("accounts:unit_edit", args=[unit_tree["mianyang"].pk])

    response = login(admin_user).post(url, {"name": "绵阳", "code": "cd", "kind": "branch"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    unit_tree["mianyang"].refresh_from_db()
    assert unit_tree["mianyang"].code == "my"


# 4. A pinned query count: the tree page costs the same for 3 and for 30 units. A list that
# grows a query per row fails here, long before a tenant with 5,000 units notices.
def test_the_unit_tree_runs_the_same_queries_for_3_and_30_units(
    login, org, admin_user, django_assert_num_queries
):
    client = login(admin_user)

    for count in (3, 27):
        UnitFactory.create_batch(count, organization=org)
        with django_assert_num_queries(6):
            assert client.get(reverse("accounts:unit_tree")).status_code == 200


# 5. History: an edit through the page leaves an event row with the new value, the person,
# the organization and the page it was made on (what the 修改记录 panel shows).
def test_an_edit_is_recorded_with_who_made_it(login, org, admin_user, unit_tree):
    unit = unit_tree["mianyang"]
    url = reverse("accounts:unit_edit", args=[unit.pk])

    login(admin_user).post(url, {"name": "绵阳市分公司", "code": "my", "kind": "branch"})

    event = event_model(Unit).objects.get(pgh_obj_id=unit.pk, pgh_label="update")
    assert event.name == "绵阳市分公司"
    assert event.pgh_context == {"user": admin_user.pk, "org": org.pk, "url": url}
