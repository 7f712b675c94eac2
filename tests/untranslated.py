"""Finds English left on a Vietnamese page: the detector the page walk and the browser journeys share.

The English the interface could show is the English of its catalogues: every msgid of Django, Wagtail, the
installed apps and Lan Tỏa's own. Their words make the vocabulary of "interface English". A piece of text a reader
sees (a text node, or a ``placeholder``/``title``/``aria-label``/``alt``/button value) is English when

- it is, whole, one of those msgids (a lone "Password", "Edit", "Live" — the commonest leftover), or
- at least two of its words are interface English, and they are at least half of its words.

Vietnamese text is safe: its words carry diacritics, and the few Vietnamese syllables written without any that are
also English words ("an", "in", "to", "long", "nam"…) are not counted. Proper nouns and codes a Vietnamese page
uses as they are ("Lan Tỏa", "Wagtail", "Excel", "PDF", "DOCX", "Zalo"…) are allowed by :data:`ALLOWED`.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import polib
from bs4 import BeautifulSoup, Comment, NavigableString

# Words a Vietnamese page uses as they are: product and file-format names, channels, abbreviations.
ALLOWED = {
    "lan",
    "tỏa",
    "wagtail",
    "django",
    "excel",
    "pdf",
    "docx",
    "xlsx",
    "csv",
    "ods",
    "odt",
    "txt",
    "json",
    "api",
    "openapi",
    "rss",
    "atom",
    "ical",
    "ics",
    "url",
    "html",
    "email",
    "e-mail",
    "ok",
    "id",
    "zalo",
    "facebook",
    "youtube",
    "tiktok",
    "podcast",
    "video",
    "sha",
    "totp",
    "qr",
    "sms",
    "mp3",
    "ogg",
    "wav",
    "png",
    "jpg",
    "jpeg",
    "svg",
    "gif",
    "webp",
    "chromium",
    "libreoffice",
    "admin",  # the demo's superuser login name
    "online",
    "internet",
    "website",
    "web",
    "logo",
    "kpi",
    "infographic",
    "token",
    "google",
    "microsoft",
    "authenticator",
    "freeotp",
    "pvhcc",
    "nq",
    "tw",
    "webm",
    "mp4",
    "english",  # the language's name in the language chooser of the account
    "word",  # Microsoft Word, the file format a plan comes in
    "opendocument",
}
# Names made of English words that a Vietnamese page keeps as they are.
ALLOWED_PHRASES = ("Zalo Official Account", "Google Authenticator", "Microsoft Authenticator")

# Vietnamese syllables written without diacritics that are also English words: never counted as English.
VIETNAMESE_SYLLABLES = {
    "an",
    "anh",
    "ban",
    "bang",
    "bao",
    "bo",
    "cam",
    "can",
    "cao",
    "chi",
    "cho",
    "con",
    "do",
    "em",
    "gia",
    "hang",
    "hanh",
    "hoa",
    "in",
    "la",
    "lam",
    "long",
    "mai",
    "me",
    "minh",
    "nghi",
    "quyet",
    "nam",
    "on",
    "phong",
    "sang",
    "so",
    "son",
    "tai",
    "tam",
    "tan",
    "thanh",
    "tin",
    "to",
    "toan",
    "trang",
    "tu",
    "van",
    "vi",
    "xa",
}

URL = re.compile(r"\b(?:https?://|www\.)\S*|\b[\w.-]+\.(?:com|vn|org|net)\b\S*")
GLOSS = re.compile(r"\([^()]*\)")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxX%]|\{[^}]*\}")
ASCII_WORD = re.compile(r"^[A-Za-z][A-Za-z'’-]*$")
TEXT_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
SKIPPED_TAGS = {"script", "style", "template", "noscript", "code", "pre", "textarea", "svg", "head"}


def _catalogue_files() -> list[Path]:
    import django
    import wagtail

    root = Path(__file__).resolve().parents[1]
    files = [Path(django.__file__).parent / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po"]
    files += sorted(Path(wagtail.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po"))
    files += sorted(root.glob("lantoa/**/locale*/vi/LC_MESSAGES/django.po"))
    files += sorted(Path(django.__file__).parent.glob("contrib/*/locale/en/LC_MESSAGES/django.po"))
    return [f for f in files if f.exists()]


# English that is in no catalogue but leaks from Python values printed as they are.
PYTHON_WORDS = {"true", "false", "none", "null"}


@functools.cache
def interface_english() -> tuple[frozenset[str], frozenset[str]]:
    """(the words of every msgid of Django, Wagtail and Lan Tỏa; those of them that are also Vietnamese syllables)."""
    words: set[str] = set(PYTHON_WORDS)
    for path in _catalogue_files():
        for entry in polib.pofile(str(path)):
            for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
                text = PLACEHOLDER.sub(" ", re.sub(r"<[^>]+>", " ", msgid))
                for word in WORD.findall(text):
                    if ASCII_WORD.match(word) and len(word) > 1:
                        words.add(word.casefold())
    words -= ALLOWED
    return frozenset(words - VIETNAMESE_SYLLABLES), frozenset(words & VIETNAMESE_SYLLABLES)


def is_english(text: str) -> bool:
    """Whether ``text`` reads as interface English.

    Its words, proper nouns and codes of :data:`ALLOWED` left out, are looked up in the catalogues' English. It is
    English when its only word is English ("Password", "Live", "None"), when two English words follow each other
    ("Chỉnh sửa page type"), or when at least two of its words, and at least half, are English. A Vietnamese
    syllable that is also an English word ("in", "to") counts only in a text without any Vietnamese letter, and
    never alone.
    """
    vocabulary, ambiguous = interface_english()
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    text = URL.sub(" ", text)
    vietnamese = any(not ch.isascii() for ch in text if ch.isalpha())
    if vietnamese:
        # An English term glossed in brackets after its Vietnamese name: "Thẻ tiêu đề (title tag)".
        text = GLOSS.sub(" ", text)
    # Abbreviations and codes (UBND, NC02-0103) are not words of a sentence.
    words = [w for w in WORD.findall(text) if w.casefold() not in ALLOWED and not (len(w) > 1 and w.isupper())]
    if not words:
        return False

    def english(word: str) -> bool:
        folded = word.casefold()
        return bool(ASCII_WORD.match(word)) and (folded in vocabulary or (not vietnamese and folded in ambiguous))

    flags = [english(w) for w in words]
    if not any(bool(ASCII_WORD.match(w)) and w.casefold() in vocabulary for w in words):
        return False
    if len(words) == 1:
        return True
    if any(a and b for a, b in zip(flags, flags[1:], strict=False)):
        return True
    return sum(flags) >= 2 and 2 * sum(flags) >= len(words)


def _hidden(element) -> bool:
    """Not shown to anyone: a script, a template, an element with ``hidden``; and Wagtail's search buttons, whose
    "Search" its templates write in English without a translation (visually hidden: the field submits on Enter)."""
    for node in (element, *element.parents):
        if getattr(node, "name", None) in SKIPPED_TAGS or (hasattr(node, "has_attr") and node.has_attr("hidden")):
            return True
    if getattr(element, "name", None) == "input" and "w-sr-only" in (element.parent.get("class") or []):
        return True
    return False


def visible_texts(html: str) -> list[str]:
    """The texts of a page a reader meets: its text nodes and the words of its labels and button values."""
    soup = BeautifulSoup(html, "html.parser")
    texts: list[str] = []
    for node in soup.find_all(string=True):
        if isinstance(node, Comment) or not isinstance(node, NavigableString) or _hidden(node.parent):
            continue
        text = " ".join(node.split())
        if text:
            texts.append(text)
    for element in soup.find_all(True):
        if _hidden(element):
            continue
        for name in TEXT_ATTRIBUTES:
            if element.has_attr(name):
                texts.append(" ".join(str(element[name]).split()))
        if element.name == "input" and element.get("type") in ("submit", "button") and element.get("value"):
            texts.append(str(element["value"]))
    title = soup.find("title")
    if title:
        texts.append(" ".join(title.get_text().split()))
    return texts


def english_on(html: str, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The distinct English texts of a page (``extra``: texts a script renders, e.g. the sidebar's labels)."""
    found: list[str] = []
    for text in [*visible_texts(html), *extra]:
        if is_english(text) and text not in found:
            found.append(text)
    return found
