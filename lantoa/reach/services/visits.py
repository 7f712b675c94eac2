"""The visit form of the community digital team: finding households in a hamlet and undoing a visit just
recorded (a wrong tick). Recording the visits themselves is ``contacts.record_visits``."""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.tenancy import locks
from lantoa.tenancy.models import Hamlet, Household, PersonalDataAccess
from lantoa.tenancy.services import has_commune_perm, require_commune_perm

from .. import engine
from ..models import Contact, ContactBatch

# A visit can be undone by the person who recorded it for this long after saving it.
UNDO_WINDOW = dt.timedelta(minutes=10)
SEARCH_LIMIT = 30


def can_undo(actor, contact: Contact, now: dt.datetime | None = None) -> bool:
    return (
        contact.channel == Contact.Channel.VISIT
        and contact.created_by_id is not None
        and contact.created_by_id == getattr(actor, "pk", None)
        and contact.created_at is not None
        and contact.created_at >= (now or timezone.now()) - UNDO_WINDOW
    )


@transaction.atomic
def undo_visit(actor, contact: Contact) -> None:
    """Delete a visit the actor recorded less than ten minutes ago; the figures follow, the audit trail keeps it."""
    require_commune_perm(actor, "reach.add_contact", contact.commune_id)
    stored = Contact.objects.select_for_update(of=("self",)).select_related("household").filter(pk=contact.pk).first()
    if stored is None:
        return
    if not can_undo(actor, stored):
        raise ValidationError(
            _("Only a visit you recorded yourself in the last %(minutes)s minutes can be undone.")
            % {"minutes": int(UNDO_WINDOW.total_seconds() // 60)}
        )
    _delete_visit(actor, stored)


@transaction.atomic
def withdraw_visit(actor, contact: Contact) -> None:
    """Withdraw a visit sent from the field app (its recorder discarded it on the phone): as ``undo_visit``
    without the ten-minute window, for the person who recorded it or a role that may delete contacts."""
    require_commune_perm(actor, "reach.add_contact", contact.commune_id)
    stored = Contact.objects.select_for_update(of=("self",)).select_related("household").filter(pk=contact.pk).first()
    if stored is None:
        return
    own = stored.created_by_id is not None and stored.created_by_id == getattr(actor, "pk", None)
    if stored.channel != Contact.Channel.VISIT or not (
        own or has_commune_perm(actor, "reach.delete_contact", stored.commune_id)
    ):
        raise ValidationError(_("Only a visit you recorded yourself can be withdrawn."))
    _delete_visit(actor, stored)


def _delete_visit(actor, stored: Contact) -> None:
    locks.ensure_open(stored.commune_id, stored.date)
    keys, channel_keys = engine.contact_keys([stored]), engine.channel_keys([stored])
    LogEntry.objects.log_create(
        stored,
        force_log=True,
        action=LogEntry.Action.DELETE,
        actor=actor,
        changes={
            "household": [stored.household.code if stored.household else "", None],
            "date": [stored.date.isoformat(), None],
            "activity": [str(stored.activity_id), None],
        },
    )
    batch_id = stored.batch_id
    stored.delete()
    if batch_id:
        ContactBatch.objects.filter(pk=batch_id, rows__gt=0).update(rows=F("rows") - 1)
    engine.apply_contacts(removed=keys)
    engine.apply_channels(removed=channel_keys)


def search_households(actor, hamlet: Hamlet, query: str) -> list[tuple[Household, str]]:
    """Households of the hamlet whose code contains ``query``; for a role allowed to see personal data, also
    those whose head's name contains it — each name shown is a logged access. Returns (household, name shown)."""
    query = (query or "").strip()[:60]
    if not query:
        return []
    base = Household.objects.filter(hamlet=hamlet).defer(*Household.PERSONAL_FIELDS).order_by("code")
    found = [(h, "") for h in base.filter(code__icontains=query)[:SEARCH_LIMIT]]
    if len(found) < SEARCH_LIMIT and has_commune_perm(actor, "tenancy.view_personal_data", hamlet.commune_id):
        seen = {h.pk for h, _name in found}
        by_name = list(
            Household.objects.filter(hamlet=hamlet, head_name__icontains=query)
            .exclude(pk__in=seen)
            .order_by("code")
            .values_list("pk", "head_name")[: SEARCH_LIMIT - len(found)]
        )
        if by_name:
            households = Household.objects.defer(*Household.PERSONAL_FIELDS).in_bulk([pk for pk, _n in by_name])
            purpose = _("Search by name in the visit form")
            PersonalDataAccess.objects.bulk_create(
                PersonalDataAccess(
                    commune_id=hamlet.commune_id, user=actor, household_id=pk, fields="head_name", purpose=purpose
                )
                for pk, _n in by_name
            )
            found += [(households[pk], name) for pk, name in by_name]
    return found
