"""XLSX import of the inspector pool: the pure parser, the upload page and the template."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from accounts import services as account_services
from accounts.errors import DomainError
from accounts.models import Unit
from rounds.imports import (
    HEADERS,
    MAX_BYTES,
    MAX_ROWS,
    WorkbookError,
    build_template,
    parse_inspector_workbook,
)
from rounds.models import Inspector, InspectorSpecialty
from rounds.services import pool as services
from tests.factories import UnitFactory
from xuncha.tenancy import dangerously_unscoped

IMPORT = reverse("rounds:inspector_import")
TEMPLATE = reverse("rounds:inspector_import_template")
TOO_BIG = b"PK\x03\x04" + b"0" * MAX_BYTES
GOOD_ROW = ("张伟", "纪检监察室主任", "cd", "纪检、审计", "是", "否", "13800000000")

# Unsaved units: the parser reads no database.
UNITS = {
    "cd": Unit(pk=1, code="cd", name="成都分公司", is_active=True),
    "old": Unit(pk=2, code="old", name="已撤销单位", is_active=False),
}


def _xlsx(*rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(**changes) -> tuple:
    values = dict(zip(HEADERS, GOOD_ROW, strict=True))
    return tuple((values | changes).values())


def _errors(data: bytes, existing=()) -> list[tuple[int, str]]:
    result = parse_inspector_workbook(data, units=UNITS, existing=existing)
    assert result.rows == []
    return [(error.row, error.column) for error in result.errors]


def test_parser_reads_every_column():
    result = parse_inspector_workbook(_xlsx(GOOD_ROW), units=UNITS)

    (row,) = result.rows
    assert result.errors == []
    assert (row.row, row.name, row.position, row.home_unit) == (
        2,
        "张伟",
        "纪检监察室主任",
        UNITS["cd"],
    )
    assert row.specialties == ("discipline", "audit")
    assert (row.leader_eligible, row.is_external, row.phone) == (True, False, "13800000000")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("组织人事,党建", ("organization", "party")),
        ("财务，工程；法务", ("finance", "engineering", "legal")),
        ("legal, business", ("legal", "business")),  # code values
        ("审计、审计", ("audit",)),
        ("", ()),
    ],
)
def test_parser_accepts_labels_codes_and_separators(cell, expected):
    result = parse_inspector_workbook(_xlsx(_row(专长=cell)), units=UNITS)

    assert result.rows[0].specialties == expected


def test_parser_takes_numbers_and_blank_optional_cells():
    row = ("李娜", None, None, None, None, "是", 13800000000)

    (parsed,) = parse_inspector_workbook(_xlsx(row), units=UNITS).rows

    assert (parsed.home_unit, parsed.leader_eligible, parsed.is_external) == (None, False, True)
    assert parsed.phone == "13800000000"


def test_parser_skips_blank_rows_but_keeps_excel_row_numbers():
    data = _xlsx(GOOD_ROW, (None,) * 7, _row(姓名="李娜"))

    result = parse_inspector_workbook(data, units=UNITS)

    assert [(row.row, row.name) for row in result.rows] == [(2, "张伟"), (4, "李娜")]


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"姓名": None}, "姓名"),
        ({"姓名": "张" * 101}, "姓名"),
        ({"职务": "主" * 101}, "职务"),
        ({"所在单位编码": "nowhere"}, "所在单位编码"),
        ({"所在单位编码": "old"}, "所在单位编码"),  # deactivated
        ({"专长": "纪检、占卜"}, "专长"),
        ({"可任组长": "可以"}, "可任组长"),
        ({"外部人员": "Y"}, "外部人员"),
        ({"电话": "1" * 31}, "电话"),
    ],
)
def test_parser_reports_each_wrong_cell_with_row_and_column(changes, column):
    data = _xlsx(_row(姓名="李娜"), _row(**changes))

    assert _errors(data) == [(3, column)]


def test_parser_reports_every_error_of_every_row():
    data = _xlsx(_row(姓名=None, 可任组长="对"), GOOD_ROW, _row(所在单位编码="x"))

    assert _errors(data) == [(2, "姓名"), (2, "可任组长"), (4, "所在单位编码")]


def test_parser_reports_duplicate_name_and_unit_within_the_file():
    data = _xlsx(GOOD_ROW, _row(所在单位编码=None), _row(职务="另一职务"))

    result = parse_inspector_workbook(data, units=UNITS)

    assert [(e.row, e.column) for e in result.errors] == [(4, "姓名")]
    # points at the first occurrence
    assert result.errors[0].message == _("Same name and unit as row %(row)d.") % {"row": 2}


def test_parser_reports_people_already_in_the_pool():
    assert _errors(_xlsx(GOOD_ROW), existing={("张伟", 1)}) == [(2, "姓名")]


@pytest.mark.parametrize(
    "data",
    [
        "姓名,职务\n张伟,主任\n".encode(),  # a CSV renamed .xlsx
        b"",
        b"PK\x03\x04 not really a zip",
        b"%PDF-1.7\n",
    ],
)
def test_parser_refuses_what_is_not_an_xlsx(data):
    with pytest.raises(WorkbookError):
        parse_inspector_workbook(data, units=UNITS)


def test_parser_refuses_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    with pytest.raises(WorkbookError):
        parse_inspector_workbook(buffer.getvalue(), units=UNITS)


@pytest.mark.parametrize(
    "data",
    [
        _xlsx(GOOD_ROW, headers=("名字", "职务")),  # wrong header row
        _xlsx(),  # header only
    ],
)
def test_parser_refuses_unusable_workbooks(data):
    with pytest.raises(WorkbookError):
        parse_inspector_workbook(data, units=UNITS)


def test_parser_refuses_a_file_over_5_mb():
    with pytest.raises(WorkbookError) as error:
        parse_inspector_workbook(TOO_BIG, units=UNITS)
    # the size, not the content, is the reason (the bytes are not a valid zip either)
    assert error.value.message == _("The file is larger than 5 MB.")


def test_parser_refuses_more_than_2000_rows():
    data = _xlsx(*(_row(姓名=f"干部{n}") for n in range(MAX_ROWS + 1)))

    with pytest.raises(WorkbookError):
        parse_inspector_workbook(data, units=UNITS)


def test_parser_accepts_exactly_2000_rows():
    data = _xlsx(*(_row(姓名=f"干部{n}") for n in range(MAX_ROWS)))

    assert len(parse_inspector_workbook(data, units=UNITS).rows) == MAX_ROWS


def _upload(data: bytes, name: str = "pool.xlsx") -> dict:
    return {"file": SimpleUploadedFile(name, data)}


def test_office_imports_the_pool(login, office_user, org, unit_tree):
    data = _xlsx(GOOD_ROW, _row(姓名="李娜", 所在单位编码="cd-jj", 专长="财务", 外部人员="是"))

    response = login(office_user).post(IMPORT, _upload(data))

    assert response.status_code == 302
    assert response.url == reverse("rounds:inspector_list")
    li = Inspector.objects.get(name="李娜")
    assert (li.organization, li.home_unit, li.is_external) == (org, unit_tree["jinjiang"], True)
    assert sorted(InspectorSpecialty.objects.values_list("inspector__name", "specialty")) == [
        ("张伟", "audit"),
        ("张伟", "discipline"),
        ("李娜", "finance"),
    ]


def test_import_with_a_wrong_row_saves_nothing_and_lists_errors(login, office_user, unit_tree):
    data = _xlsx(_row(所在单位编码="cd"), _row(姓名="李娜", 所在单位编码="nowhere"))

    response = login(office_user).post(IMPORT, _upload(data))

    assert response.status_code == 200
    assert [(e.row, e.column) for e in response.context["row_errors"]] == [(3, "所在单位编码")]
    assert "nowhere" in response.content.decode()
    assert not Inspector.objects.exists()


def test_import_refuses_a_unit_of_another_organization(login, office_user, org, other_org):
    UnitFactory(organization=other_org, code="xixiu")

    response = login(office_user).post(IMPORT, _upload(_xlsx(_row(所在单位编码="xixiu"))))

    assert [(e.row, e.column) for e in response.context["row_errors"]] == [(2, "所在单位编码")]
    with dangerously_unscoped():  # every organization's rows
        assert not Inspector.objects.exists()


def test_import_refuses_a_deactivated_unit(login, office_user, unit_tree):
    account_services.deactivate_unit(unit=unit_tree["mianyang"], actor=office_user)

    response = login(office_user).post(IMPORT, _upload(_xlsx(_row(所在单位编码="my"))))

    assert [(e.row, e.column) for e in response.context["row_errors"]] == [(2, "所在单位编码")]
    assert not Inspector.objects.exists()


def test_importing_the_same_file_twice_is_refused(login, office_user, unit_tree):
    client, data = login(office_user), _xlsx(_row(所在单位编码="cd"))
    client.post(IMPORT, _upload(data))

    response = client.post(IMPORT, _upload(data))

    assert [(e.row, e.column) for e in response.context["row_errors"]] == [(2, "姓名")]
    assert Inspector.objects.count() == 1


def test_import_of_a_text_file_renamed_xlsx_shows_error(login, office_user, org):
    data = "姓名,职务\n张伟,主任\n".encode()

    response = login(office_user).post(IMPORT, _upload(data, name="pool.xlsx"))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert not Inspector.objects.exists()


def test_import_over_5_mb_shows_error(login, office_user, org):
    response = login(office_user).post(IMPORT, _upload(TOO_BIG))

    assert response.context["form"].errors == {"file": [_("The file is larger than 5 MB.")]}
    assert not Inspector.objects.exists()


def test_import_without_file_shows_error(login, office_user, org):
    response = login(office_user).post(IMPORT, {})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]


def test_import_page_opens_for_office(login, office_user, org):
    response = login(office_user).get(IMPORT)

    assert response.status_code == 200
    assert TEMPLATE in response.content.decode()


@pytest.mark.parametrize("persona", ["leadership_user", "team_member_user", "liaison_user"])
def test_only_the_office_imports(request, login, unit_tree, persona):
    client = login(request.getfixturevalue(persona))

    response = client.post(IMPORT, _upload(_xlsx(_row(所在单位编码="cd"))))

    assert response.status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert not Inspector.objects.exists()


def test_template_download_is_a_workbook_with_the_headers(login, office_user, unit_tree):
    response = login(office_user).get(TEMPLATE)

    workbook = load_workbook(io.BytesIO(response.content))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert next(workbook.worksheets[0].iter_rows(values_only=True)) == HEADERS
    codes = [row[0] for row in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert codes == ["cd", "cd-jj", "cd-jj-1", "my"]


def test_filled_in_template_imports(login, office_user, unit_tree):
    workbook = load_workbook(io.BytesIO(build_template(units=[])))
    workbook.active.append(_row(所在单位编码="my"))
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = login(office_user).post(IMPORT, _upload(buffer.getvalue()))

    assert response.status_code == 302
    assert Inspector.objects.get().home_unit == unit_tree["mianyang"]


def test_import_service_refuses_a_unit_of_another_organization(org, other_org, office_user):
    stranger = UnitFactory(organization=other_org, code="xixiu")
    (row,) = parse_inspector_workbook(
        _xlsx(_row(所在单位编码="xixiu")), units={"xixiu": stranger}
    ).rows

    with pytest.raises(DomainError):
        services.import_inspectors(org=org, actor=office_user, rows=[row])
    with dangerously_unscoped():  # every organization's rows
        assert not Inspector.objects.exists()
