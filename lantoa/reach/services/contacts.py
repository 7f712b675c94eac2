"""Contacts (lượt tiếp cận): one by one from the back office, in bulk from a sheet or the API, a hamlet's visits
from the quick form. The indicators follow in the same transaction.

Every contact obeys one set of rules, whoever writes it: ``check_contact``. It reports each problem in two
wordings, a sentence under a form field and a phrase in a list of row errors ("Row 3: unknown channel; bad
date."). Where the single and the bulk paths used to disagree, the stricter rule now holds for both:

* an online view names no household (bulk rows with one were accepted) and no hamlet (dropped, as bulk did);
* a date must be from the year 2000 on (single contacts had no lower bound);
* "people: 0" is refused (bulk rows counted it as 1); a row without people still counts one person;
* a note longer than 300 characters is refused (bulk rows were cut short silently).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.tenancy import locks
from lantoa.tenancy.models import Hamlet, Household
from lantoa.tenancy.selectors import hamlets_in_charge
from lantoa.tenancy.services import require_commune_perm

from .. import engine
from ..models import Contact, ContactBatch
from .common import cap_errors, record_ids

Channel = Contact.Channel
NOTE_LENGTH = Contact._meta.get_field("note").max_length
EARLIEST_YEAR = 2000

# --- The rules ---------------------------------------------------------------------------------------------


class ContactRow(NamedTuple):
    """A contact as it is checked and inserted (fields in the order of the insert's columns)."""

    commune_id: int
    activity_id: int
    channel: str
    date: dt.date | None
    hamlet_id: int | None
    household_id: int | None
    per: str
    people: int | None
    note: str


class ContactProblem(NamedTuple):
    """A broken rule: the field it concerns, as a sentence for a form and as a phrase for a row list."""

    field: str
    sentence: str
    phrase: str


UNKNOWN_CHANNEL = ContactProblem("channel", gettext_lazy("Unknown channel."), gettext_lazy("unknown channel"))
UNKNOWN_PER = ContactProblem("per", gettext_lazy("Unknown way of counting."), gettext_lazy("unknown way of counting"))
FOREIGN_HOUSEHOLD = ContactProblem(
    "household",
    gettext_lazy("This household does not belong to this commune."),
    gettext_lazy("household not in this commune"),
)
VISIT_WITHOUT_HOUSEHOLD = ContactProblem(
    "household",
    gettext_lazy("A household visit names the household visited."),
    gettext_lazy("a visit names a household"),
)
ONLINE_HOUSEHOLD = ContactProblem(
    "household",
    gettext_lazy("Online views are not attributable to a household."),
    gettext_lazy("online views name no household"),
)
FOREIGN_HAMLET = ContactProblem(
    "hamlet", gettext_lazy("This hamlet does not belong to this commune."), gettext_lazy("hamlet not in this commune")
)
BOARD_WITHOUT_HAMLET = ContactProblem(
    "hamlet",
    gettext_lazy("Say which hamlet's bulletin board this was."),
    gettext_lazy("a bulletin board names its hamlet"),
)
BAD_DATE = ContactProblem("date", gettext_lazy("Give the date of the contact, from 2000 on."), gettext_lazy("bad date"))
FUTURE_DATE = ContactProblem("date", gettext_lazy("A contact cannot be in the future."), gettext_lazy("bad date"))
NO_PEOPLE = ContactProblem("people", gettext_lazy("At least one person."), gettext_lazy("at least one person"))
LONG_NOTE = ContactProblem(
    "note",
    gettext_lazy("The note has at most 300 characters."),
    gettext_lazy("the note is longer than 300 characters"),
)


_CHANNELS = frozenset(Channel.values)  # (``.values`` builds a new list at every read)
_PERS = frozenset(Contact.Per.values)


def check_contact(
    row: ContactRow, *, households: Mapping[int, int], hamlet_ids: Container[int], today: dt.date
) -> tuple[ContactRow, list[ContactProblem]]:
    """The rules every contact obeys: its problems, and the contact with its hamlet settled.

    ``households`` maps the commune's households (at least those named) to their hamlet, ``hamlet_ids``
    holds the commune's hamlets. A contact that names a household is in that household's hamlet; an online
    view is in none.
    """
    problems = []
    if row.channel not in _CHANNELS:
        problems.append(UNKNOWN_CHANNEL)
    if row.per not in _PERS:
        problems.append(UNKNOWN_PER)
    hamlet_id = row.hamlet_id
    if row.household_id is not None:
        if row.household_id in households:
            hamlet_id = households[row.household_id]
        else:
            problems.append(FOREIGN_HOUSEHOLD)
        if row.channel == Channel.ONLINE:
            problems.append(ONLINE_HOUSEHOLD)
    elif row.channel == Channel.VISIT:
        problems.append(VISIT_WITHOUT_HOUSEHOLD)
    if row.channel == Channel.ONLINE:
        hamlet_id = None
    if hamlet_id is not None:
        if hamlet_id not in hamlet_ids:
            problems.append(FOREIGN_HAMLET)
    elif row.channel == Channel.BOARD:
        problems.append(BOARD_WITHOUT_HAMLET)
    if not isinstance(row.date, dt.date) or row.date.year < EARLIEST_YEAR:
        problems.append(BAD_DATE)
    elif row.date > today + dt.timedelta(days=1):
        problems.append(FUTURE_DATE)
    if row.people is None or row.people < 1:
        problems.append(NO_PEOPLE)
    if len(row.note or "") > NOTE_LENGTH:
        problems.append(LONG_NOTE)
    return row._replace(hamlet_id=hamlet_id), problems


def check_activity(activity, commune_id: int | None = None) -> None:
    """A contact belongs to a plan activity, of the commune when ``commune_id`` is given."""
    if activity is None:
        raise ValidationError({"activity": _("Choose the plan activity this contact belongs to.")})
    if commune_id is not None and activity.commune_id != commune_id:
        raise ValidationError({"activity": _("This activity does not belong to this commune.")})


def _validate_contact(contact: Contact) -> None:
    """``check_contact`` on a model instance: its hamlet settled, or a ValidationError by field."""
    row = ContactRow(
        contact.commune_id,
        contact.activity_id,
        contact.channel,
        contact.date,
        contact.hamlet_id,
        contact.household_id,
        contact.per,
        contact.people,
        contact.note,
    )
    households = {}
    if contact.household_id is not None:
        households = dict(
            Household.objects.filter(pk=contact.household_id, commune_id=contact.commune_id).values_list(
                "pk", "hamlet_id"
            )
        )
    hamlet_ids = set(Hamlet.objects.filter(commune_id=contact.commune_id).values_list("pk", flat=True))
    row, problems = check_contact(row, households=households, hamlet_ids=hamlet_ids, today=timezone.localdate())
    if problems:
        raise ValidationError({problem.field: str(problem.sentence) for problem in problems})
    contact.hamlet_id = row.hamlet_id
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
    locks.ensure_open(contact.commune_id, contact.date, field="date")
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
    locks.ensure_open(stored.commune_id, stored.date, field="date")
    before = engine.contact_keys([stored])
    before_channels = engine.channel_keys([stored])
    for name, value in changes.items():
        if name not in CONTACT_FIELDS:
            raise ValidationError({name: _("This field cannot be changed here.")})
        setattr(stored, name, value)
    check_activity(stored.activity, stored.commune_id)
    _validate_contact(stored)
    locks.ensure_open(stored.commune_id, stored.date, field="date")
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
    locks.ensure_open(stored.commune_id, stored.date)
    keys, channel_keys = engine.contact_keys([stored]), engine.channel_keys([stored])
    stored.delete()
    engine.apply_contacts(removed=keys)
    engine.apply_channels(removed=channel_keys)


# --- Many contacts ---------------------------------------------------------------------------------------


def _row_id(value) -> int | None:
    """A record number given in a row; -1 (matches no record) when it is not one."""
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@dataclass
class ContactChecks:
    """What the contacts of one commune are checked against, read once for a batch: the named households of the
    commune (id -> hamlet), the commune's hamlets, its locked periods and today.

    ``record_contacts_bulk`` builds one for its rows. A caller that checks the rows its own way first (the field
    app's sync, which answers per event) builds it with ``contact_checks`` and hands it on, so that nothing is
    read twice in the call."""

    commune_id: int
    households: dict[int, int]
    hamlet_ids: set[int]
    locked: locks.LockedDays
    today: dt.date
    looked_up: set[int] = field(default_factory=set)

    def add_households(self, ids) -> None:
        """Look up the households not looked up yet (one query, none when all were)."""
        missing = sorted({int(pk) for pk in ids} - self.looked_up)
        if not missing:
            return
        self.looked_up.update(missing)
        self.households.update(
            (pk, place.hamlet_id)
            for pk, place in engine.households_by_id(missing).items()
            if place.commune_id == self.commune_id
        )


def contact_checks(commune_id: int, household_ids=(), *, hamlet_ids: set[int] | None = None) -> ContactChecks:
    """``hamlet_ids``: the commune's hamlets when the caller has read them already."""
    if hamlet_ids is None:
        hamlet_ids = set(Hamlet.objects.filter(commune_id=commune_id).values_list("pk", flat=True))
    checks = ContactChecks(
        commune_id=commune_id,
        households={},
        hamlet_ids=hamlet_ids,
        locked=locks.LockedDays(commune_id),
        today=timezone.localdate(),
    )
    checks.add_households(household_ids)
    return checks


def _row_people(value) -> int | None:
    """The number of people of a row: one when not given, None when not a whole number."""
    if value is None or value == "":
        return 1
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@transaction.atomic
def record_contacts_bulk(
    actor,
    *,
    activity,
    rows: list[dict],
    source: str = ContactBatch.Source.API,
    file_name: str = "",
    check_perm: bool = True,
    checks: ContactChecks | None = None,
) -> ContactBatch:
    """Record many contacts at once (a sign-in sheet, an API call): all or nothing, set-based.

    Each row: channel, date, household_id or hamlet_id, people, per, note. Rows are validated as a whole
    (ids of another commune are refused) before anything is written. The batch returned carries
    ``contact_ids``: the ids of the contacts made, in the order of ``rows``. ``checks``: what the caller read for the
    same rows in the same transaction (``contact_checks``); ``check_perm=False``: the caller has checked the
    actor's permission itself.
    """
    check_activity(activity)
    commune_id = activity.commune_id
    if check_perm:
        require_commune_perm(actor, "reach.add_contact", commune_id)
    household_ids = {int(r["household_id"]) for r in rows if r.get("household_id") is not None}
    if checks is None or checks.commune_id != commune_id:
        checks = contact_checks(commune_id, household_ids)
    else:
        checks.add_households(household_ids)
    households, hamlet_ids, today = checks.households, checks.hamlet_ids, checks.today
    errors, contacts = [], []
    user = actor if getattr(actor, "is_authenticated", False) else None
    for number, row in enumerate(rows, start=1):
        household_id = row.get("household_id")
        contact, problems = check_contact(
            ContactRow(
                commune_id=commune_id,
                activity_id=activity.pk,
                channel=row.get("channel") or Channel.VISIT,
                date=row.get("date"),
                hamlet_id=_row_id(row.get("hamlet_id")),
                household_id=None if household_id is None else int(household_id),
                per=row.get("per") or Contact.Per.HOUSEHOLD,
                people=_row_people(row.get("people")),
                note=row.get("note") or "",
            ),
            households=households,
            hamlet_ids=hamlet_ids,
            today=today,
        )
        if problems:
            errors.append(
                _("Row %(n)s: %(problems)s.")
                % {"n": row.get("row", number), "problems": "; ".join(str(p.phrase) for p in problems)}
            )
        else:
            contacts.append(contact)
    if errors:
        raise ValidationError(cap_errors(errors))
    checks.locked.ensure_open(*(contact.date for contact in contacts))
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
    batch.contact_ids = engine.insert_rows(
        engine.CONTACT_TABLE,
        [*ContactRow._fields, "batch_id", "created_by_id", "created_at"],
        [(*contact, batch.pk, user_id, now) for contact in contacts],
        returning="id",
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
    if not hamlets_in_charge(actor, hamlet.commune_id).filter(pk=hamlet.pk).exists():
        raise PermissionDenied(_("You record visits only in the hamlets you are in charge of."))
    ids = record_ids(household_ids, "household_ids")
    if not ids:
        raise ValidationError({"household_ids": _("Tick at least one household.")})
    in_hamlet = set(Household.objects.filter(hamlet=hamlet, pk__in=ids).values_list("pk", flat=True))
    if in_hamlet != set(ids):
        raise ValidationError({"household_ids": _("Some households are not in this hamlet.")})
    done = dict(
        Contact.objects.filter(activity=activity, date=date, channel=Channel.VISIT, household_id__in=ids).values_list(
            "household_id", "household__code"
        )
    )
    rows = [{"channel": Channel.VISIT, "date": date, "household_id": pk} for pk in ids if pk not in done]
    result = VisitResult(batch=None, skipped=sorted(done.values()))
    if rows:
        result.batch = record_contacts_bulk(
            actor, activity=activity, rows=rows, source=ContactBatch.Source.FORM, check_perm=False
        )
        result.created = len(rows)
    return result
