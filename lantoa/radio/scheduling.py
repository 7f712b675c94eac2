"""Time rules of the commune radio: quiet hours, slots of the weekly grid, stacking bulletins in a slot.

Times of day are local (Asia/Ho_Chi_Minh); quiet hours repeat every day and may cross midnight
(22:00–05:00). A broadcast may end exactly when quiet hours begin, never inside them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.utils import timezone


def _local_naive(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def _period_intervals(period, around: date) -> Iterable[tuple[datetime, datetime]]:
    """The concrete intervals of a daily quiet period on the days around ``around``."""
    for offset in (-1, 0, 1):
        day = around + timedelta(days=offset)
        start = datetime.combine(day, period.start)
        end = datetime.combine(day, period.end)
        if end <= start:
            end += timedelta(days=1)
        yield start, end


def quiet_conflict(periods, start: datetime, end: datetime):
    """The first quiet period that [start, end) enters, or None."""
    start, end = _local_naive(start), _local_naive(end)
    days = {start.date() + timedelta(days=i) for i in range((end.date() - start.date()).days + 1)}
    for period in periods:
        for day in sorted(days):
            for q_start, q_end in _period_intervals(period, day):
                if start < q_end and end > q_start:
                    return period
    return None


def slot_window(slot, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, slot.start)
    return start, start + timedelta(minutes=slot.duration_minutes)


def slot_conflicts_with(slot, period) -> bool:
    start, end = slot_window(slot, date(2026, 1, 5))
    return quiet_conflict([period], start, end) is not None


def format_span(start: datetime, seconds: float) -> str:
    local = _local_naive(start)
    end = local + timedelta(seconds=seconds)
    return f"{local:%H:%M}–{end:%H:%M}"


def parse_hhmm(value: str) -> time:
    hours, _sep, minutes = value.partition(":")
    return time(int(hours), int(minutes or 0))
