"""Reads of the field app: what a team member downloads before going out, and the hamlets' progress.

Every read is for one commune the caller belongs to (``tenancy.current.commune_of`` resolves it) and for the
hamlets their team covers (``tenancy.selectors.hamlet_ids_in_charge``: none named, all of the commune).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.column.models import ColumnItemPage, Topic
from lantoa.plans.models import Activity, Channel
from lantoa.radio.models import Bulletin
from lantoa.reach import indicators
from lantoa.reach import periods as P
from lantoa.reach import selectors as reach
from lantoa.reach.models import Contact
from lantoa.tenancy.models import Commune, Household, PersonalDataAccess
from lantoa.tenancy.selectors import hamlet_ids_in_charge
from lantoa.tenancy.services import has_commune_perm

from .models import FieldEvent

TALKING_POINTS = 30  # the latest items and bulletins marked for the field (each kind)
TEXT_LENGTH = 20_000  # characters of a talking point's text kept for reading offline


def contact_photos(contact: Contact) -> list[FieldEvent]:
    """The accepted events with a photo that made or corrected this contact, oldest first."""
    return list(
        FieldEvent.objects.filter(
            commune_id=contact.commune_id, contact_id=contact.pk, status=FieldEvent.Status.ACCEPTED
        )
        .exclude(photo="")
        .order_by("received_at", "pk")
        .only("pk", "commune_id", "household_id", "date", "received_at")
    )


def visit_activity(commune: Commune | int) -> Activity | None:
    """The plan activity visits are recorded under, as the back office's visit form offers it first: the latest
    activity of the community digital team, else the commune's latest activity."""
    # With its plan's year (``plan_start``) as a column of the same query: no task and plan objects to build.
    activities = Activity.objects.filter(commune=commune).annotate(plan_year=F("task__plan__year"))
    activities = activities.order_by("-date", "-pk")
    return activities.filter(channel=Channel.COMMUNITY_TEAM).first() or activities.first()


def plan_start(activity: Activity | None) -> dt.date | None:
    """The first day visits may be dated: the start of the year of the plan the activity belongs to."""
    if activity is None:
        return None
    year = getattr(activity, "plan_year", None)  # read with it by ``visit_activity``
    return dt.date(year if year is not None else activity.task.plan.year, 1, 1)


def hamlet_progress(user, commune: Commune, today: dt.date | None = None) -> list[dict]:
    """Per hamlet the user's team covers: households on the roster, households reached this year up to today
    (reach's figures, as the dashboard counts them) and the commune's residents-reached target for the year."""
    today = today or timezone.localdate()
    year = P.parse(str(today.year))
    mine, _every = hamlet_ids_in_charge(user, commune)
    indicator = indicators.get("residents_reached")
    by_year = reach.targets([commune.pk]).get(commune.pk, {}).get("residents_reached", {})
    target = reach.target_for(indicator, today.year, by_year) if indicator else None
    target_percent = float(target["value"]) if target else None
    return [
        {
            "id": row["hamlet"].pk,
            "name": row["hamlet"].name,
            "households_total": row["households"],
            "reached": row["households_reached"],
            "target_percent": target_percent,
        }
        for row in reach.hamlet_table(commune, year, today)
        if row["hamlet"].pk in mine
    ]


def households(user, commune: Commune, hamlet_ids, today: dt.date, *, with_names: bool) -> list[dict]:
    """The households on the roster today in these hamlets: code, hamlet, size, last contact (any channel that
    reaches residents in person); the head's name only ``with_names`` — each name given out is logged."""
    present = Q(left_on__isnull=True) | Q(left_on__gt=today)
    arrived = Q(arrived_on__isnull=True) | Q(arrived_on__lte=today)
    rows = list(
        Household.objects.filter(commune=commune, hamlet_id__in=list(hamlet_ids))
        .filter(present & arrived)
        .order_by("hamlet_id", "code")
        .values_list("pk", "code", "hamlet_id", "members", *(["head_name"] if with_names else []))
    )
    last = dict(
        Contact.objects.filter(
            commune_id=commune.pk,
            household_id__in=[r[0] for r in rows],
            channel__in=Contact.ATTRIBUTABLE,
            date__lte=today,
        )
        .values("household_id")
        .annotate(last=Max("date"))
        .values_list("household_id", "last")
    )
    out = []
    for row in rows:
        item = {"id": row[0], "code": row[1], "hamlet_id": row[2], "members": row[3], "last_contact": last.get(row[0])}
        if with_names:
            item["head_name"] = row[4]
        out.append(item)
    if with_names:
        purpose = _("Field app: assignment downloaded")
        PersonalDataAccess.objects.bulk_create(
            [
                PersonalDataAccess(
                    commune=commune, user=user, household_id=item["id"], fields="head_name", purpose=purpose
                )
                for item in out
                if item["head_name"]
            ],
            batch_size=1000,
        )
    return out


def topics(commune: Commune) -> list[dict]:
    return [{"id": t.pk, "name": t.name} for t in Topic.objects.filter(commune=commune).order_by("name")]


def _plain(text: str) -> str:
    return " ".join((text or "").split())[:TEXT_LENGTH]


def talking_points(commune: Commune) -> list[dict]:
    """Column items (published) and radio bulletins (approved or published) marked for the field, newest first,
    with their text in plain words for reading offline."""
    points = []
    if commune.root_page_id:
        items = (
            ColumnItemPage.objects.live()
            .descendant_of(commune.root_page)
            .filter(for_field=True)
            .order_by("-first_published_at", "-pk")
            .specific()[:TALKING_POINTS]
        )
        for item in items:
            published = item.first_published_at or item.latest_revision_created_at
            points.append(
                {
                    "kind": "column",
                    "id": item.pk,
                    "title": item.title,
                    "summary": item.summary or "",
                    "text": _plain(item.own_text()) or _plain(item.summary),
                    "date": timezone.localdate(published) if published else None,
                }
            )
    bulletins = (
        Bulletin.objects.filter(
            commune=commune, for_field=True, status__in=[Bulletin.Status.APPROVED, Bulletin.Status.PUBLISHED]
        )
        .order_by("-updated_at", "-pk")
        .only("pk", "title", "text", "published_at", "reviewed_at", "updated_at")[:TALKING_POINTS]
    )
    for bulletin in bulletins:
        when = bulletin.published_at or bulletin.reviewed_at or bulletin.updated_at
        text = _plain(bulletin.text)
        points.append(
            {
                "kind": "radio",
                "id": bulletin.pk,
                "title": bulletin.title,
                "summary": text[:300],
                "text": text,
                "date": timezone.localdate(when) if when else None,
            }
        )
    points.sort(key=lambda p: p["date"] or dt.date.min, reverse=True)
    return points


def assignment(user, commune: Commune) -> dict:
    """What a team member downloads before going out (see docs/field.md)."""
    today = timezone.localdate()
    can_see_names = has_commune_perm(user, "tenancy.view_personal_data", commune)
    hamlets = hamlet_progress(user, commune, today)
    activity = visit_activity(commune)
    return {
        "user_id": user.pk,
        "commune": {"id": commune.pk, "name": commune.name},
        "generated_at": timezone.now(),
        "as_of": today,
        "can_see_names": can_see_names,
        "activity_id": activity.pk if activity else None,
        "hamlets": hamlets,
        "households": households(user, commune, [h["id"] for h in hamlets], today, with_names=can_see_names),
        "topics": topics(commune),
        "talking_points": talking_points(commune),
    }
