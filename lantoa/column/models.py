"""The column of a commune: its home page and items of every kind, topics and audiences, media files,
readers' feedback, and the outbox of packages for social channels.

Pages live in the commune's own Wagtail tree (Commune.root_page → ColumnHomePage → items), so
Wagtail's workflows, scheduling, revisions and page permissions apply to them. Everything else
the column owns is a ``CommuneScoped`` record.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search import index

from lantoa.tenancy.models import CommuneScoped
from lantoa.tenancy.selectors import commune_of_page
from lantoa.tenancy.validators import validate_web_url

from . import pagecache, pages
from .blocks import RICH_FEATURES, ArticleBodyBlock, stream_text, validate_video_link
from .forms import ColumnPageForm
from .media import inspect_media
from .text import plain_text, query_terms, search_key

# Filter specs exactly as the templates' {% picture %} / {% image %} tags spell them: prefetched renditions are
# matched by their spec string, and a miss would re-create the rendition on every request.
CARD_RENDITIONS = ("format-webp|fill-480x270", "format-jpeg|fill-480x270")
WIDGET_RENDITIONS = ("fill-192x108|format-webp",)


def ascii_slug(text: str) -> str:
    return search_key(text).replace(" ", "-")[:80].strip("-") or "bai"


# --- Topics and audiences ------------------------------------------------------------------------


class _Label(CommuneScoped):
    """A name the column files items under, with its address in the public site."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, help_text=_("Its address: letters without accents, digits, “-”."))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["commune", "slug"], name="column_%(class)s_unique_slug")]

    def __str__(self) -> str:
        return self.name


class Topic(_Label):
    """A subject the column files its items under (chuyên đề)."""

    class Meta(_Label.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class Audience(_Label):
    """A group of readers an item is made for (cán bộ, học sinh, doanh nghiệp, nông dân…)."""

    class Meta(_Label.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")


# --- Media files (audio, video, PDF) -------------------------------------------------------------

MEDIA_LIMITS_MB = {"audio": 100, "video": 300, "pdf": 50}
MEDIA_EXTENSIONS = {"audio": ["mp3", "m4a"], "video": ["mp4", "webm"], "pdf": ["pdf"]}
MIME_TYPES = {
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "pdf": "application/pdf",
}


def media_upload_to(instance: MediaFile, filename: str) -> str:
    stem, ext = os.path.splitext(os.path.basename(filename))
    safe = search_key(stem).replace(" ", "-")[:60] or "tep"
    kind = next((k for k, exts in MEDIA_EXTENSIONS.items() if ext.lower().lstrip(".") in exts), "file")
    return f"column/{kind}/{secrets.token_hex(8)}-{safe}{ext.lower()}"


class MediaFile(CommuneScoped):
    """An audio, video or PDF file of the column (podcast episodes, videos, e-handbooks and slides).

    Files are public once an item that uses them is published; they are served by the web server
    directly (with byte ranges, as podcast apps require).
    """

    class Kind(models.TextChoices):
        AUDIO = "audio", _("Audio (MP3, M4A)")
        VIDEO = "video", _("Video (MP4, WebM)")
        PDF = "pdf", _("Document (PDF)")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, editable=False)
    file = models.FileField(
        _("file"),
        upload_to=media_upload_to,
        max_length=255,
        validators=[FileExtensionValidator(sum(MEDIA_EXTENSIONS.values(), []))],
        help_text=_("MP3 or M4A audio (up to 100 MB), MP4 or WebM video (up to 300 MB), PDF (up to 50 MB)."),
    )
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)
    mime_type = models.CharField(_("type"), max_length=40, editable=False, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    text = models.TextField(_("text"), blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("media file")
        verbose_name_plural = _("media files")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return os.path.splitext(self.file.name or "")[1].lower().lstrip(".")

    def clean(self) -> None:
        super().clean()
        ext = self.extension
        kind = next((k for k, exts in MEDIA_EXTENSIONS.items() if ext in exts), None)
        if kind is None:
            raise ValidationError({"file": _("Upload an MP3, M4A, MP4, WebM or PDF file.")})
        self.kind = kind
        size = getattr(self.file, "size", 0) or 0
        if size > MEDIA_LIMITS_MB[kind] * 1024 * 1024:
            raise ValidationError({"file": _("This file is larger than %(mb)s MB.") % {"mb": MEDIA_LIMITS_MB[kind]}})

    def save(self, *args, **kwargs):
        ext = self.extension
        self.kind = self.kind or next((k for k, exts in MEDIA_EXTENSIONS.items() if ext in exts), "")
        self.mime_type = MIME_TYPES.get(ext, "application/octet-stream")
        super().save(*args, **kwargs)
        facts = inspect_media(self)
        if facts:
            for key, value in facts.items():
                setattr(self, key, value)
            type(self).objects.filter(pk=self.pk).update(**facts)

    @property
    def duration_display(self) -> str:
        if not self.duration_seconds:
            return ""
        return str(timedelta(seconds=self.duration_seconds)).removeprefix("0:")


# --- Pages ---------------------------------------------------------------------------------------

PODCAST_CATEGORIES = [
    ("Government", "Government"),
    ("Education", "Education"),
    ("News", "News"),
    ("Science", "Science"),
    ("Technology", "Technology"),
]


class CachedPageMixin:
    """Published pages are written to the page cache the web server reads (see pagecache.py)."""

    def serve(self, request, *args, **kwargs):
        response = pages.in_site_language(super().serve)(request, *args, **kwargs)
        pagecache.store_later(request, response, page=self)
        return response


class ColumnHomePage(CachedPageMixin, RoutablePageMixin, Page):
    """The column of one commune (chuyên mục): latest items, by topic, by audience, by kind; search; feeds."""

    intro = models.TextField(_("introduction"), blank=True)
    unit = models.ForeignKey(
        "tenancy.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit answering feedback"),
        help_text=_("Feedback on the column as a whole, and on items without a unit, goes to this unit."),
    )
    hashtags = models.CharField(
        _("hashtags"),
        max_length=200,
        blank=True,
        default="#NghiQuyet57 #ChuyenDoiSo",
        help_text=_("Added to every share package for social channels."),
    )
    podcast_title = models.CharField(_("podcast title"), max_length=200, blank=True)
    podcast_description = models.TextField(_("podcast description"), blank=True)
    podcast_author = models.CharField(_("podcast author"), max_length=200, blank=True)
    podcast_email = models.EmailField(_("podcast contact e-mail"), blank=True)
    podcast_category = models.CharField(
        _("podcast category"), max_length=40, choices=PODCAST_CATEGORIES, default="Government"
    )
    podcast_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("podcast cover"),
        help_text=_("A square picture, at least 1400 × 1400 pixels."),
    )

    parent_page_types = ["tenancy.CommuneHomePage"]
    subpage_types = [
        "column.ArticlePage",
        "column.InfographicPage",
        "column.VideoPage",
        "column.PodcastEpisodePage",
        "column.DocumentPage",
    ]
    max_count_per_parent = 1
    base_form_class = ColumnPageForm

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("unit"),
        FieldPanel("hashtags"),
        MultiFieldPanel(
            [
                FieldPanel("podcast_title"),
                FieldPanel("podcast_description"),
                FieldPanel("podcast_author"),
                FieldPanel("podcast_email"),
                FieldPanel("podcast_category"),
                FieldPanel("podcast_image"),
            ],
            heading=_("Podcast"),
        ),
    ]

    class Meta:
        verbose_name = _("column home page")

    def get_template(self, request, *args, **kwargs):
        return "column/column_home_page.html"

    # Reads of the public pages (pages.py renders them).

    @property
    def kinds(self) -> dict[str, type[ColumnItemPage]]:
        return KINDS

    def items(
        self,
        renditions=CARD_RENDITIONS,
        *,
        topic: Topic | None = None,
        audience: Audience | None = None,
        kind: str | None = None,
    ) -> QuerySet[ColumnItemPage]:
        """The column's published, public items, newest first, ready for cards (cover renditions prefetched;
        ``renditions=None``: no cover, for feeds)."""
        qs = (
            ColumnItemPage.objects.live()
            .public()
            .child_of(self)
            .select_related("content_type")
            .order_by("-first_published_at", "-pk")
        )
        if renditions is not None:
            images = get_image_model().objects.prefetch_renditions(*renditions)
            qs = qs.prefetch_related(Prefetch("cover_image", queryset=images))
        if topic is not None:
            qs = qs.filter(topics=topic)
        if audience is not None:
            qs = qs.filter(audiences=audience)
        if kind is not None:
            qs = qs.filter(content_type=ContentType.objects.get_for_model(KINDS[kind]))
        return qs

    def search_items(self, query: str) -> tuple[QuerySet[ColumnItemPage], list[str]]:
        """Items whose text holds every word of the query, tone marks and case ignored."""
        terms = query_terms(query)
        if not terms:
            return self.items().none(), terms
        qs = self.items()
        for term in terms:
            qs = qs.filter(search_text__contains=term)
        return qs, terms

    def topics_with_counts(self, commune) -> QuerySet[Topic]:
        live_ids = ColumnItemPage.objects.live().public().child_of(self).values("pk")
        return (
            Topic.objects.filter(commune=commune)
            .annotate(n=Count("items", filter=Q(items__in=live_ids), distinct=True))
            .filter(n__gt=0)
            .order_by("-n", "name")
        )

    def audiences_with_counts(self, commune) -> QuerySet[Audience]:
        live_ids = ColumnItemPage.objects.live().public().child_of(self).values("pk")
        return (
            Audience.objects.filter(commune=commune)
            .annotate(n=Count("items", filter=Q(items__in=live_ids), distinct=True))
            .filter(n__gt=0)
            .order_by("name")
        )

    # Routes: each finds what its address names, pages.py renders it.

    @path("")
    def index_route(self, request):
        return pages.column_index(request, self)

    @path("chu-de/<slug:slug>/")
    def topic_route(self, request, slug):
        commune = commune_of_page(self)
        topic = Topic.objects.filter(commune=commune, slug=slug).first()
        if topic is None:
            raise Http404
        return pages.column_listing(request, self, commune, topic=topic)

    @path("doi-tuong/<slug:slug>/")
    def audience_route(self, request, slug):
        commune = commune_of_page(self)
        audience = Audience.objects.filter(commune=commune, slug=slug).first()
        if audience is None:
            raise Http404
        return pages.column_listing(request, self, commune, audience=audience)

    @path("loai/<slug:kind>/")
    def kind_route(self, request, kind):
        if kind not in KINDS:
            raise Http404
        return pages.column_listing(request, self, commune_of_page(self), kind=kind)

    @path("tim-kiem/")
    def search_route(self, request):
        return pages.column_search(request, self)


class ColumnItemPage(CachedPageMixin, RoutablePageMixin, Page):
    """What every item of the column has, whatever its kind."""

    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences: shown in lists, feeds and share packages.")
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cover image"),
    )
    unit = models.ForeignKey(
        "tenancy.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible unit"),
        help_text=_("Feedback on this item goes to this unit."),
    )
    audiences = ParentalManyToManyField(Audience, blank=True, related_name="items", verbose_name=_("audiences"))
    topics = ParentalManyToManyField(Topic, blank=True, related_name="items", verbose_name=_("topics"))
    plan_task = models.ForeignKey(
        "plans.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("plan task served"),
        help_text=_("The task of the commune's plan this item carries out."),
    )
    science_tasks = ParentalManyToManyField(
        "reach.ScienceTask",
        blank=True,
        related_name="+",
        verbose_name=_("S&T tasks publicised"),
        help_text=_("State-funded science and technology tasks this item makes known."),
    )
    allow_feedback = models.BooleanField(_("readers may send feedback"), default=True)
    for_field = models.BooleanField(
        _("for the community digital teams"),
        default=False,
        help_text=_("A talking point the teams download to their phones and read at the door, offline."),
    )
    search_text = models.TextField(editable=False, blank=True, default="")

    is_creatable = False
    base_form_class = ColumnPageForm
    parent_page_types = ["column.ColumnHomePage"]
    subpage_types: list[str] = []

    kind = "item"
    kind_label = pgettext_lazy("column", "Item")

    search_fields = Page.search_fields + [index.SearchField("summary")]

    common_panels = [
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldRowPanel(
            [
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
            ]
        ),
        FieldPanel("unit"),
        FieldPanel("for_field"),
        MultiFieldPanel(
            [FieldPanel("plan_task"), FieldPanel("science_tasks", widget=forms.CheckboxSelectMultiple)],
            heading=_("What the item serves"),
        ),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("allow_feedback")]

    class Meta:
        verbose_name = _("column item")
        verbose_name_plural = _("column items")

    def own_text(self) -> str:
        """The kind's own text (body, show notes, transcript…) for search and feeds."""
        return ""

    def _set_core_field_defaults(self):
        """Addresses without tone marks (“nghi-quyet-57-…”): they survive being pasted into Zalo, SMS and posters.

        The project's one use of Wagtail's private page API, kept in this method alone. Why: Wagtail fills an
        empty slug from the title (with Unicode slugify) in ``Page._set_core_field_defaults``, which it calls
        from ``full_clean``, ``minimal_clean`` and ``save``; there is no public hook at that point, and only
        ``_get_autogenerated_slug`` makes the slug unique among the siblings. ``_cached_parent_obj`` is how
        Wagtail knows the parent of a page being added (``add_child``) before it has a path.

        On a Wagtail upgrade, check these three names still exist and are still called so: if not, new items
        get accented addresses (“nghị-quyết-57”) or a duplicate-slug error, which
        ``tests/column/test_workflow.py::test_new_items_get_addresses_without_tone_marks`` catches.
        """
        if self.slug:
            self.slug = ascii_slug(self.slug)
        elif self.title and (self.path or getattr(self, "_cached_parent_obj", None)):
            self.slug = self._get_autogenerated_slug(ascii_slug(self.title))
        super()._set_core_field_defaults()

    def save(self, *args, **kwargs):
        self.search_text = search_key(" ".join([self.title, self.summary or "", self.own_text()]))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = list(update_fields) + ["search_text"]
        return super().save(*args, **kwargs)

    @cached_property
    def column_home(self) -> ColumnHomePage | None:
        parent = getattr(self, "_cached_parent_obj", None)  # set by Wagtail's routing: no query
        if isinstance(parent, ColumnHomePage):
            return parent
        return ColumnHomePage.objects.filter(path=self.path[: -self.steplen]).first()

    def published_answers(self) -> QuerySet[Feedback]:
        return (
            Feedback.objects.filter(page=self, publish_answer=True, status=Feedback.Status.ANSWERED)
            .only("kind", "body", "answer", "answered_at", "created_at")
            .order_by("-answered_at")[:20]
        )

    def related_items(self, home: ColumnHomePage, limit: int = 4, topics=None) -> list[ColumnItemPage]:
        """Other items on the page's first topic (or the latest ones), as plain links: one light query."""
        topic_ids = [t.pk for t in topics] if topics is not None else list(self.topics.values_list("pk", flat=True))
        qs = ColumnItemPage.objects.live().public().child_of(home).exclude(pk=self.pk)
        if topic_ids:
            qs = qs.filter(topics=topic_ids[0])
        return list(
            qs.select_related("content_type")
            .order_by("-first_published_at", "-pk")
            .only("title", "url_path", "path", "depth", "first_published_at", "content_type")[:limit]
        )

    # Routes (pages.py renders them).

    @path("")
    def index_route(self, request):
        return pages.item_page(request, self)

    @path("qr/")
    def qr_png_route(self, request):
        return pages.item_qr(request, self, "png")

    @path("qr/svg/")
    def qr_svg_route(self, request):
        return pages.item_qr(request, self, "svg")


class ArticlePage(ColumnItemPage):
    """An article: paragraphs, headings, images with captions, fact boxes, quotes, embedded videos."""

    byline = models.CharField(_("author"), max_length=120, blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))

    kind = "article"
    kind_label = _("Article")
    template = "column/article_page.html"

    content_panels = Page.content_panels + ColumnItemPage.common_panels + [FieldPanel("byline"), FieldPanel("body")]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def own_text(self) -> str:
        return " ".join([self.byline, stream_text(self.body)])


class InfographicPage(ColumnItemPage):
    """A tall infographic, with its text for readers who cannot see it; zoomable and downloadable."""

    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("infographic"),
    )
    text_alternative = RichTextField(
        _("text of the infographic"),
        features=RICH_FEATURES,
        help_text=_("Everything the picture says, in words: for screen readers, search and slow connections."),
    )

    kind = "infographic"
    kind_label = _("Infographic")
    template = "column/infographic_page.html"

    content_panels = (
        Page.content_panels + ColumnItemPage.common_panels + [FieldPanel("image"), FieldPanel("text_alternative")]
    )

    class Meta:
        verbose_name = _("infographic")
        verbose_name_plural = _("infographics")

    def clean(self):
        super().clean()
        if self.image_id is None:
            raise ValidationError({"image": _("Choose the infographic's image.")})

    def own_text(self) -> str:
        return plain_text(self.text_alternative)


class VideoPage(ColumnItemPage):
    """A short video: an uploaded MP4 with its poster, or a YouTube or Facebook link."""

    video = models.ForeignKey(
        MediaFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("video file"),
    )
    poster = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("poster"),
        help_text=_("The picture shown before the video plays."),
    )
    video_url = models.URLField(
        _("or a YouTube / Facebook link"),
        blank=True,
        validators=[validate_web_url, validate_video_link],
    )
    transcript = models.TextField(_("transcript"), blank=True)

    kind = "video"
    kind_label = _("Video")
    template = "column/video_page.html"

    content_panels = (
        Page.content_panels
        + ColumnItemPage.common_panels
        + [
            MultiFieldPanel([FieldPanel("video"), FieldPanel("poster"), FieldPanel("video_url")], heading=_("Video")),
            FieldPanel("transcript"),
        ]
    )

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")

    def clean(self):
        super().clean()
        if bool(self.video_id) == bool(self.video_url):
            raise ValidationError({"video_url": _("Upload a video file or give a link — one of the two.")})
        if self.video_id and self.video.kind != MediaFile.Kind.VIDEO:
            raise ValidationError({"video": _("This file is not a video.")})

    def own_text(self) -> str:
        return self.transcript


class PodcastEpisodePage(ColumnItemPage):
    """A podcast episode: audio with show notes, listed in the column's podcast feed."""

    audio = models.ForeignKey(
        MediaFile,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("audio file"),
    )
    episode_number = models.PositiveIntegerField(_("episode number"), null=True, blank=True)
    show_notes = RichTextField(_("show notes"), features=RICH_FEATURES)
    transcript = models.TextField(_("transcript"), blank=True)

    kind = "podcast"
    kind_label = _("Podcast")
    template = "column/podcast_episode_page.html"

    content_panels = (
        Page.content_panels
        + ColumnItemPage.common_panels
        + [FieldPanel("audio"), FieldPanel("episode_number"), FieldPanel("show_notes"), FieldPanel("transcript")]
    )

    class Meta:
        verbose_name = _("podcast episode")
        verbose_name_plural = _("podcast episodes")

    def clean(self):
        super().clean()
        if self.audio_id is None:
            raise ValidationError({"audio": _("Choose the episode's audio file.")})
        if self.audio.kind != MediaFile.Kind.AUDIO:
            raise ValidationError({"audio": _("This file is not audio (MP3 or M4A).")})

    def own_text(self) -> str:
        return " ".join([plain_text(self.show_notes), self.transcript])


class DocumentPage(ColumnItemPage):
    """An e-handbook or a slide deck as PDF: read in the page, page by page, and downloadable."""

    class DocKind(models.TextChoices):
        HANDBOOK = "handbook", _("E-handbook")
        SLIDES = "slides", _("Slides")
        LEAFLET = "leaflet", _("Leaflet")
        OTHER = "other", _("Document")

    document = models.ForeignKey(
        MediaFile,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("PDF file"),
    )
    doc_kind = models.CharField(_("kind of document"), max_length=20, choices=DocKind.choices, default=DocKind.HANDBOOK)
    description = RichTextField(_("description"), features=RICH_FEATURES, blank=True)

    kind = "document"
    kind_label = _("Handbook / slides")
    template = "column/document_page.html"

    content_panels = (
        Page.content_panels
        + ColumnItemPage.common_panels
        + [FieldPanel("document"), FieldPanel("doc_kind"), FieldPanel("description")]
    )

    class Meta:
        verbose_name = _("handbook or slides")
        verbose_name_plural = _("handbooks and slides")

    def clean(self):
        super().clean()
        if self.document_id is None:
            raise ValidationError({"document": _("Choose the PDF file.")})
        if self.document.kind != MediaFile.Kind.PDF:
            raise ValidationError({"document": _("This file is not a PDF.")})

    def own_text(self) -> str:
        text = self.document.text if self.document_id else ""
        return " ".join([plain_text(self.description), text[:20000]])


ITEM_MODELS = [ArticlePage, InfographicPage, VideoPage, PodcastEpisodePage, DocumentPage]
KINDS = {m.kind: m for m in ITEM_MODELS}


# --- Feedback ------------------------------------------------------------------------------------


class Feedback(CommuneScoped):
    """A reader's comment or question on an item or on the column (góp ý, câu hỏi).

    Name and contact are optional and never public; the answer may be published under the item.
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", pgettext_lazy("feedback kind", "Comment")
        QUESTION = "question", pgettext_lazy("feedback kind", "Question")

    class Status(models.TextChoices):
        NEW = "new", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed without answer")

    page = models.ForeignKey(
        Page,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item"),
        help_text=_("Empty when the feedback is about the column as a whole."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    body = models.TextField(_("feedback"), max_length=3000)
    name = models.CharField(_("name (optional)"), max_length=120, blank=True)
    contact = models.CharField(_("phone or e-mail (optional)"), max_length=120, blank=True)
    unit = models.ForeignKey(
        "tenancy.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible unit"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    answer = models.TextField(_("answer"), blank=True, max_length=5000)
    publish_answer = models.BooleanField(
        _("publish under the item"),
        default=False,
        help_text=_("Shows the question and the answer (never the name or contact) under the item."),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    client_key = models.CharField(max_length=64, editable=False, db_index=True, default="")
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    PERSONAL_FIELDS = ("name", "contact")

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def excerpt(self) -> str:
        return (self.body[:80] + "…") if len(self.body) > 80 else self.body


# --- Social distribution -------------------------------------------------------------------------


class Channel(models.TextChoices):
    FACEBOOK = "facebook", _("Facebook page")
    ZALO = "zalo", _("Zalo Official Account")


class ChannelAccount(CommuneScoped):
    """The commune's credentials for posting to one social channel. Without one, packages are posted by hand."""

    DEFAULT_API = {Channel.FACEBOOK: "https://graph.facebook.com/v21.0", Channel.ZALO: "https://openapi.zalo.me"}

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    name = models.CharField(_("account name"), max_length=120, help_text=_("e.g. the Facebook page's name."))
    target_id = models.CharField(_("page or OA id"), max_length=80)
    access_token = models.CharField(_("access token"), max_length=1000)
    api_base = models.URLField(
        _("API address"),
        blank=True,
        validators=[validate_web_url],
        help_text=_("Leave empty for the channel's own API."),
    )
    enabled = models.BooleanField(_("post automatically"), default=True)

    class Meta:
        verbose_name = _("channel account")
        verbose_name_plural = _("channel accounts")
        constraints = [models.UniqueConstraint(fields=["commune", "channel"], name="column_channelaccount_unique")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.name}"

    @property
    def api_root(self) -> str:
        return (self.api_base or self.DEFAULT_API[self.channel]).rstrip("/")

    @property
    def token_hint(self) -> str:
        return "…" + self.access_token[-4:] if self.access_token else ""


CHANNEL_TEXT_LIMITS = {Channel.FACEBOOK: 63206, Channel.ZALO: 2000}


class SharePost(CommuneScoped):
    """One item's package for one channel: text within the channel's limit, image, link, hashtags; and its fate."""

    class State(models.TextChoices):
        PREPARED = "prepared", _("Prepared")
        POSTED = "posted", _("Posted")
        FAILED = "failed", _("Failed")

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+", verbose_name=_("item"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    text = models.TextField(_("text"))
    link = models.URLField(_("link"), max_length=500, validators=[validate_web_url])
    hashtags = models.CharField(_("hashtags"), max_length=300, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PREPARED, db_index=True)
    queued = models.BooleanField(_("waiting for the worker"), default=False)
    error = models.TextField(_("channel's error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    external_id = models.CharField(_("post id on the channel"), max_length=200, blank=True)
    posted_url = models.URLField(_("address of the post"), max_length=500, blank=True, validators=[validate_web_url])
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked posted by"),
    )
    created_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("share package")
        verbose_name_plural = _("social outbox")
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["page", "channel"], name="column_sharepost_unique")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.page.title if self.page_id else '—'}"

    @property
    def full_text(self) -> str:
        return self.text

    @property
    def digest(self) -> str:
        return hashlib.sha1(self.text.encode()).hexdigest()[:8]


# --- Render cache --------------------------------------------------------------------------------


class SiteGeneration(models.Model):
    """A counter per Wagtail site, raised in the same transaction as any change a public page of the site may
    show (the events that purge the page cache). Rendered pages kept in the Django cache are keyed by it
    (``rendercache.py``), so every process sees a change at its commit, whatever cache backend it has."""

    site = models.OneToOneField("wagtailcore.Site", on_delete=models.CASCADE, primary_key=True, related_name="+")
    value = models.PositiveBigIntegerField(default=0)  # internal: never shown, so not translated
