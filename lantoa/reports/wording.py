"""The document's Vietnamese: numbers, dates, channel phrases, statuses.

The report is an official Vietnamese document whatever the interface language, so its wording lives
here as Vietnamese text (not gettext); numbers are written as Vietnamese officials write them
(1.234; 12,5%).
"""

from __future__ import annotations

from lantoa.reach.indicators import IndicatorStatus
from lantoa.tenancy import numbers
from lantoa.tenancy.decree30 import date, place_date, strip_end  # noqa: F401 — the report's words use the form's

# --- Numbers and dates --------------------------------------------------------------------------------

# The project's one number format (lantoa.tenancy.numbers), with Vietnamese separators whatever the interface
# language: 1.234.567; 12,3; 12%; 1.250.000 đồng.
number = numbers.number
percent = numbers.percent
money = numbers.money


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def join(parts: list[str]) -> str:
    """“a, b và c”."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


# --- Channels of activities (plans.Channel) -------------------------------------------------------------

# (what n activities of the channel are, what the people count means), as a phrase after the unit's name.
CHANNEL_PHRASES = {
    "web_column": (
        "đăng {n} tin, bài trên chuyên mục Nghị quyết số 57-NQ/TW của Trang thông tin điện tử xã",
        "với {p} lượt người đọc",
    ),
    "social": ("chia sẻ {n} tin, bài trên các nền tảng mạng xã hội của xã", "với {p} lượt người tiếp cận"),
    "radio": ("phát {n} bản tin trên hệ thống truyền thanh cơ sở", "với {p} lượt người nghe"),
    "community_team": (
        "tổ chức {n} đợt Tổ công nghệ số cộng đồng đến từng hộ gia đình tuyên truyền, hướng dẫn",
        "tiếp cận {p} lượt người",
    ),
    "conference": ("tổ chức {n} hội nghị, hội thảo, tọa đàm, sự kiện", "với {p} lượt người tham dự"),
    "school": ("tổ chức {n} hoạt động tuyên truyền tại các trường học", "với {p} lượt học sinh, giáo viên tham gia"),
    "enterprise": ("tổ chức {n} hoạt động tuyên truyền, làm việc với doanh nghiệp", "với {p} lượt người tham gia"),
    "board": ("cập nhật {n} lượt tin trên bảng tin, pano, áp phích", "với {p} lượt người tiếp cận"),
    "training": ("tổ chức {n} lớp đào tạo, bồi dưỡng", "với {p} lượt học viên"),
    "other": ("thực hiện {n} hoạt động khác", "với {p} lượt người tham gia"),
}

# Short names of the channels' products, for the summary of the period.
CHANNEL_TOTALS = {
    "web_column": "{n} tin, bài trên chuyên mục của Trang thông tin điện tử xã",
    "social": "{n} tin, bài chia sẻ trên mạng xã hội",
    "radio": "{n} bản tin phát trên hệ thống truyền thanh cơ sở",
    "community_team": "{n} đợt Tổ công nghệ số cộng đồng đến hộ gia đình",
    "conference": "{n} hội nghị, hội thảo, tọa đàm, sự kiện",
    "school": "{n} hoạt động tại trường học",
    "enterprise": "{n} hoạt động với doanh nghiệp",
    "board": "{n} lượt cập nhật bảng tin",
    "training": "{n} lớp đào tạo, bồi dưỡng",
    "other": "{n} hoạt động khác",
}

CHANNEL_ORDER = list(CHANNEL_PHRASES)


def channel_phrase(channel: str, n: int, people: int) -> str:
    what, who = CHANNEL_PHRASES.get(channel, CHANNEL_PHRASES["other"])
    text = what.format(n=number(n))
    if people:
        text += " " + who.format(p=number(people))
    return text


# --- Statuses -----------------------------------------------------------------------------------------

TASK_STATUS = {
    "not_started": "chưa triển khai",
    "in_progress": "đang triển khai",
    "late": "chậm tiến độ",
    "done": "đã hoàn thành",
}

# The indicators' statuses (lantoa.reach.indicators.IndicatorStatus), in the document's words.
INDICATOR_STATUS = {
    IndicatorStatus.ACHIEVED: "Đạt",
    IndicatorStatus.ON_TRACK: "Đúng tiến độ",
    IndicatorStatus.BEHIND: "Chậm tiến độ",
    IndicatorStatus.IN_PROGRESS: "Đang thực hiện",
    IndicatorStatus.NO_TARGET: "Chưa có mục tiêu",
    IndicatorStatus.NO_DATA: "Chưa có số liệu",
}

OBSTACLE_STATUS = {
    "open": "mới phát sinh",
    "escalated": "đã báo cáo lãnh đạo UBND xã",
    "answered": "đã có ý kiến chỉ đạo",
    "closed": "đã giải quyết",
}

BUDGET_SOURCE = {
    "commune": "Ngân sách xã",
    "province": "Ngân sách tỉnh hỗ trợ",
    "programme": "Lồng ghép chương trình",
    "socialised": "Xã hội hóa",
    "other": "Nguồn hợp pháp khác",
}

# The indicators in the document's words (by the engine's codes); an unknown code keeps the engine's name.
INDICATOR_NAMES = {
    "officials_informed": "Lãnh đạo, cán bộ, công chức, viên chức thường xuyên được tuyên truyền, phổ biến về "
    "Nghị quyết số 57-NQ/TW",
    "residents_reached": "Người dân tiếp cận thông tin thông qua hệ thống thông tin cơ sở",
    "residents_recorded": "Người dân được ghi nhận đã tiếp cận (cận dưới, tham khảo)",
    "radio_coverage": "Người dân trong vùng phủ sóng của hệ thống truyền thanh cơ sở (tham khảo)",
    "survey_reached": "Người dân được tiếp cận thông tin theo kết quả khảo sát hộ gia đình (ước tính, tham khảo)",
    "science_tasks_publicised": "Nhiệm vụ khoa học và công nghệ sử dụng ngân sách nhà nước được truyền thông, phổ biến",
    "comms_staff_trained": "Cán bộ, công chức phụ trách truyền thông, thông tin cơ sở được đào tạo chuyên sâu về kỹ "
    "năng truyền thông số",
    "column_alive": "Duy trì chuyên mục Nghị quyết số 57-NQ/TW (số tháng có tin, bài)",
    "awards_held": "Tổ chức khen thưởng về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số hằng năm",
}

INDICATOR_SHORT = {
    "officials_informed": "CB, CC, VC được phổ biến",
    "residents_reached": "Người dân được tiếp cận",
    "science_tasks_publicised": "Nhiệm vụ KH&CN được truyền thông",
    "comms_staff_trained": "CB truyền thông được đào tạo",
    "column_alive": "Duy trì chuyên mục",
    "awards_held": "Khen thưởng hằng năm",
}


def indicator_name(row: dict) -> str:
    return INDICATOR_NAMES.get(row["code"], row.get("name", row["code"]))


def indicator_short(row: dict) -> str:
    return INDICATOR_SHORT.get(row["code"], row.get("short_name") or row["code"])


def achievement(row: dict) -> float | None:
    """“Tỷ lệ đạt”: the share of the target reached (value ÷ target), in percent, from the unrounded value
    (numerator ÷ denominator) and rounded once; None without a value and a target."""
    return numbers.achievement(row.get("value"), row.get("target"), row.get("numerator"), row.get("denominator"))
