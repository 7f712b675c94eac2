"""The reports part of the Nam Cường demo: the year's budget lines, the first-half report approved and waiting
to be issued, and the year report as a draft. Idempotent; no LibreOffice needed (nothing is issued)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lantoa.plans.models import Plan, Task
from lantoa.tenancy.models import Unit

from . import drafting, periods, services
from .models import BudgetLine, Report

# (task code, unit short name, content, estimate, spent or None, source)
BUDGET = [
    (
        "1.1",
        "TTDVTH",
        "Duy trì chuyên mục Nghị quyết 57 trên Trang thông tin điện tử xã (nhuận bút, biên tập)",
        24_000_000,
        14_500_000,
        BudgetLine.Source.COMMUNE_BUDGET,
    ),
    (
        "1.2",
        "PVHCC",
        "Hội nghị, tọa đàm phổ biến Nghị quyết 57 và phong trào “Bình dân học vụ số”",
        30_000_000,
        21_600_000,
        BudgetLine.Source.COMMUNE_BUDGET,
    ),
    (
        "1.3",
        "TTDVTH",
        "Hoạt động hưởng ứng Ngày KH&CN Việt Nam, Ngày hội ĐMST, Ngày Chuyển đổi số quốc gia",
        45_000_000,
        18_000_000,
        BudgetLine.Source.PROGRAMME,
    ),
    (
        "1.4",
        "VH-XH",
        "Sửa chữa, thay thế cụm loa truyền thanh cơ sở; sản xuất bản tin",
        60_000_000,
        12_500_000,
        BudgetLine.Source.PROVINCE_SUPPORT,
    ),
    ("2.1", "VH-XH", "Bồi dưỡng kỹ năng số cho cán bộ, công chức", 20_000_000, None, BudgetLine.Source.PROGRAMME),
    ("2.2", "VH-XH", "Sản xuất infographic, video ngắn, podcast", 15_000_000, 6_000_000, BudgetLine.Source.SOCIALISED),
]


@transaction.atomic
def load(commune) -> None:
    admin = get_user_model().objects.filter(is_superuser=True).first()
    plan = Plan.objects.filter(commune=commune, status=Plan.Status.ACTIVE).order_by("-year", "-version").first()
    if admin is None or plan is None or Report.objects.filter(commune=commune).exists():
        return
    tasks = {t.code: t for t in Task.objects.filter(plan=plan)}
    units = {u.short_name: u for u in Unit.objects.filter(commune=commune) if u.short_name}
    for code, unit, title, estimate, spent, source in BUDGET:
        BudgetLine.objects.create(
            commune=commune,
            year=plan.year,
            task=tasks.get(code),
            unit=units.get(unit),
            title=title,
            estimate=Decimal(estimate),
            spent=Decimal(spent) if spent is not None else None,
            source=source,
        )
    today = timezone.localdate()
    first_half = periods.for_kind("h1", plan.year)
    if first_half.start <= today:
        report = services.create_draft(admin, commune, first_half)
        services.save_sections(admin, report, sections=_written_by_the_commune(report))
        services.submit(admin, report)
        services.approve(admin, report, "Đồng ý nội dung; trình ký ban hành.")
    year = periods.for_kind("year", plan.year)
    if year.start <= today and today > first_half.end:
        services.create_draft(admin, commune, year)


# What the demo commune wrote where the draft left the judgement to it (causes, lessons).
WRITTEN = {
    "causes": (
        "a) Nguyên nhân khách quan: địa bàn rộng, nhiều thôn vùng cao, hạ tầng mạng và hệ thống truyền thanh ở một "
        "số thôn còn hạn chế; kinh phí cho công tác truyền thông chưa được bố trí riêng.\n"
        "b) Nguyên nhân chủ quan: một số đơn vị chưa cập nhật kịp thời kết quả thực hiện; đội ngũ làm công tác "
        "truyền thông cấp xã còn kiêm nhiệm, chưa được đào tạo chuyên sâu."
    ),
    "lessons": (
        "Sự vào cuộc của người đứng đầu và việc giao nhiệm vụ rõ đơn vị, rõ thời hạn là yếu tố quyết định; đưa "
        "thông tin đến từng hộ qua Tổ công nghệ số cộng đồng đạt hiệu quả cao hơn các hình thức chỉ đăng tải trên mạng."
    ),
}


def _written_by_the_commune(report) -> dict[str, str]:
    """Every section still holding “[Xã viết: …]”: the demo's own text, or the bracket taken out."""
    out = {}
    for key in drafting.unwritten(report.sections):
        out[key] = (
            WRITTEN.get(key) or re.sub(r"\s*\[Xã viết: [^\]]*\]", "", report.sections[key]).strip() or "Không có."
        )
    return out
