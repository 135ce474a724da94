"""Workbooks from strangers: bounded reading, and formulas neither written nor run.

A refusal is timed here (``time.perf_counter``) because its speed is the point: a tiny file that
declares a million rows must not cost a million rows of work."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from accounts.models import Unit
from accounts.spreadsheets import workbook_bytes
from rounds import imports
from rounds.imports import WorkbookError, build_template, parse_inspector_workbook
from tests.rounds.test_pool_import import GOOD_ROW, UNITS, _xlsx

HOSTILE = ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def _patch_sheet(data: bytes, change) -> bytes:
    """Rewrite the first worksheet's XML of a workbook."""
    source, target = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for entry in old.infolist():
            content = old.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            new.writestr(entry, content)
    return target.getvalue()


def _declaring(dimension: str, extra_rows: str = "") -> bytes:
    def change(xml: str) -> str:
        xml, replaced = re.subn(
            r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', xml
        )
        assert replaced == 1
        return xml.replace("</sheetData>", f"{extra_rows}</sheetData>")

    return _patch_sheet(_xlsx(GOOD_ROW), change)


def _refusal_time(data: bytes) -> tuple[str, float]:
    started = time.perf_counter()
    with pytest.raises(WorkbookError) as error:
        parse_inspector_workbook(data, units=UNITS)
    return error.value.message, time.perf_counter() - started


def test_a_declared_million_rows_costs_nothing():
    data = _declaring("A1:Z1000000")

    result = parse_inspector_workbook(data, units=UNITS)

    assert len(data) < 10_000
    assert [row.name for row in result.rows] == ["张伟"]


@pytest.mark.parametrize(
    "extra_rows",
    [
        '<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>',
        "".join(f'<row r="{n}"/>' for n in range(3, 20_003)),  # many empty rows
        "".join(f'<row r="{n}"><c r="Z{n}"/></row>' for n in range(3, 20_003)),  # empty cells
    ],
    ids=["cell-at-row-1000000", "empty-rows", "empty-cells"],
)
def test_a_small_file_reaching_far_rows_is_refused_quickly(extra_rows):
    data = _declaring("A1:Z1000000", extra_rows)

    message, elapsed = _refusal_time(data)

    assert len(data) < 200_000
    assert message == _("The sheet goes beyond row %(max)d; delete the empty rows below.") % {
        "max": imports.MAX_ROW_NUMBER
    }
    assert elapsed < 1.0


def test_a_row_of_very_many_cells_is_refused_quickly():
    cells = "".join(
        f'<c r="{_column(n)}2" t="inlineStr"><is><t>x</t></is></c>' for n in range(1, 16_385)
    )
    data = _patch_sheet(
        _xlsx(GOOD_ROW),
        lambda xml: xml.replace("</sheetData>", f'<row r="3">{cells}</row></sheetData>'),
    )

    message, elapsed = _refusal_time(data)

    assert message == _("The sheet has too many filled cells; keep to the template's columns.")
    assert elapsed < 1.0


def _column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def test_reading_stops_at_the_time_limit(monkeypatch):
    monkeypatch.setattr(imports, "MAX_SECONDS", 0.0)

    message, _elapsed = _refusal_time(_xlsx(*[GOOD_ROW] * 50))

    assert message == _("Reading the file took too long; split it into smaller files.")


# --- formulas ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_written_text_that_looks_like_a_formula_stays_text(text):
    workbook = Workbook()
    workbook.active.append([text, "普通文字"])

    cell = load_workbook(io.BytesIO(workbook_bytes(workbook))).active["A1"]

    assert cell.data_type == "s"
    assert cell.value == text.replace("\r", "\n")  # XML reads any line end as LF
    assert cell.quotePrefix is True


def test_ordinary_text_and_numbers_are_written_as_they_are():
    workbook = Workbook()
    workbook.active.append(["普通文字", 42, "1-2"])

    sheet = load_workbook(io.BytesIO(workbook_bytes(workbook))).active

    assert [cell.value for cell in sheet[1]] == ["普通文字", 42, "1-2"]
    assert [cell.data_type for cell in sheet[1]] == ["s", "n", "s"]
    assert sheet["A1"].quotePrefix is False


def test_the_import_template_writes_unit_names_as_text():
    units = [Unit(code="cd", name='=HYPERLINK("http://evil.example")')]

    sheet = load_workbook(io.BytesIO(build_template(units=units)))["单位编码"]

    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].value == '=HYPERLINK("http://evil.example")'


def test_an_uploaded_formula_is_imported_as_its_literal_text():
    formula_row = ('=HYPERLINK("http://evil.example","张伟")', *GOOD_ROW[1:])
    data = _xlsx(formula_row)
    assert load_workbook(io.BytesIO(data)).active["A2"].data_type == "f"  # a real formula cell

    result = parse_inspector_workbook(data, units=UNITS)

    assert [row.name for row in result.rows] == ['=HYPERLINK("http://evil.example","张伟")']
