"""Every write of the events app: permission-checked in the commune, validated, in one transaction.

* ``events`` — events, the national days the calendar proposes, the plan activity of an event;
* ``invitations`` — invitations from the staff and household rosters, guests, open registration and its
  waitlist, cancelling;
* ``checkin`` — the phones' sync (idempotent), walk-ins, the paper sign-in sheet, and what attendance tells
  reach's indicators;
* ``makeup`` — the make-up session for the officials not yet informed;
* ``documents`` — the printable invitation sheet and the attendance certificates.
"""

from .checkin import (
    ALREADY,
    CANCELLED,
    OK,
    UNKNOWN,
    WAITLISTED,
    SyncResult,
    can_check_in,
    check_in_by_code,
    import_sheet,
    sync_checkins,
)
from .events import cancel_event, create_event, create_national_event, ensure_activity, proposals, update_event
from .invitations import (
    Invited,
    cancel_invitation,
    invite_guest,
    invite_households,
    invite_officials,
    register,
    seats_taken,
    set_capacity,
    waitlist_position,
)
from .makeup import create_makeup_session

__all__ = [
    "cancel_event",
    "ALREADY",
    "CANCELLED",
    "OK",
    "UNKNOWN",
    "WAITLISTED",
    "Invited",
    "SyncResult",
    "can_check_in",
    "cancel_invitation",
    "check_in_by_code",
    "create_event",
    "create_makeup_session",
    "create_national_event",
    "ensure_activity",
    "import_sheet",
    "invite_guest",
    "invite_households",
    "invite_officials",
    "proposals",
    "register",
    "seats_taken",
    "set_capacity",
    "sync_checkins",
    "update_event",
    "waitlist_position",
]
