"""Reading dates from query strings (``?week=2026-11-16``, ``?thang=2026-11``) without ever failing.

A page that navigates by date falls back to today for a value it cannot read or one outside the years the
system deals in (2000–2100): ``0001-01-01`` would otherwise overflow when the page computes the week before it.
"""

from __future__ import annotations

from datetime import date, datetime

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def date_param(request, name: str, default: date) -> date:
    """The ``YYYY-MM-DD`` date in ``request.GET[name]``, else ``default``."""
    try:
        value = datetime.strptime(request.GET.get(name, "").strip(), "%Y-%m-%d").date()
    except ValueError:
        return default
    return value if EARLIEST <= value <= LATEST else default


def month_param(request, name: str, default: date) -> tuple[int, int]:
    """The ``YYYY-MM`` month in ``request.GET[name]`` as (year, month), else ``default``'s."""
    try:
        value = datetime.strptime(request.GET.get(name, "").strip(), "%Y-%m").date()
    except ValueError:
        value = default
    if not EARLIEST <= value <= LATEST:
        value = default
    return value.year, value.month
