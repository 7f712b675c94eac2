"""Writes of the field app: the sync of the events a phone queued, one answer per event.

Each event has an id made on the device (a UUID): the idempotency key, unique per commune in the database
(``field_event_unique_per_commune``). An event sent again, from any device, answers "duplicate" with the
contact it made the first time; two requests racing with the same event cannot both insert it (the second
one's insert fails on the constraint, its transaction is rolled back and the call is replayed: it then sees
the first one's events as duplicates). An event once refused is looked at again when it is sent again (the
user fixed what the reason said).

A visit becomes a ``reach.Contact`` (channel visit, under the commune's plan activity for the team's visits)
through ``reach.services.record_contacts_bulk`` — the path the back office's visit form takes — so the
indicators follow in the same transaction. The events of a call are checked one by one first (commune,
hamlets in charge, role, date, locked periods), so the bulk insert receives only rows it accepts. A correction
changes the contact (``reach.services.update_contact``), a withdrawal deletes it
(``reach.services.withdraw_visit``); both are kept as events of their own.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
import json
import logging
import uuid as uuidlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lantoa.column.models import Topic
from lantoa.reach import engine
from lantoa.reach import services as reach
from lantoa.reach.models import Contact, ContactBatch
from lantoa.tenancy import jobs
from lantoa.tenancy.models import Commune, Hamlet, Household, Job, PersonalDataAccess
from lantoa.tenancy.selectors import hamlet_ids_in_charge
from lantoa.tenancy.services import has_commune_perm, require_commune_perm

from . import selectors, stickers
from .models import FieldEvent, StickerSheet, photo_path

logger = logging.getLogger("lantoa.field")

MAX_EVENTS = 200
PHOTO_MAX_BYTES = 2 * 1024 * 1024
TEXT_LENGTH = 300

ACCEPTED, DUPLICATE, REJECTED = "accepted", "duplicate", "rejected"
EVENT_TYPES = frozenset(FieldEvent.Type.values)
# Who may print a hamlet's door stickers: whoever records visits there.
STICKER_PERM = "reach.add_contact"
# Who may see the photos taken at a door: a photo of a household is personal data, like its head's name.
PHOTO_PERMS = ("reach.view_contact", "tenancy.view_personal_data")


@dataclass
class Outcome:
    id: str
    status: str
    reason: str | None = None
    contact_id: int | None = None

    def as_dict(self) -> dict:
        return {"id": self.id, "status": self.status, "reason": self.reason, "contact_id": self.contact_id}


@dataclass
class _Context:
    """What every event of a call is checked against, read once per call."""

    actor: object
    actor_id: int | None  # read once: the actor is the request's lazy user, each attribute read goes through it
    commune: Commune
    today: dt.date
    activity: object
    start: dt.date | None
    may_record: bool
    hamlets: set[int]  # the hamlets the actor's team is in charge of
    topics: set[int]
    # The commune's households named by the call (id -> hamlet), its hamlets and locked periods, read once and
    # handed to reach's bulk insert so that it reads none of them again.
    checks: reach.ContactChecks

    @property
    def households(self) -> dict[int, int]:
        return self.checks.households


def decode_photo(data: str | None) -> bytes | None:
    """A photo sent as base64: JPEG or PNG, at most 2 MB, that the image library can read; else ValidationError."""
    if not data:
        return None
    if "," in data[:100] and data.startswith("data:"):
        data = data.split(",", 1)[1]
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(_("The photo cannot be read.")) from None
    if len(raw) > PHOTO_MAX_BYTES:
        raise ValidationError(_("The photo is larger than 2 MB."))
    if not (raw.startswith(b"\xff\xd8\xff") or raw.startswith(b"\x89PNG\r\n\x1a\n")):
        raise ValidationError(_("The photo must be a JPEG or PNG image."))
    from PIL import Image  # noqa: PLC0415 — only calls with a photo pay for it

    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format not in ("JPEG", "PNG"):
                raise ValidationError(_("The photo must be a JPEG or PNG image."))
            image.verify()
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 — any failure of the decoder means a broken file
        raise ValidationError(_("The photo cannot be read.")) from None
    return raw


def may_see_photos(actor, commune: Commune | int) -> bool:
    return all(has_commune_perm(actor, perm, commune) for perm in PHOTO_PERMS)


def view_photo(actor, event: FieldEvent) -> None:
    """Allow ``actor`` to be shown a visit's photo, and log it: every view of a household's photo is an access to
    personal data (``PersonalDataAccess``, as a name shown is). PermissionDenied for anyone else."""
    if not event.photo or not may_see_photos(actor, event.commune_id):
        raise PermissionDenied
    PersonalDataAccess.objects.create(
        commune_id=event.commune_id,
        user=actor,
        household_id=event.household_id,
        fields="photo",
        purpose=_("Photo of a visit viewed"),
    )


def _photo_name(raw: bytes) -> str:
    return "visit.png" if raw.startswith(b"\x89PNG") else "visit.jpg"


def _context(actor, commune: Commune, events: list[dict]) -> _Context:
    activity = selectors.visit_activity(commune)
    ids = {int(e["household_id"]) for e in events if e.get("household_id") is not None}
    in_charge, every = hamlet_ids_in_charge(actor, commune)
    checks = reach.contact_checks(commune.pk, ids, hamlet_ids=every)
    return _Context(
        actor=actor,
        actor_id=actor.pk,
        commune=commune,
        today=checks.today,
        activity=activity,
        start=selectors.plan_start(activity),
        may_record=has_commune_perm(actor, "reach.add_contact", commune),
        hamlets=in_charge,
        topics=set(Topic.objects.filter(commune=commune).values_list("pk", flat=True)),
        checks=checks,
    )


def _fmt(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _check_visit(ctx: _Context, event: dict) -> str | None:
    """Why a visit (or a correction's new values) is refused, in Vietnamese; None when it is fine."""
    if not ctx.may_record:
        return _("Your role does not allow recording visits in this commune.")
    household_id = event.get("household_id")
    if household_id is None or household_id not in ctx.households:
        return _("This household does not belong to your commune.")
    if ctx.households[household_id] not in ctx.hamlets:
        return _("This household is in a hamlet your team is not in charge of.")
    day = event.get("date")
    if not isinstance(day, dt.date):
        return _("Give the date of the visit.")
    if day > ctx.today:
        return _("A visit cannot be dated in the future (%(day)s; today is %(today)s).") % {
            "day": _fmt(day),
            "today": _fmt(ctx.today),
        }
    if ctx.activity is None:
        return _("The commune has no plan activity to record visits under yet: ask the focal point to add one.")
    if ctx.start and day < ctx.start:
        return _("A visit cannot be dated before the plan starts (%(start)s).") % {"start": _fmt(ctx.start)}
    if (event.get("people") or 0) < 1:
        return _("At least one person.")
    if len(event.get("note") or "") > TEXT_LENGTH:
        return _("The note has at most 300 characters.")
    if len(event.get("materials") or "") > TEXT_LENGTH:
        return _("The list of materials has at most 300 characters.")
    return ctx.checks.locked.reason(day)


@dataclass(slots=True)
class _Row:
    """An event of the call as it will be stored (a plain object: 200 model instances cost more than the checks)."""

    commune_id: int
    uuid: uuidlib.UUID
    device_id: str
    user_id: int
    type: str
    refers_to: uuidlib.UUID | None
    household_id: int | None
    date: dt.date | None
    people: int
    topics: list
    materials: str
    note: str
    recorded_at: dt.datetime | None
    stored: FieldEvent | None = None  # the first record of an event refused before and sent again
    photo: str = ""  # the stored photo's name
    status: str = ""
    reason: str = ""
    contact_id: int | None = None

    def save_again(self) -> None:
        """Update the first record of an event refused before, with what it is now."""
        row = self.stored
        for name in _EVENT_COLUMNS:
            if name not in ("commune_id", "uuid", "received_at"):
                setattr(row, name, getattr(self, name))
        row.received_at = timezone.now()
        row.save()


def _event_row(ctx: _Context, device_id: str, event: dict, stored: FieldEvent | None) -> _Row:
    """The record of an event as sent (a refused event sent again updates its first record)."""
    household_id = event.get("household_id")
    return _Row(
        commune_id=ctx.checks.commune_id,
        uuid=event["id"],
        device_id=device_id,
        user_id=ctx.actor_id,
        type=event["type"],
        refers_to=event.get("refers_to"),
        household_id=household_id if household_id in ctx.households else None,
        date=event.get("date"),
        people=max(1, int(event.get("people") or 1)),
        topics=[t for t in (event.get("topics") or []) if t in ctx.topics],
        materials=(event.get("materials") or "")[:TEXT_LENGTH],
        note=(event.get("note") or "")[:TEXT_LENGTH],
        recorded_at=event.get("recorded_at"),
        stored=stored,
    )


def _reject(row: _Row, reason: str) -> Outcome:
    row.status, row.reason, row.contact_id = FieldEvent.Status.REJECTED, reason, None
    return Outcome(str(row.uuid), REJECTED, reason)


def sync(actor, commune: Commune, *, device_id: str, events: list[dict]) -> list[dict]:
    """Record a phone's queued events; one answer per event, in the order sent (see the module's docstring).

    ``events``: dicts with id (UUID), type, refers_to, household_id, date, people, topics, materials, note,
    photo (base64 or None), recorded_at. The API checks their shape; this checks what they mean.
    """
    if len(events) > MAX_EVENTS:
        raise ValidationError(_("At most %(n)s events per call.") % {"n": MAX_EVENTS})
    storage = FieldEvent._meta.get_field("photo").storage
    for attempt in (1, 2):
        saved: list[str] = []  # the photos this attempt stored: removed again when its transaction is rolled back
        try:
            with transaction.atomic():
                return _sync(actor, commune, device_id, events, saved)
        except Exception as exc:
            for name in saved:
                storage.delete(name)
            # IntegrityError: another request inserted one of these events in the meantime; replayed, they are
            # duplicates now (and their photos are the other request's).
            if not isinstance(exc, IntegrityError) or attempt == 2:
                raise
    raise AssertionError("unreachable")


def _sync(actor, commune: Commune, device_id: str, events: list[dict], saved: list[str]) -> list[dict]:
    device_id = (device_id or "")[:64]
    ctx = _context(actor, commune, events)
    ids = [e["id"] for e in events]
    stored = {e.uuid: e for e in _stored_events(commune, ids)}
    outcomes: dict[int, Outcome] = {}
    rows: dict[int, _Row] = {}
    seen: dict[uuidlib.UUID, int] = {}
    visits: list[int] = []  # indexes of the visits to record
    later: list[int] = []  # corrections and withdrawals, in the order sent, after the visits
    photos: dict[int, bytes] = {}
    for index, event in enumerate(events):
        key = event["id"]
        if key in seen:
            outcomes[index] = Outcome(str(key), DUPLICATE)  # filled in with the first one's contact at the end
            continue
        seen[key] = index
        if event.get("type") not in EVENT_TYPES:
            outcomes[index] = Outcome(str(key), REJECTED, _("Unknown kind of event."))
            continue
        previous = stored.get(key)
        if previous is not None and previous.status == FieldEvent.Status.ACCEPTED:
            outcomes[index] = Outcome(str(key), DUPLICATE, None, previous.contact_id)
            continue
        row = rows[index] = _event_row(ctx, device_id, event, previous)
        try:
            photo = decode_photo(event.get("photo"))
        except ValidationError as exc:
            outcomes[index] = _reject(row, " ".join(exc.messages))
            continue
        if photo is not None:
            photos[index] = photo
        if event["type"] == FieldEvent.Type.VISIT:
            reason = _check_visit(ctx, event)
            if reason:
                outcomes[index] = _reject(row, reason)
            else:
                visits.append(index)
        else:
            later.append(index)

    if visits:
        _record_visits(ctx, device_id, [(index, events[index], rows[index]) for index in visits], outcomes)
    by_uuid = {rows[i].uuid: rows[i] for i in visits if outcomes[i].status == ACCEPTED}
    for index in later:
        outcomes[index] = _apply_change(ctx, events[index], rows[index], by_uuid)

    storage = FieldEvent._meta.get_field("photo").storage
    for index, photo in photos.items():
        if outcomes[index].status == ACCEPTED:  # a refused event's photo is not kept: it comes again when resent
            rows[index].photo = storage.save(photo_path(None, _photo_name(photo)), ContentFile(photo))
            saved.append(rows[index].photo)
    _insert_events([row for row in rows.values() if row.stored is None])
    for row in rows.values():
        if row.stored is not None:  # refused before, sent again
            row.save_again()
    answers = []
    for index, event in enumerate(events):
        outcome = outcomes[index]
        first = seen[event["id"]]
        if first != index:
            outcome.contact_id = outcomes[first].contact_id
        answers.append(outcome.as_dict())
    return answers


def _uuid_adapter():
    """UUIDs as the database takes them (what ``UUIDField.get_db_prep_value`` does, without its per-value checks;
    the backend's feature is read once for the call's hundreds of values): as they are on PostgreSQL, as 32 hex
    digits on SQLite."""
    if connection.features.has_native_uuid_field:
        return lambda value: value
    return lambda value: None if value is None else value.hex


def _stored_events(commune: Commune, ids: list[uuidlib.UUID]):  # ids: UUIDs, as the API parses them
    """The events of these ids already stored for the commune, locked for the call (on PostgreSQL). One plain query:
    the ORM's ``uuid__in`` prepares each of the 200 values through the field, which cost more than the query."""
    if not ids:
        return []
    table = connection.ops.quote_name(FieldEvent._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return FieldEvent.objects.raw(
        f"SELECT * FROM {table} WHERE commune_id = %s AND uuid IN ({marks}){lock}",
        [commune.pk, *map(_uuid_adapter(), ids)],
    )


# The events' columns, in the insert's order, with their types as PostgreSQL takes them from arrays
# (reach.engine.insert_rows: one statement for the call).
_EVENT_PG_TYPES = {
    "commune_id": "bigint",
    "uuid": "uuid",
    "device_id": "varchar",
    "user_id": "integer",
    "type": "varchar",
    "refers_to": "uuid",
    "household_id": "bigint",
    "date": "date",
    "people": "integer",
    "topics": "jsonb",
    "materials": "varchar",
    "note": "varchar",
    "photo": "varchar",
    "recorded_at": "timestamptz",
    "status": "varchar",
    "reason": "text",
    "contact_id": "bigint",
    "received_at": "timestamptz",
}
_EVENT_COLUMNS = tuple(_EVENT_PG_TYPES)  # the insert's columns, in that order


def _insert_events(events: list[_Row]) -> None:
    """New events in one set-based INSERT (``reach.engine.insert_rows``: arrays on PostgreSQL, executemany on SQLite;
    the ORM's bulk_create prepares every value of every row one by one, and executemany on PostgreSQL sends one
    statement per row). A concurrent request that inserted one of them first makes this raise IntegrityError on the
    unique constraint: ``sync`` replays the call."""
    if not events:
        return
    now = timezone.now()
    db_uuid = _uuid_adapter()
    topics_json: dict[tuple, str] = {}  # a call's events name few distinct sets of topics
    for e in events:
        key = tuple(e.topics)
        if key not in topics_json:
            topics_json[key] = json.dumps(e.topics)
    rows = [
        (
            e.commune_id,
            db_uuid(e.uuid),
            e.device_id,
            e.user_id,
            e.type,
            db_uuid(e.refers_to),
            e.household_id,
            e.date,
            e.people,
            topics_json[tuple(e.topics)],
            e.materials,
            e.note,
            e.photo,
            e.recorded_at,
            e.status,
            e.reason or "",
            e.contact_id,
            now,
        )
        for e in events
    ]
    engine.insert_rows(
        connection.ops.quote_name(FieldEvent._meta.db_table), list(_EVENT_COLUMNS), rows, pg_types=_EVENT_PG_TYPES
    )


def _record_visits(ctx: _Context, device_id: str, items: list[tuple], outcomes: dict[int, Outcome]) -> None:
    """The checked visits of a call as contacts, in one bulk insert; each event gets its contact's id."""
    contact_rows = [
        {
            "channel": Contact.Channel.VISIT,
            "date": event["date"],
            "household_id": event["household_id"],
            "people": event.get("people") or 1,
            "note": (event.get("note") or "")[:TEXT_LENGTH],
        }
        for _index, event, _row in items
    ]
    try:
        batch = reach.record_contacts_bulk(
            ctx.actor,
            activity=ctx.activity,
            rows=contact_rows,
            source=ContactBatch.Source.API,
            file_name=_("Field app, device %(device)s") % {"device": device_id[:64]},
            check_perm=False,  # _check_visit refused every visit of an actor without the permission
            checks=ctx.checks,
        )
    except (ValidationError, PermissionDenied) as exc:
        reason = " ".join(getattr(exc, "messages", None) or [str(exc)])
        for index, _event, row in items:
            outcomes[index] = _reject(row, reason)
        return
    for (index, _event, row), pk in zip(items, batch.contact_ids, strict=True):
        row.status, row.reason, row.contact_id = FieldEvent.Status.ACCEPTED, "", pk
        outcomes[index] = Outcome(str(row.uuid), ACCEPTED, None, pk)


def _target(ctx: _Context, event: dict, by_uuid: dict) -> tuple[FieldEvent | None, str | None]:
    """The accepted visit a correction or withdrawal refers to, or why there is none."""
    refers_to = event.get("refers_to")
    if refers_to is None:
        return None, _("A correction or withdrawal names the visit it refers to.")
    visit = by_uuid.get(refers_to)
    if visit is None:
        visit = FieldEvent.objects.filter(
            commune=ctx.commune, uuid=refers_to, type=FieldEvent.Type.VISIT, status=FieldEvent.Status.ACCEPTED
        ).first()
    if visit is None:
        return None, _("The visit this refers to was not recorded (it was refused or has not been sent).")
    if visit.contact_id is None or not Contact.objects.filter(pk=visit.contact_id, commune=ctx.commune).exists():
        return None, _("The visit this refers to has been withdrawn.")
    return visit, None


def _apply_change(ctx: _Context, event: dict, row: FieldEvent, by_uuid: dict) -> Outcome:
    visit, reason = _target(ctx, event, by_uuid)
    if reason:
        return _reject(row, reason)
    contact = Contact.objects.get(pk=visit.contact_id)
    try:
        with transaction.atomic():
            if event["type"] == FieldEvent.Type.DISCARD:
                reach.withdraw_visit(ctx.actor, contact)
            else:
                if event.get("household_id") not in (None, visit.household_id):
                    return _reject(row, _("A correction cannot change the household: withdraw the visit instead."))
                event = {**event, "household_id": visit.household_id}
                ctx.checks.add_households([visit.household_id])
                reason = _check_visit(ctx, event)
                if reason:
                    return _reject(row, reason)
                reach.update_contact(
                    ctx.actor,
                    contact,
                    date=event["date"],
                    people=event.get("people") or 1,
                    note=(event.get("note") or "")[:TEXT_LENGTH],
                )
                row.household_id = visit.household_id
    except (ValidationError, PermissionDenied) as exc:
        return _reject(row, " ".join(getattr(exc, "messages", None) or [str(exc)]))
    row.status, row.reason, row.contact_id = FieldEvent.Status.ACCEPTED, "", visit.contact_id
    return Outcome(str(row.uuid), ACCEPTED, None, visit.contact_id)


# --- QR door stickers ------------------------------------------------------------------------------------------

STICKER_JOB = Job.Kind.FIELD_STICKERS  # a sheet made by the worker


def sticker_codes(hamlet: Hamlet) -> list[str]:
    """The codes of the hamlet's households on the roster today, in order."""
    today = timezone.localdate()
    return list(
        Household.objects.filter(hamlet=hamlet)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .order_by("code")
        .values_list("code", flat=True)
    )


def make_sticker_sheet(actor, hamlet: Hamlet, *, base_url: str | None = None, progress=None) -> StickerSheet:
    """Draw the hamlet's sticker sheet and keep it (private file); ``actor`` None: the command line."""
    if actor is not None:
        require_commune_perm(actor, STICKER_PERM, hamlet.commune_id)
    codes = sticker_codes(hamlet)
    data = stickers.sheet_pdf(hamlet.name, codes, base_url=base_url, progress=progress)
    sheet = StickerSheet(commune_id=hamlet.commune_id, hamlet=hamlet, households=len(codes), created_by=actor)
    sheet.file.save(sheet.filename, ContentFile(data), save=False)
    sheet.save()
    return sheet


def run_sticker_job(job_id: int) -> dict:
    """The worker's part: draw the sheet, beating the job's progress page page by page."""
    with override(settings.LANGUAGE_CODE):
        job = jobs.claim(job_id)
        if job is None:
            return {"job": job_id, "status": "skipped"}
        try:
            hamlet = Hamlet.objects.get(pk=job.options["hamlet_id"], commune_id=job.commune_id)
            jobs.step(job, 5, _("Drawing the stickers"))

            def progress(done: int, total: int) -> None:
                jobs.step(
                    job,
                    5 + int(90 * done / max(total, 1)),
                    _("%(done)s of %(total)s stickers drawn")
                    % {
                        "done": done,
                        "total": total,
                    },
                )

            sheet = make_sticker_sheet(None, hamlet, base_url=job.options.get("base_url") or None, progress=progress)
            sheet.created_by = job.created_by
            sheet.save(update_fields=["created_by"])
        except Exception as exc:
            logger.exception("sticker job %s failed", job_id)
            jobs.fail(job, _("The stickers could not be drawn (%(error)s). Try again.") % {"error": type(exc).__name__})
            raise
        jobs.finish(job, {"sheet_id": sheet.pk, "households": sheet.households})
        return {"job": job_id, "status": "done", "sheet_id": sheet.pk}
