"""Contacts (lượt tiếp cận): one by one from the back office, in bulk from a sheet or the API, a hamlet's visits
from the quick form. The indicators follow in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.tenancy.models import Hamlet, Household
from lantoa.tenancy.services import require_commune_perm

from .. import engine
from ..models import Contact, ContactBatch
from .common import cap_errors, record_ids


class ContactRow(NamedTuple):
    """A contact of a batch as it is inserted (fields in the order of the insert's columns)."""

    commune_id: int
    activity_id: int
    channel: str
    date: dt.date
    hamlet_id: int | None
    household_id: int | None
    per: str
    people: int
    note: str


def check_activity(activity, commune_id: int | None = None) -> None:
    """A contact belongs to a plan activity, of the commune when ``commune_id`` is given."""
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


# --- One contact ---------------------------------------------------------------------------------------


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
    check_activity(activity)
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
    check_activity(stored.activity, stored.commune_id)
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


# --- Many contacts ---------------------------------------------------------------------------------------


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
    check_activity(activity)
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
            ContactRow(
                commune_id,
                activity.pk,
                channel,
                day,
                hamlet_id,
                household_id,
                per,
                people,
                (row.get("note") or "")[:300],
            )
        )
    if errors:
        raise ValidationError(cap_errors(errors))
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
        [*ContactRow._fields, "batch_id", "created_by_id", "created_at"],
        [(*contact, batch.pk, user_id, now) for contact in contacts],
    )
    engine.apply_contacts(added=engine.contact_keys(contacts))
    engine.apply_channels(added=engine.channel_keys(contacts))
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
    check_activity(activity, hamlet.commune_id)
    require_commune_perm(actor, "reach.add_contact", hamlet.commune_id)
    ids = record_ids(household_ids, "household_ids")
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
