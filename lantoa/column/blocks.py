"""StreamField blocks of a column article: paragraph, heading, image with caption, fact box, quote, embed."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs, quote, urlparse

from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from lantoa.tenancy.validators import validate_web_url, web_url

from .text import plain_text

RICH_FEATURES = ["bold", "italic", "link", "ol", "ul"]

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def youtube_id(url: str) -> str | None:
    """The video id of a YouTube link (watch, youtu.be, shorts, embed), else None."""
    parsed = urlparse(url or "")
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    candidate = None
    if host == "youtu.be":
        candidate = parsed.path.strip("/").split("/")[0]
    elif host in {"youtube.com", "youtube-nocookie.com"}:
        if parsed.path == "/watch":
            candidate = (parse_qs(parsed.query).get("v") or [None])[0]
        elif parsed.path.startswith(("/shorts/", "/embed/", "/live/")):
            candidate = parsed.path.split("/")[2]
    return candidate if candidate and _YOUTUBE_ID.match(candidate) else None


def is_facebook_video(url: str) -> bool:
    host = (urlparse(url or "").hostname or "").lower()
    return host in {"facebook.com", "www.facebook.com", "m.facebook.com", "fb.watch", "web.facebook.com"}


def validate_video_link(url: str) -> None:
    if url and not (youtube_id(url) or is_facebook_video(url)):
        raise ValidationError(_("Give a YouTube or Facebook video link."))


def embed_html(url: str, title: str) -> str:
    """A light player for a YouTube or Facebook link, or a plain link for anything else.

    YouTube: an iframe whose ``srcdoc`` shows only the thumbnail and a play link, so the heavy
    player loads when the reader asks for it, without any script on our page.
    """
    vid = youtube_id(url)
    if vid:
        player = f"https://www.youtube-nocookie.com/embed/{vid}?autoplay=1"
        thumb = f"https://i.ytimg.com/vi/{vid}/hqdefault.jpg"
        srcdoc = (
            "<style>*{margin:0}html,body{height:100%}a{display:block;height:100%;position:relative}"
            "img{width:100%;height:100%;object-fit:cover}span{position:absolute;inset:0;margin:auto;width:68px;"
            "height:48px;border-radius:12px;background:#c00;color:#fff;font:32px/48px sans-serif;text-align:center}"
            f"</style><a href='{player}'><img src='{thumb}' alt=''><span>&#9654;</span></a>"
        )
        return format_html(
            '<div class="embed"><iframe src="{}" srcdoc="{}" title="{}" loading="lazy" '
            'allow="autoplay; encrypted-media; picture-in-picture" allowfullscreen></iframe></div>',
            player,
            srcdoc,
            title,
        )
    if is_facebook_video(url):
        src = "https://www.facebook.com/plugins/video.php?show_text=false&href=" + quote(url, safe="")
        return format_html(
            '<div class="embed"><iframe src="{}" title="{}" loading="lazy" allowfullscreen></iframe></div>', src, title
        )
    if not web_url(url):
        return format_html("<p>{}</p>", title or url)
    return format_html('<p><a href="{}" rel="noopener">{}</a></p>', url, title or url)


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=160)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))], default="h2", label=_("level")
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "column/blocks/heading.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(required=False, max_length=300, label=_("caption"))
    credit = blocks.CharBlock(required=False, max_length=120, label=_("photo credit"))

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "column/blocks/image.html"


class FigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(max_length=30, label=_("figure"), help_text=_("e.g. “70%” or “1.234”"))
    label = blocks.CharBlock(max_length=160, label=_("what it counts"))


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=160, label=_("title"))
    figures = blocks.ListBlock(FigureBlock(), min_num=1, max_num=8, label=_("figures"))
    source = blocks.CharBlock(required=False, max_length=200, label=_("source"))

    class Meta:
        icon = "table"
        label = _("Fact box")
        template = "column/blocks/facts.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(required=False, max_length=160, label=_("who said it"))

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "column/blocks/quote.html"


class EmbedLinkBlock(blocks.StructBlock):
    """A YouTube or Facebook video (or any link), shown without loading anything until asked."""

    url = blocks.URLBlock(label=_("link"), validators=[validate_web_url])
    title = blocks.CharBlock(max_length=160, label=_("title"), help_text=_("Read out by screen readers."))

    class Meta:
        icon = "media"
        label = _("Embedded video or link")

    def render_basic(self, value, context=None):
        return embed_html(value["url"], value["title"])


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_FEATURES, label=_("Paragraph"), icon="pilcrow")
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    facts = FactBoxBlock()
    quote = QuoteBlock()
    embed = EmbedLinkBlock()


def stream_text(stream) -> str:
    """The readable text of an article body, for search and for feeds."""
    parts: list[str] = []
    for child in stream or []:
        value = child.value
        if child.block_type == "paragraph":
            parts.append(plain_text(value.source))
        elif child.block_type == "heading":
            parts.append(value["text"])
        elif child.block_type == "image":
            parts += [value["caption"] or "", value["credit"] or ""]
        elif child.block_type == "facts":
            parts.append(value["title"])
            parts += [f"{f['value']} {f['label']}" for f in value["figures"]]
            parts.append(value["source"] or "")
        elif child.block_type == "quote":
            parts += [value["text"], value["attribution"] or ""]
        elif child.block_type == "embed":
            parts.append(value["title"])
    return "\n".join(p for p in parts if p)


def zalo_share_url(url: str) -> str:
    """Zalo's share page for a link (the same address its share button opens), without its script."""
    payload = base64.b64encode(f'{{"url":"{url}"}}'.encode()).decode()
    return "https://button-share.zalo.me/share_external?layout=1&color=blue&customize=false&shareType=0&d=" + quote(
        payload, safe=""
    )


__all__ = ["ArticleBodyBlock", "embed_html", "stream_text", "validate_video_link", "youtube_id", "zalo_share_url"]
