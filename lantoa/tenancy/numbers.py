"""THE number format of the project: counts, percentages, money and years, written once for every output.

The dashboard (through the ``numbers`` template filters), the report's DOCX and PDF (``reports.wording``) and
its XLSX annex (numeric cells with :func:`xlsx_format`) all go through these functions, so one figure reads
the same everywhere. Pure functions (no Django), like ``tenancy.text``: the ground floor, importable by every app.

The rules, as Vietnamese officials write numbers:

* digits are grouped by three with “.” and the decimal separator is “,”: ``1.234.567``, ``12,5``
  (another language passes its own separators: the English interface shows ``1,234.5``);
* rounding is half away from zero, on the decimal value (never binary floating point's half-to-even):
  12,25 → 12,3 and 0,05 → 0,1;
* a count or a percentage keeps at most one decimal and drops a trailing “,0”: ``12%``, ``12,3%``,
  ``1.234``, ``12,5``; money is whole đồng: ``1.250.000``;
* a missing figure is “—”;
* a year is a name, not a quantity: ``2026``, never ``2.026`` (:func:`year`).

A ratio derived from a figure (the “tỷ lệ đạt”, the share of the target reached) is computed from the
unrounded figure and rounded once (:func:`achievement`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DASH = "—"
VI = (",", ".")  # (decimal separator, thousands separator)
EN = (".", ",")

# Number formats of the XLSX annex (Excel writes them with the reader's own separators: a Vietnamese Excel
# shows 1.234 and 12,3%). A cell keeps the number; its format shows it as the text above does.
XLSX_COUNT = "#,##0"
XLSX_COUNT_1 = "#,##0.0"
XLSX_PERCENT = '0"%"'
XLSX_PERCENT_1 = '0.0"%"'
XLSX_MONEY = "#,##0"


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def rounded(value, decimals: int = 1) -> Decimal | None:
    """``value`` rounded half away from zero to ``decimals`` places (None for a missing or unreadable value)."""
    d = _decimal(value)
    if d is None:
        return None
    return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _decimals(value, decimals: int | None) -> tuple[Decimal | None, int]:
    """The rounded value and the places to show: ``decimals``, or (None) one place unless it is “,0”."""
    if decimals is not None:
        return rounded(value, decimals), decimals
    d = rounded(value, 1)
    if d is None:
        return None, 0
    return (d, 0) if d == d.to_integral_value() else (d, 1)


def number(value, decimals: int | None = None, separators: tuple[str, str] = VI) -> str:
    """1234567 → “1.234.567”; 12.25 → “12,3”; 12.0 → “12”; with ``decimals`` always that many places."""
    d, places = _decimals(value, decimals)
    if d is None:
        return DASH
    d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    decimal_sep, thousand_sep = separators
    sign = "-" if d < 0 else ""
    whole, _dot, frac = f"{abs(d):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = thousand_sep.join(groups)
    if places and frac:
        text += decimal_sep + frac
    return sign + text


def count(value, separators: tuple[str, str] = VI) -> str:
    """A count (people, households, contacts): “1.234”; a weighted count keeps one decimal (“12,5”)."""
    return number(value, None, separators)


def percent(value, separators: tuple[str, str] = VI) -> str:
    """A percentage with at most one decimal: 12.0 → “12%”, 12.34 → “12,3%”, None → “—”."""
    text = number(value, None, separators)
    return text if text == DASH else text + "%"


def money(value, separators: tuple[str, str] = VI) -> str:
    """Whole đồng: 1250000 → “1.250.000”."""
    return number(value, 0, separators)


def year(value) -> str:
    """A year as written: 2026 → “2026” (never grouped); “2.026” (a year a template once grouped) → “2026”."""
    if value is None or value == "":
        return DASH
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    return digits or DASH


def parse_year(text, low: int = 1900, high: int = 2100) -> int | None:
    """The year in ``text`` (“2027”, or “2.027” from a link a grouped template wrote), or None if not a year."""
    digits = "".join(ch for ch in str(text or "") if ch.isdigit())
    if not digits or len(digits) > 4 or not low <= int(digits) <= high:
        return None
    return int(digits)


def achievement(value=None, target=None, numerator=None, denominator=None) -> float | None:
    """“Tỷ lệ đạt”: the share of the target reached, in percent, rounded once to one decimal.

    The value is taken unrounded from ``numerator / denominator`` when they are given and are what ``value``
    was rounded from, else ``value`` as it is: 2.996/10.000 (30,0% once rounded) against a target of 30% is
    99,9%, not the 100% a value rounded first gives."""
    if target is None or not _decimal(target):
        return None
    shown = _decimal(value)
    exact = None
    if numerator is not None and denominator:
        exact = Decimal(str(numerator)) * 100 / Decimal(str(denominator))
        if shown is not None and rounded(exact, 1) != rounded(shown, 1):
            exact = None  # the value is not this ratio (an estimate): keep the value
    if exact is None:
        exact = shown
    if exact is None:
        return None
    return float(rounded(exact * 100 / Decimal(str(target)), 1))


def xlsx_format(value, kind: str) -> str | None:
    """The number format of an XLSX cell holding ``value`` so that it reads as :func:`count`, :func:`percent` or
    :func:`money` (``kind`` = "count", "percent", "money") writes it."""
    if kind == "money":
        return XLSX_MONEY
    _rounded, places = _decimals(value, None)
    if kind == "percent":
        return XLSX_PERCENT_1 if places else XLSX_PERCENT
    if kind == "count":
        return XLSX_COUNT_1 if places else XLSX_COUNT
    raise ValueError(kind)


def xlsx_value(value, kind: str):
    """The number an XLSX cell holds: rounded as the text is (one decimal at most; money in whole đồng)."""
    d = rounded(value, 0 if kind == "money" else 1)
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)
