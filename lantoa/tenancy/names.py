"""Spelling-proof names of units: pure functions, no Django, shared by the plan parser and the services."""

from __future__ import annotations

import re
import unicodedata

_TONE_FIXES = {
    # Old-style tone placement → the placement the 2025 lists use ("hoá" → "hóa").
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}


def normalize_name(name: str) -> str:
    """One spelling for a unit's name: NFC, modern tone placement, “ - ” for any dash, single spaces."""
    text = unicodedata.normalize("NFC", name or "")
    for old, new in _TONE_FIXES.items():
        text = text.replace(old, new).replace(old.capitalize(), new.capitalize())
    text = re.sub(r"\s*[-–—]\s*", " - ", text)
    text = re.sub(r"\s+", " ", text).strip(" .;,:")
    return text


def match_key(name: str) -> str:
    """An accent-free, case-free key for matching names written in different ways."""
    text = unicodedata.normalize("NFD", normalize_name(name)).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


