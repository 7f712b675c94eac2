"""Tables of a plan: which are task tables, target tables or layout tables, and how to read them.

A reader gives tables as :class:`~lantoa.plans.parser_readers.TableBlock` grids (DOCX tables, tab-separated rows
of a text file). Here they are recognised by their header row (accent and case insensitive):

* a task table: a task column ("Nội dung", "Nhiệm vụ" …) and a unit or timing column;
* a target table: an indicator column ("Chỉ tiêu") and a value column ("Mục tiêu", "Giá trị") or year columns;
* a layout table: two or three columns laying out the header or the recipients beside the signature, read
  column by column.

The parser (:mod:`lantoa.plans.parser`) interprets the rows; this module only finds the columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .parser_readers import TableBlock, text_to_blocks
from .parser_text import fold


@dataclass
class TaskTable:
    """A table of tasks: the columns of each kind ("code", "task", "lead", "cooperating", "timing")."""

    table: TableBlock
    columns: dict[str, list[int]]
    others: dict[int, str]
    data_start: int


# -------------------------------------------------------------------- task tables

_CODE_HEADER_RE = re.compile(r"^(?:s\.?\s*)?tt$|^so\s*(?:tt|thu tu)$|^ma(?: so)?$")


def _header_kind(text: str) -> str | None:
    """The kind of a task-table column from its header text ("other" when unknown)."""
    key = " ".join(fold(text).replace("\n", " ").split()).strip(" .:()")
    if not key:
        return None
    if len(key.split()) > 8:  # a sentence, not a column header
        return "other"
    if _CODE_HEADER_RE.match(key):
        return "code"
    if re.search(r"thoi gian|tien do|thoi han", key):
        return "timing"
    if "phoi hop" in key:
        return "cooperating"
    if re.search(r"chu tri|thuc hien|don vi(?! tinh)|co quan|trach nhiem", key):
        return "lead"
    if re.search(r"nhiem vu|noi dung|giai phap|hoat dong|^ten", key):
        return "task"
    return "other"


def _columns_of(header: list[str]) -> tuple[dict[str, list[int]], dict[int, str]]:
    columns: dict[str, list[int]] = {}
    others: dict[int, str] = {}
    for index, text in enumerate(header):
        kind = _header_kind(text)
        if kind == "other":
            others[index] = " ".join(text.split())
        elif kind:
            columns.setdefault(kind, []).append(index)
    return columns, others


def detect_task_table(table: TableBlock) -> TaskTable | None:
    """Recognise a table of tasks by its header row (accent and case insensitive)."""
    for row_index, header in enumerate(table.rows[:3]):
        columns, others = _columns_of(header)
        if "task" not in columns or not ({"lead", "cooperating", "timing"} & set(columns)):
            continue
        data_start = row_index + 1
        # A second header row ("Chủ trì" | "Phối hợp" under a merged "Đơn vị thực hiện").
        if data_start < len(table.rows):
            sub_columns, _sub_others = _columns_of(table.rows[data_start])
            keyword_kinds = {"lead", "cooperating", "timing", "task"} & set(sub_columns)
            code_cells = [table.rows[data_start][i] for i in columns.get("code", [])]
            if len(keyword_kinds) >= 2 and not any(re.match(r"^[\dIVX]", c.strip()) for c in code_cells):
                merged_header = [
                    sub if sub.strip() and sub != top else top
                    for top, sub in zip(header, table.rows[data_start], strict=False)
                ]
                columns, others = _columns_of(merged_header)
                data_start += 1
        return TaskTable(table, columns, others, data_start)
    return None


# ------------------------------------------------------------------- target tables


@dataclass
class TargetTable:
    """A table of targets: an indicator column and a value column, or one column per year."""

    table: TableBlock
    indicator: int
    value: int | None
    unit: int | None
    years: dict[int, int]  # column → year
    data_start: int


_VALUE_RE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(%?)")


def detect_target_table(table: TableBlock) -> TargetTable | None:
    """Recognise a table of targets by its header ("Chỉ tiêu" | "Đơn vị tính" | "Mục tiêu"/"Năm 2030")."""
    for row_index, header in enumerate(table.rows[:2]):
        keys = [" ".join(fold(text).split()).strip(" .:()") for text in header]
        indicator = value = unit = None
        years: dict[int, int] = {}
        for column, key in enumerate(keys):
            year = re.fullmatch(r"(?:nam\s+|den nam\s+)?(20\d\d)", key)
            if year:
                years[column] = int(year.group(1))
            elif re.fullmatch(r"don vi tinh|dvt|don vi", key):
                unit = column
            elif indicator is None and re.search(r"^(?:ten )?chi tieu|tieu chi|^noi dung", key):
                indicator = column
            elif value is None and re.search(r"muc tieu|gia tri|ke hoach|chi tieu|ket qua phan dau", key):
                value = column
        if indicator is not None and (value is not None or years):
            return TargetTable(table, indicator, value, unit, years, row_index + 1)
    return None


def target_value(text: str) -> tuple[float | None, bool]:
    """The number of a value cell ("≥ 30", "100%", "10,5") and whether it is a percentage."""
    match = _VALUE_RE.search(text)
    if not match:
        return None, False
    return float(match.group(1).replace(",", ".")), bool(match.group(2))


_LAYOUT_CELL_RE = re.compile(r"^(?:noi nhan|so\s*:|cong hoa xa hoi|doc lap\b|(?:tm|kt|tl|tuq)\s*\.)")


def is_layout_table(table: TableBlock) -> bool:
    """A borderless table laying out the header or the recipients and signature side by side."""
    width = max((len(row) for row in table.rows), default=0)
    return 2 <= width <= 3 and any(_LAYOUT_CELL_RE.match(fold(cell.strip())) for row in table.rows for cell in row)


def layout_lines(table: TableBlock) -> list[str]:
    """A layout table read column by column: the recipients before the signature, the issuer before the motto."""
    lines: list[str] = []
    width = max(len(row) for row in table.rows)
    for column in range(width):
        above = None
        for row in table.rows:
            text = row[column] if column < len(row) else ""
            repeated = text == above or (column and column - 1 < len(row) and row[column - 1] == text)
            above = text
            if text.strip() and not repeated:
                lines.extend(text_to_blocks(text))
    return lines
