"""Official documents laid out as Nghị định 30/2020/NĐ-CP, Phụ lục I prescribes — the parts every kind shares.

A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman. The header has two columns:
the issuing body (“ỦY BAN NHÂN DÂN” 13 upright over the commune, 13 bold, with a short rule) and “Số:”
(13) on the left; the national motto (13 bold caps; “Độc lập - Tự do - Hạnh phúc” 14 bold with a rule as
long as the line) and the place and date (14 italic) on the right. Then the kind of document (“BÁO CÁO”,
“QUYẾT ĐỊNH”, “TỜ TRÌNH”; 14 bold), the summary line (14 bold, a short rule under it), “Kính gửi:”, the body
(14, justified, first line indented 1.27 cm, 6 pt between paragraphs), the signature block (title 14 bold
caps, name 14 bold) on the right and “Nơi nhận:” (12 bold italic, its list 11) on the left. Pages are
numbered in the top margin, centred, from the second page (different first page + PAGE field).

Used by the report (``reports.document``) and by every app that issues a document (a decision, a cover note):

    doc = decree30.new_document()
    decree30.header(doc, body=…, body_unit=…, number=…, place_date=decree30.place_date(…), kind=…, summary=…)
    decree30.body_text(doc, text)
    decree30.signature(doc, recipients=[…], archive="Lưu: VT", signer_title=…, signer_name=…)
    data = decree30.to_bytes(doc)
"""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import lru_cache
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from PIL import ImageFont

from .office import docx_element

FONT = "Times New Roman"
PAGE = {"width": 210, "height": 297, "top": 20, "bottom": 20, "left": 30, "right": 15, "header": 10}
TEXT_WIDTH = PAGE["width"] - PAGE["left"] - PAGE["right"]  # mm
HEADER_COLUMNS = (62, TEXT_WIDTH - 62)  # issuing body | motto
SIGNATURE_COLUMNS = (80, TEXT_WIDTH - 80)  # Nơi nhận | signer
BODY_SIZE = 14
FIRST_LINE = Cm(1.27)
PARAGRAPH_SPACE = Pt(6)
NO_SPACE = Pt(0)
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
SLOGAN = "Độc lập - Tự do - Hạnh phúc"
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


def set_tbl_pr(table, element) -> None:
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


def set_run_font(run, size: float | None = None, *, bold=None, italic=None) -> None:
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


def para(
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
        set_run_font(run, size, bold=bold, italic=italic)
    else:
        # An empty paragraph still takes the size of its mark.
        rpr = docx_element(p).get_or_add_pPr()
        mark = OxmlElement("w:rPr")
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(int(size * 2)))
        mark.append(sz)
        rpr.append(mark)
    return p


def rule(container, width_mm: float, column_mm: float, *, gap_pt: float = 4) -> None:
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
    set_run_font(run, 2)


def no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    set_tbl_pr(table, borders)


def grid_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    set_tbl_pr(table, borders)


def fixed_widths(table, widths_mm) -> None:
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    set_tbl_pr(table, layout)
    for index, width in enumerate(widths_mm):
        table.columns[index].width = Mm(width)
        for cell in table.columns[index].cells:
            cell.width = Mm(width)


def cell_margins(table, left_mm: float = 1.0, right_mm: float = 1.0) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("left", left_mm), ("right", right_mm)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(value * 56.7)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    set_tbl_pr(table, margins)


def repeat_header(row) -> None:
    tr_pr = docx_element(row).get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def cant_split(row) -> None:
    tr_pr = docx_element(row).get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def cell_text(cell, text: str, *, size: float = 12, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.LEFT):
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
        set_run_font(run, size, bold=bold, italic=italic)


def page_number_field(paragraph, size: float = 13) -> None:
    """A PAGE field (complex field, which Word and LibreOffice both update)."""

    def run_with(element):
        run = paragraph.add_run()
        set_run_font(run, size)
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
    set_run_font(shown, size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


# --- Words of the form ----------------------------------------------------------------------------------


def date(day: dt.date | str | None) -> str:
    if day is None:
        return "…"
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def place_date(place: str, day: dt.date | None, year: int) -> str:
    """“Nam Cường, ngày 05 tháng 02 năm 2026” (Decree 30: days below 10 and months 1–2 take a leading zero).

    Without a date (a draft), the day and month are left for the clerk to fill in.
    """
    if day is None:
        return f"{place}, ngày      tháng      năm {year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def strip_end(text: str) -> str:
    return (text or "").strip().rstrip(".;:").strip()


# --- The document ---------------------------------------------------------------------------------------


def setup(doc) -> None:
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
    page_number_field(p)
    first = section.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].text = ""


def new_document():
    """An empty A4 document with the form's font, margins and page numbers."""
    doc = Document()
    setup(doc)
    return doc


def to_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def header(
    doc,
    *,
    body: str,
    body_unit: str,
    number: str,
    place_date: str,
    kind: str,
    summary: str,
) -> None:
    """The first-page header: the issuing body (``body`` upright over ``body_unit`` bold, a short rule), the
    national motto with its rule, “Số:” and the place and date on one line, then the document's kind
    (“BÁO CÁO”, “QUYẾT ĐỊNH”, “TỜ TRÌNH”) and its summary line with a short rule under it."""
    table = doc.add_table(rows=2, cols=2)
    no_borders(table)
    fixed_widths(table, HEADER_COLUMNS)
    cell_margins(table, 0.5, 0.5)
    left, right = table.cell(0, 0), table.cell(0, 1)
    left_w, right_w = HEADER_COLUMNS[0] - 1, HEADER_COLUMNS[1] - 1
    # The issuing body: the body above upright, the commune in bold, a short rule under it.
    left.paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_run_font(left.paragraphs[0].add_run(body), 13, bold=False)
    first_line_tight(left.paragraphs[0])
    para(left, body_unit, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(0))
    rule(left, text_width_mm(body_unit, 13, bold=True) * 0.4, left_w)
    # The national motto.
    right.paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    motto_size = 13 if text_width_mm(MOTTO, 13, bold=True) < right_w - 2 else 12
    set_run_font(right.paragraphs[0].add_run(MOTTO), motto_size, bold=True)
    first_line_tight(right.paragraphs[0])
    para(right, SLOGAN, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(0))
    rule(right, text_width_mm(SLOGAN, 14, bold=True), right_w)
    # “Số:” and the place and date, on the same line.
    number_cell, date_cell = table.cell(1, 0), table.cell(1, 1)
    number_cell.paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number_cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    set_run_font(number_cell.paragraphs[0].add_run(f"Số: {number}"), 13)
    date_cell.paragraphs[0].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    date_cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    set_run_font(date_cell.paragraphs[0].add_run(place_date), 14, italic=True)
    # Title, summary line and its rule.
    para(doc, kind, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(18), keep=True)
    para(doc, summary, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(0), keep=True)
    longest = min(TEXT_WIDTH, max(text_width_mm(summary, 14, bold=True), 40))
    rule(doc, max(30.0, longest / 3), TEXT_WIDTH)


def addressees(doc, names: list[str]) -> None:
    """“Kính gửi:” one addressee on the line, several as a list aligned under the first."""
    names = [a for a in names if a.strip()]
    if not names:
        return
    label = "Kính gửi:"
    label_w = text_width_mm(label + " ", 14)
    if len(names) == 1:
        para(doc, f"{label} {strip_end(names[0])}.", align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(12))
        return
    for index, name in enumerate(names):
        end = "." if index == len(names) - 1 else ";"
        p = para(doc, "", align=WD_ALIGN_PARAGRAPH.LEFT, before=Pt(12) if index == 0 else Pt(0), left=Mm(30 + label_w))
        if index == 0:
            p.paragraph_format.first_line_indent = -Mm(label_w)
            set_run_font(p.add_run(label + " "), 14)
        set_run_font(p.add_run(f"- {strip_end(name)}{end}"), 14)


def first_line_tight(paragraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0


def body_text(doc, text: str) -> None:
    """One paragraph per line; “1. …” lines bold, “1.1. …” and “a) …” lines italic."""
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        bold = bool(HEADING_1.match(line))
        italic = bool(HEADING_2.match(line))
        para(doc, line, bold=bold, italic=italic, first_line=FIRST_LINE, keep=bold or italic)


def heading(doc, text: str) -> None:
    para(doc, text, bold=True, first_line=FIRST_LINE, keep=True, before=Pt(9))


def signature(
    doc,
    *,
    recipients: list[str],
    archive: str,
    signer_title: str,
    signer_name: str,
    signer_on_behalf: str = "",
) -> None:
    """“Nơi nhận:” and its list (ending with the archive) on the left; the signer's title (under “TM.”/“KT.”
    on behalf of a body when given), room for the signature and the name on the right."""
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    fixed_widths(table, SIGNATURE_COLUMNS)
    cell_margins(table, 0.5, 0.5)
    cant_split(table.rows[0])
    left, right = table.cell(0, 0), table.cell(0, 1)
    p = left.paragraphs[0]
    p.paragraph_format.space_before = Pt(12)
    set_run_font(p.add_run("Nơi nhận:"), 12, bold=True, italic=True)
    p.paragraph_format.keep_with_next = True
    for name in [strip_end(r) for r in recipients if r.strip()]:
        para(left, f"- {name};", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, before=Pt(0), keep=True)
    para(left, f"- {strip_end(archive)}.", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, before=Pt(0))
    p = right.paragraphs[0]
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(12)
    p.paragraph_format.keep_with_next = True
    if signer_on_behalf:
        set_run_font(p.add_run(signer_on_behalf.upper()), 14, bold=True)
        para(
            right,
            (signer_title or "").upper(),
            size=14,
            bold=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            before=Pt(0),
            keep=True,
        )
    else:
        set_run_font(p.add_run((signer_title or "").upper()), 14, bold=True)
    for _ in range(4):
        para(right, "", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(0), keep=True)
    para(right, signer_name or "", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(0))
