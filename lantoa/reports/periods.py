"""What a report covers: its kind, its dates, the cut-off of its figures and the indicator period they use.

- ``2026H1`` — first half: 1/1 to 30/6, due before 20/6; the indicators of period ``2026S1``.
- ``2026`` — whole year: 1/1 to 31/12, due before 20/12; the indicators of period ``2026``.
- ``2026-03-01:2026-08-31`` — an ad-hoc range within one year. The indicators are maintained per year,
  half-year, nine months and quarter only (the engine keeps its aggregates per period code), so they are
  computed for the smallest of those periods that contains the range, up to the range's last day; the
  document says so.

The cut-off (``as_of``) is the last day the figures count: by default today, or the period's end if that
is earlier.
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
        return self.start.year

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


def for_kind(kind: str, year: int) -> Span:
    if kind == "h1":
        reach = P.parse(f"{year}S1")
        return Span("h1", reach.start, reach.end, reach)
    if kind == "year":
        reach = P.parse(str(year))
        return Span("year", reach.start, reach.end, reach)
    raise ValidationError(_("Unknown report kind “%(kind)s”.") % {"kind": kind})


def adhoc(start: dt.date, end: dt.date) -> Span:
    if end < start:
        raise ValidationError(_("The end of the period cannot be before its start."))
    if start.year != end.year:
        raise ValidationError(_("A report period must lie within one year."))
    return Span("adhoc", start, end, containing(start, end))


def parse(code: str) -> Span:
    """``2026H1``, ``2026`` (also ``2026S1``, ``2026H2``) or ``YYYY-MM-DD:YYYY-MM-DD``."""
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
    if re.fullmatch(r"\d{4}S1", text, re.I):
        return for_kind("h1", int(text[:4]))
    if re.fullmatch(r"\d{4}(S2|Q[1-4]|N9)", text, re.I):
        reach = P.parse(text)
        return Span("adhoc", reach.start, reach.end, reach)
    raise ValidationError(
        _("Unknown period “%(code)s”: write 2026H1, 2026 or a range 2026-01-01:2026-06-15.") % {"code": text}
    )


def of_report(report) -> Span:
    return Span(report.kind, report.start, report.end, P.parse(report.reach_period))


# --- Vietnamese wording of a period, for the document ----------------------------------------------------


def vi_date(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def label(span: Span) -> str:
    """“6 tháng đầu năm 2026”, “năm 2026”, “từ ngày 01/03/2026 đến ngày 31/08/2026”."""
    if span.kind == "h1":
        return f"6 tháng đầu năm {span.year}"
    if span.kind == "year":
        return f"năm {span.year}"
    if span.exact and span.reach.kind == "S":
        return f"6 tháng cuối năm {span.year}"
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
