"""``{% load numbers %}``: the project's number format in templates (``lantoa.tenancy.numbers``).

``{{ x|num }}`` a count (1.234; 12,5), ``{{ x|pct }}`` a percentage (12%; 12,3%), ``{{ x|money }}`` whole đồng,
``{{ row|achieved }}`` the share of an indicator's target reached, ``{{ x|year }}`` a year (2026, never 2.026).
The separators are those of the interface language (Vietnamese 1.234,5; English 1,234.5); the rounding and the
number of decimals are the same as in the report and its annex.
"""

from __future__ import annotations

from django import template
from django.utils import formats

from lantoa.tenancy import numbers

register = template.Library()


def _separators() -> tuple[str, str]:
    return formats.get_format("DECIMAL_SEPARATOR"), formats.get_format("THOUSAND_SEPARATOR")


@register.filter
def num(value) -> str:
    """1234 → “1.234”; 12.5 → “12,5”; None → “—”."""
    return numbers.count(value, _separators())


@register.filter
def pct(value) -> str:
    """12.34 → “12,3%”; 12.0 → “12%”; None → “—”."""
    return numbers.percent(value, _separators())


@register.filter
def money(value) -> str:
    """1250000 → “1.250.000”."""
    return numbers.money(value, _separators())


@register.filter
def achieved(row) -> str:
    """“Tỷ lệ đạt” of an indicator row (value ÷ target, from the unrounded numerator ÷ denominator): “187,5%”."""
    if not row:
        return numbers.DASH
    ratio = numbers.achievement(row.get("value"), row.get("target"), row.get("numerator"), row.get("denominator"))
    return numbers.percent(ratio, _separators())


@register.filter
def year(value) -> str:
    """2026 → “2026”."""
    return numbers.year(value)
