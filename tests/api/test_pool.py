"""The inspector pool API: inspectors with their specialties, declared relatives and training
records — read by pool readers, changed by the office through the pool's services."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accounts import services as account_services
from history.tracking import event_model
from rounds.models import Inspector, RelativeDeclaration, TrainingRecord
from rounds.services import pool as services
from tests.factories import (
    InspectorFactory,
    RelativeDeclarationFactory,
    RoundFactory,
    TeamFactory,
    TeamMemberFactory,
    TrainingRecordFactory,
    UnitFactory,
)
from tests.form_errors import field_error
from xuncha.tenancy import dangerously_unscoped

INSPECTORS = "/api/inspectors/"
ALREADY = "此人（姓名和单位相同）已在巡察人才库中。"
PHONE_MESSAGE = (
    "请输入手机号码（如 13812345678）或带区号的固定电话（如 028-12345678，"
    "可带分机号：028-12345678-801）。"
)
RELATIVE = {"relative_name": "张小红", "relation": "配偶", "declared_on": "2025-02-01"}
TRAINING = {"title": "审计业务培训", "completed_on": "2025-05-10", "hours": "12.5"}


def _json(data: object) -> dict:
    return {"data": json.dumps(data), "content_type": "application/json"}


def _url(inspector: Inspector, part: str = "") -> str:
    return f"{INSPECTORS}{inspector.pk}/{part + '/' if part else ''}"


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def _patch(client, url: str, body: dict):
    etag = client.get(url)["ETag"]
    return client.patch(url, headers={"If-Match": etag}, **_json(body))


@pytest.fixture
def pool(org, unit_tree):
    """张伟 (纪检, leader, 锦江区), 李娜 (财务, 审计, external, 春熙路), 王强 (inactive, 绵阳)."""

    def add(name: str, unit: str, **fields) -> Inspector:
        return services.create_inspector(
            org=org, actor=None, name=name, home_unit=unit_tree[unit], **fields
        )

    return {
        "zhang": add(
            "张伟",
            "jinjiang",
            position="纪检监察室主任",
            leader_eligible=True,
            specialties=["discipline"],
        ),
        "li": add(
            "李娜", "outlet", position="审计师", is_external=True, specialties=["finance", "audit"]
        ),
        "wang": add("王强", "mianyang", position="副主任", is_active=False),
    }


# --- Inspectors: reading ---------------------------------------------------------------------


def test_list_shows_the_pool_of_the_organization_only(api, office_user, pool, other_org):
    InspectorFactory(organization=other_org, name="外单位干部")

    response = api(office_user).get(INSPECTORS, {"ordering": "name"})

    assert _names(response) == ["张伟", "李娜", "王强"]


def test_list_rows_carry_unit_specialties_and_counts(api, office_user, pool):
    TeamMemberFactory(
        team=TeamFactory(round=RoundFactory(organization=pool["li"].organization)),
        inspector=pool["li"],
    )
    TrainingRecordFactory(inspector=pool["li"])

    (row,) = api(office_user).get(INSPECTORS, {"search": "李娜"}).json()["results"]

    assert (row["home_unit"], row["home_unit_name"]) == (pool["li"].home_unit_id, "春熙路分局")
    assert (row["specialties"], row["specialties_display"]) == (
        ["audit", "finance"],
        ["审计", "财务"],
    )
    assert (row["rounds_served"], row["trainings_count"], row["is_external"]) == (1, 1, True)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"search": "张"}, ["张伟"]),
        ({"search": "审计"}, ["李娜"]),  # by position
        ({"specialty": "finance"}, ["李娜"]),
        ({"specialty": "legal"}, []),
        ({"leader_eligible": "true"}, ["张伟"]),
        ({"leader_eligible": "false"}, ["李娜", "王强"]),
        ({"is_external": "true"}, ["李娜"]),
        ({"is_active": "false"}, ["王强"]),
    ],
)
def test_list_filters_as_the_pool_page(api, office_user, pool, params, expected):
    response = api(office_user).get(INSPECTORS, {"ordering": "name", **params})

    assert _names(response) == expected


@pytest.mark.parametrize(
    ("unit", "expected"), [("chengdu", ["张伟", "李娜"]), ("outlet", ["李娜"])]
)
def test_list_filters_by_home_unit_with_its_sub_units(
    api, office_user, pool, unit_tree, unit, expected
):
    response = api(office_user).get(
        INSPECTORS, {"home_unit": unit_tree[unit].pk, "ordering": "name"}
    )

    assert _names(response) == expected


def test_retrieve_shows_the_inspector(api, leadership_user, pool, org):
    zhang = pool["zhang"]

    body = api(leadership_user).get(_url(zhang)).json()

    assert body | {"created_at": None} == {
        "id": zhang.pk,
        "name": "张伟",
        "position": "纪检监察室主任",
        "user": None,
        "user_name": None,
        "home_unit": zhang.home_unit_id,
        "home_unit_name": "锦江区分公司",
        "is_external": False,
        "leader_eligible": True,
        "phone": "",
        "notes": "",
        "is_active": True,
        "specialties": ["discipline"],
        "specialties_display": ["纪检"],
        "rounds_served": 0,
        "trainings_count": 0,
        "created_at": None,
    }
    assert body["created_at"].endswith("+08:00")


# --- Inspectors: writing ---------------------------------------------------------------------


def _body(unit, **overrides) -> dict:
    body = {
        "name": "赵敏",
        "position": "组织部副部长",
        "home_unit": unit.pk,
        "leader_eligible": True,
        "phone": "028-12345678",
        "specialties": ["organization", "party"],
    }
    return body | overrides


def test_office_adds_an_inspector(api, office_user, unit_tree):
    response = api(office_user).post(INSPECTORS, **_json(_body(unit_tree["mianyang"])))

    inspector = Inspector.objects.get(name="赵敏")
    assert (response.status_code, response.json()["id"]) == (201, inspector.pk)
    assert (inspector.home_unit, inspector.leader_eligible, inspector.is_active) == (
        unit_tree["mianyang"],
        True,
        True,
    )
    assert sorted(inspector.specialties.values_list("specialty", flat=True)) == [
        "organization",
        "party",
    ]
    event = event_model(Inspector).objects.get(pgh_obj_id=inspector.pk)
    assert (event.pgh_label, event.pgh_context["user"]) == ("insert", office_user.pk)


def test_office_links_an_inspector_to_a_members_account(api, office_user, unit_tree):
    body = _body(unit_tree["mianyang"], user=office_user.pk)

    response = api(office_user).post(INSPECTORS, **_json(body))

    assert response.json()["user_name"] == office_user.full_name
    assert Inspector.objects.get(name="赵敏").user == office_user


def test_an_account_that_is_no_member_cannot_be_linked(api, office_user, unit_tree, outsider):
    body = _body(unit_tree["mianyang"], user=outsider.pk)

    response = api(office_user).post(INSPECTORS, **_json(body))

    assert (response.status_code, list(response.json()["fields"])) == (400, ["user"])
    assert not Inspector.objects.exists()


def test_office_edits_an_inspector_and_it_shows_in_its_history(
    api, login, office_user, pool, unit_tree
):
    zhang = pool["zhang"]
    body = {"home_unit": unit_tree["mianyang"].pk, "specialties": ["legal"]}

    response = _patch(api(office_user), _url(zhang), body)

    zhang.refresh_from_db()
    assert response.json()["specialties_display"] == ["法务"]
    assert zhang.home_unit == unit_tree["mianyang"]
    page = login(office_user).get(reverse("rounds:inspector_detail", args=[zhang.pk]))
    panel = page.content.decode().split('id="history"', 1)[1]
    assert office_user.full_name in panel
    assert "所在单位：</span> 锦江区分公司 → 绵阳分公司" in panel
    assert "专长：</span> — → 法务" in panel


def test_a_partial_update_keeps_what_it_does_not_send(api, office_user, pool):
    li = pool["li"]

    _patch(api(office_user), _url(li), {"position": "高级审计师"})

    li.refresh_from_db()
    assert (li.position, li.is_external, li.home_unit.name) == ("高级审计师", True, "春熙路分局")
    assert sorted(li.specialties.values_list("specialty", flat=True)) == ["audit", "finance"]


def test_a_home_unit_deactivated_since_may_stay(api, office_user, pool, unit_tree):
    account_services.deactivate_unit(unit=unit_tree["jinjiang"], actor=office_user)
    zhang = pool["zhang"]

    response = _patch(
        api(office_user), _url(zhang), {"home_unit": unit_tree["jinjiang"].pk, "notes": "退休"}
    )

    zhang.refresh_from_db()
    assert response.status_code == 200
    assert (zhang.notes, zhang.home_unit) == ("退休", unit_tree["jinjiang"])


def test_a_deactivated_unit_cannot_be_chosen_as_home_unit(api, office_user, pool, unit_tree):
    account_services.deactivate_unit(unit=unit_tree["mianyang"], actor=office_user)

    response = api(office_user).post(INSPECTORS, **_json(_body(unit_tree["mianyang"])))

    assert (response.status_code, list(response.json()["fields"])) == (400, ["home_unit"])
    assert not Inspector.objects.filter(name="赵敏").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "张伟", "home_unit": "jinjiang"}, "name", ALREADY),
        ({"phone": "12345"}, "phone", PHONE_MESSAGE),
    ],
)
def test_a_refused_inspector_carries_the_pages_message(
    api, login, office_user, pool, unit_tree, overrides, field, message
):
    overrides = dict(overrides)
    unit = unit_tree[overrides.pop("home_unit", "mianyang")]
    form = {"is_active": "on", **_body(unit, **overrides)}

    page = login(office_user).post(reverse("rounds:inspector_create"), form)
    response = api(office_user).post(INSPECTORS, **_json(_body(unit, **overrides)))

    assert field_error(page, field) == message
    assert response.status_code == 400
    assert response.json() == {"code": "refused", "message": message, "fields": {field: [message]}}
    assert Inspector.objects.count() == 3


def test_an_update_on_a_stale_etag_is_refused(api, office_user, pool):
    client, url = api(office_user), _url(pool["zhang"])
    stale = client.get(url)["ETag"]
    _patch(client, url, {"position": "纪委副书记"})

    response = client.patch(url, headers={"If-Match": stale}, **_json({"position": "主任"}))

    assert response.status_code == 412
    assert Inspector.objects.get(pk=pool["zhang"].pk).position == "纪委副书记"


@pytest.mark.parametrize("method", ["post", "patch", "put"])
def test_leadership_reads_the_pool_but_cannot_change_it(
    api, leadership_user, pool, unit_tree, method
):
    client = api(leadership_user)
    url = INSPECTORS if method == "post" else _url(pool["zhang"])
    headers = {} if method == "post" else {"If-Match": client.get(url)["ETag"]}

    response = getattr(client, method)(url, headers=headers, **_json(_body(unit_tree["chengdu"])))

    assert client.get(INSPECTORS).status_code == 200
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert sorted(Inspector.objects.values_list("name", flat=True)) == ["张伟", "李娜", "王强"]


@pytest.mark.parametrize("persona", ["team_member_user", "liaison_user"])
def test_team_members_and_liaisons_cannot_read_the_pool(request, api, pool, persona):
    client = api(request.getfixturevalue(persona))

    assert client.get(INSPECTORS).status_code == 403
    assert client.get(_url(pool["zhang"])).status_code == 403


def test_another_organizations_inspector_is_not_found(api, office_user, org, other_org):
    foreign = InspectorFactory(organization=other_org, name="外单位干部")
    client = api(office_user)

    read = client.get(_url(foreign))
    changed = client.patch(_url(foreign), headers={"If-Match": "*"}, **_json({"name": "改名"}))

    assert (read.status_code, changed.status_code) == (404, 404)
    with dangerously_unscoped():  # the other organization's rows
        assert Inspector.objects.get(pk=foreign.pk).name == "外单位干部"


def _add_inspectors(org, unit, count: int) -> None:
    for n in range(count):
        inspector = services.create_inspector(
            org=org,
            actor=None,
            name=f"干部{count:02d}-{n:02d}",
            home_unit=unit,
            specialties=["audit", "finance"],
        )
        TeamMemberFactory(
            team=TeamFactory(round=RoundFactory(organization=org)), inspector=inspector
        )
        TrainingRecordFactory(inspector=inspector)


def test_the_list_runs_the_same_queries_for_3_and_30_inspectors(
    api, office_user, org, unit_tree, django_assert_num_queries
):
    client = api(office_user)
    client.get(INSPECTORS)  # a token's first call records its use

    for count, listed in ((3, 3), (27, 30)):
        _add_inspectors(org, unit_tree["outlet"], count)
        with django_assert_num_queries(4):  # token, roles, rows, specialties
            response = client.get(INSPECTORS, {"page_size": 50, "specialty": "audit"})
        assert len(_names(response)) == listed


# --- Declared relatives and training records ---------------------------------------------------

PARTS = {
    "relatives": (RelativeDeclaration, RelativeDeclarationFactory),
    "trainings": (TrainingRecord, TrainingRecordFactory),
}


def _part_body(part: str, unit_tree) -> dict:
    return RELATIVE | {"unit": unit_tree["jinjiang"].pk} if part == "relatives" else TRAINING


@pytest.mark.parametrize("part", PARTS)
def test_an_inspectors_list_shows_only_its_own_records(api, leadership_user, pool, part):
    model, factory = PARTS[part]
    mine = factory(inspector=pool["zhang"])
    factory(inspector=pool["li"])

    response = api(leadership_user).get(_url(pool["zhang"], part))

    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert response.json()["results"][0]["inspector_name"] == "张伟"


def test_a_relatives_row_names_the_unit(api, office_user, pool, unit_tree):
    declaration = RelativeDeclarationFactory(inspector=pool["zhang"], unit=unit_tree["outlet"])

    body = api(office_user).get(f"/api/relatives/{declaration.pk}/").json()

    assert body == {
        "id": declaration.pk,
        "inspector": pool["zhang"].pk,
        "inspector_name": "张伟",
        "unit": unit_tree["outlet"].pk,
        "unit_name": "春熙路分局",
        "relative_name": "张三",
        "relation": "配偶",
        "declared_on": "2025-01-01",
    }


def test_office_declares_a_relative(api, office_user, pool, unit_tree):
    body = RELATIVE | {"unit": unit_tree["jinjiang"].pk}

    response = api(office_user).post(_url(pool["li"], "relatives"), **_json(body))

    declaration = RelativeDeclaration.objects.get()
    assert (response.status_code, response.json()["unit_name"]) == (201, "锦江区分公司")
    assert (declaration.inspector, declaration.unit, declaration.relation) == (
        pool["li"],
        unit_tree["jinjiang"],
        "配偶",
    )
    event = event_model(RelativeDeclaration).objects.get(pgh_obj_id=declaration.pk)
    assert (event.pgh_label, event.pgh_context["user"]) == ("insert", office_user.pk)


def test_office_adds_a_training_record(api, office_user, pool):
    response = api(office_user).post(_url(pool["li"], "trainings"), **_json(TRAINING))

    training = TrainingRecord.objects.get()
    assert (response.status_code, response.json()["hours"]) == (201, "12.5")
    assert (training.inspector, training.title, str(training.hours)) == (
        pool["li"],
        "审计业务培训",
        "12.5",
    )
    event = event_model(TrainingRecord).objects.get(pgh_obj_id=training.pk)
    assert (event.pgh_label, event.pgh_context["user"]) == ("insert", office_user.pk)


@pytest.mark.parametrize(
    ("part", "body", "field"),
    [
        ("relatives", RELATIVE | {"unit": "foreign"}, "unit"),
        ("relatives", RELATIVE | {"unit": "inactive"}, "unit"),
        ("trainings", TRAINING | {"hours": "-1"}, "hours"),
    ],
)
def test_a_wrong_value_adds_nothing(api, office_user, org, other_org, pool, part, body, field):
    inactive = UnitFactory(organization=org, code="gone")
    account_services.deactivate_unit(unit=inactive, actor=office_user)
    units = {"foreign": UnitFactory(organization=other_org).pk, "inactive": inactive.pk}
    body = body | ({"unit": units[body["unit"]]} if "unit" in body else {})

    response = api(office_user).post(_url(pool["zhang"], part), **_json(body))

    assert (response.status_code, list(response.json()["fields"])) == (400, [field])
    assert not PARTS[part][0].objects.exists()


@pytest.mark.parametrize("part", PARTS)
def test_office_removes_a_record(api, office_user, pool, part):
    model, factory = PARTS[part]
    record = factory(inspector=pool["zhang"])
    client, url = api(office_user), f"/api/{part}/{record.pk}/"

    response = client.delete(url, headers={"If-Match": client.get(url)["ETag"]})

    assert response.status_code == 204
    assert not model.objects.exists()
    labels = event_model(model).objects.filter(pgh_obj_id=record.pk).values_list("pgh_label")
    assert sorted(label for (label,) in labels) == ["delete", "insert"]


@pytest.mark.parametrize("part", PARTS)
def test_leadership_cannot_add_or_remove_records(api, leadership_user, pool, unit_tree, part):
    model, factory = PARTS[part]
    record = factory(inspector=pool["zhang"])
    client, url = api(leadership_user), f"/api/{part}/{record.pk}/"

    added = client.post(_url(pool["zhang"], part), **_json(_part_body(part, unit_tree)))
    removed = client.delete(url, headers={"If-Match": client.get(url)["ETag"]})

    assert (added.status_code, removed.status_code) == (403, 403)
    assert list(model.objects.values_list("pk", flat=True)) == [record.pk]


@pytest.mark.parametrize("part", PARTS)
def test_another_organizations_records_are_not_found(
    api, office_user, org, other_org, unit_tree, part
):
    model, factory = PARTS[part]
    record = factory(inspector=InspectorFactory(organization=other_org))
    client = api(office_user)

    assert client.get(_url(record.inspector, part)).status_code == 404
    assert (
        client.post(_url(record.inspector, part), **_json(_part_body(part, unit_tree))).status_code
        == 404
    )
    assert client.get(f"/api/{part}/{record.pk}/").status_code == 404
    assert client.delete(f"/api/{part}/{record.pk}/", headers={"If-Match": "*"}).status_code == 404
    with dangerously_unscoped():  # the other organization's rows
        assert model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("part", PARTS)
def test_an_inspectors_records_list_runs_the_same_queries_for_3_and_30(
    api, office_user, pool, part, django_assert_num_queries
):
    factory = PARTS[part][1]
    client, url = api(office_user), _url(pool["zhang"], part)
    client.get(url)  # a token's first call records its use

    for count, listed in ((3, 3), (27, 30)):
        factory.create_batch(count, inspector=pool["zhang"])
        with django_assert_num_queries(4):  # token, roles, the inspector, rows
            response = client.get(url, {"page_size": 50})
        assert len(response.json()["results"]) == listed
