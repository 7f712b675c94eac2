"""Reads the events' pages and API share, always scoped to the user's communes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from lantoa.reach import measure
from lantoa.reach.periods import Period
from lantoa.tenancy.models import Commune, Staff
from lantoa.tenancy.selectors import scoped
from lantoa.tenancy.services import has_commune_perm

from .models import Attendance, Event, Invitation


def events(user):
    return scoped(Event.objects.all(), user)


def invitations(user):
    return scoped(Invitation.objects.all(), user)


def with_counts(queryset):
    return queryset.annotate(
        invited=Count("invitations", filter=Q(invitations__status=Invitation.Status.INVITED), distinct=True),
        waiting=Count("invitations", filter=Q(invitations__status=Invitation.Status.WAITLISTED), distinct=True),
        present=Count("attendances", distinct=True),
    )


@dataclass
class Missing:
    """The officials not yet regularly informed in a period: the indicator's own numbers and list."""

    period: Period
    cutoff: dt.date | None
    required: int
    eligible: int
    informed: int
    people: list[dict]


def missing_officials(commune: Commune, period: Period, today: dt.date) -> Missing:
    """The officials counted by reach's "officials informed" who attended fewer briefings than required, read with
    reach's own functions (measure.briefing_counts, required_briefings, eligible_staff), so this list and the
    indicator's drill-down always agree."""
    counts = measure.briefing_counts([commune.pk], period, today)
    per_year = measure.Context([commune.pk], today).settings(commune.pk)[0]
    required = measure.required_briefings(per_year, period, today)
    day = measure.cutoff_of(period, today) or period.start
    staff = measure.eligible_staff([commune.pk], day).select_related("unit").order_by("unit__name", "full_name")
    people, informed, eligible = [], 0, 0
    for s in staff:
        eligible += 1
        n = counts.get(s.pk, 0)
        if n >= required:
            informed += 1
            continue
        people.append({"staff": s, "attended": n, "unit": s.unit.name if s.unit else ""})
    return Missing(period, period.elapsed_end(today), required, eligible, informed, people)


def door_list(user, event: Event) -> list[dict]:
    """What a phone at the door downloads: every invitation's code, status and who it is.

    Officials, guests, registrants and walk-ins by name (they gave it to be called in); a household by its code,
    and by its head's name only for roles that may read households' personal data.
    """
    personal = has_commune_perm(user, "tenancy.view_personal_data", event.commune_id)
    present = set(Attendance.objects.filter(event=event).values_list("invitation_id", flat=True))
    rows = []
    for inv in (
        Invitation.objects.filter(event=event)
        .select_related("staff", "household", "staff__unit", "hamlet")
        .order_by("kind", "name", "pk")
    ):
        if inv.staff_id:
            name, group = inv.staff.full_name, inv.organisation
        elif inv.household_id:
            name = inv.household.code
            if personal and inv.household.head_name:
                name = f"{inv.household.head_name} ({inv.household.code})"
            elif inv.name and inv.kind != Invitation.Kind.HOUSEHOLD:
                name = f"{inv.name} ({inv.household.code})"
            group = inv.hamlet.name if inv.hamlet else ""
        else:
            name, group = inv.name, inv.organisation or (inv.hamlet.name if inv.hamlet else "")
        rows.append(
            {
                "code": inv.code,
                "name": name,
                "group": group,
                "kind": inv.kind,
                "status": inv.status,
                "present": inv.pk in present,
            }
        )
    return rows


def staff_on(commune: Commune, day: dt.date):
    return Staff.objects.filter(commune=commune).filter(Staff.serving_on(day))
