"""The partners part of the Nam Cường demo: a few enterprises, a research body and a school with their plans of the
year (two submitted, one asked for, one not yet), some activities reported, and two external-information records.
Idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from lantoa.tenancy.models import Commune, Unit

from .models import CommunicationPlan, ExternalActivity, Partner, PartnerActivity, PartnerLink

PARTNERS = [
    # name, kind, tax code, sector, plan status
    ("Công ty TNHH Chè Nam Cường", Partner.Kind.PRIVATE_ENTERPRISE, "4700123456", "Chế biến chè", "accepted"),
    ("Hợp tác xã Nông nghiệp số Bản Lạ", Partner.Kind.PRODUCTION, "", "Nông nghiệp", "submitted"),
    ("Nhà máy Thủy điện Nậm Cường", Partner.Kind.STATE_ENTERPRISE, "4700654321-002", "Năng lượng", "requested"),
    ("Trạm Nghiên cứu Giống cây trồng miền núi", Partner.Kind.RESEARCH, "", "Nghiên cứu nông nghiệp", ""),
    ("Trường Trung học phổ thông Nam Cường", Partner.Kind.SCHOOL, "", "Giáo dục", ""),
]


def _plan_document() -> ContentFile:
    """A one-page PDF standing for the partner's signed plan."""
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    body += b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return ContentFile(body, name="ke-hoach-truyen-thong.pdf")


@transaction.atomic
def load(commune: Commune) -> None:
    if Partner.objects.filter(commune=commune).exists():
        return
    today = timezone.localdate()
    year = today.year
    now = timezone.now()
    for index, (name, kind, tax_code, sector, status) in enumerate(PARTNERS):
        partner = Partner.objects.create(
            commune=commune,
            name=name,
            kind=kind,
            tax_code=tax_code,
            sector=sector,
            address=f"Xã {commune.short_name}",
        )
        if not status:
            continue
        plan = CommunicationPlan(commune=commune, partner=partner, year=year, status=status)
        if status in ("submitted", "accepted"):
            plan.file = _plan_document()
            plan.file_name = "ke-hoach-truyen-thong.pdf"
            plan.main_activities = "Hội nghị phổ biến Nghị quyết 57 cho người lao động\nBản tin chuyển đổi số hằng quý"
            plan.start_date, plan.end_date = dt.date(year, 1, 1), dt.date(year, 12, 31)
            plan.submitted_at = now - dt.timedelta(days=40 - index)
            plan.accepted_at = now - dt.timedelta(days=20) if status == "accepted" else None
        plan.save()
        # The demo's links are never shown: their tokens are thrown away at once (only a hash is kept).
        PartnerLink.objects.create(
            commune=commune,
            partner=partner,
            year=year,
            token_hash=hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest(),
            expires_on=today + dt.timedelta(days=45),
        )
        if status in ("submitted", "accepted"):
            for days, text, people in (
                (60, "Hội nghị phổ biến Nghị quyết 57 cho công nhân", 85),
                (12, "Bản tin chuyển đổi số quý", 240),
            ):
                day = max(dt.date(year, 1, 2), today - dt.timedelta(days=days + index))
                PartnerActivity.objects.create(
                    commune=commune, partner=partner, year=year, date=day, description=text, people_reached=people
                )
    unit = Unit.objects.filter(commune=commune, kind=Unit.Kind.LEAD_CENTRE).first()
    for days, kind, title, who, result in (
        (
            75,
            ExternalActivity.Kind.DELEGATION,
            "Đón đoàn doanh nghiệp Hàn Quốc tìm hiểu mô hình chè số",
            "Hàn Quốc",
            "Trao đổi về truy xuất nguồn gốc sản phẩm chè",
        ),
        (
            20,
            ExternalActivity.Kind.FOREIGN_MATERIAL,
            "Tờ gấp giới thiệu dịch vụ công trực tuyến bằng tiếng Anh",
            "",
            "In 500 tờ, phát tại bộ phận một cửa",
        ),
    ):
        ExternalActivity.objects.create(
            commune=commune,
            kind=kind,
            date=max(dt.date(year, 1, 2), today - dt.timedelta(days=days)),
            title=title,
            counterparts=who,
            unit=unit,
            result=result,
        )
