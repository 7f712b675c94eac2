"""The demo plan: xã Nam Cường's 2026 plan imported from its text, with a year of plausible activities."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from lantoa.tenancy.models import Unit

from . import services
from .models import Activity, Channel, Plan, Task

SEED = Path(__file__).resolve().parent / "demo_data" / "ke-hoach-57-xa-nam-cuong-2026.txt"

# What each task's units typically do: (title, channel, audience, people range)
ACTIVITY_TEMPLATES = {
    "1.1": [
        (
            "Đăng tin bài về Nghị quyết 57 trên chuyên mục của Trang thông tin điện tử xã",
            Channel.WEB_COLUMN,
            "Người dân",
            (0, 0),
        ),
        ("Chia sẻ bài viết chuyên mục lên trang Facebook và Zalo OA của xã", Channel.SOCIAL, "Người dân", (0, 0)),
    ],
    "1.2": [
        (
            "Hội nghị phổ biến chuyên đề Nghị quyết 57-NQ/TW",
            Channel.CONFERENCE,
            "Cán bộ, công chức, viên chức",
            (45, 90),
        ),
        (
            "Tọa đàm “Bình dân học vụ số” với người dân và doanh nghiệp",
            Channel.CONFERENCE,
            "Người dân, doanh nghiệp",
            (30, 70),
        ),
    ],
    "1.3": [
        (
            "Hoạt động hưởng ứng Ngày Khoa học và Công nghệ Việt Nam",
            Channel.CONFERENCE,
            "Học sinh, người dân",
            (80, 200),
        ),
        (
            "Triển lãm sản phẩm chuyển đổi số nhân Ngày Chuyển đổi số quốc gia",
            Channel.CONFERENCE,
            "Người dân",
            (100, 250),
        ),
    ],
    "1.4": [
        ("Phát bản tin Nghị quyết 57 trên hệ thống truyền thanh cơ sở", Channel.RADIO, "Người dân các thôn", (0, 0)),
        (
            "Tổ công nghệ số cộng đồng đến từng hộ hướng dẫn và tuyên truyền",
            Channel.COMMUNITY_TEAM,
            "Hộ gia đình",
            (20, 60),
        ),
    ],
    "2.1": [("Bồi dưỡng trực tuyến cho cán bộ về kỹ năng số", Channel.TRAINING, "Cán bộ, công chức", (15, 40))],
    "2.2": [
        ("Xuất bản infographic và video ngắn về khoa học, công nghệ", Channel.WEB_COLUMN, "Học sinh, người dân", (0, 0))
    ],
    "2.3": [("Ngoại khóa “Em yêu khoa học” tại Trường THCS", Channel.SCHOOL, "Học sinh, giáo viên", (120, 300))],
    "3.1": [
        (
            "Làm việc với doanh nghiệp về kế hoạch truyền thông đổi mới sáng tạo",
            Channel.ENTERPRISE,
            "Doanh nghiệp",
            (5, 15),
        )
    ],
    "3.2": [("Tổng hợp đề xuất kinh phí truyền thông của các đơn vị", Channel.OTHER, "Các đơn vị", (0, 0))],
    "4": [
        ("Giới thiệu kết quả nghiên cứu ứng dụng giống lúa mới trên chuyên mục", Channel.WEB_COLUMN, "Nông dân", (0, 0))
    ],
    "5": [("Tiếp đoàn khảo sát về chuyển đổi số nông nghiệp", Channel.CONFERENCE, "Đối tác", (10, 25))],
}
QUIET_TASKS = {"3.2", "5"}  # left without recent activity, so the leadership page shows what is late


@transaction.atomic
def load(commune) -> None:
    if Plan.objects.filter(commune=commune).exists():
        return
    admin = get_user_model().objects.filter(is_superuser=True).first()
    if admin is None:
        return
    upload = SimpleUploadedFile(SEED.name, SEED.read_bytes(), content_type="text/plain")
    plan = services.start_import(admin, commune, upload)
    matches = services.unit_matches(plan)
    choices = {m.name: m.default_choice for m in matches}
    services.confirm_import(admin, plan, unit_choices=choices, indicator_codes=services.suggested_indicators(plan))
    _activities(commune, plan, admin)
    _obstacles(commune, plan, admin)


def _activities(commune, plan, user) -> None:
    rng = random.Random(2026)
    today = timezone.localdate()
    start = dt.date(plan.year, 1, 5)
    hamlets = ["Nà Pài", "Bản Chang", "Nà Lẹng", "Khuổi Tát", "Pác Nặm", "Nà Kham"]
    rows = []
    for task in Task.objects.filter(plan=plan).prefetch_related("lead_units"):
        units = list(task.lead_units.all()) or list(Unit.objects.filter(commune=commune, kind=Unit.Kind.LEAD_CENTRE))
        templates = ACTIVITY_TEMPLATES.get(task.code, [("Hoạt động triển khai nhiệm vụ", Channel.OTHER, "", (0, 0))])
        day = start + dt.timedelta(days=rng.randint(0, 20))
        end = today - dt.timedelta(days=70) if task.code in QUIET_TASKS else today
        while day <= end:
            title, channel, audience, (low, high) = rng.choice(templates)
            rows.append(
                Activity(
                    commune=commune,
                    task=task,
                    unit=rng.choice(units),
                    title=title,
                    date=day,
                    channel=channel,
                    audience=audience,
                    people_count=rng.randint(low, high) if high else 0,
                    location=f"Thôn {rng.choice(hamlets)}"
                    if channel in (Channel.COMMUNITY_TEAM, Channel.RADIO)
                    else "Hội trường UBND xã",
                    created_by=user,
                )
            )
            day += dt.timedelta(days=rng.randint(18, 40))
    Activity.objects.bulk_create(rows)


def _obstacles(commune, plan, user) -> None:
    tasks = {t.code: t for t in Task.objects.filter(plan=plan)}
    vhxh = (
        Unit.objects.filter(commune=commune, short_name="VH-XH").first() or Unit.objects.filter(commune=commune).first()
    )
    ttdv = Unit.objects.filter(commune=commune, short_name="TTDVTH").first() or vhxh
    first = services.raise_obstacle(
        user,
        commune,
        unit=ttdv,
        task=tasks.get("1.4"),
        title="Cụm loa thôn Khuổi Tát hỏng, chưa phát được bản tin",
        description="Cụm loa thôn Khuổi Tát bị hỏng bộ thu từ tháng 9, người dân trong thôn chưa nghe được bản tin.",
        proposal="Đề nghị bố trí kinh phí sửa chữa, thay bộ thu phát mới.",
    )
    services.move_obstacle(user, first, "escalate", "Đề nghị lãnh đạo UBND xã xem xét bố trí kinh phí.")
    second = services.raise_obstacle(
        user,
        commune,
        unit=vhxh,
        task=tasks.get("2.1"),
        title="Thiếu máy chiếu cho lớp bồi dưỡng kỹ năng số",
        description="Hội trường chưa có máy chiếu, các lớp bồi dưỡng phải mượn thiết bị của trường học.",
    )
    services.move_obstacle(user, second, "answer", "Giao Văn phòng bố trí máy chiếu dùng chung từ quý IV.")
    services.raise_obstacle(
        user,
        commune,
        unit=vhxh,
        task=tasks.get("1.3"),
        title="Chưa có tài liệu tuyên truyền bằng tiếng Tày",
        description="Một số thôn người cao tuổi chủ yếu dùng tiếng Tày, cần tài liệu và bản tin song ngữ.",
        proposal="Phối hợp với Hội Người cao tuổi biên dịch tài liệu.",
    )
