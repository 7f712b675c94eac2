"""The report's facts and text about training and contests (read by reports.drafting with the report's cut-off:
only records dated up to it count).

``facts`` returns a JSON-able snapshot; ``paragraphs`` writes the Vietnamese sentences of the section "Kết quả
thực hiện" from it. The trained-in-depth figure itself stays reach's indicator (section III of the report).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from lantoa.tenancy.numbers import count

from . import selectors
from .models import Contest, ContestEntry, CourseCompletion, ExternalCertificate


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def facts(commune_id: int, start: dt.date, as_of: dt.date) -> dict:
    """What was done from ``start`` to ``as_of`` (inclusive), counted from the records dated up to ``as_of``."""
    completions = CourseCompletion.objects.filter(commune_id=commune_id, completed_on__range=(start, as_of))
    approved = ExternalCertificate.objects.filter(
        commune_id=commune_id,
        status=ExternalCertificate.Status.APPROVED,
        issued_on__range=(start, as_of),
        reviewed_at__lt=_end_of(as_of),
    )
    serving = selectors.comms_staff(commune_id, as_of)
    trained = selectors.trained_in_depth_ids(commune_id, as_of)
    until = _end_of(as_of)
    contests = []
    for contest in Contest.objects.filter(commune_id=commune_id, opens_at__lt=until).filter(
        Q(closes_at__gte=_end_of(start - dt.timedelta(days=1)))
    ):
        entries = ContestEntry.objects.filter(contest=contest, submitted_at__lt=until)
        contests.append(
            {
                "title": contest.title,
                "opens_at": f"{timezone.localtime(contest.opens_at):%d/%m/%Y}",
                "closes_at": f"{timezone.localtime(contest.closes_at):%d/%m/%Y}",
                "entries": entries.count(),
                "paper": entries.filter(source=ContestEntry.Source.PAPER).count(),
                "households": entries.exclude(reach_contact=None).count(),
                "winners_published": bool(contest.results_published_at and contest.results_published_at < until),
                "prizes": len(contest.prize_list()),
            }
        )
    return {
        "courses_completed": completions.count(),
        "staff_completed": completions.values("user").distinct().count(),
        "courses": sorted(set(completions.values_list("course__title", flat=True))),
        "external_approved": approved.count(),
        "comms_staff": serving.count(),
        "comms_trained": sum(1 for pk in serving.values_list("pk", flat=True) if pk in trained),
        "contests": contests,
    }


def paragraphs(data: dict | None) -> list[str]:
    """The sentences of the report about training and contests (none when nothing happened)."""
    if not data:
        return []
    lines = []
    if data["courses_completed"] or data["external_approved"]:
        text = "Về bồi dưỡng, đào tạo cán bộ: "
        parts = []
        if data["courses_completed"]:
            parts.append(
                f"{count(data['staff_completed'])} lượt cán bộ hoàn thành khóa học trực tuyến của xã "
                f"({'; '.join(data['courses'])}), được cấp chứng nhận có mã xác minh"
            )
        if data["external_approved"]:
            parts.append(f"{count(data['external_approved'])} chứng nhận đào tạo bên ngoài được đầu mối xác nhận")
        text += "; ".join(parts)
        if data["comms_staff"]:
            text += (
                f". Đến ngày báo cáo, {count(data['comms_trained'])}/{count(data['comms_staff'])} cán bộ, công chức "
                f"phụ trách truyền thông đã được đào tạo chuyên sâu"
            )
        lines.append(text + ".")
    for contest in data["contests"]:
        text = (
            f"Tổ chức {contest['title']} (từ ngày {contest['opens_at']} đến ngày "
            f"{contest['closes_at']}) với {count(contest['entries'])} bài dự thi"
        )
        if contest["paper"]:
            text += f" (trong đó {count(contest['paper'])} bài giấy)"
        if contest["households"]:
            text += f", {count(contest['households'])} hộ gia đình tham gia"
        if contest["winners_published"]:
            text += f"; đã công bố {count(contest['prizes'])} giải"
        lines.append(text + ".")
    return lines
