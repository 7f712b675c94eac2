"""Every write of the learning app: permission in the commune, validation, one transaction.

* ``courses`` — lessons done, quiz attempts (started, submitted against the server's deadline), completion,
  the certificate, and what reach is told (``reach.TrainingCompletion``);
* ``external`` — outside certificates: uploaded by a staff member, approved or refused by the focal point;
* ``contests`` — public and paper entries, results, winners, households reached.
"""

from .common import settings_for
from .contests import (
    RateLimited,
    display_name,
    entry_form_token,
    identity_hash,
    is_open,
    publish_winners,
    ranked,
    read_entry_token,
    record_paper_entry,
    reveal_entrants,
    submit_online_entry,
    winners,
)
from .courses import mark_lesson_done, progress, start_attempt, submit_attempt, sync_training_course
from .external import review_external, submit_external

__all__ = [
    "RateLimited",
    "display_name",
    "entry_form_token",
    "identity_hash",
    "is_open",
    "mark_lesson_done",
    "progress",
    "publish_winners",
    "ranked",
    "read_entry_token",
    "record_paper_entry",
    "reveal_entrants",
    "review_external",
    "settings_for",
    "start_attempt",
    "submit_attempt",
    "submit_external",
    "submit_online_entry",
    "sync_training_course",
    "winners",
]
