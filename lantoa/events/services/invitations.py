"""Invitations: from the staff roster by unit, from the household roster by hamlet, free guests, open registration
with a capacity and a waitlist that promotes in order when someone cancels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.tenancy.models import Hamlet, Household, Staff
from lantoa.tenancy.services import require_commune_perm

from ..models import Event, Invitation

Kind = Invitation.Kind
Status = Invitation.Status


def _open_for_changes(event: Event) -> None:
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is cancelled."))


@dataclass
class Invited:
    created: int
    already: int


def _bulk(event: Event, invitations: list[Invitation], already: int) -> Invited:
    Invitation.objects.bulk_create(invitations, batch_size=500)
    return Invited(created=len(invitations), already=already)


@transaction.atomic
def invite_officials(actor, event: Event, *, unit_ids: Iterable = (), staff_ids: Iterable = ()) -> Invited:
    """The staff of the chosen units (or the chosen staff) serving on the event's day; those invited already are
    left as they are."""
    require_commune_perm(actor, "events.add_invitation", event.commune_id)
    _open_for_changes(event)
    units = {int(u) for u in unit_ids or ()}
    people = {int(s) for s in staff_ids or ()}
    if not units and not people:
        raise ValidationError({"unit_ids": _("Choose at least one unit or one official.")})
    staff = Staff.objects.filter(commune_id=event.commune_id).filter(Staff.serving_on(event.day))
    staff = staff.filter(Q(unit_id__in=units) | Q(pk__in=people))
    if people and len(people - set(staff.values_list("pk", flat=True))) > 0 and not units:
        raise ValidationError({"staff_ids": _("Some officials are not on the commune's roster on the event's day.")})
    done = set(Invitation.objects.filter(event=event, staff__isnull=False).values_list("staff_id", flat=True))
    chosen = list(staff.select_related("unit").order_by("full_name"))
    new = [
        Invitation(
            commune_id=event.commune_id,
            event=event,
            kind=Kind.OFFICIAL,
            staff=s,
            organisation=s.unit.name if s.unit else "",
        )
        for s in chosen
        if s.pk not in done
    ]
    return _bulk(event, new, len(chosen) - len(new))


@transaction.atomic
def invite_households(actor, event: Event, *, hamlet_ids: Iterable) -> Invited:
    """Every household of the chosen hamlets on the roster on the event's day (one invitation per household)."""
    require_commune_perm(actor, "events.add_invitation", event.commune_id)
    _open_for_changes(event)
    ids = {int(h) for h in hamlet_ids or ()}
    if not ids:
        raise ValidationError({"hamlet_ids": _("Choose at least one hamlet.")})
    if Hamlet.objects.filter(commune_id=event.commune_id, pk__in=ids).count() != len(ids):
        raise ValidationError({"hamlet_ids": _("Some hamlets do not belong to this commune.")})
    day = event.day
    households = Household.objects.filter(commune_id=event.commune_id, hamlet_id__in=ids).filter(
        Q(arrived_on__isnull=True) | Q(arrived_on__lte=day), Q(left_on__isnull=True) | Q(left_on__gt=day)
    )
    done = set(Invitation.objects.filter(event=event, household__isnull=False).values_list("household_id", flat=True))
    new = [
        Invitation(commune_id=event.commune_id, event=event, kind=Kind.HOUSEHOLD, household_id=pk, hamlet_id=hamlet)
        for pk, hamlet in households.values_list("pk", "hamlet_id").order_by("hamlet_id", "code")
        if pk not in done
    ]
    return _bulk(event, new, len(done))


def _text(value: str, field: str, limit: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": limit}})
    return value


@transaction.atomic
def invite_guest(actor, event: Event, *, name: str, organisation: str = "", contact: str = "") -> Invitation:
    """A free invitee: an enterprise, a school, a guest (name and a phone or e-mail to send the link to)."""
    require_commune_perm(actor, "events.add_invitation", event.commune_id)
    _open_for_changes(event)
    return Invitation.objects.create(
        commune_id=event.commune_id,
        event=event,
        kind=Kind.GUEST,
        name=_text(name, "name", 200, required=True),
        organisation=_text(organisation, "organisation", 200),
        contact=_text(contact, "contact", 120),
    )


# --- Open registration, capacity, waitlist ----------------------------------------------------------------


def seats_taken(event: Event) -> int:
    return Invitation.objects.filter(event=event, status=Status.INVITED).count()


@transaction.atomic
def register(event: Event, *, name: str, phone: str = "", hamlet_id=None, household_code: str = "") -> Invitation:
    """A public registration (no login): a seat while the capacity allows, else a place on the waitlist."""
    event = Event.objects.select_for_update().get(pk=event.pk)  # one registration at a time per event
    if not event.open_registration or event.status != Event.Status.PLANNED:
        raise ValidationError(_("Registration for this event is closed."))
    if event.starts_at <= timezone.now():
        raise ValidationError(_("Registration for this event is closed."))
    name = _text(name, "name", 200, required=True)
    phone = _text(phone, "phone", 20)
    if phone and not phone.replace(" ", "").replace("+", "").isdigit():
        raise ValidationError({"phone": _("A phone number has only digits.")})
    hamlet = None
    if hamlet_id not in (None, ""):
        hamlet = Hamlet.objects.filter(commune_id=event.commune_id, pk=hamlet_id).first()
        if hamlet is None:
            raise ValidationError({"hamlet_id": _("Choose a hamlet of this commune.")})
    household = None
    code = (household_code or "").strip()
    if code:
        household = Household.objects.filter(commune_id=event.commune_id, code=code).first()
        if household is None:
            raise ValidationError({"household_code": _("No household of this commune has this code.")})
        if Invitation.objects.filter(event=event, household=household).exclude(status=Status.CANCELLED).exists():
            raise ValidationError({"household_code": _("This household is already registered.")})
        Invitation.objects.filter(event=event, household=household, status=Status.CANCELLED).delete()
        hamlet = household.hamlet
    full = event.capacity is not None and seats_taken(event) >= event.capacity
    return Invitation.objects.create(
        commune_id=event.commune_id,
        event=event,
        kind=Kind.REGISTRANT,
        status=Status.WAITLISTED if full else Status.INVITED,
        name=name,
        contact=phone,
        hamlet=hamlet,
        household=household,
    )


def waitlist(event: Event):
    return Invitation.objects.filter(event=event, status=Status.WAITLISTED).order_by("created_at", "pk")


def waitlist_position(invitation: Invitation) -> int | None:
    if invitation.status != Status.WAITLISTED:
        return None
    earlier = waitlist(invitation.event).filter(
        Q(created_at__lt=invitation.created_at) | Q(created_at=invitation.created_at, pk__lt=invitation.pk)
    )
    return earlier.count() + 1


def _promote(event: Event) -> list[Invitation]:
    """Fill the free seats from the waitlist, first come first served."""
    if event.capacity is None:
        promoted = list(waitlist(event))
    else:
        free = event.capacity - seats_taken(event)
        promoted = list(waitlist(event)[: max(free, 0)])
    for inv in promoted:
        inv.status = Status.INVITED
        inv.save(update_fields=["status"])
    return promoted


@transaction.atomic
def cancel_invitation(actor, invitation: Invitation, *, by_invitee: bool = False) -> list[Invitation]:
    """Cancel an invitation (by the organiser, or by the invitee from their link): the code is refused at the
    door from the next sync on; a freed seat goes to the first on the waitlist. Returns those promoted."""
    if not by_invitee:
        require_commune_perm(actor, "events.change_invitation", invitation.commune_id)
    event = Event.objects.select_for_update().get(pk=invitation.event_id)
    stored = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if stored.status == Status.CANCELLED:
        return []
    if stored.attendances.exists():
        raise ValidationError(_("This person has already been checked in; the invitation cannot be cancelled."))
    if event.status != Event.Status.PLANNED:
        raise ValidationError(_("The event is no longer planned."))
    stored.status = Status.CANCELLED
    stored.cancelled_at = timezone.now()
    stored.save(update_fields=["status", "cancelled_at"])
    return _promote(event)


@transaction.atomic
def set_capacity(actor, event: Event, capacity: int | None) -> list[Invitation]:
    """Change the capacity; a larger one promotes from the waitlist."""
    require_commune_perm(actor, "events.change_event", event.commune_id)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if capacity is not None and capacity < 1:
        raise ValidationError({"capacity": _("At least one seat, or empty for no limit.")})
    event.capacity = capacity
    event.save(update_fields=["capacity"])
    return _promote(event)
