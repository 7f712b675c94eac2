"""The reports part of the Nam Cường demo (after the budget's, which section IV reads): the first-half report
approved and waiting to be issued, and the year report as a draft. Idempotent; no LibreOffice needed (nothing is
issued)."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lantoa.budget import demo as budget_demo
from lantoa.plans.models import Plan

from . import drafting, periods, services
from .models import Report


@transaction.atomic
def load(commune) -> None:
    admin = get_user_model().objects.filter(is_superuser=True).first()
    plan = Plan.objects.filter(commune=commune, status=Plan.Status.ACTIVE).order_by("-year", "-version").first()
    if admin is None or plan is None or Report.objects.filter(commune=commune).exists():
        return
    budget_demo.load(commune)
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
