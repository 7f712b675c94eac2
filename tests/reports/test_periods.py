"""Report periods, cut-off days and the document's Vietnamese wording of numbers and dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lantoa.reports import periods
from lantoa.reports import wording as W

pytestmark = pytest.mark.clock_sweep


def test_the_6_month_and_annual_reports_take_their_period_from_decree_09_2019():
    h1 = periods.parse("2026H1")
    # Nghị định 09/2019/NĐ-CP, Điều 12: 15/12 of the year before to 14/6; the indicators stay the year's.
    assert (h1.kind, h1.start, h1.end, h1.reach.code, h1.year, h1.legal) == (
        "h1",
        dt.date(2025, 12, 15),
        dt.date(2026, 6, 14),
        "2026",
        2026,
        True,
    )
    assert h1.deadline == dt.date(2026, 6, 20) and h1.period_end == dt.date(2026, 6, 30)
    assert periods.range_label(h1) == "từ ngày 15/12/2025 đến ngày 14/06/2026"
    assert periods.label(h1) == "6 tháng đầu năm 2026"
    year = periods.parse("2026")
    assert (year.kind, year.start, year.end, year.reach.code, year.deadline) == (
        "year",
        dt.date(2025, 12, 15),
        dt.date(2026, 12, 14),
        "2026",
        dt.date(2026, 12, 20),
    )
    assert year.default_as_of(dt.date(2026, 12, 18)) == dt.date(2026, 12, 14)


def test_calendar_periods_stay_possible_as_adhoc_reports():
    s1 = periods.parse("2026S1")
    assert (s1.kind, s1.start, s1.end, s1.reach.code, s1.exact, s1.legal) == (
        "adhoc",
        dt.date(2026, 1, 1),
        dt.date(2026, 6, 30),
        "2026S1",
        True,
        False,
    )
    assert periods.label(s1) == "6 tháng đầu năm 2026"
    assert periods.label(periods.parse("2026S2")) == "6 tháng cuối năm 2026"
    assert periods.parse("2026-01-01:2026-12-31").reach.code == "2026"


def test_an_adhoc_range_uses_the_smallest_indicator_period_that_contains_it():
    span = periods.parse("2026-03-01:2026-08-31")
    assert (span.kind, span.reach.code, span.exact) == ("adhoc", "2026N9", False)
    assert periods.parse("2026-07-01:2026-09-30").reach.code == "2026Q3"
    assert periods.parse("2026-07-01:2026-09-30").exact
    assert periods.parse("2026-04-10:2026-05-20").reach.code == "2026Q2"
    assert periods.parse("2026-05-01:2026-11-30").reach.code == "2026"
    assert periods.label(periods.parse("2026-04-10:2026-05-20")) == "từ ngày 10/04/2026 đến ngày 20/05/2026"
    assert periods.label(periods.parse("2026-07-01:2026-09-30")) == "quý III năm 2026"


@pytest.mark.parametrize(
    "code", ["2026H3", "2025-12-01:2026-01-31", "2026-05-01:2026-04-01", "abc", "2026-02-30:2026-03-01"]
)
def test_bad_periods_are_refused_in_vietnamese(code):
    with pytest.raises(ValidationError):
        periods.parse(code)


def test_default_cut_off_is_today_or_the_end_of_the_period():
    h1 = periods.parse("2026H1")
    assert h1.default_as_of(dt.date(2026, 6, 12)) == dt.date(2026, 6, 12)
    assert h1.default_as_of(dt.date(2026, 6, 18)) == dt.date(2026, 6, 14)
    assert h1.default_as_of(dt.date(2026, 11, 26)) == dt.date(2026, 6, 14)
    assert h1.default_as_of(dt.date(2025, 12, 1)) == dt.date(2025, 12, 15)


def test_vietnamese_numbers_and_dates():
    assert W.number(1234567) == "1.234.567"
    assert W.number(12.25, 1) == "12,3"
    assert W.percent(12.0) == "12%" and W.percent(9.74) == "9,7%" and W.percent(None) == "—"
    assert W.place_date("Nam Cường", dt.date(2026, 2, 5), 2026) == "Nam Cường, ngày 05 tháng 02 năm 2026"
    assert W.place_date("Nam Cường", dt.date(2026, 6, 15), 2026) == "Nam Cường, ngày 15 tháng 6 năm 2026"
    assert W.place_date("Nam Cường", None, 2026).startswith("Nam Cường, ngày ")
    assert (
        W.channel_phrase("conference", 2, 150)
        == "tổ chức 2 hội nghị, hội thảo, tọa đàm, sự kiện với 150 lượt người tham dự"
    )
    assert W.channel_phrase("web_column", 8, 0).startswith("đăng 8 tin, bài trên chuyên mục")
