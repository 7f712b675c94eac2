"""Text helpers of the plan parser: folding, unit names, percentages and periods.

Everything here is pure Python (no Django) and works on Unicode NFC text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

__all__ = [
    "fold",
    "is_recurring",
    "looks_like_unit",
    "nfc",
    "normalize_unit_name",
    "parse_percentage",
    "period_to_deadline",
    "split_units",
    "unit_key",
]

from lantoa.tenancy.text import (  # noqa: E402  (pure module: no Django)
    LEADING_BULLET_RE,
    LETTER,
    TRAILING_PUNCT_RE,
    fold,
    nfc,
    normalize_unit_name,
    roman_to_int,
    unit_key,
)

# A piece of a unit list is accepted as its own unit only if it starts like one.
_UNIT_WORDS = (
    "UBND",
    "HĐND",
    "UBMTTQ",
    "MTTQ",
    "Ủy ban",
    "Uỷ ban",
    "Phòng",
    "Trung tâm",
    "Ban",
    "Hội",
    "Đoàn",
    "Công an",
    "Trường",
    "Trạm",
    "Văn phòng",
    "Sở",
    "Các",
    "các",
    "Cơ quan",
    "Đảng ủy",
    "Đảng uỷ",
    "Bộ",
    "Đài",
    "Ngân hàng",
    "Bưu điện",
    "Chi nhánh",
    "Chi cục",
    "Hợp tác xã",
    "HTX",
    "Quỹ",
    "Thanh tra",
    "Kho bạc",
    "Tổ",
    "Đội",
    "Liên đoàn",
    "Mặt trận",
    "Viện",
    "Báo",
    "Bệnh viện",
    "Đồn",
    "Thôn",
    "Tổ dân phố",
    "Chủ tịch",
    "Phó Chủ tịch",
    "Lãnh đạo",
    "Công chức",
    "Doanh nghiệp",
)
_UNIT_START_RE = re.compile(
    r"^(?:" + "|".join(re.escape(word) for word in sorted(_UNIT_WORDS, key=len, reverse=True)) + r")(?!" + LETTER + r")"
)
# Conjoined names that must never be split on "và".
_PROTECTED_AND = re.compile(r"(HĐND|Hội đồng nhân dân)\s+và\s+(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)")
_AND_PLACEHOLDER = "\u0000"


def looks_like_unit(piece: str) -> bool:
    """True when ``piece`` starts with a capitalised unit word (Phòng, Trung tâm, UBND …)."""
    return bool(_UNIT_START_RE.match(piece.strip()))


def _split_top_level(text: str, separator: str) -> list[str]:
    """Split ``text`` on ``separator`` outside parentheses."""
    pieces, depth, start, index = [], 0, 0, 0
    while index < len(text):
        char = text[index]
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        elif depth == 0 and text.startswith(separator, index):
            pieces.append(text[start:index])
            start = index + len(separator)
            index = start
            continue
        index += 1
    pieces.append(text[start:])
    return pieces


def _split_if_units(text: str, separator: str) -> list[str]:
    pieces = [piece.strip() for piece in _split_top_level(text, separator)]
    pieces = [piece for piece in pieces if piece]
    if len(pieces) > 1 and all(looks_like_unit(piece) for piece in pieces):
        return pieces
    return [text.strip()]


def split_units(value: str) -> list[str]:
    """Split the value of a "Đơn vị chủ trì/phối hợp" label into unit names.

    Rule (deliberately conservative, because unit names contain commas and "và"):

    * line breaks and ";" always separate units;
    * "," separates units only when *every* comma-separated piece starts with a
      recognisable, capitalised unit word (UBND, Phòng, Trung tâm, Ban, Hội, Đoàn,
      Ủy ban, UBMTTQ, Công an, Trường, Trạm, Văn phòng, Sở, Các …): "Phòng Kinh tế,
      Trung tâm dịch vụ tổng hợp" gives two units, while "Các phòng chuyên môn, đơn vị,
      doanh nghiệp có liên quan" stays ONE unit (its pieces "đơn vị", "doanh nghiệp
      có liên quan" are not unit names on their own);
    * " và " separates units under the same condition, so "Sở Khoa học và Công nghệ"
      stays whole; "HĐND và UBND" is never split. A lower-case "các" also counts as a
      unit start ("Phòng Kinh tế và các đơn vị liên quan" gives two units) and is
      capitalised.

    Every name goes through :func:`normalize_unit_name`; duplicates are dropped.
    """
    value = nfc(value).replace("*", "")
    units: list[str] = []
    for line in value.splitlines():
        for part in _split_top_level(line, ";"):
            part = LEADING_BULLET_RE.sub("", part).strip()
            part = TRAILING_PUNCT_RE.sub("", part)
            if not part:
                continue
            part = _PROTECTED_AND.sub(lambda m: f"{m.group(1)}{_AND_PLACEHOLDER}{m.group(2)}", part)
            for piece in _split_if_units(part, ","):
                for name in _split_if_units(piece, " và "):
                    name = name.replace(_AND_PLACEHOLDER, " và ")
                    name = normalize_unit_name(name)
                    if name.startswith("các "):
                        name = "C" + name[1:]
                    if name and name not in units:
                        units.append(name)
    return units


# --------------------------------------------------------------------- percentages

_PERCENT_RE = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")


def parse_percentage(text: str) -> float | None:
    """First percentage in ``text`` ("10%", "100 %", "10,5%") as a float, or None."""
    match = _PERCENT_RE.search(text)
    if not match:
        return None
    return float(match.group(1).replace(",", "."))


# ----------------------------------------------------------------------- deadlines

_RECURRING_RE = re.compile(
    r"\b(thuong xuyen|hang (nam|tuan|thang|quy|ngay)|dinh ky|lien tuc|moi (nam|thang|quy|tuan))\b"
)
_DATE_RE = re.compile(r"(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d)")
_WORD_DATE_RE = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_BEFORE_DATE_RE = re.compile(r"truoc\s+(?:ngay\s+)?(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})")
_DAY_MONTH_RE = re.compile(r"(?:truoc|ngay|den)\s+(?:ngay\s+)?(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])")
_QUARTER_RE = re.compile(
    r"quy\s+((?:[ivx]+|[1-4])\b(?:\s*(?:[-,]|va|den)\s*(?:quy\s+)?(?:[ivx]+|[1-4])\b)*)"
    r"(?:\s*(?:/|nam|-)\s*(\d{4}))?"
)
_HALF_RE = re.compile(r"(\d{1,2})\s+thang\s+(dau|cuoi)\s+nam\s*(\d{4})?")
_MONTH_RE = re.compile(r"thang\s+(\d{1,2})(?:\s*(?:-|den|va|,)\s*(?:thang\s+)?(\d{1,2}))?(?:\s*(?:/|nam)\s*(\d{4}))?")
_MONTH_YEAR_RE = re.compile(r"(?<![\d/.-])(\d{1,2})\s*[/.-]\s*((?:19|20)\d{2})(?![\d/])")
_YEAR_RE = re.compile(r"(?<![\d/])(20\d{2})(?![\d/])")


def is_recurring(text: str) -> bool:
    """True for ongoing/recurring timings ("Thường xuyên", "Hằng năm", "Định kỳ" …)."""
    return bool(_RECURRING_RE.search(fold(text)))


def _month_end(year: int, month: int) -> dt.date | None:
    if not 1 <= month <= 12:
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _quarter_number(token: str) -> int | None:
    token = token.strip()
    number = int(token) if token.isdigit() else roman_to_int(token.upper())
    return number if number and 1 <= number <= 4 else None


def period_to_deadline(text: str | None, default_year: int | None = None) -> dt.date | None:
    """The last day a timing such as "Quý III/2026" or "trước 30/6/2026" allows.

    Recognised, in this order of precedence (within one kind the latest date wins):

    * full dates: "15/11/2026", "trước (ngày) 30/6/2026", "ngày 15 tháng 11 năm 2026";
    * quarters: "Quý III/2026", "Quý I năm 2027", "Quý 4/2026", "Quý III-IV/2026";
    * halves: "6 tháng đầu năm 2026" → 30/6, "6 tháng cuối năm 2026" → 31/12,
      "9 tháng đầu năm 2026" → 30/9;
    * months: "Tháng 10/2026", "tháng 10 năm 2026", "tháng 9-10/2026", and a bare
      month and year as table cells write it: "9/2026", "03/2025";
    * years: "Năm 2026", "Đến năm 2030", "2026-2030" → 31/12 of the last year.

    Recurring or ongoing timings ("Thường xuyên", "Hằng năm", "Hàng tháng", "Định kỳ")
    have no deadline unless they name an explicit "trước <full date>". A day, quarter
    or month without a year uses ``default_year`` when given (not for recurring text).
    """
    if not text:
        return None
    folded = fold(text)
    recurring = is_recurring(text)
    if recurring:
        before = [_safe_date(int(y), int(m), int(d)) for d, _sep, m, y in _BEFORE_DATE_RE.findall(folded)]
        before = [date for date in before if date]
        return max(before) if before else None

    dates = [_safe_date(int(y), int(m), int(d)) for d, _sep, m, y in _DATE_RE.findall(folded)]
    dates += [_safe_date(int(y), int(m), int(d)) for d, m, y in _WORD_DATE_RE.findall(folded)]
    dates = [date for date in dates if date]
    if dates:
        return max(dates)
    if default_year:
        day_months = [_safe_date(default_year, int(m), int(d)) for d, m in _DAY_MONTH_RE.findall(folded)]
        day_months = [date for date in day_months if date]
        if day_months:
            return max(day_months)

    quarters: list[dt.date] = []
    for match in _QUARTER_RE.finditer(folded):
        year = int(match.group(2)) if match.group(2) else default_year
        tokens = re.split(r"\s*(?:[-,]|va|den)\s*(?:quy\s+)?", match.group(1))
        numbers = [n for n in (_quarter_number(token) for token in tokens) if n]
        if year and numbers:
            quarters.append(_month_end(year, max(numbers) * 3))
    if quarters:
        return max(quarters)

    halves: list[dt.date] = []
    for count, part, year in _HALF_RE.findall(folded):
        year_value = int(year) if year else default_year
        months = int(count)
        if year_value and 1 <= months <= 12:
            month = months if part == "dau" else 12
            halves.append(_month_end(year_value, month))
    if halves:
        return max(halves)

    months: list[dt.date] = []
    for match in _MONTH_RE.finditer(folded):
        year = int(match.group(3)) if match.group(3) else default_year
        month = int(match.group(2) or match.group(1))
        end = _month_end(year, month) if year else None
        if end:
            months.append(end)
    for month, year in _MONTH_YEAR_RE.findall(folded):
        end = _month_end(int(year), int(month))
        if end:
            months.append(end)
    if months:
        return max(months)

    years = [int(year) for year in _YEAR_RE.findall(folded)]
    if years:
        return dt.date(max(years), 12, 31)
    return None
