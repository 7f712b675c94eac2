"""Reads of the column shared by views, feeds and the back office. Public reads are scoped to the
commune of the site the request came to; back-office reads to the user's communes."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from lantoa.tenancy import selectors as tenancy_selectors
from lantoa.tenancy.models import Commune

from .models import (
    KINDS,
    Audience,
    ColumnHomePage,
    ColumnItemPage,
    Feedback,
    SharePost,
    Topic,
)
from .text import query_terms

# Filter specs exactly as the templates' {% picture %} / {% image %} tags spell them: prefetched renditions are
# matched by their spec string, and a miss would re-create the rendition on every request.
CARD_RENDITIONS = ("format-webp|fill-480x270", "format-jpeg|fill-480x270")
WIDGET_RENDITIONS = ("fill-192x108|format-webp",)


def home_for_request(request) -> tuple[Commune | None, ColumnHomePage | None]:
    """The commune and column of the site a public request came to."""
    site = Site.find_for_request(request)
    if site is None:
        return None, None
    commune = Commune.objects.filter(site=site).first()
    if commune is None or commune.root_page_id is None:
        return commune, None
    home = ColumnHomePage.objects.live().child_of(commune.root_page).first()
    return commune, home


def items(home: ColumnHomePage, renditions=CARD_RENDITIONS) -> QuerySet[ColumnItemPage]:
    """The column's published, public items, newest first, ready for cards (cover renditions prefetched)."""
    images = get_image_model().objects.prefetch_renditions(*renditions)
    return (
        ColumnItemPage.objects.live()
        .public()
        .child_of(home)
        .select_related("content_type")
        .prefetch_related(Prefetch("cover_image", queryset=images))
        .order_by("-first_published_at", "-pk")
    )


def filter_items(qs, *, topic: Topic | None = None, audience: Audience | None = None, kind: str | None = None):
    if topic is not None:
        qs = qs.filter(topics=topic)
    if audience is not None:
        qs = qs.filter(audiences=audience)
    if kind is not None:
        model = KINDS[kind]
        qs = qs.filter(content_type=ContentType.objects.get_for_model(model))
    return qs


def search(home: ColumnHomePage, query: str):
    """Items whose text holds every word of the query, tone marks and case ignored."""
    terms = query_terms(query)
    if not terms:
        return items(home).none(), terms
    qs = items(home)
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    return qs, terms


def topics_with_counts(home: ColumnHomePage, commune: Commune):
    live_ids = ColumnItemPage.objects.live().public().child_of(home).values("pk")
    return (
        Topic.objects.filter(commune=commune)
        .annotate(n=Count("items", filter=Q(items__in=live_ids), distinct=True))
        .filter(n__gt=0)
        .order_by("-n", "name")
    )


def audiences_with_counts(home: ColumnHomePage, commune: Commune):
    live_ids = ColumnItemPage.objects.live().public().child_of(home).values("pk")
    return (
        Audience.objects.filter(commune=commune)
        .annotate(n=Count("items", filter=Q(items__in=live_ids), distinct=True))
        .filter(n__gt=0)
        .order_by("name")
    )


def published_answers(page: Page) -> QuerySet[Feedback]:
    return (
        Feedback.objects.filter(page=page, publish_answer=True, status=Feedback.Status.ANSWERED)
        .only("kind", "body", "answer", "answered_at", "created_at")
        .order_by("-answered_at")[:20]
    )


def related_items(page: ColumnItemPage, home: ColumnHomePage, limit: int = 4, topics=None):
    """Other items on the page's first topic (or the latest ones), as plain links: one light query."""
    topic_ids = [t.pk for t in topics] if topics is not None else list(page.topics.values_list("pk", flat=True))
    qs = ColumnItemPage.objects.live().public().child_of(home).exclude(pk=page.pk)
    if topic_ids:
        qs = qs.filter(topics=topic_ids[0])
    return list(
        qs.select_related("content_type")
        .order_by("-first_published_at", "-pk")
        .only("title", "url_path", "path", "depth", "first_published_at", "content_type")[:limit]
    )


# --- Back office ---------------------------------------------------------------------------------


def feedback(user) -> QuerySet[Feedback]:
    return tenancy_selectors.scoped(Feedback.objects.select_related("unit", "page", "commune"), user)


def share_posts(user) -> QuerySet[SharePost]:
    return tenancy_selectors.scoped(SharePost.objects.select_related("page", "commune", "image"), user)


def column_pages(user) -> QuerySet[ColumnItemPage]:
    """Every item (draft or live) under the columns of the user's communes."""
    roots = tenancy_selectors.communes_for(user).exclude(root_page=None).values_list("root_page__path", flat=True)
    query = Q(pk__in=[])
    for path in roots:
        query |= Q(path__startswith=path)
    return ColumnItemPage.objects.filter(query)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(date(year, month, 1), time.min, tz)
    last = calendar.monthrange(year, month)[1]
    end = datetime.combine(date(year, month, last), time.min, tz) + timedelta(days=1)
    return start, end


def calendar_entries(user, year: int, month: int) -> dict[date, list[dict]]:
    """The month's published, scheduled and expiring items of the user's communes, by local day."""
    start, end = month_bounds(year, month)
    pages = column_pages(user)
    entries: dict[date, list[dict]] = {}

    def add(moment, page, state):
        day = timezone.localtime(moment).date()
        entries.setdefault(day, []).append({"page": page, "state": state, "at": timezone.localtime(moment)})

    for page in pages.filter(first_published_at__gte=start, first_published_at__lt=end).specific():
        add(page.first_published_at, page, "published")
    for page in pages.filter(expire_at__gte=start, expire_at__lt=end).specific():
        add(page.expire_at, page, "expiring")
    page_ids = [str(pk) for pk in pages.values_list("pk", flat=True)]
    scheduled = Revision.page_revisions.filter(
        object_id__in=page_ids, approved_go_live_at__gte=start, approved_go_live_at__lt=end
    )
    by_id = {str(p.pk): p for p in pages.filter(pk__in=[r.object_id for r in scheduled]).specific()}
    for revision in scheduled:
        page = by_id.get(revision.object_id)
        if page is not None:
            add(revision.approved_go_live_at, page, "scheduled")
    for page in pages.filter(go_live_at__gte=start, go_live_at__lt=end, live=False).specific():
        if not any(
            e["page"].pk == page.pk and e["state"] == "scheduled"
            for e in entries.get(timezone.localtime(page.go_live_at).date(), [])
        ):
            add(page.go_live_at, page, "planned")
    for day in entries:
        entries[day].sort(key=lambda e: e["at"])
    return entries
