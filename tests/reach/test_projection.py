"""Projections (“at this pace”) use only the figures up to the period's cut-off, state the pace they assume and
never contradict the status shown beside them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lantoa.reach import indicators as ind
from lantoa.reach import periods as P
from lantoa.reach import selectors
from lantoa.reach.measure import Figure


def fig(value):
    return Figure(value=value)


def test_a_cumulative_indicator_is_never_projected_below_what_it_has_reached():
    trained = ind.get("comms_staff_trained")  # a stock: staff trained only accumulate
    period = P.parse("2026S1")
    # Q1 at 100%, Q2 down to 95% (someone left): a straight line would go below 95% by 2030.
    figures = {"2026Q1": fig(100.0), "2026Q2": fig(95.0), "2026S1": fig(95.0)}
    value, start, end = selectors._project(trained, figures, period, dt.date(2026, 11, 18), 2030, 2026)
    assert value == 95.0 and value >= figures["2026S1"].value
    assert (start, end) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))  # the pace: 1/1 to the half's end


def test_a_count_of_people_is_annualised_from_the_cut_off_and_says_so():
    reached = ind.get("residents_reached")
    period = P.parse("2026")
    cutoff = dt.date(2026, 6, 14)
    figures = {"2026": fig(12.0), "2025": Figure()}
    value, start, end = selectors._project(reached, figures, period, cutoff, 2026, 2026)
    share = ((cutoff - dt.date(2026, 1, 1)).days + 1) / 365
    assert value == round(12.0 / share, 1) and (start, end) == (dt.date(2026, 1, 1), cutoff)
    # Same year: never below the value already reached, never above 100%.
    figures["2026"] = fig(80.0)
    assert selectors._project(reached, figures, period, cutoff, 2026, 2026)[0] == 100.0


def test_an_achieved_status_never_stands_beside_a_lower_projection():
    reached = ind.get("residents_reached")
    period = P.parse("2026")
    # 50% in 2025, 35% in 2026: achieved against 30% (2027); a line through them gives 20% in 2027.
    figures = {"2025": fig(50.0), "2026": fig(35.0)}
    by_year = {2027: {"value": Decimal(30), "text": "", "source": "plan"}}
    row = selectors._row(reached, None, period, dt.date(2027, 1, 5), figures, by_year, 2025)
    assert row["status"] == ind.IndicatorStatus.ACHIEVED
    assert row["projection"] is None and row["pace_start"] is None


def test_the_projection_uses_the_cut_off_not_today():
    period = P.parse("2026S1")
    assert selectors.cutoff_of(period, dt.date(2026, 11, 18)) == dt.date(2026, 6, 30)
    assert selectors.cutoff_of(period, dt.date(2026, 5, 2)) == dt.date(2026, 5, 2)
    estimate = selectors.estimate_to(
        {"code": "residents_reached", "value": 7.2, "as_of": dt.date(2026, 6, 14), "period": "2026"},
        dt.date(2026, 6, 30),
    )
    assert estimate["estimate"] == round(7.2 * 181 / 165, 1) and estimate["end"] == dt.date(2026, 6, 14)
    assert (
        selectors.estimate_to(
            {"code": "column_alive", "value": 50.0, "as_of": "2026-06-14", "period": "2026"}, dt.date(2026, 6, 30)
        )
        is None
    )


def test_a_share_that_rounds_up_to_its_target_has_not_reached_it():
    """29,96% is shown as 30,0% but is not "Đạt" against 30%: the status, like "tỷ lệ đạt", uses the exact share."""
    informed = ind.get("officials_informed")
    period = P.parse("2026")
    by_year = {2026: {"value": Decimal("30"), "text": "30%", "source": "Kế hoạch"}}
    for numerator, achieved in ((2996, False), (3000, True)):
        figures = {"2026": Figure(numerator=numerator, denominator=10000).finish()}
        row = selectors._row(informed, None, period, dt.date(2026, 12, 31), figures, by_year, 2026)
        assert row["value"] == 30.0  # both read "30,0%"
        assert (row["status"] == "achieved") is achieved, row["status"]
