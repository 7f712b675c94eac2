"""Sign-in sheets (Excel or CSV) of a meeting, an event or a round of visits: one contact per row, all or none."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.tenancy.models import Household
from lantoa.tenancy.services import require_commune_perm

from .. import tables
from ..models import Contact, ContactBatch
from .common import cap_errors
from .contacts import check_activity, record_contacts_bulk

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
    check_activity(activity)
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
        raise ValidationError(cap_errors(errors))
    return record_contacts_bulk(
        actor, activity=activity, rows=rows, source=ContactBatch.Source.SHEET, file_name=file_name, check_perm=False
    )
