"""The decision on the awards (Quyết định khen thưởng) as DOCX, in the form of Nghị định 30/2020/NĐ-CP.

The form's parts (page, header, body, signature) come from ``tenancy.decree30``; this module writes the words:
the legal bases, Điều 1 with the awardees in the order of the council's ranking, Điều 2 and Điều 3, and the
recipients. Built once when the decision is issued (``services.issue_decision``) and stored with its SHA-256.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from lantoa.tenancy import decree30

from .models import Nomination

KIND_LABEL = {Nomination.Kind.UNIT: "tập thể", Nomination.Kind.HAMLET: "tập thể", Nomination.Kind.STAFF: "cá nhân"}


def place(commune) -> str:
    """“Nam Cường” from “Xã Nam Cường”."""
    name = commune.name.strip()
    for prefix in ("Xã ", "Phường ", "Đặc khu ", "Thị trấn "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def summary(award_round) -> str:
    return (
        "Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc trong công tác truyền thông thực hiện "
        f"Nghị quyết số 57-NQ/TW năm {award_round.year}"
    )


def body_lines(decision, awardees) -> tuple[list[str], str]:
    award_round = decision.round
    commune = award_round.commune.name
    groups = sum(1 for n in awardees if n.kind != Nomination.Kind.STAFF)
    people = len(awardees) - groups
    parts = [f"{groups:02d} tập thể" if groups else "", f"{people:02d} cá nhân" if people else ""]
    who = " và ".join(p for p in parts if p)
    lines = [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành "
        "một số điều của Luật Thi đua, khen thưởng;",
        "Căn cứ Kế hoạch truyền thông thực hiện Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị "
        f"của Ủy ban nhân dân {commune.lower()} năm {award_round.year};",
        f"Xét đề nghị của Hội đồng xét khen thưởng ({award_round.title}).",
    ]
    if decision.corrects_id:
        lines.append(
            f"Quyết định này đính chính và thay thế Quyết định số {decision.corrects.number} "
            f"ngày {decree30.date(decision.corrects.date)}."
        )
    return lines, who


def build_docx(decision, awardees: list[Nomination]) -> bytes:
    """The decision as DOCX bytes; ``awardees`` in the order the decision lists them."""
    award_round = decision.round
    commune = award_round.commune
    doc = decree30.new_document()
    decree30.header(
        doc,
        body="ỦY BAN NHÂN DÂN",
        body_unit=commune.name.upper(),
        number=decision.number,
        place_date=decree30.place_date(place(commune), decision.date, decision.date.year),
        kind="QUYẾT ĐỊNH",
        summary=summary(award_round),
    )
    decree30.para(
        doc,
        f"CHỦ TỊCH ỦY BAN NHÂN DÂN {commune.name.upper()}",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        before=Pt(12),
        after=Pt(6),
    )
    lines, who = body_lines(decision, awardees)
    for line in lines:
        decree30.para(doc, line, italic=True, first_line=decree30.FIRST_LINE)
    decree30.para(doc, "QUYẾT ĐỊNH:", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=Pt(12), after=Pt(6))
    decree30.para(
        doc,
        f"Điều 1. Tặng Giấy khen của Chủ tịch Ủy ban nhân dân {commune.name.lower()} cho {who} đã có thành tích "
        f"xuất sắc trong công tác truyền thông thực hiện Nghị quyết số 57-NQ/TW năm {award_round.year}, gồm:",
        first_line=decree30.FIRST_LINE,
    )
    for index, nom in enumerate(awardees, start=1):
        decree30.para(doc, f"{index}. {nom.nominee_name} ({KIND_LABEL[nom.kind]});", first_line=decree30.FIRST_LINE)
    decree30.para(
        doc,
        "Điều 2. Tiền thưởng kèm theo Giấy khen thực hiện theo quy định của Luật Thi đua, khen thưởng và các văn "
        "bản hướng dẫn thi hành, từ nguồn kinh phí thi đua, khen thưởng của xã.",
        first_line=decree30.FIRST_LINE,
    )
    decree30.para(
        doc,
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã, "
        "Phòng Kinh tế, Trung tâm Phục vụ hành chính công, các tập thể và cá nhân có tên tại Điều 1 chịu trách "
        "nhiệm thi hành Quyết định này.",
        first_line=decree30.FIRST_LINE,
    )
    decree30.signature(
        doc,
        recipients=["Như Điều 3", "Thường trực Đảng ủy, HĐND xã", "Ủy ban MTTQ Việt Nam xã"],
        archive="Lưu: VT",
        signer_title=decision.signer_title,
        signer_name=decision.signer_name,
    )
    return decree30.to_bytes(doc)
