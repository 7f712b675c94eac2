"""Vietnamese text normalisation for speech: what the synthetic voice should read.

The general cases (dates, cardinal numbers, decimals, percentages, money, times, most units)
are read by the maintained rule-based front-end of the ``g2p-hamster`` package
(``g2p_hamster.t0.pipeline.normalize``). It is good at those and weak at the administrative
language of plans and reports: it spells "NQ" as "N Q", reads "KH" as "khách hàng", and
"1.4." as "một phẩy bốn". So this module first rewrites what it knows better (document
symbols, the commune's abbreviations, section numbers, roman numerals, ordinals, fractions,
ranges with spaces, a few units) and hands the rest to g2p-hamster line by line, then applies
the northern reading of a final 4 ("hai mươi tư").

The result is plain text, shown to the editor and editable before synthesis.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

from g2p_hamster.t0.pipeline import normalize as hamster

from lantoa.tenancy.text import roman_to_int

from .abbreviations import ABBREVIATIONS, DOCUMENT_CODE_PARTS

logger = logging.getLogger("lantoa.radio")

WORD = r"[0-9A-Za-zÀ-ỹĐđ]"
UPPER = "A-ZÀ-ÝĂÂĐÊÔƠƯẠ-Ỹ"

# --- Roman numerals ---------------------------------------------------------------------------------

# Words after which a roman numeral is a number ("Quý I", "khóa XIII", "thế kỷ XXI").
ROMAN_CONTEXT = (
    "quý|chương|phần|mục|khóa|khoá|đại hội|thế kỷ|thế kỉ|kỳ họp|kì họp|phụ lục|tập|giai đoạn|lần thứ|đợt|hội nghị"
)
_ROMAN_AFTER_WORD = re.compile(rf"(?i)\b({ROMAN_CONTEXT})\s+([IVXLC]+)\b(?![.\w]\w)")
_ROMAN_HEADING = re.compile(r"^(\s*)([IVX]+)\s*[.)]\s+", re.M)

# --- Document symbols -----------------------------------------------------------------------------

_CODE_PART = rf"[{UPPER}][{UPPER}a-zđ]*\d*"
# "57-NQ/TW", "57- NQ/TW", "1169/QĐ-TTg", "30/2020/NĐ-CP", "15-KH/TU", "93/2025/QH15"
_NUMBERED_SYMBOL = re.compile(
    rf"(?<![\w/])(\d+)(?:/(\d{{4}}))?\s*[-/]\s*({_CODE_PART}(?:\s?[-/&]\s?{_CODE_PART})*)(?![\w])"
)
# A symbol without its number: "/KH-UBND", "NQ/TW", "QĐ-TTg".
_BARE_SYMBOL = re.compile(rf"(?<![\w/&])/?({_CODE_PART}(?:[-/]{_CODE_PART})+)(?![\w&])")
_TRAILING_NUMBER = re.compile(r"^(.*?[A-Za-zĐđ])(\d+)$")


def _read_code(code: str, parts_table: dict[str, str]) -> str | None:
    """Read a symbol like "NQ/TW" or "KH-UBND" part by part; None when a part is unknown."""
    words = []
    for part in re.split(r"\s?[-/]\s?", code):
        if part in parts_table:
            words.append(parts_table[part])
            continue
        match = _TRAILING_NUMBER.match(part)
        if match and match.group(1) in parts_table:
            # "QH15": the Quốc hội of the 15th term.
            words.append(f"{parts_table[match.group(1)]} khóa {match.group(2)}")
            continue
        return None
    return " ".join(words)


# --- Other rewrites ---------------------------------------------------------------------------------

_MARKUP = [
    (re.compile(r"\*\*|__|\*(?=\S)|(?<=\S)\*|`"), ""),
    (re.compile(r"\s*\./\.\s*$", re.M), "."),
    (re.compile(r"\.{3,}|…+"), "…"),
    (re.compile(r"[“”„«»]"), '"'),
    (re.compile(r"[‘’]"), "'"),
    (re.compile(r"[–—−]"), "-"),
    (re.compile(r"\u00a0"), " "),
    # Bullets and list letters at the start of a line: "- ", "• ", "+ ", "a) ".
    (re.compile(r"^[ \t]*(?:[-•+*]|[a-zđ]\))[ \t]+", re.M), ""),
]

# "1.4. Phát huy", "mục 2.3", "4.0": dotted numbers that are not thousands ("1.000") are read with "chấm".
_DOTTED = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)+)(\.?)(?![\d,])")
_ORDINAL = re.compile(r"(?i)\b(thứ)\s+([14])\b(?![.,]\d)")
_ORDINAL_WORDS = {"1": "nhất", "4": "tư"}
_FRACTION_BEFORE = re.compile(
    r"(?i)\b(khoảng|chiếm|gần|hơn|trên|dưới|đạt|bằng|được|còn|tới|đến)\s+(\d{1,2})/(\d{1,2})\b(?!/)"
)
_FRACTION_AFTER = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])(?=\s+(?:số|tổng|dân số|diện tích|kinh phí))")
# "quý IV/2025", "học kỳ 2/2026": a period of a year, not a date.
_PERIOD_OF_YEAR = re.compile(r"(?i)\b(quý|học kỳ|học kì|đợt)\s+(\d{1,2})/(\d{4})\b")
_ROUND_THE_CLOCK = re.compile(r"(?<![\d/])24/7(?![\d/])")
_TIME = r"\d{1,2}(?::\d{2}|h\d{2}|h|g\d{2}|g)"
_TIME_RANGE = re.compile(rf"(?<![\d:])({_TIME})\s*-\s*({_TIME})(?![\d:])")
_SPACED_RANGE = re.compile(r"(?<![\d/])(\d+(?:[.,]\d+)?%?)\s+-\s+(\d)")
_UNITS = [
    (re.compile(r"(?<=\d)\s*ha\b"), " héc ta"),
    (re.compile(r"(?<=\d)\s*m3\b|(?<=\d)\s*m³"), " mét khối"),
    (re.compile(r"(?<=\d)\s*m2\b"), " mét vuông"),
    (re.compile(r"(?<=\d)\s*km2\b"), " ki lô mét vuông"),
    (re.compile(r"(?<=\d)\s*kWh\b"), " ki lô oát giờ"),
    (re.compile(r"(?<=\d)\s*MW\b"), " mê ga oát"),
    (re.compile(r"(?<=\d)\s*kW\b"), " ki lô oát"),
    (re.compile(r"(?<=\d)\s*GB\b"), " ghi ga bai"),
    (re.compile(r"(?<=\d)\s*MB\b"), " mê ga bai"),
    (re.compile(r"(?<=\d)\s*TB\b"), " tê ra bai"),
    (re.compile(r"(?<=\d)\s*Gbps\b"), " ghi ga bít trên giây"),
    (re.compile(r"(?<=\d)\s*tr\.?\s*đ(ồng)?\b"), " triệu đồng"),
]
# A heading in capitals ("KHU DÂN CƯ"): read as words, not spelt letter by letter.
_CAPS_RUN = re.compile(rf"\b[{UPPER}]+(?:[ ,]+[{UPPER}]+)+\b")
_VI_MARKED = re.compile(r"[ÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬĐÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ]")
_FINAL_FOUR = re.compile(r"\bmươi bốn\b")
_SPACES = re.compile(r"[ \t]+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?…)])")


def _merged(extra: dict[str, str] | None) -> tuple[dict[str, str], dict[str, str]]:
    extra = extra or {}
    return {**ABBREVIATIONS, **extra}, {**DOCUMENT_CODE_PARTS, **ABBREVIATIONS, **extra}


@lru_cache(maxsize=64)
def _abbreviation_pattern(keys: tuple[str, ...]) -> re.Pattern | None:
    if not keys:
        return None
    alternatives = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    # An abbreviation stands as a word: no letter or digit glued before, and none after unless it ends with ".".
    return re.compile(rf"(?<![\w&/.-])({alternatives})(?:(?<=\.)|(?![\w&]))")


class Normalizer:
    """Rewrites a text so a Vietnamese voice reads it as a person would.

    ``extra`` holds the commune's own abbreviations ({"HTX NC": "Hợp tác xã Nam Cường"}); they take
    precedence over the built-in list, inside document symbols too.
    """

    def __init__(self, extra: dict[str, str] | None = None):
        self.words, self.code_parts = _merged(extra)
        self.pattern = _abbreviation_pattern(tuple(sorted(self.words)))

    def __call__(self, text: str) -> str:
        return self.normalize(text)

    def normalize(self, text: str) -> str:
        text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
        for pattern, repl in _MARKUP:
            text = pattern.sub(repl, text)
        lines = [self._line(line) for line in text.split("\n")]
        out = "\n".join(line for line in lines if line is not None)
        return re.sub(r"\n{3,}", "\n\n", out).strip()

    # --- steps -------------------------------------------------------------------------------

    def _line(self, line: str) -> str:
        if not line.strip():
            return ""
        line = _ROMAN_HEADING.sub(self._roman_heading, line)
        line = _DOTTED.sub(self._dotted, line)
        line = _NUMBERED_SYMBOL.sub(self._numbered_symbol, line)
        line = _BARE_SYMBOL.sub(self._bare_symbol, line)
        line = _ROMAN_AFTER_WORD.sub(self._roman_after_word, line)
        line = _PERIOD_OF_YEAR.sub(r"\1 \2 năm \3", line)
        line = _ORDINAL.sub(lambda m: f"{m.group(1)} {_ORDINAL_WORDS[m.group(2)]}", line)
        line = _ROUND_THE_CLOCK.sub("24 trên 7", line)
        line = _FRACTION_BEFORE.sub(lambda m: f"{m.group(1)} {m.group(2)} phần {m.group(3)}", line)
        line = _FRACTION_AFTER.sub(lambda m: f"{m.group(1)} phần {m.group(2)}", line)
        line = _TIME_RANGE.sub(r"\1 đến \2", line)
        line = _SPACED_RANGE.sub(r"\1 đến \2", line)
        for pattern, repl in _UNITS:
            line = pattern.sub(repl, line)
        if self.pattern is not None:
            line = self.pattern.sub(lambda m: self.words[m.group(1)], line)
        line = _CAPS_RUN.sub(_unshout, line)
        line = _verbalise(line)
        line = _FINAL_FOUR.sub("mươi tư", line)
        line = _SPACES.sub(" ", line)
        line = _SPACE_BEFORE_PUNCT.sub(r"\1", line)
        return line.strip()

    @staticmethod
    def _roman_heading(match: re.Match) -> str:
        value = roman_to_int(match.group(2))
        return f"{match.group(1)}Phần {value}. " if value else match.group(0)

    @staticmethod
    def _roman_after_word(match: re.Match) -> str:
        value = roman_to_int(match.group(2))
        return f"{match.group(1)} {value}" if value else match.group(0)

    @staticmethod
    def _dotted(match: re.Match) -> str:
        number, trailing = match.group(1), match.group(2)
        groups = number.split(".")
        if len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
            return match.group(0)  # "1.234.567": thousands, read by the number reader
        return " chấm ".join(groups) + trailing

    def _numbered_symbol(self, match: re.Match) -> str:
        number, year, code = match.groups()
        reading = _read_code(code, self.code_parts)
        if reading is None:
            return match.group(0)
        year_words = f" năm {year}" if year else ""
        return f"{number}{year_words} {reading}"

    def _bare_symbol(self, match: re.Match) -> str:
        reading = _read_code(match.group(1), self.code_parts)
        return reading if reading is not None else match.group(0)


def _unshout(match: re.Match) -> str:
    run = match.group(0)
    if not _VI_MARKED.search(run):
        return run  # capitals without Vietnamese marks may be acronyms: leave them to the reader
    return run[0] + run[1:].lower()


def _verbalise(line: str) -> str:
    """Numbers, dates, times, percentages and units in words, by g2p-hamster's rule-based front-end."""
    if not re.search(r"[\d%&@#/$€]|[A-Z]{2,}", line):
        return line
    try:
        return hamster(line)["read_string"]
    except Exception:  # a front-end bug must not lose the line: leave it as written
        logger.exception("g2p-hamster failed on a line; it is left as written")
        return line


def normalize(text: str, extra: dict[str, str] | None = None) -> str:
    """The text as the voice should read it (``extra``: the commune's abbreviations)."""
    return Normalizer(extra).normalize(text)
