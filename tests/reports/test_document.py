"""The DOCX read back (python-docx): Decree 30 layout, fonts, sizes, margins, header texts, and every table value
equal to the indicator engine's; the PDF made once (LibreOffice), its pages rendered to PNG in test-artifacts/ and
checked for the layout (two header columns, italic date on the right, centred title, signature right, Nơi nhận
left, page numbers from page 2)."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from lantoa.reach import selectors as reach_selectors
from lantoa.reports import document, periods, services
from lantoa.reports import wording as W
from lantoa.tenancy import decree30, numbers
from lantoa.tenancy.office import docx_element

from .conftest import YEAR

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pct(text: str) -> float | None:
    text = text.strip()
    if text in ("—", "Chưa có số liệu"):
        return None
    return float(text.rstrip("%").replace(".", "").replace(",", "."))


def integer(text: str) -> int:
    return int(text.replace(".", ""))


def read(report) -> Document:
    return Document(io.BytesIO(document.build_docx(report)))


def run_props(paragraph):
    runs = [r for r in paragraph.runs if r.text.strip()]
    assert runs, paragraph.text
    return runs


def size(paragraph) -> float:
    return run_props(paragraph)[0].font.size.pt


def bold(paragraph) -> bool:
    return all(r.font.bold for r in run_props(paragraph))


def italic(paragraph) -> bool:
    return all(r.font.italic for r in run_props(paragraph))


def texts(cell) -> list:
    return [p for p in cell.paragraphs if p.text.strip()]


@pytest.fixture
def report(world):
    return services.build(world["commune"], periods.for_kind("h1", YEAR))


def test_page_margins_and_font(report):
    doc = read(report)
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25 and 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")} == {"Times New Roman"}
    every_run = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    every_run += [
        r
        for t in doc.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
        if r.text.strip()
    ]
    assert every_run and all(r.font.name == "Times New Roman" for r in every_run)


def test_decree_30_header(report, world):
    doc = read(report)
    header = doc.tables[0]
    body, motto = texts(header.cell(0, 0)), texts(header.cell(0, 1))
    commune = world["commune"]
    assert body[0].text == "ỦY BAN NHÂN DÂN" and size(body[0]) in (12, 13) and not bold(body[0])
    assert body[1].text == commune.name.upper() and size(body[1]) in (12, 13) and bold(body[1])
    assert motto[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and size(motto[0]) in (12, 13) and bold(motto[0])
    assert motto[1].text == "Độc lập - Tự do - Hạnh phúc" and size(motto[1]) in (13, 14) and bold(motto[1])
    # The rule under the motto: a bordered paragraph right below it, as long as the line.
    cell = header.cell(0, 1).paragraphs
    rule = cell[[q.text for q in cell].index("Độc lập - Tự do - Hạnh phúc") + 1]
    assert docx_element(rule).pPr.find(qn("w:pBdr")) is not None
    width = decree30.HEADER_COLUMNS[1] - 1 - 2 * rule.paragraph_format.left_indent.mm
    assert abs(width - decree30.text_width_mm("Độc lập - Tự do - Hạnh phúc", 14, bold=True)) < 1
    number = texts(header.cell(1, 0))[0]
    assert number.text == "Số: …/BC-UBND" and size(number) == 13
    date = texts(header.cell(1, 1))[0]
    assert date.text.startswith(f"{commune.short_name}, ngày ") and date.text.endswith(f"năm {YEAR}")
    assert italic(date) and size(date) in (13, 14)
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    title = paragraphs[0]
    assert title.text == "BÁO CÁO" and bold(title) and size(title) in (13, 14)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    summary = paragraphs[1]
    assert summary.text == report.summary and bold(summary) and summary.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert summary.text.endswith(f"6 tháng đầu năm {YEAR}")
    assert paragraphs[2].text == "Kính gửi: - Bộ Khoa học và Công nghệ;"
    assert paragraphs[3].text == f"- Ủy ban nhân dân tỉnh {commune.province.name}."


def test_body_paragraphs_and_headings(report):
    doc = read(report)
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    headings = [p.text for p in paragraphs if re.match(r"^[IVX]+\. [A-ZĐÀ-Ỹ ,]+$", p.text)]
    assert headings == [
        "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
        "IV. KINH PHÍ THỰC HIỆN",
        "V. ĐÁNH GIÁ CHUNG",
        "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
        "VII. KIẾN NGHỊ, ĐỀ XUẤT",
    ]
    texts = [p.text for p in paragraphs]
    # The assessment reads like a report's: results, limits, causes (objective, subjective), lessons.
    start = texts.index("V. ĐÁNH GIÁ CHUNG")
    assert [t for t in texts[start:] if re.match(r"^[1-4]\. [A-ZĐ][a-zà-ỹ]", t)][:4] == [
        "1. Kết quả nổi bật",
        "2. Hạn chế, khó khăn, vướng mắc",
        "3. Nguyên nhân",
        "4. Bài học kinh nghiệm",
    ]
    first = paragraphs[[p.text for p in paragraphs].index("I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI") + 1]
    assert first.text.startswith("Thực hiện")
    assert first.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert Cm(1) <= first.paragraph_format.first_line_indent <= Cm(1.27) + 100
    assert first.paragraph_format.space_before >= Pt(6) and size(first) in (13, 14)
    group = next(p for p in paragraphs if p.text.startswith("1. Đẩy mạnh truyền thông"))
    assert bold(group)
    task = next(p for p in paragraphs if p.text.startswith("1.1. "))
    assert italic(task) and not bold(task)
    assert paragraphs[[p.text for p in paragraphs].index("VII. KIẾN NGHỊ, ĐỀ XUẤT") + 3].text.endswith("./.")


def test_page_numbers_from_the_second_page(report):
    doc = read(report)
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert section._sectPr.find(qn("w:titlePg")) is not None
    instr = "".join(el.text for el in docx_element(section.header).iter(qn("w:instrText")))
    assert instr.strip() == "PAGE"
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert not section.first_page_header.paragraphs[0].text.strip()
    assert not list(docx_element(section.first_page_header).iter(qn("w:instrText")))


def test_signature_block_and_recipients(report):
    doc = read(report)
    signature = doc.tables[-1]
    left, right = texts(signature.cell(0, 0)), texts(signature.cell(0, 1))
    assert left[0].text == "Nơi nhận:" and size(left[0]) == 12 and bold(left[0]) and italic(left[0])
    assert [p.text for p in left[1:]] == [
        "- Như trên;",
        "- Sở Khoa học và Công nghệ;",
        "- Lãnh đạo UBND xã;",
        "- Trung tâm Phục vụ hành chính công;",
        "- Lưu: VT, HCC.",
    ]
    assert all(size(p) == 11 and not bold(p) for p in left[1:])
    assert [p.text for p in right] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lường Văn Toàn"]
    assert all(bold(p) and size(p) in (13, 14) for p in right)
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in right)


def test_every_indicator_value_in_the_table_is_the_engines(report, world):
    doc = read(report)
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    assert [c.text for c in table.rows[0].cells] == ["TT", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Tỷ lệ đạt", "Đánh giá"]
    engine = reach_selectors.indicator_values(world["commune"], str(YEAR), today=report.as_of)
    rows = table.rows[1:]
    assert len(rows) == len(engine)
    by_name = {W.indicator_name(r): r for r in engine}
    for row in rows:
        cells = [c.text for c in row.cells]
        expected = by_name[cells[1]]
        target = cells[2].split("\n")
        assert pct(target[0]) == expected["target"]
        if expected["target"] is not None:
            assert target[1] == f"(năm {expected['target_year']})"
        result = cells[3].split("\n")
        assert pct(result[0]) == expected["value"]
        if expected["value"] is not None and expected["denominator"]:
            numerator, denominator = result[1].strip("()").split("/")
            assert (integer(numerator), integer(denominator)) == (expected["numerator"], expected["denominator"])
        ratio = pct(cells[4])
        if expected["target"] and expected["value"] is not None:
            # From the unrounded value (numerator ÷ denominator), rounded once: 3/16 (18,8%) of a 10% target is
            # 187,5%, not the 188% that the rounded 18,8% would give.
            exact = 100 * expected["numerator"] / expected["denominator"] if expected["denominator"] else None
            same = exact is not None and numbers.rounded(exact, 1) == numbers.rounded(expected["value"], 1)
            unrounded = exact if same else expected["value"]
            assert ratio == float(numbers.rounded(100 * unrounded / expected["target"], 1))
        else:
            assert ratio is None
        if expected["companion_of"]:
            assert cells[5] == "Tham khảo"
        else:
            assert cells[5] == W.INDICATOR_STATUS[expected["status"]]
    reached = next(r for r in rows if r.cells[1].text == W.INDICATOR_NAMES["residents_reached"])
    assert reached.cells[3].text.startswith(W.percent(by_name[reached.cells[1].text]["value"]))


def test_budget_table_and_chart(report):
    doc = read(report)
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Nội dung")
    assert [c.text for c in table.rows[1].cells][1:5] == [
        "Nhiệm vụ 1.1: Nhuận bút chuyên mục",
        table.rows[1].cells[2].text,
        "24.000.000",
        "12.500.000",
    ]
    assert table.rows[2].cells[4].text == "—"
    assert [c.text for c in table.rows[-1].cells][2:5] == ["Tổng cộng", "54.000.000", "12.500.000"]
    assert len(doc.inline_shapes) == 1
    assert doc.inline_shapes[0].width == Mm(150)


def test_the_pdf_layout(world):
    """One conversion for the module: the pages are rendered to test-artifacts/ to be looked at."""
    import pdfplumber

    report = services.build(world["commune"], periods.for_kind("h1", YEAR))
    report.number, report.issued_on = "57", periods.for_kind("h1", YEAR).end
    from lantoa.reports.pdf import docx_to_pdf

    pdf = docx_to_pdf(document.build_docx(report))
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "reports-h1.pdf"
    path.write_bytes(pdf)
    for old in ARTIFACTS.glob("reports-h1-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(path), str(ARTIFACTS / "reports-h1-page")], check=True)
    assert list(ARTIFACTS.glob("reports-h1-page-*.png"))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "LiberationSerif" in fonts and "LiberationSerif-Bold" in fonts and "LiberationSerif-Italic" in fonts
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        first = doc.pages[0]
        assert (round(first.width), round(first.height)) == (595, 842)  # A4 in points
        words = first.extract_words(extra_attrs=["fontname", "size"])

        def word(text, page_words=words):
            return next(w for w in page_words if w["text"] == text)

        centre = (30 + (210 - 15)) / 2 * 72 / 25.4
        assert word("ỦY")["x1"] < word("CỘNG")["x0"]  # two header columns
        assert abs(word("ỦY")["top"] - word("CỘNG")["top"]) < 2  # on the same line
        assert "Bold" in word("CỘNG")["fontname"] and "Bold" in word("Độc")["fontname"]
        date = [w for w in words if w["text"] == "ngày" and w["top"] < 200][0]
        assert "Italic" in date["fontname"] and date["x0"] > centre  # italic date on the right
        title = word("BÁO")
        assert abs((title["x0"] + word("CÁO")["x1"]) / 2 - centre) < 6  # centred title
        assert "Số: 57/BC-UBND" in first.extract_text()
        top_numbers = [w for w in words if w["top"] < 20 * 72 / 25.4 and w["text"].isdigit()]
        assert not top_numbers  # no page number on the first page
        second = doc.pages[1].extract_words()
        number = min(second, key=lambda w: w["top"])
        assert number["text"] == "2" and abs((number["x0"] + number["x1"]) / 2 - centre) < 6
        assert number["top"] < 20 * 72 / 25.4  # in the top margin
        for page in doc.pages:
            text = page.extract_text()
            if "Nơi nhận:" in text:
                page_words = page.extract_words(extra_attrs=["fontname"])
                where = word("Nơi", page_words)
                signer = word("KT.", page_words)
                assert where["x0"] < centre < signer["x0"]  # Nơi nhận left, signature right
                assert abs(where["top"] - signer["top"]) < 12
                assert "Italic" in where["fontname"]
                assert "Lường Văn Toàn" in text
                break
        else:
            pytest.fail("no page with the signature block")
        full = "\n".join(p.extract_text() for p in doc.pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in full and "Độc lập - Tự do - Hạnh phúc" in full
    assert "Kính gửi:" in full and "Lưu: VT, HCC." in full and "./." in full
