"""The report's sections on partners and on external information, read with the report's cut-off.

``facts(commune, year, start, as_of)`` counts only what is dated up to the cut-off: a plan counts when it was
submitted by then, an activity (a partner's or an external one) when it took place by then and within the report's
period, whenever it was typed in (a report drafted after its period still sees activities reported late).
``partners_text`` and ``external_text`` write the Vietnamese paragraphs from those facts (JSON-able, kept in
the report's snapshot).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Sum
from django.utils import timezone, translation

from lantoa.tenancy import numbers

from .models import CommunicationPlan, ExternalActivity, Partner, PartnerActivity


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def facts(commune, year: int, start: dt.date, as_of: dt.date) -> dict:
    until = _end_of(as_of)
    active = Partner.objects.filter(commune=commune, active=True)
    plans = CommunicationPlan.objects.filter(
        commune=commune,
        year=year,
        partner__in=active,
        status__in=[CommunicationPlan.Status.SUBMITTED, CommunicationPlan.Status.ACCEPTED],
        submitted_at__lt=until,
    ).select_related("partner")
    acts = PartnerActivity.objects.filter(commune=commune, date__gte=start, date__lte=as_of)
    external = ExternalActivity.objects.filter(commune=commune, date__gte=start, date__lte=as_of).order_by("date", "pk")
    with translation.override("vi"):
        kinds = Counter(str(ExternalActivity.Kind(e.kind).label) for e in external)
        partner_kinds = Counter(str(Partner.Kind(p.kind).label) for p in active)
    return {
        "year": year,
        "start": start.isoformat(),
        "as_of": as_of.isoformat(),
        "partners": active.count(),
        "partner_kinds": dict(partner_kinds),
        "with_plan": sorted(p.partner.name for p in plans),
        "activities": acts.count(),
        "active_partners": acts.values("partner").distinct().count(),
        "people_reached": acts.aggregate(n=Sum("people_reached"))["n"] or 0,
        "science_tasks_publicised": acts.filter(publication__isnull=False).values("science_task").distinct().count(),
        "external": [
            {"date": e.date.isoformat(), "title": e.title, "counterparts": e.counterparts, "result": e.result}
            for e in external[:20]
        ],
        "external_count": external.count(),
        "external_kinds": dict(kinds),
    }


def _date(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


def partners_text(f: dict) -> str:
    if not f["partners"]:
        return (
            "Chưa có doanh nghiệp, cơ sở sản xuất, tổ chức khoa học và công nghệ nào được cập nhật vào danh sách "
            "đối tác thực hiện Kế hoạch trên hệ thống."
        )
    kinds = ", ".join(f"{numbers.count(n)} {k.lower()}" for k, n in sorted(f["partner_kinds"].items()))
    text = (
        f"Trên địa bàn có {numbers.count(f['partners'])} doanh nghiệp, cơ sở, tổ chức tham gia thực hiện Kế hoạch "
        f"({kinds}); đến ngày {_date(f['as_of'])}, {numbers.count(len(f['with_plan']))}/"
        f"{numbers.count(f['partners'])} đơn vị đã gửi kế hoạch truyền thông năm {f['year']}"
    )
    if f["with_plan"]:
        text += " (" + "; ".join(f["with_plan"][:10]) + ("; …" if len(f["with_plan"]) > 10 else "") + ")"
    text += ". "
    if f["activities"]:
        text += (
            f"Từ ngày {_date(f['start'])} đến ngày {_date(f['as_of'])}, {numbers.count(f['active_partners'])} đơn vị "
            f"đã tổ chức {numbers.count(f['activities'])} hoạt động truyền thông, tiếp cận "
            f"{numbers.count(f['people_reached'])} lượt người"
        )
        if f["science_tasks_publicised"]:
            text += (
                f"; công bố, phổ biến kết quả của {numbers.count(f['science_tasks_publicised'])} nhiệm vụ khoa học "
                "và công nghệ"
            )
        text += "."
    else:
        text += f"Đến ngày {_date(f['as_of'])}, chưa có hoạt động truyền thông nào của các đơn vị được báo cáo."
    return text


def external_text(f: dict) -> str:
    if not f["external_count"]:
        return (
            f"Từ ngày {_date(f['start'])} đến ngày {_date(f['as_of'])}, chưa có hoạt động thông tin đối ngoại, "
            "hợp tác quốc tế về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số được ghi nhận."
        )
    kinds = ", ".join(f"{numbers.count(n)} {k.lower()}" for k, n in sorted(f["external_kinds"].items()))
    lines = [
        f"Từ ngày {_date(f['start'])} đến ngày {_date(f['as_of'])}, thực hiện "
        f"{numbers.count(f['external_count'])} hoạt động thông tin đối ngoại, hợp tác quốc tế ({kinds}):"
    ]
    for e in f["external"]:
        line = f"- {_date(e['date'])}: {e['title']}"
        if e["counterparts"]:
            line += f" ({e['counterparts']})"
        if e["result"]:
            line += f"; kết quả: {e['result']}"
        lines.append(line + ".")
    return "\n".join(lines)
