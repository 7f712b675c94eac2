"""The report as a Word document laid out as Nghị định 30/2020/NĐ-CP, Phụ lục I prescribes.

The form's parts (page, header, “Kính gửi:”, body, signature) are ``tenancy.decree30``'s; this module adds the
report's own: its sections, the indicator and budget tables, the chart and the appendix of methods.

``build_docx(report)`` works from a ``Report`` (saved or not): its header fields, its sections' text and
the snapshot of figures in ``report.data``.
"""

from __future__ import annotations

import io

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm, Pt

from lantoa.tenancy import decree30 as D

from . import charts, drafting
from . import wording as W

INDICATOR_COLUMNS = [
    ("TT", 9),
    ("Chỉ tiêu", 62),
    ("Mục tiêu", 24),
    ("Kết quả", 28),
    ("Tỷ lệ đạt", 18),
    ("Đánh giá", 24),
]
BUDGET_COLUMNS = [
    ("TT", 8),
    ("Nội dung", 52),
    ("Đơn vị", 28),
    ("Dự toán (đồng)", 26),
    ("Đã thực hiện (đồng)", 26),
    ("Nguồn", 25),
]


# --- The document -----------------------------------------------------------------------------------------


def _header(doc, report, data: dict) -> None:
    body, body_unit = drafting.issuing_body(data)
    D.header(
        doc,
        body=body,
        body_unit=body_unit,
        number=report.reference,
        place_date=W.place_date(report.place, report.issued_on, report.year),
        kind="BÁO CÁO",
        summary=report.summary,
    )
    D.addressees(doc, report.addressees)


def _signature(doc, report) -> None:
    D.signature(
        doc,
        recipients=report.recipients,
        archive=report.archive,
        signer_title=report.signer_title,
        signer_name=report.signer_name,
        signer_on_behalf=report.signer_on_behalf,
    )


def indicator_rows(data: dict) -> list[tuple[str, dict, bool]]:
    """(number, row, companion) in the table's order: each indicator, then its companions under it."""
    rows = data["indicators"]
    mains = [r for r in rows if not r.get("companion_of")]
    out = []
    for index, row in enumerate(mains, start=1):
        out.append((str(index), row, False))
        for companion in rows:
            if companion.get("companion_of") == row["code"]:
                out.append(("", companion, True))
    return out


def indicator_cells(row: dict, companion: bool) -> list[str]:
    """The table's cells for one indicator (also used by the tests to read the table back)."""
    name = W.indicator_name(row)
    if row.get("target") is not None:
        target = f"{W.percent(row['target'])}\n(năm {row['target_year']})"
    else:
        target = "—"
    if row.get("value") is None:
        result = "Chưa có số liệu"
    elif row.get("denominator"):
        result = f"{W.percent(row['value'])}\n({W.number(row['numerator'])}/{W.number(row['denominator'])})"
    else:
        result = W.percent(row["value"])
    ratio = W.achievement(row)
    status = "Tham khảo" if companion else W.INDICATOR_STATUS.get(row["status"], row.get("status_label", ""))
    return [name, target, result, W.percent(ratio) if ratio is not None else "—", status]


def _indicator_table(doc, data: dict) -> None:
    table = doc.add_table(rows=1, cols=len(INDICATOR_COLUMNS))
    D.grid_borders(table)
    D.fixed_widths(table, [w for _h, w in INDICATOR_COLUMNS])
    D.cell_margins(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    D.repeat_header(header)
    for cell, (title, _w) in zip(header.cells, INDICATOR_COLUMNS, strict=True):
        D.cell_text(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for number, row, companion in indicator_rows(data):
        cells = table.add_row().cells
        D.cant_split(table.rows[-1])
        values = [number] + indicator_cells(row, companion)
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            align = WD_ALIGN_PARAGRAPH.LEFT if index == 1 else WD_ALIGN_PARAGRAPH.CENTER
            D.cell_text(cell, value, italic=companion, align=align)


def _budget_table(doc, data: dict) -> None:
    budget = data["budget"]
    table = doc.add_table(rows=1, cols=len(BUDGET_COLUMNS))
    D.grid_borders(table)
    D.fixed_widths(table, [w for _h, w in BUDGET_COLUMNS])
    D.cell_margins(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    D.repeat_header(table.rows[0])
    for cell, (title, _w) in zip(table.rows[0].cells, BUDGET_COLUMNS, strict=True):
        D.cell_text(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for index, line in enumerate(budget["lines"], start=1):
        cells = table.add_row().cells
        D.cant_split(table.rows[-1])
        title = (f"Nhiệm vụ {line['task']}: " if line["task"] else "") + line["title"]
        values = [
            str(index),
            title,
            line["unit"] or "—",
            W.money(line["estimate"]),
            W.money(line["spent"]),
            W.BUDGET_SOURCE.get(line["source"], line["source"]),
        ]
        aligns = ["c", "l", "l", "r", "r", "l"]
        for cell, value, align in zip(cells, values, aligns, strict=True):
            D.cell_text(
                cell,
                value,
                align={"c": WD_ALIGN_PARAGRAPH.CENTER, "l": WD_ALIGN_PARAGRAPH.LEFT, "r": WD_ALIGN_PARAGRAPH.RIGHT}[
                    align
                ],
            )
    cells = table.add_row().cells
    merged = cells[0].merge(cells[2])
    D.cell_text(merged, "Tổng cộng", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    D.cell_text(cells[3], W.money(budget["estimate"]), bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    spent = budget["spent"] if budget["spent_lines"] else None
    D.cell_text(cells[4], W.money(spent), bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    D.cell_text(cells[5], "", align=WD_ALIGN_PARAGRAPH.LEFT)


def _chart(doc, data: dict) -> None:
    png = charts.results_png(data["indicators"])
    if png is None:
        return
    p = D.para(doc, "", align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(6), keep=True)
    p.add_run().add_picture(io.BytesIO(png), width=Mm(150))
    D.para(
        doc,
        "Biểu đồ: Kết quả thực hiện các chỉ tiêu so với mục tiêu (%)",
        size=13,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=Pt(2),
    )


def _appendix(doc, report, data: dict) -> None:
    p = D.para(doc, "", before=Pt(0))
    p.add_run().add_break(WD_BREAK.PAGE)
    D.para(doc, "PHỤ LỤC", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(0))
    D.para(doc, "PHƯƠNG PHÁP TÍNH CÁC CHỈ TIÊU", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(0))
    issued = f"ngày {W.date(report.issued_on)}" if report.issued_on else "ngày …"
    commune = data["commune"]
    D.para(
        doc,
        f"(Kèm theo Báo cáo số {report.reference} {issued} của UBND "
        f"{commune['division_type'].lower()} {commune['short_name']})",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=Pt(0),
    )
    D.rule(doc, 40, D.TEXT_WIDTH)
    for index, row in enumerate(data["indicators"], start=1):
        D.para(doc, f"{index}. {W.indicator_name(row)}", bold=True, first_line=D.FIRST_LINE, keep=True)
        if row.get("numerator_text"):
            D.para(doc, f"Tử số: {W.strip_end(row['numerator_text'])}.", first_line=D.FIRST_LINE)
        if row.get("denominator_text"):
            D.para(doc, f"Mẫu số: {W.strip_end(row['denominator_text'])}.", first_line=D.FIRST_LINE)
        if row.get("method_text"):
            D.para(doc, f"Cách tính: {row['method_text']}", first_line=D.FIRST_LINE)
    D.para(
        doc, "Số liệu chi tiết theo từng thôn, tổ dân phố tại tệp Excel kèm theo.", italic=True, first_line=D.FIRST_LINE
    )


def build_docx(report) -> bytes:
    """The report as DOCX bytes."""
    data = report.data
    doc = D.new_document()
    _header(doc, report, data)
    sections = report.sections or {}
    for key in drafting.SECTION_KEYS:
        title = drafting.SECTION_TITLES[key]
        if key == "closing":
            D.body_text(doc, sections.get(key, ""))
            continue
        if key in drafting.SECTION_PARTS:
            D.heading(doc, drafting.SECTION_PARTS[key])
        D.heading(doc, title)
        if key == "indicators":
            D.para(doc, drafting.indicator_intro(data), first_line=D.FIRST_LINE, after=Pt(6))
            _indicator_table(doc, data)
            _chart(doc, data)
            D.body_text(doc, sections.get(key, ""))
        elif key == "budget":
            D.body_text(doc, sections.get(key, ""))
            if data["budget"]["lines"]:
                D.para(doc, "", size=4, before=Pt(0))
                _budget_table(doc, data)
        else:
            D.body_text(doc, sections.get(key, ""))
    _signature(doc, report)
    _appendix(doc, report, data)
    return D.to_bytes(doc)
