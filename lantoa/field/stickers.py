"""QR door stickers: an A4 sheet of labels per hamlet, each with a household's code, a QR and the hamlet's name.

The QR holds only the field app's address with the household's opaque code (``/thuc-dia/#/h/<code>``): a
phone that scans it opens the household in the app; a stranger who scans it learns a code and nothing else.
No personal data is printed. The sheet fits the common A4 label sheets of 3 × 8 labels of 70 × 37 mm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote

import segno
from django.conf import settings

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
PAGE_W, PAGE_H = 210.0, 297.0
COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 70.0, 37.0
TOP = (PAGE_H - ROWS * LABEL_H) / 2  # 0.5 mm
QR_SIZE = 29.0  # mm, the modules' square (the quiet zone is the label's margin around it)
QR_MARGIN = 4.0  # mm from the label's left and top edges
PER_PAGE = COLUMNS * ROWS
FIELD_PATH = "/thuc-dia/"


def field_url(code: str, base_url: str | None = None) -> str:
    """The address a sticker's QR holds: the field app opened on one household, by its code only."""
    base = (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    return f"{base}{FIELD_PATH}#/h/{quote(code, safe='')}"


def label_box(index: int) -> tuple[float, float]:
    """The top-left corner (mm) of the ``index``-th label of a page."""
    row, column = divmod(index % PER_PAGE, COLUMNS)
    return column * LABEL_W, TOP + row * LABEL_H


def qr_box(index: int) -> tuple[float, float, float]:
    """Where the ``index``-th label's QR modules are drawn: x, y (mm, top-left) and size."""
    x, y = label_box(index)
    return x + QR_MARGIN, y + (LABEL_H - QR_SIZE) / 2, QR_SIZE


def sheet_pdf(
    hamlet_name: str,
    codes: Iterable[str],
    *,
    base_url: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The sticker sheets of one hamlet as PDF bytes (24 labels a page, in the order of ``codes``)."""
    from fpdf import FPDF  # noqa: PLC0415 — ~0.5 s to import, only when stickers are printed

    codes = list(codes)
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(f"Nhãn QR hộ gia đình - {hamlet_name}")
    pdf.set_creator("Lan Tỏa")
    pdf.add_font("Sans", "", str(FONT_DIR / "LiberationSans-Regular.ttf"))
    pdf.add_font("Sans", "B", str(FONT_DIR / "LiberationSans-Bold.ttf"))
    if not codes:
        pdf.add_page()
        pdf.set_font("Sans", "", 12)
        pdf.set_xy(20, 20)
        pdf.cell(170, 8, f"{hamlet_name}: chưa có hộ nào trong danh sách.")
    for index, code in enumerate(codes):
        if index % PER_PAGE == 0:
            pdf.add_page()
            pdf.set_draw_color(200, 200, 200)
            pdf.set_line_width(0.1)
        x, y = label_box(index)
        pdf.rect(x, y, LABEL_W, LABEL_H)  # a faint cutting line
        _draw_qr(pdf, field_url(code, base_url), *qr_box(index))
        text_x = x + QR_MARGIN + QR_SIZE + 2.5
        text_w = LABEL_W - (text_x - x) - 2
        pdf.set_text_color(0, 0, 0)
        pdf.set_font("Sans", "B", 13 if len(code) <= 12 else 9)
        pdf.set_xy(text_x, y + 7)
        pdf.multi_cell(text_w, 5.5, code, align="L")
        pdf.set_font("Sans", "", 8)
        pdf.set_xy(text_x, y + 20)
        pdf.multi_cell(text_w, 3.6, hamlet_name[:60], align="L")
        pdf.set_font("Sans", "", 6.5)
        pdf.set_text_color(90, 90, 90)
        pdf.set_xy(text_x, y + 30)
        pdf.cell(text_w, 3, "Lan Tỏa · Tổ công nghệ số")
        if progress and (index + 1) % PER_PAGE == 0:
            progress(index + 1, len(codes))
    return bytes(pdf.output())


def _draw_qr(pdf, data: str, x: float, y: float, size: float) -> None:
    """The QR of ``data`` as filled rectangles (one per run of dark modules in a row): sharp at any print size."""
    matrix = [list(row) for row in segno.make(data, error="m").matrix_iter(scale=1, border=0)]
    module = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                # A hair wider than the run, so that neighbouring rows leave no white seam when printed.
                pdf.rect(x + start * module, y + r * module, (c - start) * module + 0.01, module + 0.01, style="F")
            else:
                c += 1
