"""What the awards app tells the indicators: a decision on the year's awards was issued.

Runs from the awards app's own service, without a user: the caller is trusted (it checked the role), but the
commune and the date are checked here: a date in a locked period is refused, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.tenancy import locks
from lantoa.tenancy.models import Commune

from ..models import Award


@transaction.atomic
def record_award(
    *, commune: Commune | int, date: dt.date, decision_number: str, title: str, recipients: Iterable[str]
) -> Award:
    """Record the award ceremony of a decision (counts for "awards held" in the decision's year)."""
    commune_id = commune.pk if isinstance(commune, Commune) else int(commune)
    if not isinstance(date, dt.date):
        raise ValidationError({"date": _("Give a date.")})
    locks.ensure_open(commune_id, date, field="date")
    award = Award(
        commune_id=commune_id,
        date=date,
        decision_number=(decision_number or "").strip()[:60],
        title=(title or "").strip()[:300],
        recipients="\n".join(r.strip() for r in recipients if r and r.strip()),
    )
    award.full_clean()
    award.save()
    return award
