"""The XLSX annexes: the commune report's indicators by hamlet, and the province roll-up by commune."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from lantoa.tenancy import numbers
from lantoa.tenancy.spreadsheets import workbook_bytes

from . import wording as W

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E8EEF7")
# The kinds of number a column holds: the cell keeps the number (rounded as the document writes it) and takes
# the number format that shows it as the document and the dashboard do (lantoa.tenancy.numbers).
PERCENT = "percent"
INTEGER = "count"


def _title(ws, lines: list[str], width: int) -> int:
    for index, text in enumerate(lines, start=1):
        ws.cell(row=index, column=1, value=text).font = Font(
            name=FONT, size=13 if index == 1 else 12, bold=index == 1, italic=index > 1
        )
        ws.merge_cells(start_row=index, start_column=1, end_row=index, end_column=width)
        ws.cell(row=index, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    return len(lines) + 2


def _header(ws, row: int, titles: list[tuple[str, int]]) -> None:
    for col, (title, width) in enumerate(titles, start=1):
        cell = ws.cell(row=row, column=col, value=title)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
        cell.fill = HEAD_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[row].height = 45
    ws.freeze_panes = ws.cell(row=row + 1, column=2)


def _row(ws, row: int, values: list, kinds: list[str | None]) -> None:
    for col, (value, kind) in enumerate(zip(values, kinds, strict=True), start=1):
        number = kind and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
        cell = ws.cell(row=row, column=col, value=numbers.xlsx_value(value, kind) if number else value)
        cell.font = Font(name=FONT, size=11, bold=bool(values and values[0] == "Toàn xã"))
        cell.border = BOX
        cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))
        if number:
            cell.number_format = numbers.xlsx_format(value, kind)


def commune_annex(report) -> bytes:
    """Sheet 1: every hamlet with the indicators measured per hamlet; sheet 2: every indicator of the commune."""
    data = report.data
    commune = data["commune"]
    period = data["period"]
    wb = Workbook()
    ws = wb.active
    ws.title = "Theo thôn"
    heading = [
        f"PHỤ LỤC: KẾT QUẢ TIẾP CẬN THÔNG TIN THEO THÔN, TỔ DÂN PHỐ — {commune['name'].upper()}",
        f"(Kèm theo Báo cáo số {report.reference}; kỳ báo cáo {period['label']}; "
        f"số liệu tính đến ngày {W.date(data['as_of'])}, kỳ chỉ tiêu {period['reach_label']})",
    ]
    titles = [
        ("Thôn, tổ dân phố", 24),
        ("Số hộ", 9),
        ("Số nhân khẩu", 11),
        ("Số hộ được tiếp cận", 12),
        ("Số người được tiếp cận", 12),
        ("Tỷ lệ người dân được tiếp cận (%)", 14),
        ("Số lượt tiếp cận", 11),
        ("Số hộ chưa được tiếp cận", 12),
        ("Trong vùng phủ sóng truyền thanh", 13),
        ("Khảo sát: ước tính (%)", 11),
        ("Khảo sát: khoảng tin cậy 95%", 15),
        ("Khảo sát: số hộ hỏi", 10),
    ]
    start = _title(ws, heading, len(titles))
    _header(ws, start, titles)
    formats = [None, INTEGER, INTEGER, INTEGER, INTEGER, PERCENT, INTEGER, INTEGER, None, PERCENT, None, INTEGER]
    row = start
    totals = [0] * 6
    for h in data["hamlets"]:
        row += 1
        survey = h.get("survey") or {}
        interval = f"{W.percent(survey['low'])} – {W.percent(survey['high'])}" if survey else ""
        _row(
            ws,
            row,
            [
                h["name"],
                h["households"],
                h["residents"],
                h["households_reached"],
                h["residents_reached"],
                h["value"],
                h["contacts"],
                h["not_reached"],
                "Có" if h["covered"] else "Không",
                survey.get("estimate"),
                interval,
                survey.get("sampled"),
            ],
            formats,
        )
        for index, key in enumerate(
            ("households", "residents", "households_reached", "residents_reached", "contacts", "not_reached")
        ):
            totals[index] += h[key] or 0
    row += 1
    residents_row = next((r for r in data["indicators"] if r["code"] == "residents_reached"), {})
    _row(
        ws,
        row,
        [
            "Toàn xã",
            totals[0],
            totals[1],
            totals[2],
            totals[3],
            residents_row.get("value"),
            totals[4],
            totals[5],
            "",
            None,
            "",
            None,
        ],
        formats,
    )
    ws.cell(
        row=row + 2,
        column=1,
        value="Tỷ lệ toàn xã lấy từ hệ thống chỉ tiêu (cùng số liệu của báo cáo và bảng điều khiển).",
    ).font = Font(name=FONT, size=10, italic=True)

    ws2 = wb.create_sheet("Chỉ tiêu toàn xã")
    titles2 = [
        ("Chỉ tiêu", 48),
        ("Mã", 22),
        ("Tử số", 11),
        ("Mẫu số", 11),
        ("Kết quả (%)", 11),
        ("Mục tiêu (%)", 11),
        ("Năm mục tiêu", 10),
        ("Tỷ lệ đạt (%)", 11),
        ("Đánh giá", 16),
        ("Cấp thôn", 10),
    ]
    start = _title(ws2, [f"KẾT QUẢ CÁC CHỈ TIÊU — {commune['name'].upper()}", heading[1]], len(titles2))
    _header(ws2, start, titles2)
    hamlet_level = {"residents_reached", "radio_coverage", "survey_reached"}
    formats2 = [None, None, INTEGER, INTEGER, PERCENT, PERCENT, None, PERCENT, None, None]
    for offset, r in enumerate(data["indicators"], start=1):
        status = "Tham khảo" if r.get("companion_of") else W.INDICATOR_STATUS.get(r["status"], r["status"])
        _row(
            ws2,
            start + offset,
            [
                W.indicator_name(r),
                r["code"],
                r["numerator"],
                r["denominator"],
                r["value"],
                r["target"],
                r["target_year"],
                W.achievement(r),
                status,
                "Có (trang “Theo thôn”)" if r["code"] in hamlet_level else "Chỉ cấp xã",
            ],
            formats2,
        )
    for sheet in (ws, ws2):
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToHeight = 0
    return workbook_bytes(wb)


def province_annex(rollup: dict) -> bytes:
    """Every commune of the province on every indicator, the province's total, and each commune's report."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Theo xã"
    indicators = rollup["indicators"]
    titles = (
        [("Xã, phường", 26)]
        + [(W.indicator_name({"code": i["code"], "name": i["name"]}), 16) for i in indicators]
        + [("Báo cáo", 30)]
    )
    heading = [
        f"TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU — {rollup['province'].upper()}",
        f"Kỳ báo cáo {rollup['label']} (số liệu tính đến ngày {W.date(rollup['as_of'])})",
    ]
    start = _title(ws, heading, len(titles))
    _header(ws, start, titles)
    formats = [None] + [PERCENT] * len(indicators) + [None]
    row = start
    for line in rollup["rows"]:
        row += 1
        _row(
            ws,
            row,
            [line["commune"]] + [line["values"][i["code"]]["value"] for i in indicators] + [line["report_text"]],
            formats,
        )
    row += 1
    _row(
        ws,
        row,
        ["Toàn tỉnh"]
        + [rollup["total"][i["code"]]["value"] for i in indicators]
        + [f"{rollup['issued']}/{len(rollup['rows'])} xã đã ban hành"],
        formats,
    )
    for col in range(1, len(titles) + 1):
        ws.cell(row=row, column=col).font = Font(name=FONT, size=11, bold=True)
    ws2 = wb.create_sheet("Chưa ban hành báo cáo")
    start = _title(ws2, [f"CÁC XÃ CHƯA BAN HÀNH BÁO CÁO {rollup['label'].upper()}"], 2)
    _header(ws2, start, [("Xã, phường", 30), ("Tình trạng", 40)])
    for offset, line in enumerate([r for r in rollup["rows"] if not r["issued"]], start=1):
        _row(ws2, start + offset, [line["commune"], line["report_text"]], [None, None])
    return workbook_bytes(wb)
