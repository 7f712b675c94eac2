"""Events: create and change them, the national days the calendar proposes, the make-up session."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.plans.models import Activity, Task
from lantoa.plans.services import NATIONAL_DAYS
from lantoa.tenancy import locks
from lantoa.tenancy.models import Commune, Hamlet, Unit
from lantoa.tenancy.services import require_commune_perm

from ..models import Event

EVENT_FIELDS = (
    "title",
    "kind",
    "starts_at",
    "place",
    "unit",
    "task",
    "hamlet",
    "audience",
    "capacity",
    "open_registration",
    "status",
)


def _check(event: Event) -> None:
    for name in ("unit", "task", "hamlet"):
        related = getattr(event, name)
        if related is not None and related.commune_id != event.commune_id:
            raise ValidationError({name: _("This must belong to the same commune.")})
    if not (event.title or "").strip():
        raise ValidationError({"title": _("Give the event a title.")})
    if event.starts_at is None:
        raise ValidationError({"starts_at": _("Give the date and time of the event.")})
    if event.kind == Event.Kind.HAMLET_TALK and event.hamlet is None:
        raise ValidationError({"hamlet": _("A talk in a hamlet names its hamlet.")})
    event.full_clean(exclude=["commune", "unit", "task", "hamlet", "activity", "briefing", "created_by"])


@transaction.atomic
def create_event(actor, commune: Commune, **fields) -> Event:
    require_commune_perm(actor, "events.add_event", commune)
    unknown = set(fields) - set(EVENT_FIELDS) - {"key", "makeup_period"}
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    event = Event(commune=commune, created_by=actor, **fields)
    _check(event)
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError as exc:
        raise ValidationError(_("This national day already has its event.")) from exc
    return event


@transaction.atomic
def update_event(actor, event: Event, **changes) -> Event:
    require_commune_perm(actor, "events.change_event", event.commune_id)
    stored = Event.objects.select_for_update().get(pk=event.pk)
    for name, value in changes.items():
        if name not in EVENT_FIELDS:
            raise ValidationError({name: _("This field cannot be changed here.")})
        setattr(stored, name, value)
    if stored.attendances.exists() and "starts_at" in changes:
        locks.ensure_open(stored.commune_id, stored.day)
    _check(stored)
    stored.save()
    return stored


@transaction.atomic
def cancel_event(actor, event: Event) -> Event:
    """Call the event off: its invitation codes are refused at the door and its registration closes. An event at
    which people were already checked in took place: it cannot be cancelled (its attendance counts)."""
    require_commune_perm(actor, "events.change_event", event.commune_id)
    stored = Event.objects.select_for_update().get(pk=event.pk)
    if stored.attendances.exists():
        raise ValidationError(_("People were checked in at this event: it took place and cannot be cancelled."))
    stored.status = Event.Status.CANCELLED
    stored.open_registration = False
    stored.save(update_fields=["status", "open_registration"])
    return stored


# --- National days ---------------------------------------------------------------------------------------

# The plan's task 1.3: "hưởng ứng Ngày Khoa học và Công nghệ Việt Nam (18/5), Ngày hội Đổi mới sáng tạo quốc gia
# (1/10), Ngày Chuyển đổi số quốc gia (10/10) hằng năm". The calendar of plans holds the same three days.
NATIONAL_TASK_CODE = "1.3"


def proposals(commune: Commune, year: int) -> list[dict]:
    """The national days of ``year`` whose event the commune has not created yet."""
    made = set(Event.objects.filter(commune=commune, key__startswith="national:").values_list("key", flat=True))
    out = []
    for month, day, key, title in NATIONAL_DAYS:
        full_key = f"national:{key}:{year}"
        if full_key not in made:
            out.append({"key": full_key, "date": dt.date(year, month, day), "title": title})
    return out


def _national_task(commune: Commune) -> Task | None:
    return (
        Task.objects.filter(commune=commune, plan__status="active", code=NATIONAL_TASK_CODE)
        .order_by("-plan_id")
        .first()
    )


@transaction.atomic
def create_national_event(actor, commune: Commune, key: str) -> Event:
    """One click on the calendar: the event of a national day, on its date at 8:00, for the plan's task 1.3."""
    require_commune_perm(actor, "events.add_event", commune)
    found = {p["key"]: p for p in proposals(commune, _year_of_key(key))}
    if key not in found:
        raise ValidationError(_("This national day is unknown or already has its event."))
    proposal = found[key]
    task = _national_task(commune)
    unit = task.lead_units.first() if task else None
    unit = unit or Unit.objects.filter(commune=commune, kind=Unit.Kind.LEAD_CENTRE).first()
    starts = timezone.make_aware(dt.datetime.combine(proposal["date"], dt.time(8, 0)))
    return create_event(
        actor,
        commune,
        title=_("Responding to %(day)s") % {"day": proposal["title"]},
        kind=Event.Kind.EXHIBITION,
        starts_at=starts,
        place=_("Commune cultural house"),
        unit=unit,
        task=task,
        audience=_("Officials, enterprises, schools and residents"),
        open_registration=True,
        key=key,
    )


def _year_of_key(key: str) -> int:
    try:
        return int(key.rsplit(":", 1)[1])
    except (IndexError, ValueError) as exc:
        raise ValidationError(_("This national day is unknown or already has its event.")) from exc


# --- The plan activity of an event -----------------------------------------------------------------------

ACTIVITY_CHANNEL = {
    Event.Kind.CONFERENCE: "conference",
    Event.Kind.THEMATIC: "conference",
    Event.Kind.SEMINAR: "conference",
    Event.Kind.HAMLET_TALK: "conference",
    Event.Kind.EXHIBITION: "other",
    Event.Kind.COMPETITION: "other",
}


def ensure_activity(event: Event, actor=None) -> Activity | None:
    """The plan activity the event's attendance counts under: recorded when the first person is counted.

    Needs the event's plan task (and an organising unit, else the task's lead unit); without a task the event
    still feeds the officials' briefings, but households present cannot count (a contact belongs to an activity).
    The activity is the channel's own record of what happened (like a sign-in sheet's batch), so whoever checks
    people in at the door may cause it, without the right to record activities by hand.
    """
    if event.activity_id:
        return event.activity
    if event.task_id is None:
        return None
    unit = event.unit or event.task.lead_units.first()
    if unit is None:
        return None
    day = event.day
    locks.ensure_open(event.commune_id, day)
    activity = Activity(
        commune_id=event.commune_id,
        task=event.task,
        unit=unit,
        title=event.title[:300],
        date=day,
        location=event.place[:200],
        channel=ACTIVITY_CHANNEL.get(event.kind, "other"),
        audience=event.audience[:200],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    activity.full_clean(exclude=["created_by"])
    activity.save()
    event.activity = activity
    event.save(update_fields=["activity"])
    return activity


def hamlets_of(commune: Commune):
    return Hamlet.objects.filter(commune=commune).order_by("name")
