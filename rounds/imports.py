"""XLSX import of the inspector pool: the template workbook and a pure parser.

``parse_inspector_workbook`` reads no database: it is given the organization's units by code and
the pool's existing (name, unit) keys, and returns either valid rows or row-level errors. Saving
is ``rounds.services.pool.import_inspectors``.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from accounts.models import Unit
from accounts.phones import is_phone, normalize_phone, phone_error
from accounts.spreadsheets import WorkbookError, read_rows, workbook_bytes
from files.checks import Kind, NotAccepted, TooLarge, check_upload
from rounds.taxonomy import Specialty

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000

# The header row is part of the file format, in the language of the people filling it in.
NAME, POSITION, UNIT, SPECIALTIES, LEADER, EXTERNAL, PHONE = (
    "姓名",
    "职务",
    "所在单位编码",
    "专长",
    "可任组长",
    "外部人员",
    "电话",
)
HEADERS = (NAME, POSITION, UNIT, SPECIALTIES, LEADER, EXTERNAL, PHONE)
# Checked as every upload is (files.checks): a 5 MB file may not unpack into an arbitrarily
# large workbook (zip bomb).
XLSX_ONLY = frozenset({Kind.XLSX})
# The work of reading is bounded by what the file holds, not by what its sheet declares: rows
# may reach this far (room for blank rows), cells parsed in all and in one row, and time.
MAX_ROW_NUMBER = 2 * MAX_ROWS + 1
MAX_CELLS = MAX_ROW_NUMBER * len(HEADERS) * 2
MAX_ROW_CELLS = 64
MAX_SECONDS = 5.0

# Chinese labels of rounds.taxonomy.Specialty as written in the workbook; code values work too.
SPECIALTY_LABELS: dict[str, str] = {
    "纪检": Specialty.DISCIPLINE,
    "组织人事": Specialty.ORGANIZATION,
    "党建": Specialty.PARTY,
    "审计": Specialty.AUDIT,
    "财务": Specialty.FINANCE,
    "工程": Specialty.ENGINEERING,
    "法务": Specialty.LEGAL,
    "业务": Specialty.BUSINESS,
}
_SPECIALTY_WORDS = (
    SPECIALTY_LABELS | {code: code for code in Specialty.values} | {"组织": Specialty.ORGANIZATION}
)
_SEPARATORS = ("、", ",", "，", ";", "；")
_YES, _NO = "是", "否"
_MAX_LENGTHS = {NAME: 100, POSITION: 100, PHONE: 30}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class InspectorRow:
    row: int
    name: str
    position: str
    home_unit: Unit | None
    specialties: tuple[str, ...]
    leader_eligible: bool
    is_external: bool
    phone: str


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParseResult:
    rows: list[InspectorRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def already_in_pool() -> str:
    """The refusal of a second entry for one person (same name and unit), by import or by hand."""
    return _("This person (same name and unit) is already in the pool.")


def build_template(*, units: Iterable[Unit]) -> bytes:
    """An empty pool workbook, with a second sheet listing the unit codes to use."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "巡察人才库"
    sheet.append(HEADERS)
    for column, width in zip("ABCDEFG", (12, 16, 16, 24, 10, 10, 16), strict=True):
        sheet.column_dimensions[column].width = width
    codes = workbook.create_sheet("单位编码")
    codes.append((UNIT, "单位名称"))
    for unit in units:
        codes.append((unit.code, unit.name))
    specialties = workbook.create_sheet(SPECIALTIES)
    specialties.append((SPECIALTIES,))
    for label in SPECIALTY_LABELS:
        specialties.append((label,))
    return workbook_bytes(workbook)


def parse_inspector_workbook(
    data: bytes,
    *,
    units: Mapping[str, Unit],
    existing: Collection[tuple[str, int | None]] = (),
) -> ParseResult:
    """Check every row of an uploaded pool workbook; raise WorkbookError for a bad file.

    ``units``: the organization's units by code; ``existing``: (name, home unit id) already in
    the pool. Row numbers are those Excel shows (the header is row 1)."""
    rows = _read_rows(data)
    result = ParseResult()
    seen: dict[tuple[str, str], int] = {}
    for number, values in rows:
        cells = dict(zip(HEADERS, (_text(value) for value in values), strict=False))
        errors = _row_errors(number, cells, units)
        key = (cells.get(NAME, ""), cells.get(UNIT, ""))
        if key[0] and key in seen:
            errors.append(
                RowError(
                    number,
                    NAME,
                    _("Same name and unit as row %(row)d.") % {"row": seen[key]},
                )
            )
        seen.setdefault(key, number)
        if errors:
            result.errors.extend(errors)
            continue
        row = _to_row(number, cells, units)
        if (row.name, row.home_unit.pk if row.home_unit else None) in existing:
            result.errors.append(RowError(number, NAME, already_in_pool()))
            continue
        result.rows.append(row)
    if result.errors:
        result.rows = []
    return result


def _read_rows(data: bytes) -> list[tuple[int, tuple[Any, ...]]]:
    if len(data) > MAX_BYTES:
        raise WorkbookError(_("The file is larger than 5 MB."))
    _check_is_xlsx(data)
    try:
        # Formulas are read as their text, never as a value the uploader cached beside them.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        rows = read_rows(
            workbook.worksheets[0],
            max_row=MAX_ROW_NUMBER,
            max_cells=MAX_CELLS,
            max_row_cells=MAX_ROW_CELLS,
            max_seconds=MAX_SECONDS,
        )
        first = next(rows, None)
        header = tuple(_text(value) for value in first[1]) if first and first[0] == 1 else ()
        _check_header(header)
        found = []
        for number, values in rows:
            if all(_text(value) == "" for value in values):
                continue
            found.append((number, tuple(values)))
            if len(found) > MAX_ROWS:
                raise WorkbookError(
                    _("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS}
                )
    except WorkbookError:
        raise
    except Exception as error:  # an untrusted file: any parser failure means "unreadable"
        raise WorkbookError(_("The file could not be read as an Excel workbook.")) from error
    if not found:
        raise WorkbookError(_("The file has no rows below the header."))
    return found


def _check_is_xlsx(data: bytes) -> None:
    """By content, not by file name: the shared upload checks (a real XLSX package that
    unpacks within bounds), with the import's own words."""
    try:
        check_upload(name="import.xlsx", data=data, allowed=XLSX_ONLY, max_bytes=MAX_BYTES)
    except NotAccepted:
        raise WorkbookError(_("The file is not an Excel workbook (.xlsx).")) from None
    except TooLarge:
        raise WorkbookError(_("The workbook is too large once unpacked.")) from None


def _check_header(header: tuple[str, ...]) -> None:
    if header[: len(HEADERS)] != HEADERS:
        raise WorkbookError(
            _("The first row must be the template's header: %(headers)s.")
            % {"headers": "、".join(HEADERS)}
        )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # phone numbers and codes typed as numbers
    return str(value).strip()


def _row_errors(number: int, cells: dict[str, str], units: Mapping[str, Unit]) -> list[RowError]:
    errors = []
    if not cells.get(NAME):
        errors.append(RowError(number, NAME, _("The name is required.")))
    for column, limit in _MAX_LENGTHS.items():
        if len(cells.get(column, "")) > limit:
            message = _("At most %(max)d characters.") % {"max": limit}
            errors.append(RowError(number, column, message))
    code = cells.get(UNIT, "")
    if code and code not in units:
        message = _("No unit has the code %(code)s.") % {"code": code}
        errors.append(RowError(number, UNIT, message))
    elif code and not units[code].is_active:
        message = _("The unit %(name)s is deactivated.") % {"name": units[code].name}
        errors.append(RowError(number, UNIT, message))
    unknown = [word for word in _split(cells.get(SPECIALTIES, "")) if word not in _SPECIALTY_WORDS]
    if unknown:
        message = _("Unknown specialty: %(words)s. Use: %(known)s.") % {
            "words": "、".join(unknown),
            "known": "、".join(SPECIALTY_LABELS),
        }
        errors.append(RowError(number, SPECIALTIES, message))
    for column in (LEADER, EXTERNAL):
        if cells.get(column, "") not in {_YES, _NO, "", "True", "False"}:
            errors.append(RowError(number, column, _("Write 是 or 否.")))
    phone = cells.get(PHONE, "")
    if phone and len(phone) <= _MAX_LENGTHS[PHONE] and not is_phone(phone):
        errors.append(RowError(number, PHONE, phone_error()))
    return errors


def _split(text: str) -> list[str]:
    for separator in _SEPARATORS[1:]:
        text = text.replace(separator, _SEPARATORS[0])
    return [word.strip() for word in text.split(_SEPARATORS[0]) if word.strip()]


def _to_row(number: int, cells: dict[str, str], units: Mapping[str, Unit]) -> InspectorRow:
    code = cells.get(UNIT, "")
    specialties = dict.fromkeys(
        _SPECIALTY_WORDS[word] for word in _split(cells.get(SPECIALTIES, ""))
    )
    return InspectorRow(
        row=number,
        name=cells[NAME],
        position=cells.get(POSITION, ""),
        home_unit=units[code] if code else None,
        specialties=tuple(specialties),
        leader_eligible=cells.get(LEADER) in {_YES, "True"},
        is_external=cells.get(EXTERNAL) in {_YES, "True"},
        phone=normalize_phone(cells.get(PHONE, "")),
    )
