"""Tests of the plan parser on the seed plan, text variants, helpers and bad files.

These tests need neither a database nor Django settings.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantoa.plans.parser import (
    ParsedDuty,
    ParsedGroup,
    ParsedPlan,
    ParsedSigner,
    ParsedTarget,
    ParsedTask,
    PlanParseError,
    clean_paragraphs,
    normalize_unit_name,
    parse_plan_file,
    parse_plan_text,
    period_to_deadline,
    split_units,
    unit_key,
)

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
# The seed plan as given (../shared/seed beside the repository, as CI lays it out); the repository keeps an
# identical copy for the demo, used when shared/ is absent (test_repo_copy_of_the_seed_is_identical checks it).
SHARED_SEED = Path(__file__).resolve().parents[2].parent / "shared/seed/000_9798a5940c59c485.txt"
REPO_SEED = Path(__file__).resolve().parents[2] / "lantoa/plans/demo_data/ke-hoach-57-xa-nam-cuong-2026.txt"
SEED = SHARED_SEED if SHARED_SEED.exists() else REPO_SEED


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


def _all_tasks(plan):
    return [task for group in plan["groups"] for task in group["tasks"]]


# ----------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed():
    return parse_plan_file(SEED)


VHXH = normalize_unit_name("Phòng Văn hoá - Xã hội")
SEED_UNITS = {
    "1.1": (["UBND xã", "Trung tâm dịch vụ tổng hợp"], []),
    "1.2": (["Trung tâm Phục vụ hành chính công", "Trung tâm dịch vụ tổng hợp"], []),
    "1.3": (["Trung tâm Phục vụ hành chính công", "Trung tâm dịch vụ tổng hợp"], []),
    "1.4": ([VHXH, "Trung tâm dịch vụ tổng hợp"], []),
    "2.1": ([VHXH], ["Các phòng chuyên môn"]),
    "2.2": ([VHXH], ["Các phòng chuyên môn"]),
    "2.3": ([VHXH], ["Các phòng chuyên môn"]),
    "3.1": (["Trung tâm Phục vụ hành chính công"], ["Các phòng chuyên môn"]),
    # "," splits units only when every piece starts with a unit word: this stays whole.
    "3.2": (["Phòng Kinh tế"], ["Các phòng chuyên môn, đơn vị, doanh nghiệp có liên quan"]),
    "4": (["Trung tâm Phục vụ hành chính công"], ["Các phòng chuyên môn, đơn vị, doanh nghiệp có liên quan"]),
    "5": ([VHXH], ["Các đơn vị có liên quan"]),
}


def test_seed_is_json_serialisable_and_has_no_warnings(seed):
    assert json.loads(json.dumps(seed, ensure_ascii=False)) == seed
    assert seed["warnings"] == []


def test_the_output_has_exactly_the_keys_its_typed_dicts_declare(seed):
    assert set(seed) == ParsedPlan.__required_keys__
    assert set(seed["signer"]) == ParsedSigner.__required_keys__
    assert all(set(target) == ParsedTarget.__required_keys__ for target in seed["targets"])
    assert all(set(group) == ParsedGroup.__required_keys__ for group in seed["groups"])
    assert all(set(task) == ParsedTask.__required_keys__ for group in seed["groups"] for task in group["tasks"])
    assert all(set(duty) == ParsedDuty.__required_keys__ for duty in seed["duties"])
    assert seed["targets"] and seed["groups"] and seed["duties"]


def test_seed_header(seed):
    assert seed["number"] == "/KH-UBND"
    assert seed["place"] == "Nam Cường"
    assert seed["date"] is None  # "ngày tháng 3 năm 2026": the day is left blank
    assert seed["title"].startswith("Triển khai thực hiện Chương trình “Đẩy mạnh truyền thông")
    assert seed["title"].endswith("trên địa bàn xã Nam Cường")
    assert seed["basis"].startswith("Thực hiện Quyết định số 1169/QĐ-TTg ngày 16/6/2025")
    assert seed["basis"].endswith("cụ thể như sau:")


def test_seed_groups_and_tasks(seed):
    assert [group["code"] for group in seed["groups"]] == ["1", "2", "3", "4", "5"]
    tasks = _all_tasks(seed)
    assert [task["code"] for task in tasks] == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2.1",
        "2.2",
        "2.3",
        "3.1",
        "3.2",
        "4",
        "5",
    ]
    for task in tasks:
        lead, cooperating = SEED_UNITS[task["code"]]
        assert task["lead_units"] == lead, task["code"]
        assert task["cooperating_units"] == cooperating, task["code"]
        assert task["timing"] == "Thường xuyên"
        assert task["deadline"] is None


def test_seed_group_titles_and_task_titles(seed):
    groups = {group["code"]: group for group in seed["groups"]}
    assert groups["4"]["title"] == (
        "Tổ chức truyền thông Nghị quyết số 57-NQ/TW tại các tổ chức, cơ sở nghiên cứu khoa học và công nghệ"
    )
    assert groups["4"]["tasks"][0]["title"].startswith(
        "Xây dựng và ban hành kế hoạch truyền thông định kỳ, cụ thể về các nội dung"
    )
    assert groups["5"]["tasks"][0]["title"].startswith("Tổ chức thực hiện các hoạt động thông tin đối ngoại")
    tasks = {task["code"]: task for task in _all_tasks(seed)}
    assert tasks["1.1"]["title"] == (
        "Xây dựng và duy trì hiệu quả các chuyên mục về triển khai thực hiện Nghị quyết số 57-NQ/TW "
        "trên Trang thông tin điện tử địa phương, nền tảng mạng xã hội."
    )
    # the page break inside 3.2 is joined back into one paragraph
    assert "cho các doanh nghiệp nhà nước, doanh nghiệp tư nhân" in tasks["3.2"]["title"]
    assert "\n" not in tasks["3.2"]["title"]


def test_seed_targets(seed):
    targets = seed["targets"]
    assert [target["year"] for target in targets] == [2026] * 3 + [2027] * 2 + [2030] * 3
    assert [target["value"] for target in targets] == [None, 100, 10, None, 30, 100, 70, 50]
    assert [target["unit"] for target in targets] == [None, "%", "%", None, "%", "%", "%", "%"]
    assert targets[2]["text"].startswith("Ít nhất 10% người dân tiếp cận thông tin")


def test_seed_duties(seed):
    assert [duty["unit"] for duty in seed["duties"]] == [
        "Trung tâm Phục vụ hành chính công",
        VHXH,
        "Phòng Kinh tế",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
        "Trung tâm dịch vụ tổng hợp",
    ]
    assert [len(duty["items"]) for duty in seed["duties"]] == [3, 2, 1, 3, 2]
    items = [item for duty in seed["duties"] for item in duty["items"]]
    assert not any(item.startswith("Trên đây là Kế hoạch") for item in items)
    assert seed["duties"][2]["items"][0].startswith("Trên cơ sở đề xuất kinh phí")


def test_seed_recipients_and_signer(seed):
    assert len(seed["recipients"]) == 8
    assert seed["recipients"][0] == "Sở Khoa học và Công nghệ"
    assert seed["recipients"][-1] == "Lưu: VT, HCC"
    assert seed["signer"] == {"name": "Lường Văn Toàn", "title": "PHÓ CHỦ TỊCH", "on_behalf": "KT. CHỦ TỊCH"}


def test_seed_page_break_is_joined():
    paragraphs = clean_paragraphs(SEED.read_text(encoding="utf-8"))
    joined = [paragraph for paragraph in paragraphs if "tìm hiểu thông tin về phát triển" in paragraph]
    assert len(joined) == 1
    assert joined[0].startswith("Truyền thông kịp thời, thường xuyên")
    assert joined[0].endswith("trên địa bàn tỉnh.")
    assert "thông tin về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trên địa bàn tỉnh." not in [
        paragraph for paragraph in paragraphs
    ]
    # list markers in lower case ("a) Năm 2026") are never glued to the previous line
    assert "a) Năm 2026" in paragraphs


def test_seed_unit_names_have_one_spelling(seed):
    names = [unit for task in _all_tasks(seed) for unit in task["lead_units"] + task["cooperating_units"]]
    names += [duty["unit"] for duty in seed["duties"]]
    spellings: dict[str, set[str]] = {}
    for name in names:
        spellings.setdefault(unit_key(name), set()).add(name)
    assert all(len(found) == 1 for found in spellings.values()), spellings
    assert "Phòng Văn hoá- Xã hội" not in names and "Phòng Văn hoá - Xã hội" not in names


def test_seed_text_and_file_agree(seed):
    assert parse_plan_text(SEED.read_text(encoding="utf-8")) == seed


# ------------------------------------------------------------------ text variants

TAN_AN = {
    "number": "45/KH-UBND",
    "place": "Tân An",
    "date": "2026-03-15",
    "title": "Truyền thông thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị trên địa bàn phường Tân An năm 2026",
    "basis": (
        "Căn cứ Quyết định số 1169/QĐ-TTg ngày 16/6/2025 của Thủ tướng Chính phủ phê duyệt Chương trình "
        "“Đẩy mạnh truyền thông thực hiện Nghị quyết số 57-NQ/TW”;\n"
        "Căn cứ Kế hoạch số 15-KH/TU ngày 12/9/2025 của Ban Thường vụ Tỉnh ủy;\n"
        "Ủy ban nhân dân phường Tân An ban hành Kế hoạch truyền thông năm 2026 như sau:"
    ),
    "targets": [
        _target(2026, "100 % cán bộ, công chức phường được phổ biến nội dung Nghị quyết số 57-NQ/TW.", 100.0),
        _target(
            2026,
            "Ít nhất 20% hộ gia đình được Tổ công nghệ số cộng đồng hướng dẫn sử dụng dịch vụ công trực tuyến.",
            20.0,
        ),
        _target(2027, "Ít nhất 50 % người dân tiếp cận thông tin qua hệ thống thông tin cơ sở.", 50.0),
        _target(2030, "Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến đạt 10,5% mỗi năm trở lên.", 10.5),
        _target(2030, "Duy trì chuyên mục “Chuyển đổi số” trên Trang thông tin điện tử phường."),
    ],
    "groups": [
        {
            "code": "1",
            "title": "Tuyên truyền trên hệ thống thông tin cơ sở",
            "tasks": [
                _task(
                    "1.a",
                    "Biên tập, phát sóng các tin, bài về Nghị quyết số 57-NQ/TW trên hệ thống truyền thanh phường.",
                    ["Phòng Văn hóa - Xã hội"],
                    ["Trung tâm dịch vụ tổng hợp", "Đoàn Thanh niên phường"],
                    "Quý III/2026",
                    "2026-09-30",
                ),
                _task(
                    "1.b",
                    "Cập nhật bảng tin điện tử tại bộ phận một cửa.",
                    ["Trung tâm Phục vụ hành chính công"],
                    ["Phòng Văn hóa - Xã hội"],
                    "trước 30/6/2026",
                    "2026-06-30",
                ),
            ],
        },
        {
            "code": "2",
            "title": "Bồi dưỡng kỹ năng số cho đội ngũ cán bộ",
            "tasks": [
                _task(
                    "2.a",
                    "Mở lớp bồi dưỡng kỹ năng truyền thông số cho cán bộ, công chức phường.",
                    ["Phòng Văn hóa - Xã hội"],
                    ["Các phòng chuyên môn"],
                    "tháng 10 năm 2026",
                    "2026-10-31",
                ),
            ],
        },
        {
            "code": "3",
            "title": "Vận động doanh nghiệp tham gia đổi mới sáng tạo",
            "tasks": [
                _task(
                    "3",
                    "Tổ chức gặp mặt doanh nghiệp trên địa bàn để giới thiệu các chính sách hỗ trợ đổi mới sáng tạo.",
                    ["Phòng Kinh tế, Hạ tầng và Đô thị"],
                    ["Ủy ban Mặt trận Tổ quốc Việt Nam phường", "Hội Doanh nhân phường"],
                    "Hằng năm",
                    None,
                ),
            ],
        },
    ],
    "duties": [
        {
            "unit": "Phòng Văn hóa - Xã hội",
            "items": [
                "Chủ trì tham mưu Ủy ban nhân dân phường triển khai Kế hoạch.",
                "Tổng hợp, báo cáo kết quả thực hiện trước ngày 20/12/2026.",
            ],
        },
        {
            "unit": "Trung tâm Phục vụ hành chính công",
            "items": ["Cập nhật bảng tin điện tử và hướng dẫn người dân sử dụng dịch vụ công trực tuyến."],
        },
        {
            "unit": "Ủy ban Mặt trận Tổ quốc Việt Nam phường",
            "items": ["Vận động hội viên, đoàn viên tích cực tham gia các hoạt động chuyển đổi số."],
        },
    ],
    "recipients": ["UBND tỉnh", "Sở Khoa học và Công nghệ", "Đảng ủy phường", "Lưu: VT, VHXH"],
    "signer": {"name": "Nguyễn Thị Hoa", "title": "CHỦ TỊCH", "on_behalf": "TM. ỦY BAN NHÂN DÂN"},
    "events": [
        {
            "text": "Tổng hợp, báo cáo kết quả thực hiện trước ngày 20/12/2026.",
            "day": 20,
            "month": 12,
            "year": 2026,
            "recurrence": None,
        }
    ],
    "unplaced": [],
    "warnings": [],
}

DONG_PHU = {
    "number": "12/KH-UBND",
    "place": "Đồng Phú",
    "date": "2026-04-02",
    "title": "Đẩy mạnh truyền thông về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số năm 2026",
    "basis": (
        "Thực hiện Kế hoạch số 15-KH/TU ngày 12/9/2025 của Ban Thường vụ Tỉnh ủy, "
        "UBND xã Đồng Phú xây dựng Kế hoạch như sau:"
    ),
    "targets": [
        _target(2026, "100 % thôn có Tổ công nghệ số cộng đồng hoạt động hiệu quả.", 100.0),
        _target(2027, "Ít nhất 40% người dân trong độ tuổi lao động có kỹ năng số cơ bản.", 40.0),
        _target(2030, "Ít nhất 80% người dân tiếp cận thông tin qua hệ thống thông tin cơ sở.", 80.0),
    ],
    "groups": [
        {
            "code": "1",
            "title": "Truyền thông trên nền tảng số",
            "tasks": [
                _task(
                    "1.1",
                    "Xây dựng trang thông tin của xã trên mạng xã hội Zalo và Facebook.",
                    ["Trung tâm dịch vụ tổng hợp"],
                    ["Phòng Văn hóa - Xã hội", "Đoàn Thanh niên xã"],
                    "Tháng 10/2026",
                    "2026-10-31",
                ),
                _task(
                    "1.2",
                    "Sản xuất video ngắn giới thiệu mô hình chuyển đổi số tiêu biểu.",
                    ["Trung tâm dịch vụ tổng hợp"],
                    ["Hội Nông dân xã", "Hội Liên hiệp Phụ nữ xã"],
                    "6 tháng đầu năm 2026",
                    "2026-06-30",
                ),
                _task(
                    "1.3",
                    "Tổ chức cuộc thi tìm hiểu về chuyển đổi số cho đoàn viên, thanh niên",
                    ["Đoàn Thanh niên xã"],
                    [],
                    "Quý IV/2026",
                    "2026-12-31",
                ),
            ],
        },
        {
            "code": "2",
            "title": "Truyền thông trực tiếp tại cộng đồng",
            "tasks": [
                _task(
                    "2.1",
                    "Lồng ghép nội dung Nghị quyết số 57-NQ/TW trong các cuộc họp thôn, tổ dân phố.",
                    ["UBND xã", "Phòng Văn hóa - Xã hội"],
                    [],
                    "Hằng quý",
                    None,
                ),
            ],
        },
    ],
    "duties": [
        {
            "unit": "Trung tâm dịch vụ tổng hợp",
            "items": ["Chủ trì triển khai các nhiệm vụ truyền thông trên nền tảng số."],
        },
        {"unit": "Đoàn Thanh niên xã", "items": ["Tổ chức cuộc thi và hỗ trợ người dân cài đặt ứng dụng."]},
    ],
    "recipients": [],  # the plan has no "Nơi nhận"
    "signer": {"name": "Trần Văn Bình", "title": "PHÓ CHỦ TỊCH", "on_behalf": "KT. CHỦ TỊCH"},
    "events": [],
    "unplaced": [
        "Sản phẩm: 12 video ngắn mỗi năm.",
        "Tập thể, cá nhân có thành tích xuất sắc được xem xét khen thưởng theo quy định.",
    ],
    "warnings": [
        'Nhãn không nhận diện được "Sản phẩm" (nhiệm vụ 1.2): Sản phẩm: 12 video ngắn mỗi năm.',
        'Không nhận diện được mục "CHẾ ĐỘ KHEN THƯỞNG"; nội dung của mục này không được nhập.',
    ],
}

SON_HA = {
    "number": "/KH-UBND",
    "place": "Sơn Hà",
    "date": None,
    "title": "Tuyên truyền Nghị quyết số 57-NQ/TW trên hệ thống thông tin cơ sở xã Sơn Hà",
    "basis": "Căn cứ Quyết định số 1169/QĐ-TTg ngày 16/6/2025 của Thủ tướng Chính phủ.",
    "targets": [
        _target(2026, "60% thôn có cụm loa thông minh.", 60.0),
        _target(2030, "100% thôn có cụm loa thông minh.", 100.0),
    ],
    "groups": [
        {
            "code": "1",
            "title": "Nâng cấp hệ thống truyền thanh cơ sở",
            "tasks": [
                _task(
                    "1.1",
                    "Lắp đặt cụm loa thông minh tại các thôn chưa có loa.",
                    ["Trung tâm dịch vụ tổng hợp"],
                    [],
                    "Năm 2026",
                    "2026-12-31",
                ),
                _task(
                    "1.2",
                    "Xây dựng lịch phát thanh hằng tuần về chuyển đổi số.",
                    ["Trung tâm dịch vụ tổng hợp", "Phòng Văn hóa - Xã hội"],
                    [],
                    "Hằng tuần",
                    None,
                ),
            ],
        },
        {
            "code": "2",
            "title": "Phát huy vai trò của người có uy tín tại cộng đồng",
            "tasks": [
                _task("2", "Mời già làng, trưởng bản tham gia tuyên truyền về lợi ích của chuyển đổi số.", []),
            ],
        },
        {"code": "3", "title": "Truyền thông trong trường học", "tasks": []},
        {
            "code": "4",
            "title": "Sơ kết, đánh giá",
            "tasks": [
                _task(
                    "4.1",
                    "Sơ kết 6 tháng thực hiện Kế hoạch.",
                    ["Phòng Văn hóa - Xã hội"],
                    [],
                    "trước ngày 20/6/2026",
                    "2026-06-20",
                ),
            ],
        },
    ],
    "duties": [
        {"unit": "Phòng Kinh tế", "items": ["Tham mưu bố trí kinh phí thực hiện Kế hoạch."]},
        {
            "unit": "Phòng Văn hóa - Xã hội",
            "items": ["Theo dõi, đôn đốc việc thực hiện Kế hoạch.", "Tổng hợp báo cáo kết quả."],
        },
        {"unit": "Các thôn", "items": ["Bố trí địa điểm lắp đặt cụm loa và cử người quản lý."]},
    ],
    "recipients": ["Phòng Văn hóa - Xã hội", "Các phòng chuyên môn, đơn vị thuộc UBND xã", "Lưu: VT"],
    "signer": {"name": "Hoàng Minh Đức", "title": "CHỦ TỊCH", "on_behalf": "TM. ỦY BAN NHÂN DÂN"},
    "events": [],
    "unplaced": ["Kết quả được tổng hợp vào báo cáo sơ kết của xã."],
    "warnings": [
        "Chỉ tiêu chưa xác định được năm: Phấn đấu mọi thôn đều có cụm loa hoạt động tốt.",
        'Mục tiêu "Năm 2027" không có chỉ tiêu nào.',
        'Nhãn "Đơn vị chủ trì" không gắn được với nhiệm vụ nào: UBND xã',
        "Nhóm giải pháp 3 không có nhiệm vụ nào.",
        "Đoạn văn không gắn được với nhiệm vụ nào (nhóm 4): Kết quả được tổng hợp vào báo cáo sơ kết của xã.",
        "Nhiệm vụ 2 chưa có đơn vị chủ trì/thực hiện.",
    ],
}


HONG_PHONG = {
    "number": "07/KH-UBND",
    "place": None,  # the plan has no place and date line
    "date": None,
    "title": "Thông tin, tuyên truyền về chuyển đổi số và Nghị quyết số 57-NQ/TW năm 2026",
    "basis": "Căn cứ Kế hoạch số 15-KH/TU ngày 12/9/2025 của Ban Thường vụ Tỉnh ủy.",
    "targets": [],
    "groups": [
        {
            "code": "1",
            "title": "Tuyên truyền qua các cuộc thi và tọa đàm",
            "tasks": [
                _task(
                    "1.1",
                    # a numbered list inside a task stays in the task
                    "Tổ chức các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia (10/10), gồm:\n"
                    "1) Hội thi “Công dân số” cho học sinh trung học cơ sở;\n"
                    "2) Tọa đàm “Chuyển đổi số trong sản xuất nông nghiệp”.",
                    ["Phòng Văn hóa - Xã hội", "Trung tâm dịch vụ tổng hợp"],  # continued on the next line
                    ["Hội Cựu chiến binh xã", "Hội Nông dân xã"],
                    "Quý II",
                    "2026-06-30",  # the year comes from the title
                ),
            ],
        },
        {
            "code": "2",
            "title": "Hỗ trợ hộ kinh doanh\nƯu tiên các hộ kinh doanh tại chợ trung tâm xã.",
            "tasks": [
                _task(
                    "2.1",
                    "Hướng dẫn hộ kinh doanh thanh toán không dùng tiền mặt.",
                    ["Phòng Kinh tế"],
                    [],
                    "Tháng 8",
                    "2026-08-31",
                ),
            ],
        },
        {
            "code": "3",
            "title": "Theo dõi, đánh giá",
            "tasks": [
                _task(
                    "3.1",
                    "Khảo sát mức độ hài lòng của người dân.",
                    ["Trung tâm Phục vụ hành chính công"],
                    [],
                    "15/11/2026",
                    "2026-11-15",
                ),
                _task("3.2", "Tổng hợp số liệu lượt tiếp cận hằng quý.", ["Trung tâm dịch vụ tổng hợp"]),
            ],
        },
    ],
    "duties": [
        {"unit": "Phòng Văn hóa - Xã hội", "items": ["Là cơ quan thường trực, theo dõi việc thực hiện Kế hoạch."]},
        {"unit": "Trung tâm dịch vụ tổng hợp", "items": ["Cập nhật số liệu lượt tiếp cận hằng tháng."]},
    ],
    "recipients": ["Như mục III", "Lưu: VT"],
    "signer": {"name": "Vi Thị Lan", "title": "PHÓ CHỦ TỊCH", "on_behalf": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH"},
    "events": [],
    "unplaced": [],
    "warnings": [
        "Nhiệm vụ không đánh số trong nhóm 3 được đặt mã tạm 3.2: Tổng hợp số liệu lượt tiếp cận hằng quý.",
    ],
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("phuong_tan_an.txt", TAN_AN),
        ("xa_dong_phu.txt", DONG_PHU),
        ("xa_son_ha.txt", SON_HA),
        ("xa_hong_phong.txt", HONG_PHONG),
    ],
)
def test_text_variant_full_structure(name, expected):
    assert parse_plan_file(FIXTURES / name) == expected


def test_crlf_and_bom_are_tolerated(tmp_path):
    source = (FIXTURES / "xa_dong_phu.txt").read_text(encoding="utf-8")
    path = tmp_path / "windows.TXT"
    path.write_bytes(b"\xef\xbb\xbf" + source.replace("\n", "\r\n").encode("utf-8"))
    assert parse_plan_file(path) == DONG_PHU


def test_decomposed_unicode_is_normalised(tmp_path):
    import unicodedata

    source = (FIXTURES / "phuong_tan_an.txt").read_text(encoding="utf-8")
    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", source), encoding="utf-8")
    assert parse_plan_file(path) == TAN_AN


# ------------------------------------------------------------------------ helpers


@pytest.mark.parametrize(
    ("timing", "deadline"),
    [
        ("Thường xuyên", None),
        ("Hằng năm", None),
        ("Hằng tuần", None),
        ("Hàng tháng", None),
        ("Định kỳ 6 tháng", None),
        ("Quý III/2026", dt.date(2026, 9, 30)),
        ("Quý I năm 2027", dt.date(2027, 3, 31)),
        ("quý 4/2026", dt.date(2026, 12, 31)),
        ("Quý III - IV/2026", dt.date(2026, 12, 31)),
        ("Tháng 10/2026", dt.date(2026, 10, 31)),
        ("tháng 10 năm 2026", dt.date(2026, 10, 31)),
        ("Tháng 2/2028", dt.date(2028, 2, 29)),
        ("Tháng 9-10/2026", dt.date(2026, 10, 31)),
        ("trước 30/6/2026", dt.date(2026, 6, 30)),
        ("trước ngày 30/6/2026", dt.date(2026, 6, 30)),
        ("Năm 2026", dt.date(2026, 12, 31)),
        ("Đến năm 2030", dt.date(2030, 12, 31)),
        ("Giai đoạn 2026-2030", dt.date(2030, 12, 31)),
        ("6 tháng đầu năm 2026", dt.date(2026, 6, 30)),
        ("6 tháng cuối năm 2026", dt.date(2026, 12, 31)),
        ("15/11/2026", dt.date(2026, 11, 15)),
        ("ngày 15 tháng 11 năm 2026", dt.date(2026, 11, 15)),
        ("Từ tháng 3/2026 đến 30/6/2026", dt.date(2026, 6, 30)),
        ("Hằng năm, hoàn thành trước ngày 15/12/2026", dt.date(2026, 12, 15)),
        ("31/02/2026", None),
        ("", None),
        ("Khi có yêu cầu", None),
    ],
)
def test_period_to_deadline(timing, deadline):
    assert period_to_deadline(timing) == deadline


def test_period_to_deadline_uses_default_year_only_when_missing():
    assert period_to_deadline("Quý II", default_year=2026) == dt.date(2026, 6, 30)
    assert period_to_deadline("trước ngày 30/6", default_year=2026) == dt.date(2026, 6, 30)
    assert period_to_deadline("Quý II") is None
    assert period_to_deadline("Quý II/2027", default_year=2026) == dt.date(2027, 6, 30)
    assert period_to_deadline("trước 20/6 hằng năm", default_year=2026) is None


def test_normalize_unit_name_unifies_spellings():
    spellings = ["Phòng Văn hoá- Xã hội", "Phòng Văn hoá - Xã hội", "Phòng Văn hóa - Xã hội", "Phòng  Văn hóa –Xã hội."]
    assert {normalize_unit_name(name) for name in spellings} == {"Phòng Văn hóa - Xã hội"}
    assert normalize_unit_name("Uỷ ban Mặt trận Tổ quốc") == "Ủy ban Mặt trận Tổ quốc"
    assert normalize_unit_name("Trạm Y tế, Khoẻ mạnh") == "Trạm Y tế, Khỏe mạnh"
    # closed syllables and "qu" keep their tone where it is
    unchanged = "Phòng Tài chính - Kế hoạch (Quỹ hoàn thuế)"
    assert normalize_unit_name(unchanged) == unchanged
    assert normalize_unit_name("- Trung tâm dịch vụ tổng hợp;") == "Trung tâm dịch vụ tổng hợp"


def test_unit_key_matches_spellings_and_abbreviations():
    assert unit_key("Phòng Văn hoá- Xã hội") == unit_key("PHÒNG VĂN HÓA - XÃ HỘI") == "phong van hoa xa hoi"
    assert unit_key("UBND xã") == unit_key("Ủy ban nhân dân xã")
    assert unit_key("UBMTTQ Việt Nam xã") == unit_key("Ủy ban Mặt trận Tổ quốc Việt Nam xã")
    assert unit_key("Trung tâm PVHCC") == unit_key("Trung tâm Phục vụ hành chính công")


@pytest.mark.parametrize(
    ("value", "units"),
    [
        ("UBND xã; Trung tâm dịch vụ tổng hợp.", ["UBND xã", "Trung tâm dịch vụ tổng hợp"]),
        (
            "Các phòng chuyên môn, đơn vị, doanh nghiệp có liên quan.",
            ["Các phòng chuyên môn, đơn vị, doanh nghiệp có liên quan"],
        ),
        (
            "Phòng Kinh tế, Phòng Văn hoá- Xã hội và Trung tâm dịch vụ tổng hợp",
            ["Phòng Kinh tế", "Phòng Văn hóa - Xã hội", "Trung tâm dịch vụ tổng hợp"],
        ),
        ("Sở Khoa học và Công nghệ", ["Sở Khoa học và Công nghệ"]),
        ("Văn phòng HĐND và UBND xã", ["Văn phòng HĐND và UBND xã"]),
        ("Phòng Kinh tế và các đơn vị liên quan", ["Phòng Kinh tế", "Các đơn vị liên quan"]),
        ("Trung tâm Văn hóa, Thể thao và Truyền thanh", ["Trung tâm Văn hóa, Thể thao và Truyền thanh"]),
        ("Hội Nông dân, Hội Phụ nữ, Đoàn Thanh niên xã", ["Hội Nông dân", "Hội Phụ nữ", "Đoàn Thanh niên xã"]),
        (
            "Công an xã (phối hợp, hỗ trợ), Ban Chỉ huy Quân sự xã",
            ["Công an xã (phối hợp, hỗ trợ)", "Ban Chỉ huy Quân sự xã"],
        ),
        ("Phòng Kinh tế\nPhòng Kinh tế", ["Phòng Kinh tế"]),
        ("", []),
    ],
)
def test_split_units(value, units):
    assert split_units(value) == units


# --------------------------------------------------------------------- robustness

# The seed, the text variants and the corpus of real-shaped documents (tab-separated table rows included).
_ALL_PLANS = [SEED, *sorted(FIXTURES.glob("*.txt")), *sorted((FIXTURES / "corpus").glob("*.txt"))]
_PLAN_KEYS = {
    "number",
    "place",
    "date",
    "title",
    "basis",
    "targets",
    "groups",
    "duties",
    "recipients",
    "signer",
    "events",
    "unplaced",
    "warnings",
}


def damaged(data, path, most: int, actions=("drop", "repeat", "move", "lower", "untab")) -> list[str]:
    """A document's lines after up to ``most`` random accidents: lost, repeated, moved, lowercased, or a table
    cell that lost its tab (the row shifts or leaves the table)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for _ in range(data.draw(st.integers(0, most))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(actions))
        if action == "drop" and len(lines) > 1:
            del lines[index]
        elif action == "repeat":
            lines.insert(index, lines[index])
        elif action == "move":
            lines.insert(data.draw(st.integers(0, len(lines) - 1)), lines.pop(index))
        elif action == "lower":
            lines[index] = lines[index].lower()
        elif action == "untab":
            lines[index] = lines[index].replace("\t", " ", 1)
    return lines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_plans_never_crash(data):
    """Whatever lines are lost, repeated or moved, the parser returns a well-formed dict."""
    lines = damaged(data, data.draw(st.sampled_from(_ALL_PLANS)), most=12)
    try:
        plan = parse_plan_text("\n".join(lines))
    except PlanParseError:
        return  # only for an empty text
    assert set(plan) == _PLAN_KEYS
    assert json.loads(json.dumps(plan, ensure_ascii=False)) == plan
    for task in _all_tasks(plan):
        assert task["code"] and isinstance(task["lead_units"], list)
        assert task["deadline"] is None or dt.date.fromisoformat(task["deadline"])
    assert all(target["year"] is None or isinstance(target["year"], int) for target in plan["targets"])
    assert all(isinstance(line, str) for line in plan["unplaced"])
    codes = [task["code"] for task in _all_tasks(plan)]
    assert all(task["detail_of"] is None or task["detail_of"] in codes for task in _all_tasks(plan))


# ------------------------------------------------------------------------- errors


def _assert_vietnamese_error(path, expected_start):
    with pytest.raises(PlanParseError) as caught:
        parse_plan_file(path)
    assert str(caught.value).startswith(expected_start)
    return str(caught.value)


def test_empty_file_is_rejected(tmp_path):
    (tmp_path / "rong.txt").write_bytes(b"")
    (tmp_path / "trang.txt").write_text("\n   \n\t\n", encoding="utf-8")
    _assert_vietnamese_error(tmp_path / "rong.txt", "Không tìm thấy nội dung văn bản trong tệp")
    _assert_vietnamese_error(tmp_path / "trang.txt", "Không tìm thấy nội dung văn bản trong tệp")
    with pytest.raises(PlanParseError):
        parse_plan_text("   \n")


def test_unsupported_extension_is_rejected(tmp_path):
    path = tmp_path / "ke_hoach.rtf"
    path.write_bytes(b"{\\rtf1 not supported}")
    assert _assert_vietnamese_error(path, "Định dạng tệp không được hỗ trợ") == (
        "Định dạng tệp không được hỗ trợ (chỉ .txt, .docx, .doc, .odt, .pdf, .jpg, .png)"
    )


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf"])
def test_garbage_binary_is_rejected(tmp_path, suffix):
    import random

    noise = random.Random(57).randbytes(4096)
    path = tmp_path / f"hong{suffix}"
    path.write_bytes(b"\x00\x01\x02" + noise)
    message = _assert_vietnamese_error(path, "Tệp không đọc được: ")
    assert "hong" in message or "nhị phân" in message


def test_non_utf8_text_is_rejected(tmp_path):
    path = tmp_path / "cp1258.txt"
    path.write_bytes(b"K\xca HO\xc3CH V\xe3n h\xf3a")  # legacy Windows-1258 bytes, not UTF-8
    assert "UTF-8" in _assert_vietnamese_error(path, "Tệp không đọc được: ")


def test_missing_file_is_rejected(tmp_path):
    _assert_vietnamese_error(tmp_path / "khong_co.docx", "Tệp không đọc được: ")


def test_text_that_is_not_a_plan_gives_warnings_not_errors():
    plan = parse_plan_text("Thông báo lịch họp thôn tháng 5.")
    assert plan["groups"] == [] and plan["title"] == ""
    assert 'Không tìm thấy tiêu đề "KẾ HOẠCH" trong văn bản.' in plan["warnings"]
    assert "Không tìm thấy nhiệm vụ, giải pháp nào trong kế hoạch." in plan["warnings"]


def test_repo_copy_of_the_seed_is_identical():
    if not SHARED_SEED.exists():
        pytest.skip("../shared/seed is not beside this checkout")
    assert REPO_SEED.read_bytes() == SHARED_SEED.read_bytes()
