"""The report's paragraph on meetings and events, drafted from the events' records as of the report's cut-off.

Read by ``reports.drafting`` (the report is written in Vietnamese whatever the user's language, as the rest of the
draft). Only events held from the period's start up to the cut-off day count, and only their attendance recorded up
to that day; cancelled events are left out.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from lantoa.tenancy import numbers
from lantoa.tenancy.models import Commune

from .models import Attendance, Event, Invitation

KIND_VI = {
    Event.Kind.CONFERENCE: "hội nghị",
    Event.Kind.THEMATIC: "buổi sinh hoạt chuyên đề",
    Event.Kind.SEMINAR: "hội thảo, tọa đàm",
    Event.Kind.HAMLET_TALK: "buổi nói chuyện tại thôn, tổ dân phố",
    Event.Kind.EXHIBITION: "triển lãm, trưng bày",
    Event.Kind.COMPETITION: "ngày hội thi",
}


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    last = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return first, last


def facts(commune: Commune, start: dt.date, end: dt.date) -> dict:
    """What happened in events from ``start`` to the cut-off ``end`` (inclusive), as plain JSON-able values."""
    first, last = _bounds(start, end)
    events = Event.objects.filter(commune=commune, starts_at__gte=first, starts_at__lt=last).exclude(
        status=Event.Status.CANCELLED
    )
    present = Attendance.objects.filter(event__in=events, checked_at__lt=last)
    held = events.filter(pk__in=present.values("event_id"))
    by_kind = dict(held.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    officials = present.filter(invitation__staff__isnull=False).values("invitation__staff_id").distinct().count()
    households = (
        present.filter(invitation__household__isnull=False).values("invitation__household_id").distinct().count()
    )
    invited = Invitation.objects.filter(event__in=held).exclude(status=Invitation.Status.CANCELLED)
    examples = (
        held.annotate(n=Count("attendances", filter=Q(attendances__checked_at__lt=last)))
        .order_by("-n", "starts_at")
        .values("title", "starts_at", "place", "n")[:3]
    )
    return {
        "held": held.count(),
        "by_kind": {k: by_kind[k] for k in Event.Kind.values if k in by_kind},
        "attendances": present.count(),
        "invited": invited.count(),
        "officials": officials,
        "households": households,
        "walk_ins": present.filter(invitation__kind=Invitation.Kind.WALK_IN).count(),
        "makeup": held.exclude(makeup_period="").count(),
        "national": held.exclude(key="").count(),
        "examples": [
            {
                "title": e["title"],
                "date": timezone.localtime(e["starts_at"]).date().isoformat(),
                "place": e["place"],
                "people": e["n"],
            }
            for e in examples
        ],
    }


def _n(value: int) -> str:
    return numbers.count(value)


def paragraph(data: dict | None) -> list[str]:
    """The paragraph's lines (none when no event was held in the period)."""
    if not data or not data.get("held"):
        return []
    kinds = "; ".join(f"{_n(n)} {KIND_VI.get(k, k)}" for k, n in data["by_kind"].items())
    text = (
        f"Hội nghị, sinh hoạt chuyên đề và sự kiện: tổ chức {_n(data['held'])} sự kiện ({kinds}), với "
        f"{_n(data['attendances'])} lượt tham dự được điểm danh trên {_n(data['invited'])} giấy mời"
    )
    parts = []
    if data["officials"]:
        parts.append(f"{_n(data['officials'])} cán bộ, công chức, viên chức")
    if data["households"]:
        parts.append(f"{_n(data['households'])} hộ gia đình")
    if data["walk_ins"]:
        parts.append(f"{_n(data['walk_ins'])} người đến dự không có giấy mời")
    if parts:
        text += "; trong đó " + ", ".join(parts)
    lines = [text + "."]
    extra = []
    if data["makeup"]:
        extra.append(f"{_n(data['makeup'])} buổi bù cho cán bộ chưa được thông tin")
    if data["national"]:
        extra.append(f"{_n(data['national'])} sự kiện hưởng ứng các ngày 18/5, 1/10, 10/10")
    if extra:
        lines.append("Trong số đó có " + "; ".join(extra) + ".")
    if data["examples"]:
        items = []
        for e in data["examples"]:
            day = dt.date.fromisoformat(e["date"]).strftime("%d/%m/%Y")
            place = f", tại {e['place']}" if e["place"] else ""
            items.append(f"{e['title']} (ngày {day}{place}, {_n(e['people'])} người tham dự)")
        lines.append("Sự kiện tiêu biểu: " + "; ".join(items) + ".")
    return lines
