"""Contacts a channel records without a user acting in the back office (a resident's online contest entry):
the caller is trusted, the records it passes must belong to the commune. One contact per household and per
``key`` (the channel's own identifier, e.g. ``contest:12``): a second call for the same household returns the first.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.tenancy import locks
from lantoa.tenancy.models import Household

from .. import engine
from ..models import Contact
from .contacts import _validate_contact, check_activity


@transaction.atomic
def record_channel_contact(
    *, activity, channel: str, date: dt.date, household: Household, key: str, people: int = 1
) -> Contact:
    """A household reached by a channel's event under a plan activity, once per ``key``."""
    check_activity(activity, household.commune_id)
    if not key or len(key) > 60:
        raise ValidationError({"key": _("The key must have 1 to 60 characters.")})
    note = f"[{key}]"
    found = Contact.objects.filter(
        commune_id=household.commune_id, household=household, activity=activity, note=note
    ).first()
    if found is not None:
        return found
    contact = Contact(
        commune_id=household.commune_id,
        activity=activity,
        channel=channel,
        date=date,
        household=household,
        hamlet=household.hamlet,
        people=max(1, people),
        per=Contact.Per.HOUSEHOLD,
        note=note,
    )
    _validate_contact(contact)
    locks.ensure_open(contact.commune_id, contact.date, field="date")
    contact.save()
    engine.apply_contacts(added=engine.contact_keys([contact]))
    engine.apply_channels(added=engine.channel_keys([contact]))
    return contact
