"""The user guide (docs/huong-dan/), served by the app itself so that help works without the internet.

One Markdown page per role plus an index (``README.md``, which GitHub also shows for the folder). A page is
rendered with markdown-it-py (CommonMark and tables; raw HTML in the source is not passed through) and then
cleaned by nh3 to a short list of tags, so that even a careless edit of the guide cannot put a script in the
back office. Links between pages (``lanh-dao.md``) become the app's routes (``/huong-dan/lanh-dao/``) and images
(``img/x.png``) the guide's image route; the help links of the back office open the page of the user's own role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nh3
from django.conf import settings
from django.urls import reverse
from markdown_it import MarkdownIt

from . import roles, selectors

INDEX = "README"
IMAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.png$")


@dataclass(frozen=True)
class Page:
    slug: str  # the file's name without .md, and the last part of its URL
    role: str | None  # the role code whose help link opens this page


# In the order a user holding several roles is sent: the first of their roles in this list.
PAGES = [
    Page("lanh-dao", roles.LEADERSHIP),
    Page("dau-moi", roles.PVHCC),
    Page("bien-tap-vien", roles.EDITOR),
    Page("don-vi", roles.UNIT),
    Page("to-cong-nghe-so", roles.DIGITAL_TEAM),
    Page("mat-tran", roles.OVERSIGHT),
    Page("tinh", roles.PROVINCE),
]
SLUGS = {page.slug for page in PAGES}

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "p", "br", "hr", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote",
    "a", "img", "table", "thead", "tbody", "tr", "th", "td", "kbd",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "loading"}, "th": {"align"}}


def guide_dir() -> Path:
    return Path(getattr(settings, "LANTOA_GUIDE_DIR", "") or Path(settings.BASE_DIR) / "docs" / "huong-dan")


def slug_for(user) -> str | None:
    """The guide page of the user's role (the first of their roles in PAGES); None for the index."""
    held = selectors.roles_of(user) if user.is_authenticated else set()
    return next((page.slug for page in PAGES if page.role in held), None)


def url_for(user) -> str:
    slug = slug_for(user)
    return reverse("guide_page", kwargs={"slug": slug}) if slug else reverse("guide_index")


def source(slug: str) -> Path | None:
    """The Markdown file of a page, or None when the slug is not one of the guide's pages."""
    if slug != INDEX and slug not in SLUGS:
        return None
    path = guide_dir() / f"{slug}.md"
    return path if path.is_file() else None


def image(name: str) -> Path | None:
    if not IMAGE_NAME.match(name):
        return None
    path = guide_dir() / "img" / name
    return path if path.is_file() else None


def render(slug: str) -> tuple[str, str] | None:
    """(title, sanitised HTML) of a page, or None when there is no such page."""
    path = source(slug)
    if path is None:
        return None
    return _render(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _render(path: str, mtime_ns: int) -> tuple[str, str]:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(Path(path).read_text(encoding="utf-8"))
    title = ""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1" and not title:
            title = tokens[index + 1].content
        for child in token.children or ():
            if child.type == "link_open":
                child.attrSet("href", _link(str(child.attrGet("href") or "")))
            elif child.type == "image":
                child.attrSet("src", _image_src(str(child.attrGet("src") or "")))
                child.attrSet("loading", "lazy")
    html = md.renderer.render(tokens, md.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return title, clean


def _link(href: str) -> str:
    """``dau-moi.md`` → ``/huong-dan/dau-moi/``; ``README.md`` → the index; anything else unchanged."""
    target, _sep, anchor = href.partition("#")
    suffix = f"#{anchor}" if anchor else ""
    if "/" not in target and target.endswith(".md"):
        slug = target.removesuffix(".md")
        if slug == INDEX:
            return reverse("guide_index") + suffix
        if slug in SLUGS:
            return reverse("guide_page", kwargs={"slug": slug}) + suffix
    return href


def _image_src(src: str) -> str:
    name = src.removeprefix("img/")
    if src.startswith("img/") and IMAGE_NAME.match(name):
        return reverse("guide_image", kwargs={"name": name})
    return src
