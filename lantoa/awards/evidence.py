"""The evidence the system already holds for a nominee, read as of a day: the nomination form shows it read-only
and the nomination keeps it as it was on that day (a snapshot), so the council scores what the nominator saw.

The window is the twelve months up to the day (``window``). What is read, per kind of nominee:

* a unit (body): its activities under the plan and the people they reached; contacts per hamlet under its
  activities; column items it is responsible for, published; loudspeaker broadcasts of bulletins its staff
  made; briefings under its activities; in-depth training completed by its staff;
* a hamlet (a model, or its community digital team): contacts and households reached there, broadcasts covering it;
* a staff member (individual): training completed, briefings attended, column items they authored, published.

Only records of the nominee's own commune are read; every figure counts records dated up to the day.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Sum

from lantoa.column.models import ColumnItemPage
from lantoa.plans.models import Activity
from lantoa.radio.models import Airing
from lantoa.reach.models import Briefing, Broadcast, Contact, TrainingCompletion
from lantoa.tenancy.models import Hamlet, Staff, Unit

WINDOW_DAYS = 365
LISTED = 5  # titles listed per kind of record; the figures count them all


def window(as_of: dt.date) -> tuple[dt.date, dt.date]:
    return as_of - dt.timedelta(days=WINDOW_DAYS - 1), as_of


def _fmt(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _items(pages, start, end) -> dict:
    live = pages.filter(live=True, first_published_at__date__gte=start, first_published_at__date__lte=end).order_by(
        "-first_published_at"
    )
    return {"count": live.count(), "titles": list(live.values_list("title", flat=True)[:LISTED])}


def _broadcasts(commune_id: int, start, end, *, hamlet=None, airing_ids=None) -> int:
    rows = Broadcast.objects.filter(
        commune_id=commune_id, cancelled_at__isnull=True, broadcast_at__date__gte=start, broadcast_at__date__lte=end
    )
    if hamlet is not None:
        rows = rows.filter(hamlets=hamlet)
    if airing_ids is not None:
        rows = rows.filter(key__in=[f"radio:{pk}" for pk in airing_ids])
    return rows.distinct().count()


def _contacts_per_hamlet(contacts) -> list[dict]:
    rows = (
        contacts.values("hamlet__name")
        .annotate(contacts=Count("pk"), households=Count("household", distinct=True), people=Sum("people"))
        .order_by("hamlet__name")
    )
    return [
        {
            "hamlet": r["hamlet__name"] or "—",
            "contacts": r["contacts"],
            "households": r["households"],
            "people": r["people"] or 0,
        }
        for r in rows
    ]


def for_unit(unit: Unit, as_of: dt.date) -> dict:
    start, end = window(as_of)
    cid = unit.commune_id
    acts = Activity.objects.filter(commune_id=cid, unit=unit, date__gte=start, date__lte=end)
    staff = Staff.objects.filter(commune_id=cid, unit=unit)
    users = [u for u in staff.exclude(user=None).values_list("user_id", flat=True)]
    airings = Airing.objects.filter(commune_id=cid, bulletin__created_by_id__in=users).values_list("pk", flat=True)
    trainings = TrainingCompletion.objects.filter(
        commune_id=cid, staff__in=staff, course__in_depth=True, completed_on__gte=start, completed_on__lte=end
    )
    return {
        "activities": {
            "count": acts.count(),
            "people": acts.aggregate(n=Sum("people_count"))["n"] or 0,
            "titles": list(acts.order_by("-date").values_list("title", flat=True)[:LISTED]),
        },
        "contacts": _contacts_per_hamlet(
            Contact.objects.filter(commune_id=cid, activity__unit=unit, date__gte=start, date__lte=end)
        ),
        "items": _items(ColumnItemPage.objects.filter(unit=unit), start, end),
        "broadcasts": _broadcasts(cid, start, end, airing_ids=list(airings)),
        "briefings": Briefing.objects.filter(
            commune_id=cid, activity__unit=unit, date__gte=start, date__lte=end
        ).count(),
        "trained": trainings.values("staff").distinct().count(),
    }


def for_hamlet(hamlet: Hamlet, as_of: dt.date) -> dict:
    start, end = window(as_of)
    cid = hamlet.commune_id
    contacts = Contact.objects.filter(commune_id=cid, hamlet=hamlet, date__gte=start, date__lte=end)
    return {
        "contacts": _contacts_per_hamlet(contacts),
        "households_baseline": hamlet.households_baseline,
        "broadcasts": _broadcasts(cid, start, end, hamlet=hamlet),
    }


def for_staff(staff: Staff, as_of: dt.date) -> dict:
    start, end = window(as_of)
    cid = staff.commune_id
    done = TrainingCompletion.objects.filter(
        commune_id=cid, staff=staff, completed_on__gte=start, completed_on__lte=end
    ).select_related("course")
    items = (
        _items(ColumnItemPage.objects.filter(owner_id=staff.user_id), start, end)
        if staff.user_id
        else {"count": 0, "titles": []}
    )
    return {
        "trainings": [
            {"course": t.course.title, "on": _fmt(t.completed_on), "in_depth": t.course.in_depth}
            for t in done.order_by("-completed_on")
        ],
        "briefings": Briefing.objects.filter(commune_id=cid, attendees=staff, date__gte=start, date__lte=end).count(),
        "items": items,
    }


def collect(kind: str, nominee, as_of: dt.date) -> dict:
    """The evidence of a nominee of ``kind`` ("unit", "hamlet", "staff"), with its window."""
    start, end = window(as_of)
    read = {"unit": for_unit, "hamlet": for_hamlet, "staff": for_staff}[kind]
    return {"from": _fmt(start), "to": _fmt(end), **read(nominee, as_of)}


__all__ = ["collect", "window"]
