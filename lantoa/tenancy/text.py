"""Vietnamese text helpers every app shares: pure functions (no Django), the ground floor of the project.

* ``fold`` is THE accent folding of the project (no tone marks, "đ" → "d", lower case, one character out
  per character in): comparisons, search keys and column-header matching are all built on it;
* spelling-proof names: "Phòng Văn hoá- Xã hội", "Phòng Văn hoá - Xã hội" and "Phòng Văn hóa - Xã hội"
  are one unit: ``normalize_name`` gives them one spelling, ``match_key`` one case- and accent-free key;
* ``roman_to_int`` reads the roman numerals of plans ("PHẦN II", "Quý III") and of speech ("khóa XIII").
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Combining tone marks of Vietnamese (grave, acute, hook above, tilde, dot below).
_TONE_MARKS = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (precomposed) form."""
    return unicodedata.normalize("NFC", text)


def visible(text: str) -> str:
    """``text`` in NFC without invisible format characters (zero-width space and joiners, BOM, bidi marks)."""
    return "".join(char for char in nfc(text) if unicodedata.category(char) != "Cf")


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", char)[0]
    lower = base.lower()
    return lower if len(lower) == 1 else base


def fold(text: str) -> str:
    """Lower-case and strip accents ("Đổi mới" → "doi moi"), one output character per NFC input character.

    The one accent folding of the project: build comparison and search keys on it (collapse spaces,
    drop punctuation… as the key needs) rather than folding again.

    Because the result has the same length as ``nfc(text)``, a regex match found in
    the folded text gives positions that are valid in the NFC original.
    """
    return "".join(_fold_char(char) for char in nfc(text))


# A letter of any script (regex class): no digit, no underscore.
LETTER = r"[^\W\d_]"
_TONE_PAIR = re.compile(rf"(?<![qQ])([oOuU])({LETTER})(?!{LETTER})")


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
# A bullet or dash (and spaces) opening a list item; trailing punctuation closing one.
LEADING_BULLET_RE = re.compile(rf"^[\s{_DASHES}+•*·]+")
TRAILING_PUNCT_RE = re.compile(r"[\s.,;:…]+$")


def normalize_unit_name(name: str) -> str:
    """Canonical spelling of a unit name.

    NFC without invisible characters (``visible``), modern tone placement (``Văn hoá`` → ``Văn hóa``,
    ``Uỷ ban`` → ``Ủy ban``), any hyphen or dash with any spacing → ``" - "``, collapsed whitespace, no
    leading bullet and no trailing punctuation. Letter case is kept (proper names).
    """
    text = modern_tone_placement(visible(name)).replace("*", "")
    text = LEADING_BULLET_RE.sub("", text)
    text = _DASH_RE.sub(" - ", text)
    text = " ".join(text.split())
    return TRAILING_PUNCT_RE.sub("", text).strip()


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


# --- Roman numerals ---------------------------------------------------------------------------------

_ROMAN_RE = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(numeral: str, *, largest: int = 3999) -> int | None:
    """The value of a canonical upper-case roman numeral ("XIII" → 13), or None when it is not one.

    "IIII", "VX", "iv" and "" are not numerals. ``largest`` refuses bigger values: the plan parser reads
    section and quarter numbers up to XXXIX, so a heading "C." or "D." stays a letter.
    """
    if not numeral or not _ROMAN_RE.fullmatch(numeral):
        return None
    total = 0
    for index, char in enumerate(numeral):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total if total <= largest else None


# The names the rest of the project uses.
normalize_name = normalize_unit_name
match_key = unit_key
