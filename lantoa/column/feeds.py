"""RSS, Atom and the podcast feed of a commune's column (Django's syndication framework).

The podcast feed carries the iTunes tags podcast directories require: ``itunes:image`` (a square
picture of at least 1400 px), ``itunes:category``, ``itunes:explicit``, ``itunes:author``, owner,
and for every episode an ``enclosure`` with its exact size in bytes and type, ``itunes:duration``
and a stable ``guid``.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from .models import ColumnHomePage, MediaFile, PodcastEpisodePage, VideoPage

FEED_SIZE = 30


def _in_text(name: str) -> str:
    return name[:1].lower() + name[1:]


def _absolute(request, url: str) -> str:
    """An absolute address on the host the reader used (as the item links of the feed are)."""
    return request.build_absolute_uri(url)


def _attach_media(items) -> None:
    """Load the audio and video files of podcast and video items in one query."""
    fields = [(item, name) for item in items for name in ("audio", "video") if getattr(item, f"{name}_id", None)]
    files = MediaFile.objects.in_bulk({getattr(item, f"{name}_id") for item, name in fields})
    for item, name in fields:
        setattr(item, name, files[getattr(item, f"{name}_id")])


class _ColumnFeed(Feed):
    def __init__(self, home: ColumnHomePage, commune):
        super().__init__()
        self.home = home
        self.commune = commune

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return f"{self.home.title} — {self.commune.name}"

    def link(self):
        return self.home.get_url(self.request)

    def description(self):
        return self.home.intro or self.home.search_description or self.title()

    def feed_copyright(self):
        return _("People's Committee of %(commune)s") % {"commune": _in_text(self.commune.name)}

    def items(self):
        # Specific pages with their unit, topics and media files in a fixed number of queries, whatever the
        # number of items.
        items = list(self.home.items(renditions=None).specific().prefetch_related("unit", "topics")[:FEED_SIZE])
        _attach_media(items)
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return f"{self.home.get_full_url(self.request)}#item-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return (item.unit.name if item.unit_id else "") or self.commune.name

    def item_categories(self, item):
        return [t.name for t in item.topics.all()]

    def item_enclosures(self, item):
        media = getattr(item, "audio", None) if isinstance(item, PodcastEpisodePage) else None
        if isinstance(item, VideoPage) and item.video_id:
            media = item.video
        if media is None:
            return []
        return [Enclosure(_absolute(self.request, media.file.url), str(media.size), media.mime_type)]


class RssFeed(_ColumnFeed):
    feed_type = Rss201rev2Feed


class AtomFeed(_ColumnFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()


class ITunesFeed(Rss201rev2Feed):
    """RSS 2.0 with Apple's podcast namespace."""

    content_type = "application/rss+xml; charset=utf-8"

    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xmlns:itunes"] = "http://www.itunes.com/dtds/podcast-1.0.dtd"
        attrs["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        return attrs

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        f = self.feed
        handler.addQuickElement("itunes:author", f["itunes_author"])
        handler.addQuickElement("itunes:summary", f["description"])
        handler.addQuickElement("itunes:type", "episodic")
        handler.addQuickElement("itunes:explicit", "false")
        handler.startElement("itunes:owner", {})
        handler.addQuickElement("itunes:name", f["itunes_author"])
        if f.get("itunes_email"):
            handler.addQuickElement("itunes:email", f["itunes_email"])
        handler.endElement("itunes:owner")
        handler.addQuickElement("itunes:category", "", {"text": f["itunes_category"]})
        if f.get("itunes_image"):
            handler.addQuickElement("itunes:image", "", {"href": f["itunes_image"]})
            handler.startElement("image", {})
            handler.addQuickElement("url", f["itunes_image"])
            handler.addQuickElement("title", f["title"])
            handler.addQuickElement("link", f["link"])
            handler.endElement("image")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("itunes:duration", str(item["itunes_duration"]))
        handler.addQuickElement("itunes:explicit", "false")
        handler.addQuickElement("itunes:episodeType", "full")
        if item.get("itunes_episode"):
            handler.addQuickElement("itunes:episode", str(item["itunes_episode"]))
        handler.addQuickElement("itunes:summary", item["description"])
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class PodcastFeed(_ColumnFeed):
    feed_type = ITunesFeed

    def title(self):
        return self.home.podcast_title or super().title()

    def description(self):
        return self.home.podcast_description or super().description()

    def items(self):
        episodes = self.home.items(renditions=None, kind="podcast").specific().prefetch_related("unit", "topics")
        items = [p for p in episodes[:100] if p.audio_id]
        _attach_media(items)
        return items

    def feed_extra_kwargs(self, obj):
        image = ""
        if self.home.podcast_image_id:
            rendition = self.home.podcast_image.get_rendition("fill-1400x1400|format-jpeg|jpegquality-85")
            image = _absolute(self.request, rendition.url)
        return {
            "itunes_author": self.home.podcast_author or _in_text(self.commune.name),
            "itunes_email": self.home.podcast_email,
            "itunes_category": self.home.podcast_category or "Government",
            "itunes_image": image,
        }

    def item_extra_kwargs(self, item):
        return {
            "itunes_duration": item.audio.duration_seconds or 0,
            "itunes_episode": item.episode_number,
            "content_html": expand_db_html(item.show_notes),
        }
