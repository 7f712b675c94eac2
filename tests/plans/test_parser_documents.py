"""Plan parser tests on DOCX and PDF plans built on the fly (no binary fixtures in git).

The DOCX plans are made with python-docx: header and signature blocks in borderless
tables, task tables (with merged group rows, a two-row header, a column-number row,
a vertically merged cell, an unknown column), Word's automatic list numbering and
soft line breaks. The PDF plan is made with fpdf2 and a DejaVu font: two-column
header and signature, justified text wrapped by the layout, a footer page number.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lantoa.plans.parser import parse_plan_file

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core
needs_dejavu = pytest.mark.skipif(
    not (FONT_DIR / "DejaVuSerif.ttf").is_file(), reason="DejaVu fonts (fonts-dejavu-core) are not installed"
)


def _task(code, title, lead, cooperating=(), timing="", deadline=None):
    return {
        "code": code,
        "title": title,
        "lead_units": list(lead),
        "cooperating_units": list(cooperating),
        "timing": timing,
        "deadline": deadline,
        "detail_of": None,
    }


def _target(year, text, value=None):
    return {"year": year, "text": text, "value": value, "unit": "%" if value is not None else None}


# ---------------------------------------------------------------------- DOCX: xã Hòa Bình


def _fill(cell, lines):
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def build_hoa_binh(path: Path) -> Path:
    """A plan whose tasks sit in a table with group rows (merged "I." and plain "II")."""
    from docx import Document

    doc = Document()
    header = doc.add_table(rows=1, cols=2)
    _fill(header.cell(0, 0), ["ỦY BAN NHÂN DÂN", "XÃ HÒA BÌNH", "———", "Số: 27/KH-UBND"])
    _fill(
        header.cell(0, 1),
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "———",
            "Hòa Bình, ngày 20 tháng 3 năm 2026",
        ],
    )
    for line in [
        "KẾ HOẠCH",
        "Truyền thông thực hiện Chương trình “Đẩy mạnh truyền thông thực hiện Nghị quyết số 57-NQ/TW” năm 2026",
        "________",
        (
            "Thực hiện Quyết định số 1169/QĐ-TTg ngày 16/6/2025 của Thủ tướng Chính phủ, "
            "UBND xã Hòa Bình ban hành Kế hoạch như sau:"
        ),
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Đưa Nghị quyết số 57-NQ/TW đến với mọi người dân trên địa bàn xã.",
        "II. MỤC TIÊU",
        "Mục tiêu cụ thể",
        "Năm 2026: ít nhất 15% người dân sử dụng ứng dụng Công dân số của tỉnh.",
        "Năm 2027: 100% trường học có tiết học về kỹ năng số.",
        "III. NHIỆM VỤ, GIẢI PHÁP",
    ]:
        doc.add_paragraph(line)
    rows = [
        ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm"],
        "I. TRUYỀN THÔNG TRÊN CÁC NỀN TẢNG SỐ",
        [
            "1",
            "Duy trì chuyên mục Nghị quyết 57 trên Trang thông tin điện tử xã",
            "Trung tâm dịch vụ tổng hợp",
            "Phòng Văn hoá - Xã hội",
            "Thường xuyên",
            "Chuyên mục",
        ],
        [
            "2",
            "Sản xuất 04 infographic về chuyển đổi số",
            "Trung tâm dịch vụ tổng hợp",
            "",
            "Quý II/2026",
            "04 infographic",
        ],
        ["II", "TẬP HUẤN, BỒI DƯỠNG", "", "", "", ""],
        [
            "1",
            "Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng",
            "Phòng Văn hóa - Xã hội",
            ["Trung tâm Phục vụ hành chính công", "Đoàn Thanh niên xã"],
            "trước 30/6/2026",
            "",
        ],
        [
            "2",
            "Tập huấn an toàn thông tin cho cán bộ, công chức",
            "Văn phòng HĐND và UBND xã",
            "Công an xã",
            "Tháng 9/2026",
            "",
        ],
    ]
    table = doc.add_table(rows=len(rows), cols=6)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        if isinstance(row, str):  # a group row merged across the table
            table.cell(r, 0).merge(table.cell(r, 5)).text = row
            continue
        for c, value in enumerate(row):
            if isinstance(value, list):
                _fill(table.cell(r, c), value)
            else:
                table.cell(r, c).text = value
    doc.add_paragraph("IV. KINH PHÍ THỰC HIỆN")
    doc.add_paragraph("Từ nguồn ngân sách xã năm 2026.")
    doc.add_paragraph("V. TỔ CHỨC THỰC HIỆN")
    # Word's own list numbering: the "1." and "-" are not in the text.
    doc.add_paragraph("Trung tâm dịch vụ tổng hợp", style="List Number")
    doc.add_paragraph("Cập nhật tin, bài trên Trang thông tin điện tử xã.", style="List Bullet")
    doc.add_paragraph("Phòng Văn hoá - Xã hội", style="List Number")
    item = doc.add_paragraph("Tổ chức tập huấn cho Tổ công nghệ số cộng đồng", style="List Bullet")
    item.add_run().add_break()  # soft line break in the middle of a sentence
    item.add_run("các thôn trong quý II.")
    doc.add_paragraph("Trên đây là Kế hoạch truyền thông năm 2026 của UBND xã Hòa Bình./.")
    sign = doc.add_table(rows=1, cols=2)
    _fill(sign.cell(0, 0), ["Nơi nhận:", "- Sở Khoa học và Công nghệ;", "- TT Đảng ủy, HĐND xã;", "- Lưu: VT."])
    title = sign.cell(0, 1).paragraphs[0]
    title.add_run("KT. CHỦ TỊCH")
    title.add_run().add_break()
    title.add_run("PHÓ CHỦ TỊCH")
    sign.cell(0, 1).add_paragraph("")
    sign.cell(0, 1).add_paragraph("Lê Thị Mai")
    doc.save(path)
    return path


HOA_BINH = {
    "number": "27/KH-UBND",
    "place": "Hòa Bình",
    "date": "2026-03-20",
    "title": "Truyền thông thực hiện Chương trình “Đẩy mạnh truyền thông thực hiện Nghị quyết số 57-NQ/TW” năm 2026",
    "basis": (
        "Thực hiện Quyết định số 1169/QĐ-TTg ngày 16/6/2025 của Thủ tướng Chính phủ, "
        "UBND xã Hòa Bình ban hành Kế hoạch như sau:"
    ),
    "targets": [
        _target(2026, "Ít nhất 15% người dân sử dụng ứng dụng Công dân số của tỉnh.", 15.0),
        _target(2027, "100% trường học có tiết học về kỹ năng số.", 100.0),
    ],
    "groups": [
        {
            "code": "I",
            "title": "TRUYỀN THÔNG TRÊN CÁC NỀN TẢNG SỐ",
            "tasks": [
                _task(
                    "I.1",
                    "Duy trì chuyên mục Nghị quyết 57 trên Trang thông tin điện tử xã",
                    ["Trung tâm dịch vụ tổng hợp"],
                    ["Phòng Văn hóa - Xã hội"],
                    "Thường xuyên",
                ),
                _task(
                    "I.2",
                    "Sản xuất 04 infographic về chuyển đổi số",
                    ["Trung tâm dịch vụ tổng hợp"],
                    [],
                    "Quý II/2026",
                    "2026-06-30",
                ),
            ],
        },
        {
            "code": "II",
            "title": "TẬP HUẤN, BỒI DƯỠNG",
            "tasks": [
                _task(
                    "II.1",
                    "Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng",
                    ["Phòng Văn hóa - Xã hội"],
                    ["Trung tâm Phục vụ hành chính công", "Đoàn Thanh niên xã"],
                    "trước 30/6/2026",
                    "2026-06-30",
                ),
                _task(
                    "II.2",
                    "Tập huấn an toàn thông tin cho cán bộ, công chức",
                    ["Văn phòng HĐND và UBND xã"],
                    ["Công an xã"],
                    "Tháng 9/2026",
                    "2026-09-30",
                ),
            ],
        },
    ],
    "duties": [
        {"unit": "Trung tâm dịch vụ tổng hợp", "items": ["Cập nhật tin, bài trên Trang thông tin điện tử xã."]},
        {
            "unit": "Phòng Văn hóa - Xã hội",
            "items": ["Tổ chức tập huấn cho Tổ công nghệ số cộng đồng các thôn trong quý II."],
        },
    ],
    "recipients": ["Sở Khoa học và Công nghệ", "TT Đảng ủy, HĐND xã", "Lưu: VT"],
    "signer": {"name": "Lê Thị Mai", "title": "PHÓ CHỦ TỊCH", "on_behalf": "KT. CHỦ TỊCH"},
    "events": [],
    "unplaced": [],
    "warnings": [
        'Cột "Sản phẩm" của bảng nhiệm vụ không được nhập (nhiệm vụ I.1): Chuyên mục',
        'Cột "Sản phẩm" của bảng nhiệm vụ không được nhập (nhiệm vụ I.2): 04 infographic',
    ],
}


def test_docx_with_group_rows_in_task_table(tmp_path):
    assert parse_plan_file(build_hoa_binh(tmp_path / "ke_hoach_hoa_binh.docx")) == HOA_BINH


# ---------------------------------------------------------------- DOCX: phường Quang Trung


def build_quang_trung(path: Path) -> Path:
    """A plan whose task table (no group rows, two-row header) is in an appendix."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    doc = Document()
    for line in [
        "UBND PHƯỜNG QUANG TRUNG",
        "Số: 30/KH-UBND",
        "Quang Trung, ngày 05 tháng 5 năm 2026",
        "KẾ HOẠCH",
        "Triển khai Chương trình truyền thông về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số năm 2026",
        "Căn cứ Kế hoạch số 15-KH/TU ngày 12/9/2025 của Ban Thường vụ Tỉnh ủy;",
        "UBND phường Quang Trung ban hành Kế hoạch như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Tạo chuyển biến mạnh mẽ về nhận thức của cán bộ và Nhân dân.",
        "II. MỤC TIÊU",
        "1. Mục tiêu chung",
        "Người dân phường chủ động tham gia chuyển đổi số.",
        "2. Mục tiêu cụ thể",
        "a) Đến hết năm 2026",
    ]:
        doc.add_paragraph(line)
    doc.add_paragraph(
        "Ít nhất 25% người dân tham gia ít nhất một hoạt động truyền thông về chuyển đổi số.", style="List Bullet"
    )
    doc.add_paragraph(
        "Mỗi tổ dân phố có ít nhất một thành viên Tổ công nghệ số cộng đồng được tập huấn.", style="List Bullet"
    )
    for line in [
        "III. GIẢI PHÁP THỰC HIỆN",
        "Các nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này.",
        "IV. TỔ CHỨC THỰC HIỆN",
        "1. Phòng Văn hóa - Xã hội: chủ trì, theo dõi, tổng hợp kết quả thực hiện Kế hoạch.",
        "2. Công an phường: hướng dẫn người dân kích hoạt tài khoản định danh điện tử.",
        "Trên đây là Kế hoạch của UBND phường Quang Trung./.",
        "Nơi nhận:",
        "- UBND tỉnh;",
        "- Lưu: VT.",
        "CHỦ TỊCH",
        "(Đã ký)",
        "Đỗ Văn Nam",
    ]:
        doc.add_paragraph(line)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for line in [
        "PHỤ LỤC",
        "DANH MỤC NHIỆM VỤ TRUYỀN THÔNG NĂM 2026",
        "(Kèm theo Kế hoạch số 30/KH-UBND ngày 05/5/2026 của UBND phường Quang Trung)",
    ]:
        doc.add_paragraph(line)
    table = doc.add_table(rows=6, cols=5)
    table.style = "Table Grid"
    table.cell(0, 0).merge(table.cell(1, 0)).text = "TT"
    table.cell(0, 1).merge(table.cell(1, 1)).text = "Nhiệm vụ"
    table.cell(0, 2).merge(table.cell(0, 3)).text = "Đơn vị thực hiện"
    table.cell(1, 2).text = "Chủ trì"
    table.cell(1, 3).text = "Phối hợp"
    table.cell(0, 4).merge(table.cell(1, 4)).text = "Thời gian thực hiện"
    for column in range(5):
        table.cell(2, column).text = f"({column + 1})"
    table.cell(3, 2).merge(table.cell(4, 2)).text = "Phòng Văn hóa – Xã hội"  # one lead for two rows
    data = [
        [
            "1",
            "Tổ chức Ngày hội chuyển đổi số phường",
            None,
            "Đoàn Thanh niên phường, Hội Liên hiệp Phụ nữ phường",
            "Tháng 10/2026",
        ],
        ["2", "Hướng dẫn người dân cài đặt VNeID và ứng dụng dịch vụ công", None, "Công an phường", "Thường xuyên"],
        [
            "3",
            "Khảo sát mức độ tiếp cận thông tin của người dân",
            "Trung tâm Phục vụ hành chính công",
            "",
            "Quý IV năm 2026",
        ],
    ]
    for r, row in enumerate(data, start=3):
        for c, value in enumerate(row):
            if value is not None:
                table.cell(r, c).text = value
    doc.save(path)
    return path


QUANG_TRUNG = {
    "number": "30/KH-UBND",
    "place": "Quang Trung",
    "date": "2026-05-05",
    "title": "Triển khai Chương trình truyền thông về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số năm 2026",
    "basis": "Căn cứ Kế hoạch số 15-KH/TU ngày 12/9/2025 của Ban Thường vụ Tỉnh ủy;\n"
    "UBND phường Quang Trung ban hành Kế hoạch như sau:",
    "targets": [
        _target(2026, "Ít nhất 25% người dân tham gia ít nhất một hoạt động truyền thông về chuyển đổi số.", 25.0),
        _target(2026, "Mỗi tổ dân phố có ít nhất một thành viên Tổ công nghệ số cộng đồng được tập huấn."),
    ],
    "groups": [
        {
            "code": "1",
            "title": "DANH MỤC NHIỆM VỤ TRUYỀN THÔNG NĂM 2026",
            "tasks": [
                _task(
                    "1",
                    "Tổ chức Ngày hội chuyển đổi số phường",
                    ["Phòng Văn hóa - Xã hội"],
                    ["Đoàn Thanh niên phường", "Hội Liên hiệp Phụ nữ phường"],
                    "Tháng 10/2026",
                    "2026-10-31",
                ),
                _task(
                    "2",
                    "Hướng dẫn người dân cài đặt VNeID và ứng dụng dịch vụ công",
                    ["Phòng Văn hóa - Xã hội"],
                    ["Công an phường"],
                    "Thường xuyên",
                ),
                _task(
                    "3",
                    "Khảo sát mức độ tiếp cận thông tin của người dân",
                    ["Trung tâm Phục vụ hành chính công"],
                    [],
                    "Quý IV năm 2026",
                    "2026-12-31",
                ),
            ],
        }
    ],
    "duties": [
        {"unit": "Phòng Văn hóa - Xã hội", "items": ["Chủ trì, theo dõi, tổng hợp kết quả thực hiện Kế hoạch."]},
        {"unit": "Công an phường", "items": ["Hướng dẫn người dân kích hoạt tài khoản định danh điện tử."]},
    ],
    "recipients": ["UBND tỉnh", "Lưu: VT"],
    "signer": {"name": "Đỗ Văn Nam", "title": "CHỦ TỊCH", "on_behalf": None},
    "events": [],
    "unplaced": [],
    "warnings": [],
}


def test_docx_with_task_table_in_appendix(tmp_path):
    assert parse_plan_file(build_quang_trung(tmp_path / "ke_hoach_quang_trung.docx")) == QUANG_TRUNG


def test_docx_extension_is_case_insensitive(tmp_path):
    assert parse_plan_file(build_quang_trung(tmp_path / "KE_HOACH.DOCX")) == QUANG_TRUNG


# ----------------------------------------------------------------------- PDF: xã Minh Tiến


def build_minh_tien(path: Path) -> Path:
    import fpdf

    class PlanPDF(fpdf.FPDF):
        def footer(self):
            self.set_y(-15)
            self.set_font("Serif", "", 10)
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = PlanPDF(format="A4")
    pdf.add_font("Serif", "", str(FONT_DIR / "DejaVuSerif.ttf"))
    pdf.add_font("Serif", "B", str(FONT_DIR / "DejaVuSerif-Bold.ttf"))
    pdf.set_margins(30, 20, 15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Serif", "B", 11)
    pdf.set_xy(30, 20)
    pdf.multi_cell(65, 6, "ỦY BAN NHÂN DÂN\nXÃ MINH TIẾN\nSố: 08/KH-UBND", align="C")
    pdf.set_xy(95, 20)
    pdf.multi_cell(
        100,
        6,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nMinh Tiến, ngày 10 tháng 4 năm 2026",
        align="C",
    )
    pdf.set_xy(30, 50)

    def para(text, style="", align="J", size=12):
        pdf.set_font("Serif", style, size)
        pdf.set_x(30)
        pdf.multi_cell(0, 7, text, align=align, new_x="LMARGIN", new_y="NEXT")

    para("KẾ HOẠCH", "B", "C", 13)
    para(MINH_TIEN["title"], "B", "C", 13)
    para(MINH_TIEN["basis"])
    para("I. MỤC ĐÍCH, YÊU CẦU", "B")
    para(
        "Tuyên truyền sâu rộng để cán bộ, đảng viên và Nhân dân xã Minh Tiến hiểu rõ vai trò của khoa học, "
        "công nghệ, đổi mới sáng tạo và chuyển đổi số đối với phát triển kinh tế - xã hội của địa phương."
    )
    para("II. MỤC TIÊU", "B")
    para("1. Mục tiêu cụ thể", "B")
    para("a) Năm 2026")
    for target in MINH_TIEN["targets"][:2]:
        para(f"- {target['text']}")
    para("b) Đến năm 2030")
    para(f"- {MINH_TIEN['targets'][2]['text']}")
    para("III. GIẢI PHÁP THỰC HIỆN", "B")
    group_1, group_2 = MINH_TIEN["groups"]
    para(f"1. {group_1['title']}", "B")
    task = group_1["tasks"][0]
    para(f"1.1. {task['title']}")
    para("Đơn vị chủ trì: Trung tâm dịch vụ tổng hợp.")
    para("Đơn vị phối hợp: Phòng Văn hóa - Xã hội; Đoàn Thanh niên xã.")
    para("Thời gian thực hiện: Thường xuyên.")
    para(f"1.2. {group_1['tasks'][1]['title']}")
    para("Đơn vị chủ trì: Phòng Văn hóa - Xã hội.")
    para("Thời gian hoàn thành: Quý III/2026.")
    para(f"2. {group_2['title']}", "B")
    para(group_2["tasks"][0]["title"])
    para("Đơn vị chủ trì: Ủy ban Mặt trận Tổ quốc Việt Nam xã.")
    para("Đơn vị phối hợp: Các thôn.")
    para("Thời gian thực hiện: trước ngày 30/11/2026.")
    para("IV. TỔ CHỨC THỰC HIỆN", "B")
    for number, duty in enumerate(MINH_TIEN["duties"], start=1):
        para(f"{number}. {duty['unit']}", "B")
        for item in duty["items"]:
            para(f"- {item}")
    para("Trên đây là Kế hoạch truyền thông Nghị quyết số 57-NQ/TW năm 2026 của Ủy ban nhân dân xã Minh Tiến./.")
    top = pdf.get_y() + 4
    pdf.set_font("Serif", "", 10)
    pdf.set_xy(30, top)
    pdf.multi_cell(80, 5, "Nơi nhận:\n- UBND tỉnh;\n- Sở Khoa học và Công nghệ;\n- Lưu: VT.", align="L")
    pdf.set_font("Serif", "B", 12)
    pdf.set_xy(115, top)
    pdf.multi_cell(80, 6, "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\nPhạm Quốc Huy", align="C")
    pdf.output(str(path))
    return path


MINH_TIEN = {
    "number": "08/KH-UBND",
    "place": "Minh Tiến",
    "date": "2026-04-10",
    "title": "Truyền thông Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo "
    "và chuyển đổi số quốc gia trên địa bàn xã Minh Tiến năm 2026",
    "basis": "Thực hiện Quyết định số 1169/QĐ-TTg ngày 16/6/2025 của Thủ tướng Chính phủ phê duyệt Chương trình "
    "“Đẩy mạnh truyền thông thực hiện Nghị quyết số 57-NQ/TW”, Ủy ban nhân dân xã Minh Tiến ban hành Kế hoạch "
    "truyền thông năm 2026 như sau:",
    "targets": [
        _target(
            2026,
            "Ít nhất 35% người dân trong độ tuổi trưởng thành được tiếp cận thông tin về Nghị quyết số 57-NQ/TW "
            "qua hệ thống truyền thanh, Trang thông tin điện tử và các nhóm Zalo của thôn.",
            35.0,
        ),
        _target(2026, "100% cán bộ, công chức xã được quán triệt Nghị quyết số 57-NQ/TW.", 100.0),
        _target(2030, "Ít nhất 75% người dân sử dụng thành thạo ít nhất một dịch vụ công trực tuyến toàn trình.", 75.0),
    ],
    "groups": [
        {
            "code": "1",
            "title": "Đổi mới nội dung, hình thức tuyên truyền trên hệ thống thông tin cơ sở, "
            "Trang thông tin điện tử và mạng xã hội",
            "tasks": [
                _task(
                    "1.1",
                    "Biên tập và phát sóng định kỳ chuyên mục “Khoa học, công nghệ và chuyển đổi số” trên hệ thống "
                    "truyền thanh xã và Trang thông tin điện tử xã, ưu tiên các tin, bài về mô hình chuyển đổi số "
                    "tiêu biểu của Nhân dân.",
                    ["Trung tâm dịch vụ tổng hợp"],
                    ["Phòng Văn hóa - Xã hội", "Đoàn Thanh niên xã"],
                    "Thường xuyên",
                ),
                _task(
                    "1.2",
                    "Biên soạn tài liệu hỏi - đáp về Nghị quyết số 57-NQ/TW bằng tiếng Việt và tiếng dân tộc Tày, "
                    "cấp phát cho các thôn, trường học và Tổ công nghệ số cộng đồng trên địa bàn xã.",
                    ["Phòng Văn hóa - Xã hội"],
                    [],
                    "Quý III/2026",
                    "2026-09-30",
                ),
            ],
        },
        {
            "code": "2",
            "title": "Phát huy vai trò của Tổ công nghệ số cộng đồng",
            "tasks": [
                _task(
                    "2",
                    "Tổ công nghệ số cộng đồng đến từng hộ gia đình hướng dẫn cài đặt, sử dụng các ứng dụng số "
                    "thiết yếu, ghi nhận ý kiến của Nhân dân và báo cáo kết quả hằng tháng về Ủy ban nhân dân xã.",
                    ["Ủy ban Mặt trận Tổ quốc Việt Nam xã"],
                    ["Các thôn"],
                    "trước ngày 30/11/2026",
                    "2026-11-30",
                ),
            ],
        },
    ],
    "duties": [
        {
            "unit": "Trung tâm dịch vụ tổng hợp",
            "items": [
                (
                    "Chủ trì sản xuất tin, bài, video và cập nhật chuyên mục trên Trang thông tin điện tử xã; tổng "
                    "hợp số liệu lượt tiếp cận gửi Phòng Văn hóa - Xã hội trước ngày 15 tháng 6 và ngày 15 tháng 12 "
                    "hằng năm."
                )
            ],
        },
        {
            "unit": "Phòng Văn hóa - Xã hội",
            "items": ["Tham mưu Ủy ban nhân dân xã theo dõi, đôn đốc, tổng hợp kết quả thực hiện Kế hoạch."],
        },
    ],
    "recipients": ["UBND tỉnh", "Sở Khoa học và Công nghệ", "Lưu: VT"],
    "signer": {"name": "Phạm Quốc Huy", "title": "PHÓ CHỦ TỊCH", "on_behalf": "KT. CHỦ TỊCH"},
    "events": [],
    "unplaced": [],
    "warnings": [],
}


@needs_dejavu
def test_pdf_text_layer_with_wrapped_lines(tmp_path):
    path = build_minh_tien(tmp_path / "ke_hoach_minh_tien.pdf")
    import pypdf

    assert len(pypdf.PdfReader(str(path)).pages) >= 2  # the plan crosses a page break
    assert parse_plan_file(path) == MINH_TIEN


def test_pdf_without_text_layer_is_read_by_ocr_and_refused_when_nothing_is_legible(tmp_path):
    import fpdf

    from lantoa.plans.parser import PlanParseError

    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 160, style="F")  # what a scanned page looks like to a text extractor
    path = tmp_path / "ban_scan.pdf"
    pdf.output(str(path))
    with pytest.raises(PlanParseError) as caught:
        parse_plan_file(path)
    assert str(caught.value) == "Không nhận dạng được chữ nào trong văn bản scan (ảnh có đọc được không?)"


def test_empty_docx_is_rejected(tmp_path):
    from docx import Document

    from lantoa.plans.parser import PlanParseError

    path = tmp_path / "trong.docx"
    Document().save(path)
    with pytest.raises(PlanParseError, match="Không tìm thấy nội dung văn bản"):
        parse_plan_file(path)
