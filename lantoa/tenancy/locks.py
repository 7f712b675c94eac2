"""Closing reporting periods: an issued report locks its period for its commune, as DHIS2's data approval does.

The checks live here; the writes (``lock_period``, ``reopen_period``, ``relock_period``) in ``tenancy.services``.
Every service that writes a dated record calls ``ensure_open(commune, day, …)`` (or ``ensure_record_open``
for a model that names its dates with ``period_days()``) before writing; a day inside a period that is
locked raises a ValidationError with a Vietnamese message and nothing is written. The leadership can
re-open a period with a reason and lock it again; each step is recorded as a
``PeriodLockEvent`` and in the audit log. Re-opening never touches an issued document: the report keeps
its stored files; the lock keeps the values as issued.

Tenancy imports no app: the report is named by a plain id and its reference ("45/BC-UBND").
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Commune, PeriodLock


def _day(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _commune_id(commune: Commune | int) -> int:
    return commune if isinstance(commune, int) else commune.pk


def _fmt(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def locks_for(commune: Commune | int):
    """The periods of a commune that are locked now."""
    return PeriodLock.objects.filter(commune_id=_commune_id(commune), reopened_at__isnull=True)


def lock_covering(commune: Commune | int, day) -> PeriodLock | None:
    """The lock that holds ``day`` closed in the commune, if any."""
    day = _day(day)
    if day is None:
        return None
    return locks_for(commune).filter(start__lte=day, end__gte=day).order_by("start").first()


def message(lock: PeriodLock, day: dt.date) -> str:
    return _(
        "The period from %(start)s to %(end)s is locked by report no. %(ref)s: records dated %(day)s can no "
        "longer be added, changed or deleted. The leadership can re-open the period, giving a reason."
    ) % {"start": _fmt(lock.start), "end": _fmt(lock.end), "ref": lock.reference or "…", "day": _fmt(day)}


def _refuse(locks, days, field: str | None) -> None:
    for day in days:
        for lock in locks:
            if lock.start <= day <= lock.end:
                text = message(lock, day)
                raise ValidationError({field: text} if field else text)


def ensure_open(commune: Commune | int, *days, field: str | None = None) -> None:
    """Refuse (ValidationError, Vietnamese) when any of ``days`` (dates or datetimes) lies in a locked period."""
    wanted = sorted({d for d in (_day(v) for v in days) if d is not None})
    if not wanted:
        return
    commune_id = _commune_id(commune)
    _refuse(locks_for(commune_id).filter(start__lte=wanted[-1], end__gte=wanted[0]), wanted, field)


class LockedDays:
    """A commune's locked periods read once (one query), for a call that checks many days: a sync of a phone's
    queue, a batch of contacts. ``reason(day)`` is the Vietnamese refusal for one day, ``ensure_open`` refuses
    as the module's ``ensure_open`` does."""

    def __init__(self, commune: Commune | int):
        self.commune_id = _commune_id(commune)
        self.locks = list(locks_for(self.commune_id).order_by("start"))
        self._reasons: dict[dt.date, str | None] = {}

    def reason(self, day: dt.date) -> str | None:
        if day not in self._reasons:
            lock = next((lk for lk in self.locks if lk.start <= day <= lk.end), None)
            self._reasons[day] = message(lock, day) if lock else None
        return self._reasons[day]

    def ensure_open(self, *days, field: str | None = None) -> None:
        _refuse(self.locks, sorted({d for d in (_day(v) for v in days) if d is not None}), field)


def record_days(instance) -> list:
    """The days a record counts on (its ``period_days()``), or none for a model that has no dates."""
    days = getattr(instance, "period_days", None)
    return list(days()) if callable(days) else []


def ensure_record_open(instance, *, deleting: bool = False) -> None:
    """A record may be written only if neither its stored dates nor its new ones lie in a locked period."""
    if not callable(getattr(instance, "period_days", None)) or instance.commune_id is None:
        return
    days = [] if deleting else record_days(instance)
    if instance.pk is not None:
        stored = type(instance)._default_manager.filter(pk=instance.pk).first()
        if stored is not None:
            days += record_days(stored)
    ensure_open(instance.commune_id, *days)


def stored_values(commune: Commune | int, period_code: str, as_of: dt.date) -> PeriodLock | None:
    """The lock whose issued values are the figures of ``period_code`` as of ``as_of`` (the dashboard reads them)."""
    return (
        locks_for(commune)
        .filter(period_code=period_code, as_of=as_of)
        .exclude(values={})
        .order_by("-locked_at")
        .first()
    )
