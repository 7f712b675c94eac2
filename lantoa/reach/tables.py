"""Reading a spreadsheet (Excel .xlsx or CSV) of rows with named columns, as the imports need it."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from lantoa.tenancy import uploads
from lantoa.tenancy.text import fold

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024


def plain(text) -> str:
    """Folded letters and digits, single-spaced: to match column and hamlet names however they are typed."""
    return re.sub(r"[^a-z0-9]+", " ", fold(str(text or ""))).strip()


@dataclass
class Table:
    columns: dict[str, int]  # canonical column -> index
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells)

    def get(self, cells: list[str], column: str) -> str:
        index = self.columns.get(column)
        if index is None or index >= len(cells):
            return ""
        return cells[index]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def read_table(data: bytes, file_name: str, aliases: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> Table:
    """The rows of the first sheet. ``aliases`` maps each canonical column to the headers that mean it.

    The header is the first row that names every required column (title rows above it are skipped).
    Raises ValidationError (in Vietnamese) when the file cannot be read or lacks a required column.
    """
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    name = (file_name or "").lower()
    if name.endswith(".xlsx"):
        uploads.check_zip(data, file_name)  # an XLSX that unpacks to too much is refused before openpyxl opens it
        raw = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        raw = _csv_rows(data)
    else:
        raise ValidationError(_("Upload an Excel (.xlsx) or CSV file."))
    lookup = {plain(a): canonical for canonical, names in aliases.items() for a in (canonical, *names)}
    for index, (_number, cells) in enumerate(raw[:20]):
        columns = {}
        for position, cell in enumerate(cells):
            canonical = lookup.get(plain(cell))
            if canonical and canonical not in columns:
                columns[canonical] = position
        if all(r in columns for r in required):
            rows = [(n, c) for n, c in raw[index + 1 :] if any(x for x in c)]
            if len(rows) > MAX_ROWS:
                raise ValidationError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
            return Table(columns, rows)
    wanted = ", ".join(f"“{aliases[r][0]}”" for r in required)
    raise ValidationError(_("No header row with the columns %(columns)s was found.") % {"columns": wanted})


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ValidationError(_("The Excel file cannot be read: is it a real .xlsx file?")) from exc
    sheet = book.worksheets[0]
    rows = [(i, [_cell(v) for v in row]) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    book.close()
    return rows


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    for encoding in ("utf-8-sig", "cp1258", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [(i, [c.strip() for c in row]) for i, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]
