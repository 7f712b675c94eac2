"""Text helpers of the column: pure functions, no database.

Vietnamese search must find “Nghị quyết 57” from “nghi quyet 57”: every searchable text is reduced to
its search key (no tone marks, “đ” → “d”, lower case, punctuation → spaces) and stored next to the page.
"""

from __future__ import annotations

import html
import re

import nh3

from lantoa.tenancy.text import match_key


def search_key(text: str) -> str:
    """Accent-free, case-free words separated by single spaces: “Nghị quyết 57-NQ/TW” → “nghi quyet 57 nq tw”.

    The unit-name key of tenancy (``match_key``, built on the project's one ``fold``): abbreviations such as
    “UBND” are spelled out, so a search for either spelling finds both.
    """
    return match_key(text or "")


def query_terms(query: str, limit: int = 8) -> list[str]:
    """The folded words of a search query (at most ``limit``, each at least one character)."""
    return [t for t in search_key(query).split() if t][:limit]


def plain_text(html_or_text: str) -> str:
    """Any user input or rich text reduced to plain text: every tag removed by nh3, whitespace tidied."""
    cleaned = nh3.clean(html_or_text or "", tags=set(), strip_comments=True)
    # nh3 escapes the text it keeps; we store plain text and let templates escape it once.
    cleaned = html.unescape(cleaned)
    cleaned = re.sub(r"[ \t\r\f\v]+", " ", cleaned)
    cleaned = re.sub(r"\n\s*\n\s*\n+", "\n\n", cleaned)
    return cleaned.strip()


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut at a word boundary so the result, ellipsis included, is at most ``limit`` characters."""
    text = text or ""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - len(ellipsis))]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,.;:-–") + ellipsis


def hashtag(name: str) -> str:
    """“Chuyển đổi số” → “#ChuyenDoiSo” (hashtags without tone marks work on every platform)."""
    words = search_key(name).split()
    return "#" + "".join(w[:1].upper() + w[1:] for w in words) if words else ""
