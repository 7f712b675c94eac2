"""What a report covers: its kind, its dates, the cut-off of its figures and the indicator period they use.

The semi-annual and annual reports take their data period from Nghị định 09/2019/NĐ-CP, Điều 12 (the
periodic reports of state administrative bodies):

- ``2026H1`` — the 6-month report, due before 20/6: data from 15/12/2025 to 14/6/2026.
- ``2026`` — the annual report, due before 20/12: data from 15/12/2025 to 14/12/2026.

The activities narrated are those of that period. The indicators stay the year's: their targets are yearly,
so the figures are the calendar year-to-date values of the target year (indicator period ``2026``) as of the
cut-off, and the document says so in one sentence.

Calendar periods stay possible as ad-hoc reports:

- ``2026S1``, ``2026S2``, ``2026Q3``, ``2026N9`` — the calendar half, quarter or nine months;
- ``2026-03-01:2026-08-31`` — an ad-hoc range within one year. The indicators are maintained per year,
  half-year, nine months and quarter only (the engine keeps its aggregates per period code), so they are
  computed for the smallest of those periods that contains the range, up to the range's last day; the
  document says so.

The cut-off (``as_of``) is the last day the figures count: by default today, or the period's end if that
is earlier. Reports saved before this rule keep their stored dates (``of_report``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.reach import periods as P

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
        _("Unknown period “%(code)s”: write 2026H1, 2026 or a range 2026-01-01:2026-06-15.") % {"code": text}
    )


def of_report(report) -> Span:
    """The span a saved report was made for, with its stored dates and indicator period."""
    return Span(report.kind, report.start, report.end, P.parse(report.reach_period))


# --- Vietnamese wording of a period, for the document ----------------------------------------------------


def vi_date(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def range_label(span: Span) -> str:
    """“từ ngày 15/12/2025 đến ngày 14/06/2026”."""
    return f"từ ngày {vi_date(span.start)} đến ngày {vi_date(span.end)}"


def label(span: Span) -> str:
    """“6 tháng đầu năm 2026”, “năm 2026”, “từ ngày 01/03/2026 đến ngày 31/08/2026”."""
    if span.kind == "h1":
        return f"6 tháng đầu năm {span.year}"
    if span.kind == "year":
        return f"năm {span.year}"
    if span.exact and span.reach.kind == "S":
        return f"6 tháng {'đầu' if span.start.month == 1 else 'cuối'} năm {span.year}"
    if span.exact and span.reach.kind == "Q":
        return f"quý {P.ROMAN[(span.start.month + 2) // 3]} năm {span.year}"
    if span.exact and span.reach.kind == "N":
        return f"9 tháng đầu năm {span.year}"
    return f"từ ngày {vi_date(span.start)} đến ngày {vi_date(span.end)}"


def reach_label(period: P.Period) -> str:
    """The indicator period in Vietnamese words (the document does not depend on the interface language)."""
    if period.kind == "Y":
        return f"năm {period.year}"
    if period.kind == "S":
        return f"6 tháng {'đầu' if period.start.month == 1 else 'cuối'} năm {period.year}"
    if period.kind == "N":
        return f"9 tháng đầu năm {period.year}"
    return f"quý {P.ROMAN[(period.start.month + 2) // 3]} năm {period.year}"


def next_label(span: Span) -> str:
    """The period the “Phương hướng” section looks ahead to."""
    if span.kind == "h1":
        return f"6 tháng cuối năm {span.year}"
    if span.kind == "year":
        return f"năm {span.year + 1}"
    return "thời gian tới"
