"""Check-in at the door: phones sync their queue here, idempotently; walk-ins; paper sign-in sheets.

Idempotence has two keys, both held by the database:

* the check-in id (a UUID made by the phone) is unique: the same scan uploaded twice is one row;
* (event, invitation) is unique: two phones scanning the same person make one attendance.

A cancelled invitation (or one still on the waitlist) is refused, here and on the phone from its last sync on
(pretix#3187: never green for a cancelled ticket).

Attendance newly counted feeds the indicators through reach's services in the same transaction: officials join
the event's ``reach.Briefing``; households become ``reach.Contact`` rows of channel meeting (a talk in a hamlet) or
event under the event's plan activity, deduplicated with field visits by reach's household counting.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.reach import services as reach
from lantoa.reach import tables as tables_reader
from lantoa.reach.models import Contact, ContactBatch
from lantoa.tenancy.models import Hamlet, Household, Staff
from lantoa.tenancy.services import require_commune_perm

from ..models import Attendance, Event, Invitation
from .events import ensure_activity

Status = Invitation.Status

OK = "ok"
ALREADY = "already"  # this person was counted already (another phone, an earlier upload)
CANCELLED = "cancelled"
WAITLISTED = "waitlisted"
UNKNOWN = "unknown"
INVALID = "invalid"


@dataclass
class SyncResult:
    results: list[dict] = field(default_factory=list)
    counted: int = 0

    def add(self, checkin_id, status: str, invitation: Invitation | None = None, message: str = "") -> None:
        row = {"checkin_id": str(checkin_id), "status": status, "message": message}
        if invitation is not None:
            row["code"] = invitation.code
        self.results.append(row)


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _when(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.now()


def _refusal(inv: Invitation) -> tuple[str, str] | None:
    if inv.status == Status.CANCELLED:
        return CANCELLED, _("This invitation was cancelled.")
    if inv.status == Status.WAITLISTED:
        return WAITLISTED, _("Still on the waitlist: no seat was confirmed.")
    return None


def _check_open(event: Event) -> None:
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is cancelled."))


def _walk_in(event: Event, data: dict) -> Invitation:
    """A person added at the door: one invitation per phone-made id, however often it is uploaded."""
    client_id = _uuid(data.get("client_id"))
    if client_id is None:
        raise ValidationError(_("A walk-in needs its id."))
    found = Invitation.objects.filter(client_id=client_id).first()
    if found is not None:
        if found.event_id != event.pk:
            raise ValidationError(_("This walk-in belongs to another event."))
        return found
    name = (data.get("name") or "").strip()[:200]
    if not name:
        raise ValidationError(_("A walk-in needs a name."))
    hamlet_id = data.get("hamlet_id") or None
    if hamlet_id is not None and not Hamlet.objects.filter(pk=hamlet_id, commune_id=event.commune_id).exists():
        raise ValidationError(_("Choose a hamlet of this commune."))
    staff_id = data.get("staff_id") or None
    if staff_id is not None:
        staff = Staff.objects.filter(pk=staff_id, commune_id=event.commune_id).select_related("unit").first()
        if staff is None:
            raise ValidationError(_("Some staff members do not belong to this commune."))
        existing = Invitation.objects.filter(event=event, staff=staff).first()
        if existing is not None:
            return existing
    household = None
    code = (data.get("household_code") or "").strip()
    if code:
        household = Household.objects.filter(commune_id=event.commune_id, code=code).first()
        if household is None:
            raise ValidationError(_("No household of this commune has this code."))
        existing = Invitation.objects.filter(event=event, household=household).first()
        if existing is not None:
            return existing
        hamlet_id = household.hamlet_id
    return Invitation.objects.create(
        commune_id=event.commune_id,
        event=event,
        kind=Invitation.Kind.WALK_IN,
        name=name,
        organisation=(data.get("organisation") or "").strip()[:200],
        hamlet_id=hamlet_id,
        household=household,
        staff_id=staff_id,
        client_id=client_id,
    )


@transaction.atomic
def sync_checkins(actor, event: Event, items: Iterable[dict], *, device: str = "") -> SyncResult:
    """Record a phone's queue of check-ins. Each item: ``checkin_id`` (UUID made by the phone), ``code`` of the
    invitation or ``walk_in`` ({client_id, name, organisation, hamlet_id, household_code}), ``at``, ``source``.

    Every item gets an answer (ok, already, cancelled, waitlisted, unknown, invalid); one bad item does not stop
    the others. Uploading the same queue again answers "already" for every item and changes nothing.
    """
    require_commune_perm(actor, "events.check_in", event.commune_id)
    _check_open(event)
    result = SyncResult()
    fresh: list[Attendance] = []
    for item in items:
        checkin_id = _uuid(item.get("checkin_id"))
        if checkin_id is None:
            result.add(item.get("checkin_id"), INVALID, message=_("A check-in needs its id."))
            continue
        done = Attendance.objects.filter(checkin_id=checkin_id).select_related("invitation").first()
        if done is not None:
            if done.event_id != event.pk:
                result.add(checkin_id, INVALID, message=_("This check-in belongs to another event."))
            else:
                result.add(checkin_id, ALREADY, done.invitation)
            continue
        try:
            with transaction.atomic():
                if item.get("walk_in"):
                    invitation = _walk_in(event, item["walk_in"])
                else:
                    code = (item.get("code") or "").strip().upper()
                    invitation = Invitation.objects.filter(event=event, code=code).first()
                    if invitation is None:
                        result.add(checkin_id, UNKNOWN, message=_("No invitation of this event has this code."))
                        continue
        except ValidationError as exc:
            result.add(checkin_id, INVALID, message=" ".join(exc.messages))
            continue
        refused = _refusal(invitation)
        if refused:
            result.add(checkin_id, refused[0], invitation, refused[1])
            continue
        source = item.get("source") or Attendance.Source.SCAN
        if source not in Attendance.Source.values:
            source = Attendance.Source.SCAN
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    commune_id=event.commune_id,
                    event=event,
                    invitation=invitation,
                    checkin_id=checkin_id,
                    device=(device or item.get("device") or "")[:60],
                    source=source,
                    checked_at=_when(item.get("at")),
                    recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:
            result.add(checkin_id, ALREADY, invitation)  # another phone counted this person first
            continue
        fresh.append(attendance)
        result.add(checkin_id, OK, invitation)
    result.counted = len(fresh)
    if fresh:
        feed_indicators(actor, event, fresh)
    return result


def feed_indicators(actor, event: Event, attendances: list[Attendance]) -> None:
    """Tell reach who came: officials into the event's briefing, households as contacts of its activity."""
    if event.status == Event.Status.PLANNED:
        event.status = Event.Status.HELD
        event.save(update_fields=["status"])
    activity = ensure_activity(event, actor)
    invitations = Invitation.objects.filter(pk__in=[a.invitation_id for a in attendances])
    staff_ids = [pk for pk in invitations.values_list("staff_id", flat=True) if pk]
    household_ids = [pk for pk in invitations.values_list("household_id", flat=True) if pk]
    if staff_ids:
        briefing = reach.record_briefing_attendance(
            commune_id=event.commune_id,
            briefing=event.briefing,
            title=event.title,
            date=event.day,
            staff_ids=staff_ids,
            activity=activity,
        )
        if event.briefing_id != briefing.pk:
            event.briefing = briefing
            event.save(update_fields=["briefing"])
    if household_ids and activity is not None:
        channel = Contact.Channel.MEETING if event.kind == Event.Kind.HAMLET_TALK else Contact.Channel.EVENT
        reach.record_contacts_bulk(
            actor,
            activity=activity,
            rows=[{"channel": channel, "date": event.day, "household_id": pk} for pk in household_ids],
            source=ContactBatch.Source.FORM,
            file_name=f"su-kien-{event.pk}",
            check_perm=False,
        )
    if activity is not None:
        activity.people_count = Attendance.objects.filter(event=event).count()
        activity.save(update_fields=["people_count"])


def check_in_by_code(actor, event: Event, code: str, *, source: str = Attendance.Source.MANUAL) -> dict:
    """One check-in from the back office (search by name or code typed), through the same path as the phones."""
    result = sync_checkins(actor, event, [{"checkin_id": str(uuid.uuid4()), "code": code, "source": source}])
    return result.results[0]


# --- Paper sign-in sheet ------------------------------------------------------------------------------------

SHEET_COLUMNS = {
    "code": ("Mã mời", "Ma moi", "Mã", "Invitation code", "code"),
    "household": ("Mã hộ", "Ma ho", "Mã số hộ", "Household code"),
    "name": ("Họ và tên", "Họ tên", "Ho ten", "Name"),
    "organisation": ("Đơn vị", "Cơ quan", "Unit", "Organisation"),
}


@transaction.atomic
def import_sheet(actor, event: Event, *, data: bytes, file_name: str) -> SyncResult:
    """A paper sign-in sheet typed into Excel or CSV (read by reach's table reader, the one of its sign-in sheets).

    A row names an invitation code, or a household code, or an official's name on the invitation list; a row
    matching nothing with a name is a walk-in. All rows or none: a row that cannot be read stops the import.
    """
    require_commune_perm(actor, "events.check_in", event.commune_id)
    _check_open(event)
    table = tables_reader.read_table(data, file_name, SHEET_COLUMNS, ())
    by_code = dict(Invitation.objects.filter(event=event).values_list("code", "code"))
    by_household = dict(
        Invitation.objects.filter(event=event, household__isnull=False).values_list("household__code", "code")
    )
    by_name = {}
    for code, name in Invitation.objects.filter(event=event, staff__isnull=False).values_list(
        "code", "staff__full_name"
    ):
        by_name.setdefault(tables_reader.plain(name), []).append(code)
    households = set(Household.objects.filter(commune_id=event.commune_id).values_list("code", flat=True))
    items, errors = [], []
    for number, cells in table.rows:
        code = table.get(cells, "code").strip().upper()
        household = table.get(cells, "household").strip()
        name = table.get(cells, "name").strip()
        item = {"checkin_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"sheet:{event.pk}:{file_name}:{number}"))}
        item["source"] = Attendance.Source.SHEET
        if code and code in by_code:
            item["code"] = code
        elif household and household in by_household:
            item["code"] = by_household[household]
        elif household and household not in households:
            errors.append(
                _("Row %(n)s: no household has code “%(code)s” in this commune.") % {"n": number, "code": household}
            )
            continue
        elif name and len(by_name.get(tables_reader.plain(name), [])) == 1:
            item["code"] = by_name[tables_reader.plain(name)][0]
        elif name or household:
            item["walk_in"] = {
                "client_id": item["checkin_id"],
                "name": name or household,
                "organisation": table.get(cells, "organisation"),
                "household_code": household,
            }
        else:
            if code:
                errors.append(
                    _("Row %(n)s: no invitation of this event has code “%(code)s”.") % {"n": number, "code": code}
                )
            continue
        items.append(item)
    if not items and not errors:
        errors.append(_("The sheet has no rows."))
    if errors:
        raise ValidationError(errors[:100])
    result = sync_checkins(actor, event, items, device=file_name[:60])
    bad = [r for r in result.results if r["status"] in (INVALID,)]
    if bad:
        raise ValidationError([r["message"] for r in bad][:100])
    return result


def can_check_in(user, event: Event) -> bool:
    try:
        require_commune_perm(user, "events.check_in", event.commune_id)
    except PermissionDenied:
        return False
    return True
