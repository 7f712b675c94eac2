"""Every write of the reach app: validated, permission-checked where a user acts, audited, in one transaction.

Two kinds of callers:

* channels (the column, the radio) tell the indicators what happened through ``record_publication``,
  ``withdraw_publication``, ``record_broadcast`` and ``cancel_broadcast``. They run from the channel's own
  services or signals, without a user: the caller is trusted, but every id it passes must belong to the
  commune;
* people, through views and the API: every such function takes the acting user first and checks the
  role's permission in the commune (``tenancy.services.require_commune_perm``).

One module per area of action, as Zulip splits ``zerver/actions``:

* ``channels`` — publications and loudspeaker broadcasts;
* ``contacts`` — contacts one by one, in bulk and from the visit form, and the one set of rules a contact
  obeys (``check_contact``);
* ``sheets`` — sign-in sheets;
* ``visits`` — the visit form's household search (by name only where allowed, logged) and undo;
* ``rosters`` — the household roster import and reading a household's personal data;
* ``briefings`` — officials present at a session, recorded by a channel (events);
* ``training`` — courses and completions recorded by the learning app;
* ``channel_contacts`` — households reached by a channel without a back-office user (contest entries);
* ``awards`` — the awards decision the awards app issues;
* ``common`` — what several of them share.

Callers use the package: ``from lantoa.reach import services; services.record_contacts_bulk(...)``.
"""

from .awards import record_award
from .briefings import record_briefing_attendance
from .channel_contacts import record_channel_contact
from .channels import cancel_broadcast, record_broadcast, record_publication, withdraw_publication
from .common import MAX_ERRORS
from .contacts import (
    CONTACT_FIELDS,
    ContactChecks,
    VisitResult,
    check_contact,
    contact_checks,
    delete_contact,
    record_contact,
    record_contacts_bulk,
    record_visits,
    update_contact,
)
from .rosters import PHONE, ROSTER_COLUMNS, RosterResult, confirm_moved_out, import_roster, reveal_personal_data
from .sheets import SHEET_COLUMNS, import_sign_in_sheet, parse_date
from .training import record_training_completion, record_training_course, withdraw_training_completion
from .visits import UNDO_WINDOW, can_undo, search_households, undo_visit, withdraw_visit

__all__ = [
    "record_award",
    "UNDO_WINDOW",
    "can_undo",
    "search_households",
    "undo_visit",
    "withdraw_visit",
    "CONTACT_FIELDS",
    "ContactChecks",
    "contact_checks",
    "MAX_ERRORS",
    "PHONE",
    "ROSTER_COLUMNS",
    "SHEET_COLUMNS",
    "RosterResult",
    "VisitResult",
    "cancel_broadcast",
    "check_contact",
    "confirm_moved_out",
    "delete_contact",
    "import_roster",
    "import_sign_in_sheet",
    "parse_date",
    "record_briefing_attendance",
    "record_broadcast",
    "record_contact",
    "record_contacts_bulk",
    "record_publication",
    "record_visits",
    "reveal_personal_data",
    "update_contact",
    "withdraw_publication",
    "record_channel_contact",
    "record_training_course",
    "record_training_completion",
    "withdraw_training_completion",
]
