"""The make-up session (buổi bù): one click creates an event inviting exactly the officials still not informed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.reach.periods import Period
from lantoa.tenancy.models import Commune
from lantoa.tenancy.services import require_commune_perm

from .. import selectors
from ..models import Event
from .events import create_event
from .invitations import invite_officials


@transaction.atomic
def create_makeup_session(
    actor, commune: Commune, period: Period, *, starts_at: dt.datetime | None = None, task=None, unit=None
) -> Event:
    """A thematic session for the officials the indicator still counts as missing in ``period``."""
    require_commune_perm(actor, "events.add_event", commune)
    require_commune_perm(actor, "events.add_invitation", commune)
    missing = selectors.missing_officials(commune, period, timezone.localdate())
    if not missing.people:
        raise ValidationError(_("Every official is informed in this period: no make-up session is needed."))
    if starts_at is None:
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        starts_at = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(14, 0)))
    event = create_event(
        actor,
        commune,
        title=_("Make-up thematic session on Resolution 57 (%(period)s)") % {"period": period.label},
        kind=Event.Kind.THEMATIC,
        starts_at=starts_at,
        place=_("Commune meeting room"),
        task=task,
        unit=unit,
        audience=_("Officials not yet informed in %(period)s") % {"period": period.label},
        makeup_period=period.code,
    )
    invite_officials(actor, event, staff_ids=[row["staff"].pk for row in missing.people])
    return event
