"""What several reach services share: reading the ids callers pass, and capping lists of row errors."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ERRORS = 100


def record_ids(values: Iterable, field: str) -> list[int]:
    """The distinct record numbers in ``values``, sorted; a ValidationError on ``field`` when one is not a number."""
    try:
        return sorted({int(v) for v in values or ()})
    except (TypeError, ValueError) as exc:
        raise ValidationError({field: _("Give a list of record numbers.")}) from exc


def cap_errors(errors: list) -> list:
    """At most MAX_ERRORS row errors, then how many more rows are wrong."""
    if len(errors) <= MAX_ERRORS:
        return errors
    return errors[:MAX_ERRORS] + [_("… and %(n)s more rows with errors.") % {"n": len(errors) - MAX_ERRORS}]
