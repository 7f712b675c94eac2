"""The budget part of the Nam Cường demo: the year's approved estimate lines (one adjusted), a draft and a line
awaiting approval, and spending entries dated through the year. Idempotent; called by the reports' demo before
it drafts the first-half report, and by the demo discovery."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lantoa.plans.models import Plan, Task
from lantoa.tenancy.models import Unit

from .models import Adjustment, BudgetEvent, EstimateLine, Source, Spending, Status

# (task code, unit short name, content, estimate, source, [(month, day, amount, what, document no.)])
LINES = [
    (
        "1.1",
        "TTDVTH",
        "Duy trì chuyên mục Nghị quyết 57 trên Trang thông tin điện tử xã (nhuận bút, biên tập)",
        24_000_000,
        Source.COMMUNE_BUDGET,
        [(3, 31, 7_000_000, "Nhuận bút quý I", "PC-012"), (6, 28, 7_500_000, "Nhuận bút quý II", "PC-041")],
    ),
    (
        "1.2",
        "PVHCC",
        "Hội nghị, tọa đàm phổ biến Nghị quyết 57 và phong trào “Bình dân học vụ số”",
        30_000_000,
        Source.COMMUNE_BUDGET,
        [(4, 16, 21_600_000, "Hội nghị phổ biến Nghị quyết 57 toàn xã", "PC-027")],
    ),
    (
        "1.3",
        "TTDVTH",
        "Hoạt động hưởng ứng Ngày KH&CN Việt Nam, Ngày hội ĐMST, Ngày Chuyển đổi số quốc gia",
        45_000_000,
        Source.PROGRAMME,
        [(5, 18, 18_000_000, "Ngày KH&CN Việt Nam 18/5", "PC-033"), (10, 10, 12_000_000, "Ngày Chuyển đổi số", "")],
    ),
    (
        "1.4",
        "VH-XH",
        "Sửa chữa, thay thế cụm loa truyền thanh cơ sở; sản xuất bản tin",
        60_000_000,
        Source.PROVINCE_SUPPORT,
        [(6, 12, 12_500_000, "Thay 5 cụm loa thôn Nà Mò, Khuổi Khe", "HĐ 08/2026")],
    ),
    ("2.1", "VH-XH", "Bồi dưỡng kỹ năng số cho cán bộ, công chức", 20_000_000, Source.PROGRAMME, []),
    (
        "2.2",
        "VH-XH",
        "Sản xuất infographic, video ngắn, podcast",
        15_000_000,
        Source.SOCIALISED,
        [(5, 5, 6_000_000, "Video ngắn “Bình dân học vụ số”", "PC-030")],
    ),
]
# A second version of the radio line (approved in July), a draft and a line awaiting the leadership.
ADJUSTED = ("1.4", 75_000_000, "Bổ sung 3 cụm loa cho thôn mới sáp nhập theo Quyết định của UBND tỉnh.", 7, 15)
DRAFT = ("2.1", "VH-XH", "Tài liệu hướng dẫn kỹ năng số cho Tổ công nghệ số cộng đồng", 8_000_000)
SUBMITTED = ("1.1", "TTDVTH", "Thiết kế lại giao diện chuyên mục trên điện thoại", 12_000_000)


def _at(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 9, 0))


@transaction.atomic
def load(commune) -> None:
    admin = get_user_model().objects.filter(is_superuser=True).first()
    plan = Plan.objects.filter(commune=commune, status=Plan.Status.ACTIVE).order_by("-year", "-version").first()
    if admin is None or plan is None or EstimateLine.objects.filter(commune=commune).exists():
        return
    year, today = plan.year, timezone.localdate()
    tasks = {t.code: t for t in Task.objects.filter(plan=plan)}
    units = {u.short_name: u for u in Unit.objects.filter(commune=commune) if u.short_name}
    lines = {}
    for code, unit, title, amount, source, spent in LINES:
        line = EstimateLine.objects.create(
            commune=commune,
            year=year,
            task=tasks.get(code),
            unit=units.get(unit),
            title=title,
            amount=Decimal(amount),
            source=source,
            status=Status.APPROVED,
            approved_at=_at(year, 1, 20),
            approved_by=admin,
            created_by=admin,
        )
        BudgetEvent.record(line, "approve", admin)
        lines[code] = line
        for month, day, value, what, number in spent:
            if dt.date(year, month, day) <= today:
                Spending.objects.create(
                    commune=commune,
                    line=line,
                    date=dt.date(year, month, day),
                    amount=Decimal(value),
                    what=what,
                    document_number=number or "Chứng từ chưa đánh số",
                    created_by=admin,
                )
    code, amount, reason, month, day = ADJUSTED
    if _at(year, month, day).date() <= today:
        Adjustment.objects.create(
            commune=commune,
            line=lines[code],
            number=1,
            amount=Decimal(amount),
            reason=reason,
            status=Status.APPROVED,
            approved_at=_at(year, month, day),
            approved_by=admin,
            created_by=admin,
        )
    for (code, unit, title, amount), status in ((DRAFT, Status.DRAFT), (SUBMITTED, Status.SUBMITTED)):
        EstimateLine.objects.create(
            commune=commune,
            year=year,
            task=tasks.get(code),
            unit=units.get(unit),
            title=title,
            amount=Decimal(amount),
            status=status,
            created_by=admin,
        )
