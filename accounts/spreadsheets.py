"""XLSX in and out, safely: every workbook the product writes goes through ``workbook_bytes``,
and every uploaded sheet is read through ``read_rows``.

Writing: text that a spreadsheet would take for a formula (``= + - @``, tab, CR first) is written
as literal text with Excel's quote prefix, so a name typed by one user cannot run as a formula
(``=HYPERLINK(…)``, ``=cmd|…``) on another user's machine. The product writes no formulas.

Reading: the work is bounded by what is actually in the file — rows reached, cells parsed and
time spent — never by the sheet's declared dimension, which a 5 KB file can set to a million
rows. Formula cells are read as their literal text (never evaluated, never replaced by a cached
value the uploader chose).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet._reader import WorkSheetParser

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class WorkbookError(Exception):
    """The upload as a whole is unusable (not an XLSX, too big, wrong header row, no rows)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def workbook_bytes(workbook: Workbook) -> bytes:
    """Save ``workbook`` with every formula-looking text cell made literal text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
                    cell.data_type = "s"  # openpyxl made "=…" a formula on assignment
                    cell.quotePrefix = True  # and Excel shows it as text, even after an edit
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _TimedStream(io.RawIOBase):
    """The sheet's XML, refusing to be read past a deadline (the parser reads it in chunks)."""

    def __init__(self, raw: IO[bytes], deadline: float) -> None:
        self.raw, self.deadline = raw, deadline

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        _check_deadline(self.deadline)
        return self.raw.read(size)


def _check_deadline(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise WorkbookError(_("Reading the file took too long; split it into smaller files."))


def read_rows(
    sheet: Any, *, max_row: int, max_cells: int, max_row_cells: int, max_seconds: float
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of each row present in a read-only worksheet, first row included.

    Raises WorkbookError past row ``max_row``, past ``max_cells`` parsed cells (or
    ``max_row_cells`` in one row), or after ``max_seconds``."""
    deadline = time.monotonic() + max_seconds
    cells = 0
    # openpyxl's read-only sheet without its dimension-driven padding: the parser yields only
    # the rows the XML holds, so a declared "A1:Z1000000" costs nothing.
    with sheet._get_source() as raw:
        parser = WorkSheetParser(_TimedStream(raw, deadline), sheet._shared_strings)
        for number, row in parser.parse():
            if number > max_row:
                raise WorkbookError(
                    _("The sheet goes beyond row %(max)d; delete the empty rows below.")
                    % {"max": max_row}
                )
            cells += len(row)
            if len(row) > max_row_cells or cells > max_cells:
                raise WorkbookError(
                    _("The sheet has too many filled cells; keep to the template's columns.")
                )
            _check_deadline(deadline)
            yield number, _values(row, max_row_cells)


def _values(row: list[dict[str, Any]], max_column: int) -> tuple[Any, ...]:
    # Columns past ``max_column`` are not materialized: a lone cell in column XFD of every
    # row would otherwise cost 16,384 values a row.
    row = [cell for cell in row if cell["column"] <= max_column]
    width = max((cell["column"] for cell in row), default=0)
    values: list[Any] = [None] * width
    for cell in row:
        value = cell["value"]
        # Array and data-table formulas arrive as objects: keep their literal text too.
        values[cell["column"] - 1] = getattr(value, "text", value)
    return tuple(values)
