"""The commune's budget proposal, consolidated by the Economic Office from every unit's approved estimate lines:
the summary table (XLSX, the usual layout) and its cover note (Tờ trình, DOCX in Decree 30 form, through
``tenancy.decree30``). Each line counts at its estimate in force (the last approved adjustment, else the
original). Both are built in the request: 0.1–0.3 s for the demo commune, about 1 s for 200 lines on a loaded
2-core machine (docs/budget.md, *Measured*), so no worker job is needed.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from lantoa.tenancy import decree30 as D
from lantoa.tenancy import numbers
from lantoa.tenancy.models import Commune
from lantoa.tenancy.spreadsheets import workbook_bytes

from . import selectors
from .models import Source

SOURCE_WORDS = {
    Source.COMMUNE_BUDGET: "Ngân sách xã",
    Source.PROVINCE_SUPPORT: "Ngân sách tỉnh hỗ trợ",
    Source.PROGRAMME: "Lồng ghép chương trình",
    Source.SOCIALISED: "Xã hội hóa",
    Source.OTHER: "Nguồn hợp pháp khác",
}
COLUMNS = [
    ("STT", 6),
    ("Nội dung", 48),
    ("Đơn vị chủ trì", 24),
    ("Nhiệm vụ", 10),
    ("Nguồn kinh phí", 20),
    ("Dự toán (đồng)", 18),
    ("Ghi chú", 24),
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E8EEF7")
GROUP_FILL = PatternFill("solid", fgColor="F3F3F3")
BY = ("task", "unit")


@dataclass
class Group:
    label: str
    rows: list
    total: Decimal


def groups(commune: Commune, year: int, by: str = "task") -> list[Group]:
    """The approved lines of the year grouped by task (in the plan's order) or by unit, with subtotals."""
    found: OrderedDict[str, list] = OrderedDict()
    rows = selectors.figures(commune, year)
    if by == "unit":
        rows = sorted(rows, key=lambda r: (r.line.unit.name if r.line.unit else "~", r.line.pk))
    for row in rows:
        line = row.line
        if by == "unit":
            label = line.unit.name if line.unit else "Chưa giao đơn vị"
        else:
            label = f"Nhiệm vụ {line.task.code}: {line.task.title}" if line.task else "Nội dung khác"
        found.setdefault(label, []).append(row)
    return [Group(label, rows, sum((r.current for r in rows), Decimal(0))) for label, rows in found.items()]


def _note(row) -> str:
    parts = [row.line.note] if row.line.note else []
    if row.adjustment:
        parts.append(f"Điều chỉnh lần {row.adjustment} (dự toán ban đầu {numbers.money(row.original)})")
    return "; ".join(parts)


def _cell(ws, row: int, col: int, value, *, bold=False, money=False, align="left", fill=None):
    number = money and value is not None
    cell = ws.cell(row=row, column=col, value=numbers.xlsx_value(value, "money") if number else value)
    cell.font = Font(name=FONT, size=11, bold=bold)
    cell.border = BOX
    cell.alignment = Alignment(horizontal="right" if number else align, vertical="top", wrap_text=not number)
    if number:
        cell.number_format = numbers.xlsx_format(value, "money")
    if fill is not None:
        cell.fill = fill
    return cell


def xlsx_bytes(commune: Commune, year: int, by: str = "task") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"Dự toán {year}"
    width = len(COLUMNS)
    titles = [
        f"BIỂU TỔNG HỢP DỰ TOÁN KINH PHÍ THỰC HIỆN KẾ HOẠCH TRIỂN KHAI NGHỊ QUYẾT SỐ 57-NQ/TW NĂM {year}",
        f"{commune.name} — kèm theo Tờ trình của Phòng Kinh tế",
        "Đơn vị tính: đồng",
    ]
    for index, text in enumerate(titles, start=1):
        cell = ws.cell(row=index, column=1, value=text)
        cell.font = Font(name=FONT, size=13 if index == 1 else 12, bold=index == 1, italic=index > 1)
        cell.alignment = Alignment(horizontal="right" if index == 3 else "center", wrap_text=True)
        ws.merge_cells(start_row=index, start_column=1, end_row=index, end_column=width)
    ws.row_dimensions[1].height = 36
    head = len(titles) + 1
    for col, (title, col_width) in enumerate(COLUMNS, start=1):
        cell = _cell(ws, head, col, title, bold=True, align="center", fill=HEAD_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = col_width
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    r = head + 1
    total = Decimal(0)
    for index, group in enumerate(groups(commune, year, by)):
        label = ROMAN[index] if index < len(ROMAN) else str(index + 1)
        values = [label, group.label, "", "", "", group.total, ""]
        for col, value in enumerate(values, start=1):
            _cell(ws, r, col, value, bold=True, money=col == 6, align="center" if col == 1 else "left", fill=GROUP_FILL)
        r += 1
        for number, row in enumerate(group.rows, start=1):
            line = row.line
            values = [
                number,
                line.title,
                line.unit.name if line.unit else "",
                line.task.code if line.task else "",
                SOURCE_WORDS.get(line.source, line.source),
                row.current,
                _note(row),
            ]
            for col, value in enumerate(values, start=1):
                _cell(ws, r, col, value, money=col == 6, align="center" if col in (1, 4) else "left")
            r += 1
        total += group.total
    _cell(ws, r, 1, "", bold=True)
    _cell(ws, r, 2, "TỔNG CỘNG", bold=True, align="center")
    for col in (3, 4, 5, 7):
        _cell(ws, r, col, "", bold=True)
    _cell(ws, r, 6, total, bold=True, money=True)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    return workbook_bytes(wb)


def totals(commune: Commune, year: int) -> dict:
    rows = selectors.figures(commune, year)
    by_source: OrderedDict[str, Decimal] = OrderedDict()
    by_unit: OrderedDict[str, Decimal] = OrderedDict()
    for row in rows:
        source = SOURCE_WORDS.get(row.line.source, row.line.source)
        by_source[source] = by_source.get(source, Decimal(0)) + row.current
        unit = row.line.unit.name if row.line.unit else "Chưa giao đơn vị"
        by_unit[unit] = by_unit.get(unit, Decimal(0)) + row.current
    return {
        "total": sum((r.current for r in rows), Decimal(0)),
        "lines": len(rows),
        "by_source": by_source,
        "by_unit": by_unit,
    }


def docx_bytes(commune: Commune, year: int, *, day=None) -> bytes:
    """The Economic Office's cover note (Tờ trình) asking the commune People's Committee to approve the total."""
    figures = totals(commune, year)
    office = selectors.economic_office(commune)
    doc = D.new_document()
    D.header(
        doc,
        body=f"ỦY BAN NHÂN DÂN {commune.name.upper()}",
        body_unit="PHÒNG KINH TẾ",
        number="      /TTr-PKT",
        place_date=D.place_date(commune.short_name or commune.name, day, year),
        kind="TỜ TRÌNH",
        summary=(
            "Về việc đề nghị phê duyệt dự toán kinh phí thực hiện Kế hoạch triển khai "
            f"Nghị quyết số 57-NQ/TW năm {year}"
        ),
    )
    committee = f"Ủy ban nhân dân {commune.division_type.lower()} {commune.short_name or commune.name}"
    D.addressees(doc, [committee])
    lines = [
        "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, "
        "đổi mới sáng tạo và chuyển đổi số quốc gia;",
        f"Căn cứ Kế hoạch triển khai Nghị quyết số 57-NQ/TW năm {year} của {committee} "
        "và dự toán kinh phí của các đơn vị được giao chủ trì nhiệm vụ;",
        f"Phòng Kinh tế tổng hợp dự toán kinh phí thực hiện Kế hoạch năm {year} của {len(figures['by_unit'])} "
        f"đơn vị ({figures['lines']} nội dung), kính trình Ủy ban nhân dân xã xem xét, phê duyệt như sau:",
        f"1. Tổng dự toán kinh phí: {numbers.money(figures['total'])} đồng.",
        "2. Theo nguồn kinh phí:",
        *[f"- {name}: {numbers.money(amount)} đồng;" for name, amount in figures["by_source"].items()],
        "3. Theo đơn vị chủ trì:",
        *[f"- {name}: {numbers.money(amount)} đồng;" for name, amount in figures["by_unit"].items()],
        "(Chi tiết theo Biểu tổng hợp dự toán kinh phí kèm theo.)",
        "Phòng Kinh tế kính trình Ủy ban nhân dân xã xem xét, phê duyệt./.",
    ]
    D.body_text(doc, "\n".join(lines))
    D.signature(
        doc,
        recipients=["Như trên", "Lãnh đạo UBND xã"],
        archive="Lưu: VT, PKT",
        signer_title="TRƯỞNG PHÒNG",
        signer_name=office.head if office and office.head else "",
    )
    return D.to_bytes(doc)
