"""The report as a Word document laid out as Nghị định 30/2020/NĐ-CP, Phụ lục I prescribes.

A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman. The header has two columns:
the issuing body (“ỦY BAN NHÂN DÂN” 13 upright over the commune, 13 bold, with a short rule) and “Số:”
(13) on the left; the national motto (13 bold caps; “Độc lập - Tự do - Hạnh phúc” 14 bold with a rule as
long as the line) and the place and date (14 italic) on the right. Then “BÁO CÁO” (14 bold), the summary
line (14 bold, a short rule under it), “Kính gửi:”, the body (14, justified, first line indented 1.27 cm,
6 pt between paragraphs), the signature block (title 14 bold caps, name 14 bold) on the right and
“Nơi nhận:” (12 bold italic, its list 11) on the left. Pages are numbered in the top margin, centred,
from the second page (different first page + PAGE field).

``build_docx(report)`` works from a ``Report`` (saved or not): its header fields, its sections' text and
the snapshot of figures in ``report.data``.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from PIL import ImageFont

from lantoa.plans.parser_readers import docx_element

from . import charts, drafting
from . import wording as W

FONT = "Times New Roman"
PAGE = {"width": 210, "height": 297, "top": 20, "bottom": 20, "left": 30, "right": 15, "header": 10}
TEXT_WIDTH = PAGE["width"] - PAGE["left"] - PAGE["right"]  # mm
HEADER_COLUMNS = (62, TEXT_WIDTH - 62)  # issuing body | motto
SIGNATURE_COLUMNS = (80, TEXT_WIDTH - 80)  # Nơi nhận | signer
BODY_SIZE = 14
FIRST_LINE = Cm(1.27)
PARAGRAPH_SPACE = Pt(6)
NO_SPACE = Pt(0)
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
HEADING_1 = re.compile(r"^\d+\.\s")
HEADING_2 = re.compile(r"^(\d+\.\d+\.|[a-zđ]\))\s")

FONT_FILES = {
    (False, False): ["liberation2/LiberationSerif-Regular.ttf", "liberation/LiberationSerif-Regular.ttf"],
    (True, False): ["liberation2/LiberationSerif-Bold.ttf", "liberation/LiberationSerif-Bold.ttf"],
    (False, True): ["liberation2/LiberationSerif-Italic.ttf", "liberation/LiberationSerif-Italic.ttf"],
}


# --- Measuring text (for the rules under the header lines) --------------------------------------------------


@lru_cache(maxsize=8)
def _font(bold: bool, italic: bool):
    for rel in FONT_FILES.get((bold, italic), FONT_FILES[(False, False)]):
        path = Path("/usr/share/fonts/truetype") / rel
        if path.exists():
            return ImageFont.truetype(str(path), 1000)
    return None


def text_width_mm(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    """The printed width of a line in Times New Roman (measured with Liberation Serif, which has its metrics)."""
    font = _font(bold, italic)
    if font is None:
        em = len(text) * (0.58 if bold else 0.5)
    else:
        em = font.getlength(text) / 1000
    return em * size_pt * 25.4 / 72


# --- Low-level helpers ----------------------------------------------------------------------------------

# The order OOXML requires for the children of w:tblPr (Word rejects a file that breaks it).
TBL_PR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
]


def _set_tbl_pr(table, element) -> None:
    """Put ``element`` into the table's properties at its schema position (replacing one of the same kind)."""
    tbl_pr = docx_element(table).tblPr
    name = element.tag.split("}")[1]
    for old in tbl_pr.findall(qn(f"w:{name}")):
        tbl_pr.remove(old)
    later = TBL_PR_ORDER[TBL_PR_ORDER.index(name) + 1 :]
    for child in tbl_pr:
        if child.tag.split("}")[1] in later:
            child.addprevious(element)
            return
    tbl_pr.append(element)


def _set_run_font(run, size: float | None = None, *, bold=None, italic=None) -> None:
    run.font.name = FONT
    rpr = docx_element(run).get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic


def _para(
    container,
    text: str = "",
    *,
    size: float = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_line=None,
    before=PARAGRAPH_SPACE,
    after=NO_SPACE,
    keep=False,
    left=None,
    line=None,
):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_before = before
    fmt.space_after = after
    fmt.line_spacing = line if line is not None else 1.0
    if first_line is not None:
        fmt.first_line_indent = first_line
    if left is not None:
        fmt.left_indent = left
    if keep:
        fmt.keep_with_next = True
    if text:
        run = p.add_run(text)
        _set_run_font(run, size, bold=bold, italic=italic)
    else:
        # An empty paragraph still takes the size of its mark.
        rpr = docx_element(p).get_or_add_pPr()
        mark = OxmlElement("w:rPr")
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(int(size * 2)))
        mark.append(sz)
        rpr.append(mark)
    return p


def _rule(container, width_mm: float, column_mm: float, *, gap_pt: float = 4) -> None:
    """A solid horizontal line of ``width_mm``, centred in a column: the top border of a tiny paragraph."""
    p = container.add_paragraph()
    ppr = docx_element(p).get_or_add_pPr()
    borders = OxmlElement("w:pBdr")  # first, so that spacing and indents follow it as the schema wants
    ppr.append(borders)
    fmt = p.paragraph_format
    side = max(0.0, (column_mm - width_mm) / 2)
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    fmt.space_before = Pt(gap_pt)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    top = OxmlElement("w:top")
    top.set(qn("w:val"), "single")
    top.set(qn("w:sz"), "6")  # eighths of a point
    top.set(qn("w:space"), "1")
    top.set(qn("w:color"), "000000")
    borders.append(top)
    run = p.add_run("")
    _set_run_font(run, 2)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    _set_tbl_pr(table, borders)


def _grid_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    _set_tbl_pr(table, borders)


def _fixed_widths(table, widths_mm) -> None:
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _set_tbl_pr(table, layout)
    for index, width in enumerate(widths_mm):
        table.columns[index].width = Mm(width)
        for cell in table.columns[index].cells:
            cell.width = Mm(width)


def _cell_margins(table, left_mm: float = 1.0, right_mm: float = 1.0) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("left", left_mm), ("right", right_mm)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(value * 56.7)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    _set_tbl_pr(table, margins)


def _repeat_header(row) -> None:
    tr_pr = docx_element(row).get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _cant_split(row) -> None:
    tr_pr = docx_element(row).get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _cell_text(cell, text: str, *, size: float = 12, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.LEFT):
    """Fill a table cell (one paragraph per line of ``text``)."""
    lines = str(text).split("\n")
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        p = first if index == 0 else cell.add_paragraph()
        fmt = p.paragraph_format
        fmt.alignment = align
        fmt.space_before = Pt(2) if index == 0 else Pt(0)
        fmt.space_after = Pt(2) if index == len(lines) - 1 else Pt(0)
        fmt.line_spacing = 1.0
        run = p.add_run(line)
        _set_run_font(run, size, bold=bold, italic=italic)


def _page_number_field(paragraph, size: float = 13) -> None:
    """A PAGE field (complex field, which Word and LibreOffice both update)."""

    def run_with(element):
        run = paragraph.add_run()
        _set_run_font(run, size)
        docx_element(run).append(element)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    shown = paragraph.add_run("2")
    _set_run_font(shown, size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


# --- The document -----------------------------------------------------------------------------------------


def _setup(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    rpr.append(lang)
    normal.paragraph_format.space_after = Pt(0)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE["width"]), Mm(PAGE["height"])
    section.top_margin, section.bottom_margin = Mm(PAGE["top"]), Mm(PAGE["bottom"])
    section.left_margin, section.right_margin = Mm(PAGE["left"]), Mm(PAGE["right"])
    section.header_distance, section.footer_distance = Mm(PAGE["header"]), Mm(PAGE["header"])
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(p)
    first = section.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].text = ""


def _header(doc, report, data: dict) -> None:
    body_name, commune_line = drafting.issuing_body(data)
    table = doc.add_table(rows=2, cols=2)
    _no_borders(table)
    _fixed_widths(table, HEADER_COLUMNS)
    _cell_margins(table, 0.5, 0.5)
    left, right = table.cell(0, 0), table.cell(0, 1)
    left_w, right_w = HEADER_COLUMNS[0] - 1, HEADER_COLUMNS[1] - 1
    # The issuing body: the body above upright, the commune in bold, a short rule under it.
    left.paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_run_font(left.paragraphs[0].add_run(body_name), 13, bold=False)
    _first_line_tight(left.paragraphs[0])
    _para(left, commune_line, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(0))
    _rule(left, text_width_mm(commune_line, 13, bold=True) * 0.4, left_w)
    # The national motto.
    right.paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto_size = 13 if text_width_mm(motto, 13, bold=True) < right_w - 2 else 12
    _set_run_font(right.paragraphs[0].add_run(motto), motto_size, bold=True)
    _first_line_tight(right.paragraphs[0])
    slogan = "Độc lập - Tự do - Hạnh phúc"
    _para(right, slogan, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(0))
    _rule(right, text_width_mm(slogan, 14, bold=True), right_w)
    # “Số:” and the place and date, on the same line.
    number_cell, date_cell = table.cell(1, 0), table.cell(1, 1)
    number_cell.paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number_cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    _set_run_font(number_cell.paragraphs[0].add_run(f"Số: {report.reference}"), 13)
    date_cell.paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    date_cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    _set_run_font(
        date_cell.paragraphs[0].add_run(W.place_date(report.place, report.issued_on, report.year)), 14, italic=True
    )
    # Title, summary line and its rule.
    _para(doc, "BÁO CÁO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(18), keep=True)
    _para(doc, report.summary, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(0), keep=True)
    longest = min(TEXT_WIDTH, max(text_width_mm(report.summary, 14, bold=True), 40))
    _rule(doc, max(30.0, longest / 3), TEXT_WIDTH)
    # Kính gửi: one addressee on the line, several as a list aligned under the first.
    addressees = [a for a in report.addressees if a.strip()]
    if addressees:
        label = "Kính gửi:"
        label_w = text_width_mm(label + " ", 14)
        if len(addressees) == 1:
            _para(doc, f"{label} {W.strip_end(addressees[0])}.", align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(12))
        else:
            for index, name in enumerate(addressees):
                end = "." if index == len(addressees) - 1 else ";"
                p = _para(
                    doc,
                    "",
                    align=WD_ALIGN_PARAGRAPH.LEFT,
                    before=Pt(12) if index == 0 else Pt(0),
                    left=Mm(30 + label_w),
                )
                if index == 0:
                    p.paragraph_format.first_line_indent = -Mm(label_w)
                    _set_run_font(p.add_run(label + " "), 14)
                _set_run_font(p.add_run(f"- {W.strip_end(name)}{end}"), 14)


def _first_line_tight(paragraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0


def _body_text(doc, text: str) -> None:
    """One paragraph per line; “1. …” lines bold, “1.1. …” and “a) …” lines italic."""
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        bold = bool(HEADING_1.match(line))
        italic = bool(HEADING_2.match(line))
        _para(doc, line, bold=bold, italic=italic, first_line=FIRST_LINE, keep=bold or italic)


def _heading(doc, text: str) -> None:
    _para(doc, text, bold=True, first_line=FIRST_LINE, keep=True, before=Pt(9))


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
    _grid_borders(table)
    _fixed_widths(table, [w for _h, w in INDICATOR_COLUMNS])
    _cell_margins(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    _repeat_header(header)
    for cell, (title, _w) in zip(header.cells, INDICATOR_COLUMNS, strict=True):
        _cell_text(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for number, row, companion in indicator_rows(data):
        cells = table.add_row().cells
        _cant_split(table.rows[-1])
        values = [number] + indicator_cells(row, companion)
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            align = WD_ALIGN_PARAGRAPH.LEFT if index == 1 else WD_ALIGN_PARAGRAPH.CENTER
            _cell_text(cell, value, italic=companion, align=align)


def _budget_table(doc, data: dict) -> None:
    budget = data["budget"]
    table = doc.add_table(rows=1, cols=len(BUDGET_COLUMNS))
    _grid_borders(table)
    _fixed_widths(table, [w for _h, w in BUDGET_COLUMNS])
    _cell_margins(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    for cell, (title, _w) in zip(table.rows[0].cells, BUDGET_COLUMNS, strict=True):
        _cell_text(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for index, line in enumerate(budget["lines"], start=1):
        cells = table.add_row().cells
        _cant_split(table.rows[-1])
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
            _cell_text(
                cell,
                value,
                align={"c": WD_ALIGN_PARAGRAPH.CENTER, "l": WD_ALIGN_PARAGRAPH.LEFT, "r": WD_ALIGN_PARAGRAPH.RIGHT}[
                    align
                ],
            )
    cells = table.add_row().cells
    merged = cells[0].merge(cells[2])
    _cell_text(merged, "Tổng cộng", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(cells[3], W.money(budget["estimate"]), bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    spent = budget["spent"] if budget["spent_lines"] else None
    _cell_text(cells[4], W.money(spent), bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _cell_text(cells[5], "", align=WD_ALIGN_PARAGRAPH.LEFT)


def _chart(doc, data: dict) -> None:
    png = charts.results_png(data["indicators"])
    if png is None:
        return
    p = _para(doc, "", align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(6), keep=True)
    p.add_run().add_picture(io.BytesIO(png), width=Mm(150))
    _para(
        doc,
        "Biểu đồ: Kết quả thực hiện các chỉ tiêu so với mục tiêu (%)",
        size=13,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=Pt(2),
    )


def _signature(doc, report) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _fixed_widths(table, SIGNATURE_COLUMNS)
    _cell_margins(table, 0.5, 0.5)
    _cant_split(table.rows[0])
    left, right = table.cell(0, 0), table.cell(0, 1)
    p = left.paragraphs[0]
    p.paragraph_format.space_before = Pt(12)
    _set_run_font(p.add_run("Nơi nhận:"), 12, bold=True, italic=True)
    p.paragraph_format.keep_with_next = True
    recipients = [W.strip_end(r) for r in report.recipients if r.strip()]
    for name in recipients:
        _para(left, f"- {name};", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, before=Pt(0), keep=True)
    _para(left, f"- {W.strip_end(report.archive)}.", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, before=Pt(0))
    p = right.paragraphs[0]
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(12)
    p.paragraph_format.keep_with_next = True
    if report.signer_on_behalf:
        _set_run_font(p.add_run(report.signer_on_behalf.upper()), 14, bold=True)
        _para(
            right,
            (report.signer_title or "").upper(),
            size=14,
            bold=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            before=Pt(0),
            keep=True,
        )
    else:
        _set_run_font(p.add_run((report.signer_title or "").upper()), 14, bold=True)
    for _ in range(4):
        _para(right, "", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(0), keep=True)
    _para(right, report.signer_name or "", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(0))


def _appendix(doc, report, data: dict) -> None:
    p = _para(doc, "", before=Pt(0))
    p.add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "PHỤ LỤC", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(0))
    _para(doc, "PHƯƠNG PHÁP TÍNH CÁC CHỈ TIÊU", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(0))
    issued = f"ngày {W.date(report.issued_on)}" if report.issued_on else "ngày …"
    commune = data["commune"]
    _para(
        doc,
        f"(Kèm theo Báo cáo số {report.reference} {issued} của UBND "
        f"{commune['division_type'].lower()} {commune['short_name']})",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=Pt(0),
    )
    _rule(doc, 40, TEXT_WIDTH)
    for index, row in enumerate(data["indicators"], start=1):
        _para(doc, f"{index}. {W.indicator_name(row)}", bold=True, first_line=FIRST_LINE, keep=True)
        if row.get("numerator_text"):
            _para(doc, f"Tử số: {W.strip_end(row['numerator_text'])}.", first_line=FIRST_LINE)
        if row.get("denominator_text"):
            _para(doc, f"Mẫu số: {W.strip_end(row['denominator_text'])}.", first_line=FIRST_LINE)
        if row.get("method_text"):
            _para(doc, f"Cách tính: {row['method_text']}", first_line=FIRST_LINE)
    _para(
        doc, "Số liệu chi tiết theo từng thôn, tổ dân phố tại tệp Excel kèm theo.", italic=True, first_line=FIRST_LINE
    )


def build_docx(report) -> bytes:
    """The report as DOCX bytes."""
    data = report.data
    doc = Document()
    _setup(doc)
    _header(doc, report, data)
    sections = report.sections or {}
    for key in drafting.SECTION_KEYS:
        title = drafting.SECTION_TITLES[key]
        if key == "closing":
            _body_text(doc, sections.get(key, ""))
            continue
        if key in drafting.SECTION_PARTS:
            _heading(doc, drafting.SECTION_PARTS[key])
        _heading(doc, title)
        if key == "indicators":
            _para(doc, drafting.indicator_intro(data), first_line=FIRST_LINE, after=Pt(6))
            _indicator_table(doc, data)
            _chart(doc, data)
            _body_text(doc, sections.get(key, ""))
        elif key == "budget":
            _body_text(doc, sections.get(key, ""))
            if data["budget"]["lines"]:
                _para(doc, "", size=4, before=Pt(0))
                _budget_table(doc, data)
        else:
            _body_text(doc, sections.get(key, ""))
    _signature(doc, report)
    _appendix(doc, report, data)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
