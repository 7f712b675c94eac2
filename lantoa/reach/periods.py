"""Reporting periods, coded as DHIS2 does: ``2026`` (year), ``2026S1`` (half-year), ``2026Q3`` (quarter).

One more kind, ``2026N9`` (the first nine months, "9 tháng đầu năm"), completes the year-to-date series:
Q1, S1, N9 and the year are the values at the end of each quarter since 1 January.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_CODE = re.compile(r"^(\d{4})(?:(S)([12])|(Q)([1-4])|(N)(9))?$")


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    code: str
    kind: str  # "Y", "S", "Q", "N"

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def label(self) -> str:
        if self.kind == "Y":
            return _("Year %(year)s") % {"year": self.year}
        if self.kind == "S":
            if self.start.month == 1:
                return _("First half of %(year)s") % {"year": self.year}
            return _("Second half of %(year)s") % {"year": self.year}
        if self.kind == "N":
            return _("First nine months of %(year)s") % {"year": self.year}
        return _("Quarter %(q)s/%(year)s") % {"q": ROMAN[(self.start.month + 2) // 3], "year": self.year}

    @property
    def short_label(self) -> str:
        if self.kind == "Y":
            return str(self.year)
        if self.kind == "S":
            return _("H%(n)s/%(year)s") % {"n": 1 if self.start.month == 1 else 2, "year": self.year}
        if self.kind == "N":
            return _("9M/%(year)s") % {"year": self.year}
        return f"Q{(self.start.month + 2) // 3}/{self.year}"

    def elapsed_end(self, today: dt.date) -> dt.date | None:
        """The last day of the period that has happened (None when the period has not begun)."""
        if today < self.start:
            return None
        return min(self.end, today)

    def elapsed_months(self, today: dt.date) -> int:
        end = self.elapsed_end(today)
        if end is None:
            return 0
        return (end.year - self.start.year) * 12 + end.month - self.start.month + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def quarters(self) -> list[Period]:
        return [
            parse(f"{self.year}Q{q}")
            for q in range(1, 5)
            if parse(f"{self.year}Q{q}").start >= self.start and parse(f"{self.year}Q{q}").end <= self.end
        ]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse(code: str) -> Period:
    """The period of a code; a bad code raises ValidationError with a Vietnamese message."""
    match = _CODE.match((code or "").strip().upper())
    if not match:
        raise ValidationError(_("Unknown period “%(code)s”: write 2026, 2026S1, 2026Q3 or 2026N9.") % {"code": code})
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Unknown period “%(code)s”: write 2026, 2026S1, 2026Q3 or 2026N9.") % {"code": code})
    if match.group(2):
        half = int(match.group(3))
        return Period(dt.date(year, 6 * half - 5, 1), _month_end(year, 6 * half), f"{year}S{half}", "S")
    if match.group(4):
        q = int(match.group(5))
        return Period(dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), f"{year}Q{q}", "Q")
    if match.group(6):
        return Period(dt.date(year, 1, 1), dt.date(year, 9, 30), f"{year}N9", "N")
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year), "Y")


def codes_of_date(day: dt.date) -> list[str]:
    """The codes of every maintained period that contains ``day`` (year, half, quarter, and N9 up to September)."""
    y, m = day.year, day.month
    codes = [str(y), f"{y}S{1 if m <= 6 else 2}", f"{y}Q{(m + 2) // 3}"]
    if m <= 9:
        codes.append(f"{y}N9")
    return codes


def year_to_date_at_quarter_ends(year: int) -> list[Period]:
    """Q1, S1, N9, year: the year-to-date periods ending at each quarter end."""
    return [parse(f"{year}Q1"), parse(f"{year}S1"), parse(f"{year}N9"), parse(str(year))]


def choices(year: int) -> list[Period]:
    """The periods of a year offered on the dashboard, year first."""
    return [
        parse(c)
        for c in (str(year), f"{year}S1", f"{year}S2", f"{year}N9", f"{year}Q1", f"{year}Q2", f"{year}Q3", f"{year}Q4")
    ]


def current_year(today: dt.date) -> Period:
    return parse(str(today.year))
