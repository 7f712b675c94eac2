"""The project's one number format (lantoa.tenancy.numbers) and its template filters: Vietnamese 1.234,5 by
default, half away from zero, at most one decimal for counts and percentages, years never grouped."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from lantoa.reports import wording as W
from lantoa.tenancy import numbers


def test_vietnamese_separators_and_rounding_half_away_from_zero():
    assert numbers.number(1234567) == "1.234.567"
    assert numbers.number(1234.5) == "1.234,5"
    assert numbers.number(12.25, 1) == "12,3" and numbers.number(0.05, 1) == "0,1"  # never half-to-even
    assert numbers.number(2.5, 0) == "3" and numbers.number(-2.5, 0) == "-3"
    assert numbers.number(12.0) == "12" and numbers.number(12.04) == "12" and numbers.number(12.06) == "12,1"
    assert numbers.number(Decimal("1000000.0")) == "1.000.000"
    assert numbers.number(None) == numbers.number("") == numbers.number("abc") == "—"
    assert numbers.count(12521) == "12.521" and numbers.count(903.5) == "903,5"
    assert numbers.percent(12.0) == "12%" and numbers.percent(9.74) == "9,7%" and numbers.percent(99.95) == "100%"
    assert numbers.percent(None) == "—"
    assert numbers.money(1250000) == "1.250.000" and numbers.money(Decimal("1250000.50")) == "1.250.001"
    assert numbers.percent(1234.56, numbers.EN) == "1,234.6%"  # the English interface's separators


def test_years_are_names_not_quantities():
    assert numbers.year(2026) == "2026" and numbers.year("2.026") == "2026" and numbers.year(None) == "—"
    assert numbers.parse_year("2027") == numbers.parse_year("2.027") == numbers.parse_year(" 2,027 ") == 2027
    assert numbers.parse_year("abc") is None and numbers.parse_year("1") is None
    assert numbers.parse_year("20270") is None and numbers.parse_year("") is None


def test_the_share_of_the_target_reached_is_rounded_once_from_the_unrounded_value():
    # 2996 of 10000 is 29,96%, shown as 30%; against a 30% target it is 99,9% reached, not 100%.
    assert numbers.achievement(30.0, 30, numerator=2996, denominator=10000) == 99.9
    assert numbers.achievement(18.8, 10, numerator=3, denominator=16) == 187.5  # 18,75% ÷ 10%, not 188
    # A value that is not its numerator ÷ denominator (a weighted estimate) is used as it is.
    assert numbers.achievement(40.0, 80, numerator=1, denominator=3) == 50.0
    assert numbers.achievement(None, 80) is None and numbers.achievement(50, None) is None
    assert numbers.achievement(50, 0) is None
    row = {"value": 30.0, "target": 30.0, "numerator": 2996, "denominator": 10000}
    assert W.achievement(row) == 99.9 and W.percent(W.achievement(row)) == "99,9%"


def test_xlsx_cells_keep_numbers_with_a_format_that_reads_as_the_text():
    assert numbers.xlsx_value(9.74, "percent") == 9.7 and numbers.xlsx_format(9.74, "percent") == '0.0"%"'
    assert numbers.xlsx_value(12.0, "percent") == 12 and numbers.xlsx_format(12.0, "percent") == '0"%"'
    assert numbers.xlsx_value(1184, "count") == 1184 and numbers.xlsx_format(1184, "count") == "#,##0"
    assert numbers.xlsx_format(903.5, "count") == "#,##0.0"
    assert numbers.xlsx_value(Decimal("1250000.4"), "money") == 1250000
    assert numbers.xlsx_value(None, "percent") is None


@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", "1.234 · 12,3% · 12% · 1.250.000 · 2026 · —"), ("en", "1,234 · 12.3% · 12% · 1,250,000 · 2026 · —")],
)
def test_the_template_filters_use_the_interface_language(language, expected):
    template = Template(
        "{% load numbers %}{{ n|num }} · {{ p|pct }} · {{ w|pct }} · {{ m|money }} · {{ y|year }} · {{ none|pct }}"
    )
    with translation.override(language):
        text = template.render(Context({"n": 1234, "p": 12.34, "w": 12.0, "m": 1250000, "y": 2026, "none": None}))
    assert text == expected
