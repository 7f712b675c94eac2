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

from lantoa.reach import periods as P
from lantoa.reach.spans import (  # noqa: F401  (the report's periods: parsed in reach, shared with the API)
    DEADLINES,
    DECREE,
    LEGAL_END,
    LEGAL_START,
    Span,
    adhoc,
    containing,
    for_kind,
    legal_dates,
    parse,
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
