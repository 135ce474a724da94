"""Inspector pool pages: list with filters, profile, create/edit, relatives and trainings."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from accounts import services as account_services
from rounds.models import Inspector, InspectorSpecialty, RelativeDeclaration, TrainingRecord
from rounds.services import pool as services
from tests.factories import (
    InspectorFactory,
    RelativeDeclarationFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
    TrainingRecordFactory,
    UnitFactory,
    UserFactory,
)
from xuncha.tenancy import dangerously_unscoped

LIST = reverse("rounds:inspector_list")
CREATE = reverse("rounds:inspector_create")


RELATIVE = {"relative_name": "张小红", "relation": "配偶", "declared_on": "2025-02-01"}
TRAINING = {"title": "审计业务培训", "completed_on": "2025-05-10", "hours": "12.5"}


def _detail(inspector: Inspector) -> str:
    return reverse("rounds:inspector_detail", args=[inspector.pk])


def _names(response) -> list[str]:
    return [inspector.name for inspector in response.context["inspectors"]]


def _serve(inspector: Inspector, *, role: str = "member", round_=None):
    round_ = round_ or RoundFactory(organization=inspector.organization)
    return TeamMemberFactory(team=TeamFactory(round=round_), inspector=inspector, role=role)


@pytest.fixture
def pool(org, unit_tree):
    """张伟 (纪检, leader, 锦江区), 李娜 (财务, external, 春熙路分局), 王强 (inactive, 绵阳)."""
    zhang = services.create_inspector(
        org=org,
        actor=None,
        name="张伟",
        position="纪检监察室主任",
        home_unit=unit_tree["jinjiang"],
        leader_eligible=True,
        specialties=["discipline"],
    )
    li = services.create_inspector(
        org=org,
        actor=None,
        name="李娜",
        position="审计师",
        home_unit=unit_tree["outlet"],
        is_external=True,
        specialties=["finance", "audit"],
    )
    wang = services.create_inspector(
        org=org,
        actor=None,
        name="王强",
        position="副主任",
        home_unit=unit_tree["mianyang"],
        is_active=False,
    )
    return {"zhang": zhang, "li": li, "wang": wang}


def test_list_shows_pool_sorted_by_name(login, office_user, pool):
    response = login(office_user).get(LIST)

    assert response.status_code == 200
    assert _names(response) == ["张伟", "李娜", "王强"]


def test_list_shows_unit_specialties_and_counts(login, office_user, pool):
    _serve(pool["li"])
    _serve(pool["li"])
    TrainingRecordFactory(inspector=pool["li"])

    response = login(office_user).get(LIST, {"q": "李娜"})

    row = response.context["inspectors"][0]
    assert (row.rounds_served, row.trainings_count) == (2, 1)
    content = response.content.decode()
    assert "春熙路分局" in content
    assert str(InspectorSpecialty(specialty="audit")) in content


def test_list_rows_show_badges_links_and_specialties_in_order(login, office_user, pool):
    response = login(office_user).get(LIST)

    rows = re.findall(r"<tr>(.*?)</tr>", response.content.decode().replace("\n", " "))
    li = next(row for row in rows if "李娜" in row)
    wang = next(row for row in rows if "王强" in row)
    labels = [str(InspectorSpecialty(specialty=code)) for code in ("audit", "finance")]
    assert f'<a href="{_detail(pool["li"])}">李娜</a>' in li
    assert re.findall(r'<span class="badge text-bg-light border me-1">([^<]+)</span>', li) == labels
    assert 'badge text-bg-light border">' in li  # external
    assert "text-bg-secondary" in wang  # inactive
    assert "text-bg-secondary" not in li


def test_filter_bar_keeps_the_chosen_filters(login, office_user, pool):
    response = login(office_user).get(LIST, {"specialty": "audit", "leader": "1"})

    content = response.content.decode()
    assert '<option value="audit" selected>' in content
    assert '<option value="1" selected>' in content
    assert '<select name="specialty" class="form-select" id="id_specialty">' in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "张"}, ["张伟"]),
        ({"q": "审计"}, ["李娜"]),  # by position
        ({"specialty": "finance"}, ["李娜"]),
        ({"specialty": "legal"}, []),
        ({"leader": "1"}, ["张伟"]),
        ({"leader": "0"}, ["李娜", "王强"]),
        ({"external": "1"}, ["李娜"]),
        ({"external": "0"}, ["张伟", "王强"]),
        ({"active": "1"}, ["张伟", "李娜"]),
        ({"active": "0"}, ["王强"]),
        ({"specialty": "nonsense"}, ["张伟", "李娜", "王强"]),  # invalid filters are ignored
    ],
)
def test_list_filters(login, office_user, pool, params, expected):
    response = login(office_user).get(LIST, params)

    assert _names(response) == expected


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("chengdu", ["张伟", "李娜"]), ("jinjiang", ["张伟", "李娜"]), ("outlet", ["李娜"])],
)
def test_list_filters_by_home_unit_and_its_subtree(
    login, office_user, pool, unit_tree, unit, expected
):
    response = login(office_user).get(LIST, {"unit": unit_tree[unit].pk})

    assert _names(response) == expected


def test_list_is_paginated_by_25(login, office_user, org):
    InspectorFactory.create_batch(26, organization=org)

    client = login(office_user)

    assert len(_names(client.get(LIST))) == 25
    assert len(_names(client.get(LIST, {"page": 2}))) == 1


def test_list_shows_only_own_organization(login, office_user, pool, other_org):
    InspectorFactory(organization=other_org, name="外单位干部")

    response = login(office_user).get(LIST)

    assert "外单位干部" not in _names(response)


def _add_inspectors(org, unit, count: int) -> None:
    for n in range(count):
        inspector = services.create_inspector(
            org=org,
            actor=None,
            name=f"干部{count:02d}-{n:02d}",  # one person per name and unit (the pool's rule)
            home_unit=unit,
            specialties=["audit", "finance"],
        )
        _serve(inspector)
        TrainingRecordFactory(inspector=inspector)


def test_list_runs_the_same_queries_for_3_and_30_inspectors(
    login, office_user, org, unit_tree, django_assert_num_queries
):
    client = login(office_user)
    params = {"specialty": "audit", "unit": unit_tree["chengdu"].pk}

    for count, listed in ((3, 3), (27, 25)):
        _add_inspectors(org, unit_tree["outlet"], count)
        # 8: the specialties come aggregated with the rows, not prefetched (was 9).
        with django_assert_num_queries(8):
            assert len(_names(client.get(LIST, params))) == listed


def test_leadership_reads_list_and_detail(login, leadership_user, pool):
    client = login(leadership_user)

    assert client.get(LIST).status_code == 200
    assert client.get(_detail(pool["zhang"])).status_code == 200


@pytest.mark.parametrize("persona", ["team_member_user", "liaison_user"])
@pytest.mark.parametrize(
    "name", ["inspector_list", "inspector_create", "inspector_import", "inspector_import_template"]
)
def test_team_member_and_liaison_cannot_open_pool_pages(request, login, org, persona, name):
    client = login(request.getfixturevalue(persona))

    assert client.get(reverse(f"rounds:{name}")).status_code == 403


@pytest.mark.parametrize("persona", ["team_member_user", "liaison_user"])
def test_team_member_and_liaison_cannot_see_a_profile(request, login, pool, persona):
    client = login(request.getfixturevalue(persona))

    assert client.get(_detail(pool["zhang"])).status_code == 403


def _form_data(unit, **overrides) -> dict:
    data = {
        "name": "赵敏",
        "position": "组织部副部长",
        "home_unit": unit.pk,
        "leader_eligible": "on",
        "phone": "028-12345678",
        "is_active": "on",
        "specialties": ["organization", "party"],
    }
    return data | overrides


def test_office_creates_inspector(login, office_user, unit_tree):
    response = login(office_user).post(CREATE, _form_data(unit_tree["mianyang"]))

    inspector = Inspector.objects.get(name="赵敏")
    assert response.status_code == 302
    assert response.url == _detail(inspector)
    assert (inspector.home_unit, inspector.leader_eligible, inspector.is_external) == (
        unit_tree["mianyang"],
        True,
        False,
    )
    assert set(inspector.specialties.values_list("specialty", flat=True)) == {
        "organization",
        "party",
    }


def test_office_links_inspector_to_a_member_account(login, office_user, org, unit_tree):
    response = login(office_user).post(
        CREATE, _form_data(unit_tree["mianyang"], user=office_user.pk)
    )

    assert response.status_code == 302
    assert Inspector.objects.get(name="赵敏").user == office_user


def test_create_form_offers_only_active_members_and_active_units(
    login, office_user, org, unit_tree
):
    account_services.deactivate_unit(unit=unit_tree["jinjiang"], actor=office_user)
    UserFactory(username="stranger")

    response = login(office_user).get(CREATE)

    form = response.context["form"]
    assert list(form.fields["user"].queryset) == [office_user]
    assert [u.name for u in form.fields["home_unit"].queryset] == ["成都分公司", "绵阳分公司"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"specialties": ["astrology"]}, "specialties"),
        ({"phone": "1" * 31}, "phone"),
    ],
)
def test_create_with_bad_input_saves_nothing(login, office_user, unit_tree, overrides, field):
    data = _form_data(unit_tree["mianyang"], **overrides)

    response = login(office_user).post(CREATE, data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Inspector.objects.exists()


@pytest.fixture
def wrong_choices(org, other_org, office_user) -> dict[str, int]:
    """Units and accounts the form must refuse; "taken" is already linked to 张伟."""
    taken = UserFactory(username="taken")
    account_services.add_member(org=org, actor=None, user=taken, roles=["team_member"])
    services.create_inspector(org=org, actor=None, name="张伟", user=taken)
    inactive = UnitFactory(organization=org, code="gone")
    account_services.deactivate_unit(unit=inactive, actor=office_user)
    return {
        "other_org_unit": UnitFactory(organization=other_org).pk,
        "inactive_unit": inactive.pk,
        "stranger": UserFactory(username="stranger").pk,
        "taken": taken.pk,
    }


@pytest.mark.parametrize(
    ("key", "choice", "field"),
    [
        ("home_unit", "other_org_unit", "home_unit"),
        ("home_unit", "inactive_unit", "home_unit"),
        ("user", "stranger", "user"),
        ("user", "taken", "__all__"),
    ],
)
def test_create_with_a_wrong_choice_saves_nothing(
    login, office_user, unit_tree, wrong_choices, key, choice, field
):
    data = _form_data(unit_tree["mianyang"], **{key: wrong_choices[choice]})

    response = login(office_user).post(CREATE, data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert list(Inspector.objects.values_list("name", flat=True)) == ["张伟"]


def test_office_edits_inspector_and_specialties(login, office_user, pool, unit_tree):
    zhang = pool["zhang"]
    data = _form_data(unit_tree["mianyang"], name="张伟", specialties=["legal"], leader_eligible="")
    url = reverse("rounds:inspector_edit", args=[zhang.pk])

    response = login(office_user).post(url, data)

    zhang.refresh_from_db()
    assert response.status_code == 302
    assert (zhang.home_unit, zhang.leader_eligible) == (unit_tree["mianyang"], False)
    assert list(zhang.specialties.values_list("specialty", flat=True)) == ["legal"]


def test_edit_form_shows_current_values(login, office_user, pool):
    url = reverse("rounds:inspector_edit", args=[pool["li"].pk])

    response = login(office_user).get(url)

    initial = response.context["form"].initial
    assert (initial["name"], initial["is_external"]) == ("李娜", True)
    assert sorted(initial["specialties"]) == ["audit", "finance"]


def test_edit_keeps_a_home_unit_deactivated_since(login, office_user, pool, unit_tree):
    zhang = pool["zhang"]
    account_services.deactivate_unit(unit=unit_tree["jinjiang"], actor=office_user)
    data = _form_data(unit_tree["jinjiang"], name="张伟", position="退休干部")

    response = login(office_user).post(reverse("rounds:inspector_edit", args=[zhang.pk]), data)

    zhang.refresh_from_db()
    assert response.status_code == 302
    assert (zhang.position, zhang.home_unit) == ("退休干部", unit_tree["jinjiang"])


def test_edit_with_bad_input_changes_nothing(login, office_user, pool, unit_tree):
    zhang = pool["zhang"]
    data = _form_data(unit_tree["mianyang"], name="", specialties=["legal"])

    response = login(office_user).post(reverse("rounds:inspector_edit", args=[zhang.pk]), data)

    zhang.refresh_from_db()
    assert response.status_code == 200
    assert (zhang.name, zhang.home_unit) == ("张伟", unit_tree["jinjiang"])
    assert list(zhang.specialties.values_list("specialty", flat=True)) == ["discipline"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_leadership_cannot_create_or_edit(login, leadership_user, pool, unit_tree, method):
    client = login(leadership_user)
    data = _form_data(unit_tree["mianyang"])
    edit = reverse("rounds:inspector_edit", args=[pool["zhang"].pk])

    assert getattr(client, method)(CREATE, data).status_code == 403
    assert getattr(client, method)(edit, data).status_code == 403
    assert Inspector.objects.count() == 3


def test_detail_shows_rounds_served_with_team_and_role(login, office_user, pool):
    round_ = RoundFactory(organization=pool["zhang"].organization, name="2025年第一轮巡察")
    member = _serve(pool["zhang"], role="leader", round_=round_)

    response = login(office_user).get(_detail(pool["zhang"]))

    content = response.content.decode()
    assert list(response.context["service_record"]) == [member]
    assert "2025年第一轮巡察" in content
    assert member.team.name in content
    assert str(member.get_role_display()) in content


def test_detail_shows_relatives_and_trainings(login, office_user, pool, unit_tree):
    RelativeDeclarationFactory(
        inspector=pool["zhang"], unit=unit_tree["mianyang"], relative_name="张小红"
    )
    TrainingRecordFactory(inspector=pool["zhang"], title="2025年巡察干部培训班")

    response = login(office_user).get(_detail(pool["zhang"]))

    content = response.content.decode()
    assert "张小红" in content
    assert "绵阳分公司" in content
    assert "2025年巡察干部培训班" in content


def test_office_declares_a_relative(login, office_user, pool, unit_tree):
    url = reverse("rounds:inspector_relative_add", args=[pool["zhang"].pk])

    response = login(office_user).post(url, RELATIVE | {"unit": unit_tree["mianyang"].pk})

    declaration = RelativeDeclaration.objects.get()
    assert response.status_code == 302
    assert (declaration.inspector, declaration.unit) == (pool["zhang"], unit_tree["mianyang"])
    assert declaration.declared_on == datetime.date(2025, 2, 1)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"relative_name": ""}, "relative_name"),
        ({"declared_on": "昨天"}, "declared_on"),
        ({"unit": "other_org"}, "unit"),
    ],
)
def test_declare_relative_with_bad_input_saves_nothing(
    login, office_user, pool, unit_tree, other_org, overrides, field
):
    url = reverse("rounds:inspector_relative_add", args=[pool["zhang"].pk])
    data = RELATIVE | {"unit": unit_tree["mianyang"].pk} | overrides
    if data["unit"] == "other_org":
        data["unit"] = UnitFactory(organization=other_org).pk

    response = login(office_user).post(url, data)

    assert response.status_code == 200
    assert list(response.context["relative_form"].errors) == [field]
    with dangerously_unscoped():  # every organization's rows
        assert not RelativeDeclaration.objects.exists()


@pytest.mark.parametrize(
    ("name", "factory", "anchor"),
    [
        ("inspector_relative_remove", RelativeDeclarationFactory, "relatives"),
        ("inspector_training_remove", TrainingRecordFactory, "trainings"),
    ],
)
def test_office_removes_a_relative_or_training_record(
    login, office_user, pool, name, factory, anchor
):
    part = factory(inspector=pool["zhang"])
    client, url = login(office_user), reverse(f"rounds:{name}", args=[part.pk])

    asked = client.post(url)
    assert asked.status_code == 200
    assert type(part).objects.exists()
    response = client.post(url, {"confirmed": "1"})

    assert response.status_code == 302
    assert response.url == f"{_detail(pool['zhang'])}#{anchor}"
    assert not type(part).objects.exists()


def test_office_adds_a_training_record(login, office_user, pool):
    url = reverse("rounds:inspector_training_add", args=[pool["li"].pk])

    response = login(office_user).post(url, TRAINING)

    training = TrainingRecord.objects.get()
    assert response.status_code == 302
    assert (training.inspector, training.title, str(training.hours)) == (
        pool["li"],
        "审计业务培训",
        "12.5",
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"title": ""}, "title"), ({"hours": "-1"}, "hours"), ({"completed_on": ""}, "completed_on")],
)
def test_add_training_with_bad_input_saves_nothing(login, office_user, pool, overrides, field):
    url = reverse("rounds:inspector_training_add", args=[pool["li"].pk])
    response = login(office_user).post(url, TRAINING | overrides)

    assert response.status_code == 200
    assert list(response.context["training_form"].errors) == [field]
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize(
    ("name", "factory"),
    [
        ("inspector_relative_add", None),
        ("inspector_training_add", None),
        ("inspector_relative_remove", RelativeDeclarationFactory),
        ("inspector_training_remove", TrainingRecordFactory),
    ],
)
def test_leadership_cannot_change_relatives_or_trainings(
    login, leadership_user, pool, name, factory
):
    target = factory(inspector=pool["zhang"]) if factory else pool["zhang"]
    counts = (RelativeDeclaration.objects.count(), TrainingRecord.objects.count())

    response = login(leadership_user).post(
        reverse(f"rounds:{name}", args=[target.pk]), {"confirmed": "1"}
    )

    assert response.status_code == 403
    assert (RelativeDeclaration.objects.count(), TrainingRecord.objects.count()) == counts


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "inspector_detail"),
        ("get", "inspector_edit"),
        ("post", "inspector_edit"),
        ("post", "inspector_relative_add"),
        ("post", "inspector_training_add"),
    ],
)
def test_inspector_of_another_organization_is_404(login, office_user, other_org, method, name):
    stranger = InspectorFactory(organization=other_org, name="外单位干部")

    response = getattr(login(office_user), method)(reverse(f"rounds:{name}", args=[stranger.pk]))

    assert response.status_code == 404
    with dangerously_unscoped():  # every organization's rows
        assert Inspector.objects.get(pk=stranger.pk).name == "外单位干部"
