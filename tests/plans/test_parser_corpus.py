"""The parser on the corpus of plans shaped like real ones (tests/plans/fixtures/corpus).

Each ``<name>.txt`` has its expected output in ``<name>.json``; its DOCX twin (built by ``make_docx.py``: tab
rows become Word tables) must parse to the same JSON. Documents of communes, wards, a department, a province
and the government: task and target tables in text, appendices after the signature, decisions issuing a
programme, two-column header and signature, targets without a year, reporting dates.
After a deliberate change, write the new output over the ``.json`` file (with Django set up, as in the suite:
the parser's messages and fallback titles are then Vietnamese) and check the difference by eye.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantoa.plans.parser import ParsedPlan, PlanParseError, parse_plan_file

from .test_parser import damaged

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"
DOCUMENTS = sorted(CORPUS.glob("*.txt"))

_spec = importlib.util.spec_from_file_location("make_docx", CORPUS / "make_docx.py")
make_docx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_docx)


def _expected(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_text_document_parses_to_its_expected_json(path):
    assert parse_plan_file(path) == _expected(path)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_docx_twin_parses_to_the_same_json(path, tmp_path):
    docx = make_docx.build_docx(path.read_text(encoding="utf-8"), tmp_path / f"{path.stem}.docx")
    assert parse_plan_file(docx) == _expected(path)


def _tasks(plan):
    return {task["code"]: task for group in plan["groups"] for task in group["tasks"]}


def test_tab_separated_task_rows_are_tasks_with_month_year_deadlines():
    plan = parse_plan_file(CORPUS / "xa_tan_lap_bang.txt")
    tasks = _tasks(plan)
    assert [(code, task["deadline"]) for code, task in tasks.items()] == [
        ("1", "2026-09-30"),
        ("2", "2026-12-31"),
        ("3", "2026-03-31"),
    ]
    assert tasks["2"]["title"].endswith("và các nền tảng mạng xã hội của xã")  # the row cut by a page break
    assert plan["warnings"] == []


def test_appendix_after_the_signature_details_the_narrative_tasks():
    plan = parse_plan_file(CORPUS / "xa_phu_luc_sau_chu_ky.txt")
    assert plan["signer"]["name"] == "Lò Văn Hùng"
    tasks = _tasks(plan)
    assert [code for code in tasks] == ["1", "1.1", "1.2", "2"]
    assert tasks["1.1"]["detail_of"] == tasks["1.2"]["detail_of"] == "1"
    assert tasks["2"]["cooperating_units"] == ["Tổ công nghệ số cộng đồng"]  # the repeated row filled it in


def test_a_task_table_right_after_the_signature_is_an_appendix():
    plan = parse_plan_file(CORPUS / "xa_bang_sau_chu_ky.txt")
    assert plan["signer"]["name"] == "Hồ Văn Tâm"
    tasks = _tasks(plan)
    assert list(tasks) == ["1", "2", "3.1"]  # row 1 repeats narrative task 2; row 2 is new, under its own code
    assert tasks["2"]["deadline"] == "2026-09-30" and plan["warnings"] == []


def test_a_decision_issuing_a_programme_gives_signer_and_recipients_before_the_body():
    plan = parse_plan_file(CORPUS / "tinh_quyet_dinh_chuong_trinh.txt")
    assert plan["number"] == "812/QĐ-UBND"
    assert plan["signer"] == {"name": "Hoàng Gia Long", "title": "PHÓ CHỦ TỊCH", "on_behalf": "KT. CHỦ TỊCH"}
    assert plan["recipients"][0] == "Như Điều 3"
    assert plan["title"].startswith("Truyền thông về khoa học")
    assert [duty["unit"] for duty in plan["duties"]] == [
        "Sở Khoa học và Công nghệ",
        "Giám đốc các Sở, ban, ngành",  # one heading naming two bodies gives each the same duties
        "Chủ tịch UBND các xã, phường",
    ]
    assert plan["duties"][1]["items"] == plan["duties"][2]["items"]
    assert "Chế độ thông tin, báo cáo" not in [duty["unit"] for duty in plan["duties"]]
    assert {(e["day"], e["month"], e["recurrence"]) for e in plan["events"]} == {(15, 12, "yearly"), (15, 6, "yearly")}


def test_targets_without_a_year_several_per_sentence_and_no_citation_year():
    plan = parse_plan_file(CORPUS / "xa_chi_tieu_khong_nam.txt")
    assert [(t["year"], t["value"]) for t in plan["targets"]] == [(None, 100.0), (None, 20.0), (None, 80.0)]
    assert all(t["year"] != 2024 for t in plan["targets"])


def test_target_table_with_year_rows_and_a_value_column():
    plan = parse_plan_file(CORPUS / "phuong_an_phu_chi_tieu_bang.txt")
    assert [(t["year"], t["value"], t["unit"]) for t in plan["targets"]] == [
        (2026, 30.0, "%"),
        (2026, 120.0, "tin, bài"),
        (2030, 80.0, "%"),
    ]
    assert plan["signer"]["name"] == "Phạm Thị Hoa" and plan["recipients"] == ["UBND thành phố", "Lưu: VT"]


def test_label_bullets_are_kept_and_sub_units_are_units():
    plan = parse_plan_file(CORPUS / "xa_nhan_de_muc.txt")
    title = _tasks(plan)["1"]["title"]
    assert "Nâng cao nhận thức: Các cơ sở truyền thanh" in title and "Đổi mới hình thức: Sử dụng video" in title
    assert plan["unplaced"] == [] and plan["warnings"] == []
    plan = parse_plan_file(CORPUS / "so_gddt_ke_hoach.txt")
    assert [duty["unit"] for duty in plan["duties"]] == [
        "Phòng Giáo dục phổ thông",
        "Văn phòng Sở",
        "Các trường trung học phổ thông",
    ]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_damaged_docx_documents_never_crash(data, tmp_path):
    """The random damage of test_parser.py's robustness test, on DOCX: rows lost, repeated or moved in Word tables."""
    lines = damaged(data, data.draw(st.sampled_from(DOCUMENTS)), most=8, actions=("drop", "repeat", "move", "untab"))
    try:
        plan = parse_plan_file(make_docx.build_docx("\n".join(lines), tmp_path / "damaged.docx"))
    except PlanParseError:
        return
    assert set(plan) == ParsedPlan.__required_keys__
    assert json.loads(json.dumps(plan, ensure_ascii=False)) == plan
    for task in _tasks(plan).values():
        assert task["deadline"] is None or dt.date.fromisoformat(task["deadline"])


def test_an_appendix_numbered_like_the_body_details_it_without_repeating_codes():
    from lantoa.plans.parser import parse_plan_text  # noqa: PLC0415

    text = "\n".join(
        [
            "KẾ HOẠCH",
            "Truyền thông năm 2026",
            "I. NHIỆM VỤ, GIẢI PHÁP",
            "TT\tNội dung\tĐơn vị chủ trì",
            "I\tTuyên truyền trên loa truyền thanh\t",
            "1\tPhát chuyên mục chuyển đổi số\tTrung tâm dịch vụ tổng hợp",
            "Nơi nhận:",
            "- Lưu: VT.",
            "CHỦ TỊCH",
            "Nguyễn Văn An",
            "Phụ lục",
            "TT\tNội dung\tĐơn vị chủ trì",
            "I\tTuyên truyền trên loa truyền thanh\t",
            "1\tBản tin tiếng dân tộc mỗi tuần\tPhòng Văn hóa - Xã hội",
            "II\tTập huấn kỹ năng số\t",
            "1\tLớp tập huấn cho Tổ công nghệ số\tĐoàn Thanh niên xã",
        ]
    )
    plan = parse_plan_text(text)
    tasks = _tasks(plan)
    assert list(tasks) == ["I.1", "I.1.1", "II.1"]
    assert tasks["I.1.1"]["detail_of"] == "I.1"
    assert plan["warnings"] == []


def test_headings_under_organisation_that_name_no_unit_are_no_duties():
    plan = parse_plan_file(CORPUS / "xa_to_chuc_thuc_hien.txt")
    assert [duty["unit"] for duty in plan["duties"]] == ["Phòng Kinh tế", "Hội Nông dân xã"]
    assert plan["unplaced"] == ["Từ nguồn ngân sách xã năm 2026 và các nguồn hợp pháp khác."]
    assert [(e["day"], e["month"], e["year"]) for e in plan["events"]] == [(15, 11, 2026)]
    assert [(t["value"], t["unit"]) for t in plan["targets"]] == [(30.0, "hộ")]  # a counted target
    group = plan["groups"][0]
    assert group["title"] == "Hình thức triển khai"  # the heading does not swallow the paragraph below it
    assert group["tasks"][0]["title"].startswith("Các hình thức tuyên truyền")


def test_a_heading_does_not_swallow_the_line_below_it_in_docx_or_text(tmp_path):
    """Headings and paragraphs written without blank lines, or split by soft line breaks (Shift+Enter)."""
    from docx import Document  # noqa: PLC0415

    from lantoa.plans.parser import parse_plan_text  # noqa: PLC0415

    head = ["KẾ HOẠCH", "Truyền thông năm 2026", "I. NHIỆM VỤ, GIẢI PHÁP"]
    document = Document()
    for line in head:
        document.add_paragraph(line)
    paragraph = document.add_paragraph("1. Hình thức triển khai")
    paragraph.add_run().add_break()
    paragraph.add_run("Các hình thức tuyên truyền trực tiếp tại thôn.")
    document.add_paragraph("Đơn vị chủ trì: Phòng Văn hóa - Xã hội.")
    document.save(str(tmp_path / "soft.docx"))
    text = "\n".join(head) + "\n1. Hình thức triển khai\vCác hình thức tuyên truyền trực tiếp tại thôn.\n"
    text += "Đơn vị chủ trì: Phòng Văn hóa - Xã hội."
    for plan in (parse_plan_file(tmp_path / "soft.docx"), parse_plan_text(text)):
        group = plan["groups"][0]
        assert group["title"] == "Hình thức triển khai"
        assert group["tasks"][0]["title"] == "Các hình thức tuyên truyền trực tiếp tại thôn."
        assert group["tasks"][0]["lead_units"] == ["Phòng Văn hóa - Xã hội"]
