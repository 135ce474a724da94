"""The inspector pool refuses what is not a phone number and a second entry for one person,
entered by hand or imported: the service refuses (``DomainError`` on the field), the form shows
it on the field, nothing is saved."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.errors import DomainError
from rounds.imports import PHONE, InspectorRow, parse_inspector_workbook
from rounds.models import Inspector
from rounds.services import pool as services
from tests.factories import InspectorFactory
from tests.form_errors import field_error
from tests.rounds.test_pool_import import UNITS, _row, _xlsx

CREATE = reverse("rounds:inspector_create")
IMPORT = reverse("rounds:inspector_import")
PHONE_MESSAGE = (
    "请输入手机号码（如 13812345678）或带区号的固定电话（如 028-12345678，"
    "可带分机号：028-12345678-801）。"
)


def _create(org, **fields) -> Inspector:
    return services.create_inspector(org=org, actor=None, **{"name": "赵敏"} | fields)


def _update_fields(inspector: Inspector, **changes) -> dict:
    fields = {
        "name": inspector.name,
        "position": inspector.position,
        "user": None,
        "home_unit": inspector.home_unit,
        "is_external": False,
        "leader_eligible": False,
        "phone": inspector.phone,
        "notes": "",
        "is_active": True,
        "specialties": [],
    }
    return fields | changes


def _form_data(**overrides) -> dict:
    return {"name": "赵敏", "position": "组织部副部长", "is_active": "on"} | overrides


# --- 5. phone numbers ----------------------------------------------------------------------


@pytest.mark.parametrize("phone", ["12345", "028-1234", "电话见备注", "13812345678x", "1" * 30])
def test_a_phone_that_is_no_phone_number_is_refused(org, phone):
    with pytest.raises(DomainError) as caught:
        _create(org, phone=phone)

    assert (caught.value.field, caught.value.message) == ("phone", PHONE_MESSAGE)
    assert not Inspector.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 13812345678", "+8613812345678"),
        ("028-12345678", "028-12345678"),
        ("（028）12345678", "(028)12345678"),
        ("０２８－１２３４５６７８转８０１", "028-12345678转801"),
        ("", ""),
    ],
)
def test_a_phone_number_is_stored_in_its_compact_form(org, typed, stored):
    assert _create(org, phone=typed).phone == stored


def test_inspector_form_shows_a_wrong_phone_on_the_phone(login, office_user):
    response = login(office_user).post(CREATE, _form_data(phone="12345"))

    assert field_error(response, "phone") == PHONE_MESSAGE
    assert not Inspector.objects.exists()


def test_inspector_edit_form_refuses_a_wrong_phone_and_keeps_the_old(login, office_user, org):
    inspector = _create(org, phone="13812345678")
    url = reverse("rounds:inspector_edit", args=[inspector.pk])

    response = login(office_user).post(url, _form_data(phone="0000"))

    assert field_error(response, "phone") == PHONE_MESSAGE
    assert Inspector.objects.get().phone == "13812345678"


def test_a_phone_stored_before_the_rule_does_not_block_other_changes(org, office_user):
    inspector = InspectorFactory(organization=org, name="赵敏", phone="见备注")

    services.update_inspector(
        inspector=inspector, actor=office_user, **_update_fields(inspector, position="处长")
    )

    assert Inspector.objects.get().position == "处长"


def test_the_import_lists_a_wrong_phone_on_its_row_and_column():
    data = _xlsx(_row(电话="028-12345678"), _row(姓名="李娜", 电话="123"))

    result = parse_inspector_workbook(data, units=UNITS)

    assert [(e.row, e.column, e.message) for e in result.errors] == [(3, PHONE, PHONE_MESSAGE)]
    assert result.rows == []


def test_the_import_stores_phones_in_their_compact_form():
    data = _xlsx(_row(电话="138 0000 0000"))

    (row,) = parse_inspector_workbook(data, units=UNITS).rows

    assert row.phone == "13800000000"


def test_import_page_lists_a_wrong_phone_and_imports_nothing(login, office_user, unit_tree):
    data = _xlsx(_row(所在单位编码="cd", 电话="not a phone"))

    response = login(office_user).post(IMPORT, {"file": SimpleUploadedFile("pool.xlsx", data)})

    assert response.status_code == 200
    assert [(e.row, e.column) for e in response.context["row_errors"]] == [(2, PHONE)]
    assert PHONE_MESSAGE in response.content.decode()
    assert not Inspector.objects.exists()


def _import_row(**changes) -> InspectorRow:
    values = {
        "row": 2,
        "name": "张伟",
        "position": "",
        "home_unit": None,
        "specialties": (),
        "leader_eligible": False,
        "is_external": False,
        "phone": "",
    }
    return InspectorRow(**values | changes)


def test_the_import_service_refuses_a_row_with_a_wrong_phone(org, office_user):
    with pytest.raises(DomainError) as caught:
        services.import_inspectors(org=org, actor=office_user, rows=[_import_row(phone="12")])

    assert caught.value.message == f"第2行：{PHONE_MESSAGE}"
    assert not Inspector.objects.exists()


# --- 7. one entry per person -----------------------------------------------------------------

ALREADY = "此人（姓名和单位相同）已在巡察人才库中。"


def test_the_same_person_added_twice_by_hand_is_refused_on_the_name(org, unit_tree):
    _create(org, name="张伟", home_unit=unit_tree["chengdu"])

    with pytest.raises(DomainError) as caught:
        _create(org, name="张伟", home_unit=unit_tree["chengdu"])

    assert (caught.value.field, caught.value.message) == ("name", ALREADY)
    assert Inspector.objects.count() == 1


def test_the_same_name_without_a_home_unit_twice_is_refused(org):
    _create(org, name="张伟")

    with pytest.raises(DomainError):
        _create(org, name="张伟")

    assert Inspector.objects.count() == 1


def test_namesakes_of_different_units_are_different_people(org, unit_tree):
    _create(org, name="张伟", home_unit=unit_tree["chengdu"])

    _create(org, name="张伟", home_unit=unit_tree["mianyang"])

    assert Inspector.objects.filter(name="张伟").count() == 2


def test_moving_someone_onto_another_entry_of_the_same_person_is_refused(org, unit_tree):
    _create(org, name="张伟", home_unit=unit_tree["chengdu"])
    other = _create(org, name="张伟", home_unit=unit_tree["mianyang"])

    with pytest.raises(DomainError):
        services.update_inspector(
            inspector=other,
            actor=None,
            **_update_fields(other, home_unit=unit_tree["chengdu"]),
        )

    assert Inspector.objects.get(pk=other.pk).home_unit == unit_tree["mianyang"]


def test_a_duplicate_entered_before_the_rule_can_still_be_edited(org, office_user):
    InspectorFactory(organization=org, name="张伟")
    twin = InspectorFactory(organization=org, name="张伟")

    services.update_inspector(
        inspector=twin, actor=office_user, **_update_fields(twin, position="处长")
    )

    assert Inspector.objects.get(pk=twin.pk).position == "处长"


def test_inspector_form_shows_someone_already_in_the_pool_on_the_name(
    login, office_user, org, unit_tree
):
    _create(org, name="张伟", home_unit=unit_tree["chengdu"])
    data = _form_data(name="张伟", home_unit=unit_tree["chengdu"].pk)

    response = login(office_user).post(CREATE, data)

    assert field_error(response, "name") == ALREADY
    assert Inspector.objects.count() == 1


def test_the_import_service_refuses_a_person_added_by_hand_since_the_check(org, office_user):
    _create(org, name="张伟")

    with pytest.raises(DomainError) as caught:
        services.import_inspectors(org=org, actor=office_user, rows=[_import_row()])

    assert caught.value.message == f"第2行：{ALREADY}"
    assert Inspector.objects.count() == 1
