"""Briefings written by a channel (the events app): the officials present at a session join its attendance list.

The caller is trusted (it checked its own permission at the door) but every id it passes must belong to the
commune; attendees are only ever added here, so a check-in uploaded twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.tenancy import locks
from lantoa.tenancy.models import Staff

from ..models import Briefing
from .common import record_ids


@transaction.atomic
def record_briefing_attendance(
    *,
    commune_id: int,
    briefing: Briefing | None,
    title: str,
    date: dt.date,
    staff_ids: Iterable,
    activity=None,
) -> Briefing:
    """Add officials to a briefing's attendance list, creating the briefing on the first call.

    Returns the briefing (the caller keeps it to add the next arrivals to the same one).
    """
    ids = record_ids(staff_ids, "staff_ids")
    if ids and Staff.objects.filter(pk__in=ids, commune_id=commune_id).count() != len(ids):
        raise ValidationError({"staff_ids": _("Some staff members do not belong to this commune.")})
    if activity is not None and activity.commune_id != commune_id:
        raise ValidationError({"activity": _("This activity does not belong to this commune.")})
    if briefing is None:
        locks.ensure_open(commune_id, date, field="date")
        briefing = Briefing.objects.create(commune_id=commune_id, title=title[:300], date=date, activity=activity)
    elif briefing.commune_id != commune_id:
        raise ValidationError(_("This briefing does not belong to this commune."))
    else:
        locks.ensure_open(commune_id, briefing.date, field="date")
        if activity is not None and briefing.activity_id is None:
            briefing.activity = activity
            briefing.save(update_fields=["activity"])
    if ids:
        briefing.attendees.add(*ids)
    return briefing
