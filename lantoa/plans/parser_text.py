"""Text helpers of the plan parser: folding, unit names, percentages and periods.

Everything here is pure Python (no Django) and works on Unicode NFC text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata

__all__ = [
    "fold",
    "is_recurring",
    "looks_like_unit",
    "nfc",
    "normalize_unit_name",
    "parse_percentage",
    "period_to_deadline",
    "roman_to_int",
    "split_units",
    "unit_key",
]

# Combining tone marks of Vietnamese (grave, acute, hook above, tilde, dot below).
_TONE_MARKS = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (precomposed) form."""
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", char)[0]
    lower = base.lower()
    return lower if len(lower) == 1 else base


def fold(text: str) -> str:
    """Lower-case and strip accents, one output character per NFC input character.

    Because the result has the same length as ``nfc(text)``, a regex match found in
    the folded text gives positions that are valid in the NFC original.
    """
    return "".join(_fold_char(char) for char in nfc(text))


# --------------------------------------------------------------------------- units

_LETTER = r"[^\W\d_]"
_TONE_PAIR = re.compile(rf"(?<![qQ])([oOuU])({_LETTER})(?!{_LETTER})")


def _modern_tone(match: re.Match[str]) -> str:
    """Move the tone of an open "oa/oe/uy" syllable to the first vowel (hoá → hóa)."""
    first, second = match.group(1), match.group(2)
    parts = unicodedata.normalize("NFD", second)
    if len(parts) != 2 or parts[1] not in _TONE_MARKS:
        return match.group(0)
    base, tone = parts
    if first in "oO" and base not in "aAeE":
        return match.group(0)
    if first in "uU" and base not in "yY":
        return match.group(0)
    return nfc(first + tone) + base


def modern_tone_placement(text: str) -> str:
    """Unify the old tone placement (oà, oá, uỷ …) to the new one (òa, óa, ủy …).

    Only open syllables change: "hoàn", "thuyết" or "Quý" are left alone.
    """
    return _TONE_PAIR.sub(_modern_tone, nfc(text))


_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH_RE = re.compile(rf"\s*[{_DASHES}]+\s*")
_LEADING_BULLET_RE = re.compile(rf"^[\s{_DASHES}+•*·]+")
_TRAILING_PUNCT_RE = re.compile(r"[\s.,;:…]+$")


def normalize_unit_name(name: str) -> str:
    """Canonical spelling of a unit name.

    NFC, modern tone placement (``Văn hoá`` → ``Văn hóa``, ``Uỷ ban`` → ``Ủy ban``),
    any hyphen or dash with any spacing → ``" - "``, collapsed whitespace, no
    leading bullet and no trailing punctuation. Letter case is kept (proper names).
    """
    text = modern_tone_placement(name).replace("*", "")
    text = _LEADING_BULLET_RE.sub("", text)
    text = _DASH_RE.sub(" - ", text)
    text = " ".join(text.split())
    return _TRAILING_PUNCT_RE.sub("", text).strip()


# Abbreviations expanded in matching keys so "UBND xã" meets "Ủy ban nhân dân xã".
_KEY_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "ubmttq": "uy ban mat tran to quoc",
    "mttq": "mat tran to quoc",
    "pvhcc": "phuc vu hanh chinh cong",
    "vh-xh": "van hoa - xa hoi",
    "kh&cn": "khoa hoc va cong nghe",
    "khcn": "khoa hoc va cong nghe",
}


def unit_key(name: str) -> str:
    """Case- and accent-free key of a unit name, for matching unit names.

    Common abbreviations are expanded (UBND, HĐND, UBMTTQ, MTTQ, PVHCC, KH&CN).
    """
    words = fold(normalize_unit_name(name)).split()
    expanded = [_KEY_ABBREVIATIONS.get(word, word) for word in words]
    key = " ".join(expanded)
    return re.sub(r"[^\w&]+", " ", key).strip()


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
    r"^(?:"
    + "|".join(re.escape(word) for word in sorted(_UNIT_WORDS, key=len, reverse=True))
    + r")(?!"
    + _LETTER
    + r")"
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
            part = _LEADING_BULLET_RE.sub("", part).strip()
            part = _TRAILING_PUNCT_RE.sub("", part)
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


# ------------------------------------------------------------------ roman numerals

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_RE = re.compile(r"^(X{0,3})(IX|IV|V?I{0,3})$")


def roman_to_int(numeral: str) -> int | None:
    """Value of a roman numeral up to XXXIX, or None when it is not one."""
    numeral = numeral.upper()
    if not numeral or not _ROMAN_RE.match(numeral):
        return None
    total = 0
    for index, char in enumerate(numeral):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


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
    * months: "Tháng 10/2026", "tháng 10 năm 2026", "tháng 9-10/2026";
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
    if months:
        return max(months)

    years = [int(year) for year in _YEAR_RE.findall(folded)]
    if years:
        return dt.date(max(years), 12, 31)
    return None
