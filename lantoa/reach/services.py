"""Every write of the reach app: validated, permission-checked where a user acts, audited, in one transaction.

Two kinds of callers:

* channels (the column, the radio) tell the indicators what happened through ``record_publication``,
  ``withdraw_publication``, ``record_broadcast`` and ``cancel_broadcast``. They run from the channel's own
  services or signals, without a user: the caller is trusted, but every id it passes must belong to the
  commune;
* people, through views and the API: every such function takes the acting user first and checks the
  role's permission in the commune (``tenancy.services.require_commune_perm``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.tenancy.models import Commune, Hamlet, Household
from lantoa.tenancy.services import require_commune_perm

from . import engine, tables
from .models import Broadcast, Contact, ContactBatch, Publication, RosterImport, ScienceTask

# --- Helpers ------------------------------------------------------------------------------------------


def _aware(value, field: str) -> dt.datetime:
    """A timezone-aware datetime from a datetime or a date (a date means midnight, local time)."""
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, dt.date):
        return timezone.make_aware(dt.datetime.combine(value, dt.time()))
    raise ValidationError({field: _("Give a date or a date and time.")})


def _ids(values: Iterable, field: str) -> list[int]:
    try:
        return sorted({int(v) for v in values or ()})
    except (TypeError, ValueError) as exc:
        raise ValidationError({field: _("Give a list of record numbers.")}) from exc


def _key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > 120:
        raise ValidationError({"key": _("The key must have 1 to 120 characters.")})
    return key


def _commune_id(commune: Commune | int) -> int:
    return commune.pk if isinstance(commune, Commune) else int(commune)


# --- Channels: publications -----------------------------------------------------------------------------


@transaction.atomic
def record_publication(
    *,
    commune: Commune | int,
    key: str,
    title: str,
    url: str,
    published_at,
    science_task_ids: Iterable[int] = (),
    plan_task_id: int | None = None,
    channel: str = Publication.Channel.COLUMN,
) -> Publication:
    """Record (or update) a published item, idempotently by (commune, key).

    Counts towards "column kept alive" (items per month) and, through ``science_task_ids``, publicises
    those S&T tasks. Publishing again an item that was withdrawn makes it count again.
    """
    commune_id = _commune_id(commune)
    key = _key(key)
    if channel not in Publication.Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    task_ids = _ids(science_task_ids, "science_task_ids")
    found = set(ScienceTask.objects.filter(commune_id=commune_id, pk__in=task_ids).values_list("pk", flat=True))
    if found != set(task_ids):
        raise ValidationError(
            {
                "science_task_ids": _("These S&T tasks are not registered in this commune: %(ids)s")
                % {"ids": ", ".join(str(i) for i in sorted(set(task_ids) - found))}
            }
        )
    if plan_task_id is not None:
        from lantoa.plans.models import Task

        if not Task.objects.filter(commune_id=commune_id, pk=plan_task_id).exists():
            raise ValidationError({"plan_task_id": _("This plan task does not belong to this commune.")})
    publication = Publication.objects.select_for_update().filter(commune_id=commune_id, key=key).first()
    if publication is None:
        publication = Publication(commune_id=commune_id, key=key)
    publication.title = (title or "").strip()[:300] or key
    publication.url = (url or "").strip()[:500]
    publication.published_at = _aware(published_at, "published_at")
    publication.channel = channel
    publication.plan_task_id = plan_task_id
    publication.withdrawn_at = None
    publication.full_clean(exclude=["science_tasks"])
    publication.save()
    if set(publication.science_tasks.values_list("pk", flat=True)) != set(task_ids):
        publication.science_tasks.set(task_ids)
    return publication


@transaction.atomic
def withdraw_publication(*, commune: Commune | int, key: str) -> Publication | None:
    """Mark an item as withdrawn (unpublished or deleted): it no longer counts. Unknown keys are ignored."""
    publication = Publication.objects.select_for_update().filter(commune_id=_commune_id(commune), key=_key(key)).first()
    if publication is not None and publication.withdrawn_at is None:
        publication.withdrawn_at = timezone.now()
        publication.save(update_fields=["withdrawn_at", "updated_at"])
    return publication


# --- Channels: loudspeaker broadcasts ------------------------------------------------------------------


@transaction.atomic
def record_broadcast(
    *, commune: Commune | int, hamlet_ids: Iterable[int], broadcast_at, key: str, title: str
) -> Broadcast:
    """Record (or update) a confirmed loudspeaker broadcast, idempotently by (commune, key).

    The hamlets given are *covered* by the broadcast (the "coverage by radio" figure); nobody counts as
    *reached* by it, since nobody is known to have listened.
    """
    commune_id = _commune_id(commune)
    key = _key(key)
    ids = _ids(hamlet_ids, "hamlet_ids")
    found = set(Hamlet.objects.filter(commune_id=commune_id, pk__in=ids).values_list("pk", flat=True))
    if found != set(ids):
        raise ValidationError(
            {
                "hamlet_ids": _("These hamlets do not belong to this commune: %(ids)s")
                % {"ids": ", ".join(str(i) for i in sorted(set(ids) - found))}
            }
        )
    broadcast = Broadcast.objects.select_for_update().filter(commune_id=commune_id, key=key).first()
    before = engine.broadcast_state(broadcast)
    if broadcast is None:
        broadcast = Broadcast(commune_id=commune_id, key=key)
    broadcast.title = (title or "").strip()[:300] or key
    broadcast.broadcast_at = _aware(broadcast_at, "broadcast_at")
    broadcast.cancelled_at = None
    broadcast.full_clean(exclude=["hamlets"])
    broadcast.save()
    if set(broadcast.hamlets.values_list("pk", flat=True)) != set(ids):
        broadcast.hamlets.set(ids)
    engine.apply_coverage(before, engine.broadcast_state(broadcast))
    return broadcast


@transaction.atomic
def cancel_broadcast(*, commune: Commune | int, key: str) -> Broadcast | None:
    """A broadcast recorded by mistake (or not confirmed after all) stops counting. Unknown keys are ignored."""
    broadcast = Broadcast.objects.select_for_update().filter(commune_id=_commune_id(commune), key=_key(key)).first()
    if broadcast is not None and broadcast.cancelled_at is None:
        before = engine.broadcast_state(broadcast)
        broadcast.cancelled_at = timezone.now()
        broadcast.save(update_fields=["cancelled_at", "updated_at"])
        engine.apply_coverage(before, None)
    return broadcast


# --- People: contacts ----------------------------------------------------------------------------------


def _check_activity(activity, commune_id: int | None = None) -> None:
    if activity is None:
        raise ValidationError({"activity": _("Choose the plan activity this contact belongs to.")})
    if commune_id is not None and activity.commune_id != commune_id:
        raise ValidationError({"activity": _("This activity does not belong to this commune.")})


def _validate_contact(contact: Contact) -> None:
    """Rules every contact obeys, whatever wrote it."""
    errors = {}
    if contact.channel not in Contact.Channel.values:
        errors["channel"] = _("Unknown channel.")
    if contact.date and contact.date > timezone.localdate() + dt.timedelta(days=1):
        errors["date"] = _("A contact cannot be in the future.")
    if contact.household_id is not None:
        household = Household.objects.filter(pk=contact.household_id).values("commune_id", "hamlet_id").first()
        if household is None or household["commune_id"] != contact.commune_id:
            errors["household"] = _("This household does not belong to this commune.")
        else:
            contact.hamlet_id = household["hamlet_id"]
    if (
        contact.hamlet_id is not None
        and not Hamlet.objects.filter(pk=contact.hamlet_id, commune_id=contact.commune_id).exists()
    ):
        errors["hamlet"] = _("This hamlet does not belong to this commune.")
    if contact.channel == Contact.Channel.ONLINE and contact.household_id is not None:
        errors["household"] = _("Online views are not attributable to a household.")
    if contact.channel == Contact.Channel.BOARD and contact.hamlet_id is None:
        errors["hamlet"] = _("Say which hamlet's bulletin board this was.")
    if contact.channel == Contact.Channel.VISIT and contact.household_id is None:
        errors["household"] = _("A household visit names the household visited.")
    if contact.people is None or contact.people < 1:
        errors["people"] = _("At least one person.")
    if errors:
        raise ValidationError(errors)
    contact.full_clean(exclude=["activity", "household", "hamlet", "batch", "created_by"])


@transaction.atomic
def record_contact(
    actor,
    *,
    activity,
    channel: str,
    date: dt.date,
    household: Household | None = None,
    hamlet: Hamlet | None = None,
    people: int = 1,
    per: str = Contact.Per.HOUSEHOLD,
    note: str = "",
    batch: ContactBatch | None = None,
) -> Contact:
    """Record one contact under a plan activity; the indicators follow in the same transaction."""
    _check_activity(activity)
    require_commune_perm(actor, "reach.add_contact", activity.commune_id)
    contact = Contact(
        commune_id=activity.commune_id,
        activity=activity,
        channel=channel,
        date=date,
        household=household,
        hamlet=hamlet,
        people=people,
        per=per,
        note=note,
        batch=batch,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _validate_contact(contact)
    contact.save()
    engine.apply_contacts(added=engine.contact_keys([contact]))
    engine.apply_channels(added=engine.channel_keys([contact]))
    return contact


CONTACT_FIELDS = ("activity", "channel", "date", "household", "hamlet", "people", "per", "note")


@transaction.atomic
def update_contact(actor, contact: Contact, **changes) -> Contact:
    """Change a contact (date, household, channel…): the figures it left and the ones it joins are updated."""
    require_commune_perm(actor, "reach.change_contact", contact.commune_id)
    stored = Contact.objects.select_for_update().get(pk=contact.pk)
    before = engine.contact_keys([stored])
    before_channels = engine.channel_keys([stored])
    for name, value in changes.items():
        if name not in CONTACT_FIELDS:
            raise ValidationError({name: _("This field cannot be changed here.")})
        setattr(stored, name, value)
    _check_activity(stored.activity, stored.commune_id)
    if "household" in changes and changes["household"] is None and "hamlet" not in changes:
        pass  # keep the hamlet
    _validate_contact(stored)
    stored.save()
    engine.apply_contacts(added=engine.contact_keys([stored]), removed=before)
    engine.apply_channels(added=engine.channel_keys([stored]), removed=before_channels)
    return stored


@transaction.atomic
def delete_contact(actor, contact: Contact) -> None:
    require_commune_perm(actor, "reach.delete_contact", contact.commune_id)
    stored = Contact.objects.select_for_update().filter(pk=contact.pk).first()
    if stored is None:
        return
    keys, channel_keys = engine.contact_keys([stored]), engine.channel_keys([stored])
    stored.delete()
    engine.apply_contacts(removed=keys)
    engine.apply_channels(removed=channel_keys)


MAX_ERRORS = 100


def _cap(errors: list) -> list:
    """At most MAX_ERRORS row errors, then how many more rows are wrong."""
    if len(errors) <= MAX_ERRORS:
        return errors
    return errors[:MAX_ERRORS] + [_("… and %(n)s more rows with errors.") % {"n": len(errors) - MAX_ERRORS}]


@transaction.atomic
def record_contacts_bulk(
    actor,
    *,
    activity,
    rows: list[dict],
    source: str = ContactBatch.Source.API,
    file_name: str = "",
    check_perm: bool = True,
) -> ContactBatch:
    """Record many contacts at once (a sign-in sheet, an API call): all or nothing, set-based.

    Each row: channel, date, household_id or hamlet_id, people, per, note. Rows are validated as a whole
    (ids of another commune are refused) before anything is written.
    """
    _check_activity(activity)
    commune_id = activity.commune_id
    if check_perm:
        require_commune_perm(actor, "reach.add_contact", commune_id)
    household_ids = {int(r["household_id"]) for r in rows if r.get("household_id") is not None}
    households = {  # household id -> its hamlet, for the households of this commune
        pk: place.hamlet_id
        for pk, place in engine.households_by_id(sorted(household_ids)).items()
        if place.commune_id == commune_id
    }
    hamlet_ids = set(Hamlet.objects.filter(commune_id=commune_id).values_list("pk", flat=True))
    today = timezone.localdate()
    errors, contacts = [], []
    user = actor if getattr(actor, "is_authenticated", False) else None
    per_values = set(Contact.Per.values)
    channel_values = set(Contact.Channel.values)
    for number, row in enumerate(rows, start=1):
        channel = row.get("channel") or Contact.Channel.VISIT
        household_id = row.get("household_id")
        hamlet_id = row.get("hamlet_id")
        day = row.get("date")
        per = row.get("per") or Contact.Per.HOUSEHOLD
        problems = []
        if channel not in channel_values:
            problems.append(_("unknown channel"))
        if per not in per_values:
            problems.append(_("unknown way of counting"))
        if household_id is not None:
            household_id = int(household_id)
            if household_id not in households:
                problems.append(_("household not in this commune"))
            else:
                hamlet_id = households[household_id]
        elif channel == Contact.Channel.VISIT:
            problems.append(_("a visit names a household"))
        if channel == Contact.Channel.ONLINE:
            hamlet_id = None
        if hamlet_id is not None:
            hamlet_id = int(hamlet_id)
            if hamlet_id not in hamlet_ids:
                problems.append(_("hamlet not in this commune"))
        elif channel == Contact.Channel.BOARD:
            problems.append(_("a bulletin board names its hamlet"))
        if not isinstance(day, dt.date) or day > today + dt.timedelta(days=1) or day.year < 2000:
            problems.append(_("bad date"))
        try:
            people = int(row.get("people") or 1)
        except (TypeError, ValueError):
            people = 0
        if people < 1:
            problems.append(_("at least one person"))
        if problems:
            errors.append(
                _("Row %(n)s: %(problems)s.") % {"n": row.get("row", number), "problems": "; ".join(problems)}
            )
            continue
        contacts.append(
            (commune_id, activity.pk, channel, day, hamlet_id, household_id, per, people, (row.get("note") or "")[:300])
        )
    if errors:
        raise ValidationError(_cap(errors))
    batch = ContactBatch.objects.create(
        commune_id=commune_id,
        activity=activity,
        source=source,
        file_name=file_name[:255],
        rows=len(contacts),
        created_by=user,
    )
    now = timezone.now()
    user_id = user.pk if user else None
    engine.insert_rows(
        engine.CONTACT_TABLE,
        [
            "commune_id",
            "activity_id",
            "channel",
            "date",
            "hamlet_id",
            "household_id",
            "per",
            "people",
            "note",
            "batch_id",
            "created_by_id",
            "created_at",
        ],
        [(*c, batch.pk, user_id, now) for c in contacts],
    )
    engine.apply_contacts(added=[(c[5], c[3]) for c in contacts if c[5] is not None and c[2] in engine.ATTRIBUTABLE])
    engine.apply_channels(
        added=[(c[0], c[2], c[3], c[7], c[5] is not None and c[2] in engine.ATTRIBUTABLE) for c in contacts]
    )
    return batch


@dataclass
class VisitResult:
    batch: ContactBatch | None
    created: int = 0
    skipped: list[str] = field(default_factory=list)


@transaction.atomic
def record_visits(actor, *, hamlet: Hamlet, activity, date: dt.date, household_ids) -> VisitResult:
    """The quick form of the community digital team: the households of one hamlet visited on one day.

    A household already recorded as visited that day under the same activity is skipped (a form sent twice).
    """
    _check_activity(activity, hamlet.commune_id)
    require_commune_perm(actor, "reach.add_contact", hamlet.commune_id)
    ids = _ids(household_ids, "household_ids")
    if not ids:
        raise ValidationError({"household_ids": _("Tick at least one household.")})
    in_hamlet = set(Household.objects.filter(hamlet=hamlet, pk__in=ids).values_list("pk", flat=True))
    if in_hamlet != set(ids):
        raise ValidationError({"household_ids": _("Some households are not in this hamlet.")})
    done = dict(
        Contact.objects.filter(
            activity=activity, date=date, channel=Contact.Channel.VISIT, household_id__in=ids
        ).values_list("household_id", "household__code")
    )
    rows = [{"channel": Contact.Channel.VISIT, "date": date, "household_id": pk} for pk in ids if pk not in done]
    result = VisitResult(batch=None, skipped=sorted(done.values()))
    if rows:
        result.batch = record_contacts_bulk(
            actor, activity=activity, rows=rows, source=ContactBatch.Source.FORM, check_perm=False
        )
        result.created = len(rows)
    return result


def reveal_personal_data(actor, household: Household, *, purpose: str) -> dict[str, str]:
    """A household's name and phone for someone allowed to see them; logged by tenancy."""
    from lantoa.tenancy.services import read_personal_data

    if not purpose.strip():
        raise ValidationError({"purpose": _("Say why you need this household's name and phone.")})
    try:
        return read_personal_data(actor, household, purpose=purpose)
    except PermissionDenied:
        raise


# --- Imports: sign-in sheets and the household roster ----------------------------------------------------


SHEET_COLUMNS = {
    "code": ("Mã hộ", "Ma ho", "Mã số hộ", "Household code", "code"),
    "people": ("Số người", "So nguoi", "Số người tham dự", "People"),
    "hamlet": ("Thôn", "Thôn, bản", "Thôn/tổ dân phố", "Hamlet"),
    "date": ("Ngày", "Ngày tham dự", "Date"),
    "note": ("Ghi chú", "Note"),
}


def parse_date(text: str) -> dt.date | None:
    text = (text or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@transaction.atomic
def import_sign_in_sheet(
    actor,
    *,
    activity,
    data: bytes,
    file_name: str,
    channel: str = Contact.Channel.MEETING,
    date: dt.date,
    per: str = Contact.Per.HOUSEHOLD,
) -> ContactBatch:
    """A sign-in sheet (Excel or CSV, one row per household or per person): all rows or none.

    Columns: household code (required), number of people, hamlet (checked against the household's), date
    (else the meeting's), note. Names on the sheet are not read: the code is enough (data minimisation).
    """
    _check_activity(activity)
    require_commune_perm(actor, "reach.add_contact", activity.commune_id)
    if channel not in (Contact.Channel.MEETING, Contact.Channel.EVENT, Contact.Channel.VISIT):
        raise ValidationError({"channel": _("A sign-in sheet records a meeting, an event or visits.")})
    table = tables.read_table(data, file_name, SHEET_COLUMNS, ("code",))
    households = {
        code: (pk, hamlet_id, hamlet)
        for pk, code, hamlet_id, hamlet in Household.objects.filter(commune_id=activity.commune_id).values_list(
            "pk", "code", "hamlet_id", "hamlet__name"
        )
    }
    errors, rows = [], []
    for number, cells in table.rows:
        code = table.get(cells, "code").strip()
        problems = []
        found = households.get(code)
        if not code:
            problems.append(_("the household code is missing"))
        elif found is None:
            problems.append(_("no household has code “%(code)s” in this commune") % {"code": code})
        hamlet_text = table.get(cells, "hamlet")
        if found and hamlet_text and tables.plain(hamlet_text) != tables.plain(found[2]):
            problems.append(
                _("household %(code)s lives in %(hamlet)s, not in “%(given)s”")
                % {"code": code, "hamlet": found[2], "given": hamlet_text}
            )
        people_text = table.get(cells, "people") or "1"
        try:
            people = int(float(people_text.replace(",", ".")))
            if people < 1 or people > 99:
                raise ValueError
        except ValueError:
            problems.append(
                _("the number of people “%(value)s” is not a whole number from 1 to 99") % {"value": people_text}
            )
            people = 1
        day = date
        if table.get(cells, "date"):
            day = parse_date(table.get(cells, "date"))
            if day is None:
                problems.append(
                    _("the date “%(value)s” is not a day/month/year date") % {"value": table.get(cells, "date")}
                )
        if problems:
            errors.append(_("Row %(n)s: %(problems)s.") % {"n": number, "problems": "; ".join(problems)})
            continue
        rows.append(
            {
                "row": number,
                "channel": channel,
                "date": day,
                "household_id": found[0],
                "people": people,
                "per": per,
                "note": table.get(cells, "note"),
            }
        )
    if not rows and not errors:
        errors.append(_("The sheet has no rows."))
    if errors:
        raise ValidationError(_cap(errors))
    return record_contacts_bulk(
        actor, activity=activity, rows=rows, source=ContactBatch.Source.SHEET, file_name=file_name, check_perm=False
    )


ROSTER_COLUMNS = {
    "hamlet": ("Thôn", "Thôn, bản", "Thôn/bản", "Thôn/tổ dân phố", "Tổ dân phố", "Hamlet"),
    "code": ("Mã hộ", "Mã số hộ", "Household code", "code"),
    "members": ("Số nhân khẩu", "Nhân khẩu", "Số thành viên", "Số người", "Members"),
    "name": ("Chủ hộ", "Họ tên chủ hộ", "Tên chủ hộ", "Head of household", "Name"),
    "phone": ("Điện thoại", "Số điện thoại", "SĐT", "Phone"),
}
PHONE = re.compile(r"^\+?[0-9 .]{8,15}$")


@dataclass
class RosterResult:
    summary: dict
    changes: list[dict]
    record: RosterImport | None = None


def _roster_rows(table, commune_id):
    from lantoa.tenancy.models import household_code_validator

    errors, rows, seen = [], [], {}
    for number, cells in table.rows:
        hamlet = " ".join(table.get(cells, "hamlet").split())
        code = table.get(cells, "code").strip()
        members_text = table.get(cells, "members").strip()
        name = " ".join(table.get(cells, "name").split())
        phone = table.get(cells, "phone").strip()
        problems = []
        if not hamlet:
            problems.append(_("the hamlet is missing"))
        elif len(hamlet) > 120:
            problems.append(_("the hamlet name is longer than 120 characters"))
        if not code:
            problems.append(_("the household code is missing"))
        else:
            try:
                household_code_validator(code)
            except ValidationError:
                problems.append(
                    _(
                        "the household code “%(code)s” may only have letters without accents, digits, "
                        "“.”, “_” or “-” (at most 32)"
                    )
                    % {"code": code}
                )
            if code in seen:
                problems.append(
                    _("household code %(code)s already appears on row %(row)s") % {"code": code, "row": seen[code]}
                )
            seen.setdefault(code, number)
        try:
            members = int(float(members_text.replace(",", "."))) if members_text else None
            if members is None or members < 1 or members > 99 or float(members_text.replace(",", ".")) != members:
                raise ValueError
        except ValueError:
            problems.append(
                _("the number of members “%(value)s” is not a whole number from 1 to 99") % {"value": members_text}
            )
            members = None
        if len(name) > 120:
            problems.append(_("the name is longer than 120 characters"))
        if phone and not PHONE.match(phone):
            problems.append(_("the phone number is not valid"))
        if problems:
            errors.append(_("Row %(n)s: %(problems)s.") % {"n": number, "problems": "; ".join(problems)})
        else:
            rows.append(
                {
                    "row": number,
                    "hamlet": hamlet,
                    "code": code,
                    "members": members,
                    "name": name,
                    "phone": phone.replace(" ", "").replace(".", ""),
                }
            )
    return errors, rows


@transaction.atomic
def import_roster(actor, *, commune: Commune, data: bytes, file_name: str, dry_run: bool = False) -> RosterResult:
    """Import the roster of hamlets and households (Excel or CSV): every row valid, or nothing is written.

    Columns: hamlet, household code, number of members (required); head of household and phone (optional,
    personal data: stored, never shown in the report, read only through a logged access). A household is
    matched by its code: re-importing updates members, moves it to its new hamlet, and reports created,
    updated, moved and unchanged households (codes only). Households missing from the file are kept and
    listed. New hamlets are created. The figures follow (incrementally, or rebuilt for large changes).
    """
    require_commune_perm(actor, "tenancy.add_household", commune)
    require_commune_perm(actor, "tenancy.change_household", commune)
    table = tables.read_table(data, file_name, ROSTER_COLUMNS, ("hamlet", "code", "members"))
    errors, rows = _roster_rows(table, commune.pk)
    if not rows and not errors:
        errors.append(_("The file has no household rows."))
    if errors:
        raise ValidationError(_cap(errors))
    hamlets = {tables.plain(h.name): h for h in Hamlet.objects.filter(commune=commune)}
    new_hamlets = []
    for row in rows:
        key = tables.plain(row["hamlet"])
        if key not in hamlets:
            hamlet = Hamlet(commune=commune, name=row["hamlet"])
            hamlets[key] = hamlet
            new_hamlets.append(hamlet)
    existing = {h.code: h for h in Household.objects.filter(commune=commune).select_related("hamlet")}
    counts = {"created": 0, "updated": 0, "moved": 0, "unchanged": 0}
    changes, to_create, to_update, engine_changes = [], [], [], []
    for row in rows:
        hamlet = hamlets[tables.plain(row["hamlet"])]
        household = existing.get(row["code"])
        if household is None:
            counts["created"] += 1
            changes.append(
                {
                    "row": row["row"],
                    "code": row["code"],
                    "change": "created",
                    "hamlet": hamlet.name,
                    "members": row["members"],
                }
            )
            to_create.append((row, hamlet))
            continue
        change = {"row": row["row"], "code": row["code"]}
        old = (household.hamlet_id, household.members)
        moved = household.hamlet.name != hamlet.name
        if moved:
            change.update({"change": "moved", "from": household.hamlet.name, "to": hamlet.name})
        if household.members != row["members"]:
            change.setdefault("change", "updated")
            change.update({"members_from": household.members, "members": row["members"]})
        personal_changed = (row["name"] and row["name"] != household.head_name) or (
            row["phone"] and row["phone"] != household.phone
        )
        if personal_changed:
            change.setdefault("change", "updated")
            change["contact_details"] = True
        if "change" not in change:
            counts["unchanged"] += 1
            continue
        counts["moved" if moved else "updated"] += 1
        changes.append(change)
        to_update.append((household, row, hamlet, old))
    missing = sorted(set(existing) - {r["code"] for r in rows})
    summary = {
        **counts,
        "rows": len(rows),
        "hamlets_created": [h.name for h in new_hamlets],
        "not_in_file": len(missing),
        "not_in_file_codes": missing[:200],
    }
    if dry_run:
        transaction.set_rollback(True)
        return RosterResult(summary, changes)
    for hamlet in new_hamlets:
        hamlet.full_clean()
        hamlet.save()
    created = Household.objects.bulk_create(
        [
            Household(
                commune=commune,
                hamlet=hamlets[tables.plain(r["hamlet"])],
                code=r["code"],
                members=r["members"],
                head_name=r["name"],
                phone=r["phone"],
            )
            for r, _h in to_create
        ],
        batch_size=1000,
    )
    for household in created:
        engine_changes.append((household.pk, None, (household.hamlet_id, household.members)))
    updated = []
    for household, row, hamlet, old in to_update:
        household.hamlet = hamlet
        household.members = row["members"]
        if row["name"]:
            household.head_name = row["name"]
        if row["phone"]:
            household.phone = row["phone"]
        household.updated_at = timezone.now()
        updated.append(household)
        engine_changes.append((household.pk, old, (hamlet.pk, row["members"])))
    Household.objects.bulk_update(updated, ["hamlet", "members", "head_name", "phone", "updated_at"], batch_size=1000)
    if len(engine_changes) > 500:
        engine.recompute([commune.pk])
    else:
        for pk, old, new in engine_changes:
            engine.apply_household(commune.pk, pk, old, new)
    _refresh_baselines(commune)
    record = RosterImport.objects.create(
        commune=commune,
        file_name=file_name[:255],
        created_by=actor if actor.is_authenticated else None,
        summary=summary,
        changes=changes,
    )
    return RosterResult(summary, changes, record)


def _refresh_baselines(commune: Commune) -> None:
    """Hamlets' household and resident baselines follow the roster (tenancy's own task, run now)."""
    from lantoa.tenancy.tasks import refresh_baselines

    refresh_baselines.call(commune.pk)
