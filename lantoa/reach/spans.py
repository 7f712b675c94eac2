"""The periods a report (and the API) can be asked for, by the codes of ``manage.py build_report --period``.

The semi-annual and annual reports take their data period from Nghị định 09/2019/NĐ-CP, Điều 12 (the
periodic reports of state administrative bodies):

- ``2026H1`` — the 6-month report, due before 20/6: data from 15/12/2025 to 14/6/2026.
- ``2026`` — the annual report, due before 20/12: data from 15/12/2025 to 14/12/2026.

The indicators stay the year's: their targets are yearly, so the figures are the calendar year-to-date values
of the target year (indicator period ``2026``) as of the cut-off.

Calendar periods stay possible as ad-hoc spans:

- ``2026S1``, ``2026S2``, ``2026H2``, ``2026Q3``, ``2026N9`` — the calendar half, quarter or nine months;
- ``2026-03-01:2026-08-31`` — a range within one year. The indicators are maintained per year, half-year,
  nine months and quarter only (the engine keeps its aggregates per period code), so they are computed for the
  smallest of those periods that contains the range, up to the range's last day.

Pure date logic, kept in reach so that the API (``reach.api``) reads the same codes as the report
(``reports.periods`` re-exports it and adds the document's wording).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import periods as P

DEADLINES = {"h1": (6, 20), "year": (12, 20)}
# Nghị định 09/2019/NĐ-CP, Điều 12: the data of a periodic report run from the 15th of the last month of the
# previous period to the 14th of the last month of the period.
LEGAL_START = (12, 15)  # of the previous year
LEGAL_END = {"h1": (6, 14), "year": (12, 14)}
DECREE = "Nghị định số 09/2019/NĐ-CP ngày 24/01/2019 của Chính phủ"
_H = re.compile(r"^(\d{4})H([12])$", re.I)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Span:
    kind: str  # "h1", "year", "adhoc"
    start: dt.date
    end: dt.date
    reach: P.Period  # the indicator period

    @property
    def year(self) -> int:
        """The year the report is about (its targets' year): a legal period starts in December of the year before."""
        return self.reach.year

    @property
    def legal(self) -> bool:
        """Whether the dates are those of Nghị định 09/2019/NĐ-CP (15/12 of the previous year to 14/6 or 14/12)."""
        return self.kind in LEGAL_END and (self.start, self.end) == legal_dates(self.kind, self.year)

    @property
    def period_end(self) -> dt.date:
        """The end of the half or the year the report speaks of (for an estimate to the end of it)."""
        if self.kind == "h1":
            return dt.date(self.year, 6, 30)
        if self.kind == "year":
            return dt.date(self.year, 12, 31)
        return self.end

    @property
    def exact(self) -> bool:
        """Whether the indicator period is exactly the report's range."""
        return (self.reach.start, self.reach.end) == (self.start, self.end)

    def default_as_of(self, today: dt.date | None = None) -> dt.date:
        today = today or timezone.localdate()
        return max(self.start, min(self.end, today))

    @property
    def deadline(self) -> dt.date | None:
        if self.kind in DEADLINES:
            month, day = DEADLINES[self.kind]
            return dt.date(self.year, month, day)
        return None


def _maintained(year: int) -> list[P.Period]:
    """The indicator periods of a year, smallest first."""
    return sorted(P.choices(year), key=lambda p: (p.end - p.start, p.start))


def containing(start: dt.date, end: dt.date) -> P.Period:
    for period in _maintained(start.year):
        if period.start <= start and end <= period.end:
            return period
    raise ValidationError(_("No indicator period contains this range."))  # pragma: no cover - the year always does


def legal_dates(kind: str, year: int) -> tuple[dt.date, dt.date]:
    """The data period of the 6-month (``h1``) or annual (``year``) report of ``year`` (Decree 09/2019, Art. 12)."""
    month, day = LEGAL_END[kind]
    return dt.date(year - 1, *LEGAL_START), dt.date(year, month, day)


def for_kind(kind: str, year: int) -> Span:
    """The 6-month or annual report of a year, with its legal data period; the indicators are the year's."""
    if kind in LEGAL_END:
        start, end = legal_dates(kind, year)
        return Span(kind, start, end, P.parse(str(year)))
    raise ValidationError(_("Unknown report kind “%(kind)s”.") % {"kind": kind})


def adhoc(start: dt.date, end: dt.date) -> Span:
    if end < start:
        raise ValidationError(_("The end of the period cannot be before its start."))
    if start.year != end.year:
        raise ValidationError(_("A report period must lie within one year."))
    return Span("adhoc", start, end, containing(start, end))


def parse(code: str) -> Span:
    """``2026H1``, ``2026`` (legal periods), ``2026S1``, ``2026H2``, ``2026Q3``, ``2026N9`` (calendar) or
    ``YYYY-MM-DD:YYYY-MM-DD``."""
    text = (code or "").strip()
    if match := _H.match(text):
        year, half = int(match.group(1)), int(match.group(2))
        if half == 1:
            return for_kind("h1", year)
        reach = P.parse(f"{year}S2")
        return Span("adhoc", reach.start, reach.end, reach)
    if match := _RANGE.match(text):
        try:
            start, end = dt.date.fromisoformat(match.group(1)), dt.date.fromisoformat(match.group(2))
        except ValueError as exc:
            raise ValidationError(_("Unknown date in “%(code)s”.") % {"code": text}) from exc
        return adhoc(start, end)
    if re.fullmatch(r"\d{4}", text):
        return for_kind("year", int(text))
    if re.fullmatch(r"\d{4}(S[12]|Q[1-4]|N9)", text, re.I):
        reach = P.parse(text)
        return Span("adhoc", reach.start, reach.end, reach)
    raise ValidationError(
        _(
            "Unknown period “%(code)s”: write 2026 (year), 2026H1 (6-month report), 2026S1 or 2026S2 (half), "
            "2026Q1 to 2026Q4 (quarter), 2026N9 (nine months) or a range 2026-01-01:2026-06-15."
        )
        % {"code": text}
    )


def figures_of(code: str, today: dt.date, as_of: dt.date | None = None) -> tuple[P.Period, dt.date]:
    """The indicator period and the cut-off of the figures asked for by ``code`` (the API's ``?period=``).

    A code the dashboard knows (``2026``, ``2026S1``, ``2026Q3``, ``2026N9``) is the dashboard's calendar period,
    up to ``as_of`` or today, so that the API answers what the dashboard shows. A code only a report knows
    (``2026H1``, ``2026H2``, ``FROM:TO``) is read as ``build_report`` reads it: the span's indicator period, up
    to the span's last day (or ``as_of`` if earlier). Never after today. A bad code raises ValidationError with
    a Vietnamese message naming every accepted form."""
    cutoff = min(as_of or today, today)
    try:
        return P.parse(code), cutoff
    except ValidationError:
        pass
    span = parse(code)
    return span.reach, min(cutoff, span.end)
