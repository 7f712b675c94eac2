"""Spreadsheet exports that never turn a user's text into a formula (CSV/formula injection).

A hamlet named ``=HYPERLINK("http://…","Bấm vào đây")`` must reach the spreadsheet as text. openpyxl stores any
string starting with ``=`` as a formula, and a spreadsheet program evaluates a CSV field starting with ``=``, ``+``,
``-`` or ``@`` (or a tab or carriage return before them). Every XLSX export saves through ``workbook_bytes`` and
every CSV export writes its rows through ``csv_row``; the exports build no formula of their own.
"""

from __future__ import annotations

import io

from django.http import HttpResponse
from openpyxl import Workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(TRIGGERS)


def neutralise(workbook: Workbook) -> int:
    """Every cell whose text starts like a formula becomes a plain text cell (shown exactly as written, with
    Excel's "quote prefix" so that editing the cell keeps it text). Returns how many cells were changed."""
    changed = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if is_formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    changed += 1
    return changed


def workbook_bytes(workbook: Workbook) -> bytes:
    """The XLSX file of a workbook built by an export, with every formula-like text made plain text."""
    neutralise(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_cell(value):
    """A CSV field: text that would start a formula gets a leading apostrophe (the usual spreadsheet escape)."""
    return "'" + value if is_formula_like(value) else value


def csv_row(values) -> list:
    return [csv_cell(v) for v in values]


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    """An XLSX export as a download named ``name`` (ASCII: the exports name files by codes)."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
