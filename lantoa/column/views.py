"""Public views of the column: home and listings, search, items, QR codes, feeds, widget, feedback, sitemap.

Thin: reads come from selectors, writes from services. Every view works on the column of the site
the request came to (Wagtail's Site → Commune), so one commune's pages never answer on another's site.
"""

from __future__ import annotations

import io
from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Page, Site

from . import pagecache, selectors, services
from .blocks import embed_html, zalo_share_url
from .forms import FeedbackForm
from .models import KINDS, Audience, ColumnHomePage, ColumnItemPage, Topic

PER_PAGE = 12
SIGNING_SALT = "lantoa.column.feedback"


def in_site_language(view):
    """Public pages are in the commune's language whatever the browser asks for: the content is Vietnamese,
    and a page cached for one reader is served to every reader."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            response = view(*args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response["Content-Language"] = settings.LANGUAGE_CODE
        return response

    return wrapper


def _site_root(request) -> str:
    site = Site.find_for_request(request)
    return site.root_url if site else request.build_absolute_uri("/").rstrip("/")


def column_context(request, home: ColumnHomePage, commune) -> dict:
    """What every public page of the column shows: names, navigation, feed and search addresses."""
    home_url = home.get_url(request)
    return {
        "home": home,
        "commune": commune,
        # “xã Nam Cường” inside a sentence (“UBND xã Nam Cường”), “Xã Nam Cường” on its own.
        "commune_in_text": commune.name[:1].lower() + commune.name[1:] if commune else "",
        "home_url": home_url,
        "search_url": home_url + "tim-kiem/",
        "feedback_url": reverse("column:feedback"),
        "feeds": {
            "rss": reverse("column:rss"),
            "atom": reverse("column:atom"),
            "podcast": reverse("column:podcast"),
        },
        "kinds": [(kind, model.kind_label, f"{home_url}loai/{kind}/") for kind, model in KINDS.items()],
    }


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("trang", "1")))
    except ValueError:
        return 1


def _paginate(request, qs):
    paginator = Paginator(qs, PER_PAGE)
    number = min(_page_number(request), paginator.num_pages or 1)
    return paginator.page(number)


def column_index(request, home: ColumnHomePage):
    commune = services.commune_of_page(home)
    page_obj = _paginate(request, selectors.items(home))
    context = column_context(request, home, commune) | {
        "page": home,
        "self": home,
        "page_obj": page_obj,
        "items": list(page_obj.object_list),
        "topics": list(selectors.topics_with_counts(home, commune)),
        "audiences": list(selectors.audiences_with_counts(home, commune)),
        "canonical_url": home.get_full_url(request),
    }
    return TemplateResponse(request, "column/column_home_page.html", context)


def column_listing(request, home: ColumnHomePage, *, topic_slug=None, audience_slug=None, kind=None):
    commune = services.commune_of_page(home)
    topic = audience = None
    if topic_slug is not None:
        topic = Topic.objects.filter(commune=commune, slug=topic_slug).first()
        if topic is None:
            raise Http404
        heading, description = topic.name, topic.description
    elif audience_slug is not None:
        audience = Audience.objects.filter(commune=commune, slug=audience_slug).first()
        if audience is None:
            raise Http404
        heading = _("For %(audience)s") % {"audience": audience.name}
        description = audience.description
    else:
        if kind not in KINDS:
            raise Http404
        heading, description = KINDS[kind]._meta.verbose_name_plural, ""
    qs = selectors.filter_items(selectors.items(home), topic=topic, audience=audience, kind=kind)
    page_obj = _paginate(request, qs)
    context = column_context(request, home, commune) | {
        "page": home,
        "self": home,
        "heading": heading,
        "description": description,
        "page_obj": page_obj,
        "items": list(page_obj.object_list),
        "canonical_url": request.build_absolute_uri(request.path),
    }
    return TemplateResponse(request, "column/listing.html", context)


def column_search(request, home: ColumnHomePage):
    commune = services.commune_of_page(home)
    query = request.GET.get("q", "").strip()[:200]
    qs, terms = selectors.search(home, query)
    page_obj = _paginate(request, qs)
    context = column_context(request, home, commune) | {
        "page": home,
        "self": home,
        "query": query,
        "terms": terms,
        "page_obj": page_obj,
        "items": list(page_obj.object_list),
        "canonical_url": request.build_absolute_uri(request.path),
    }
    response = TemplateResponse(request, "column/search.html", context)
    return response


def item_page(request, page: ColumnItemPage):
    home = page.column_home
    commune = services.commune_of_page(page)
    if home is None or commune is None:
        raise Http404
    url = page.get_full_url(request)
    topics = list(page.topics.all())
    context = column_context(request, home, commune) | {
        "page": page,
        "self": page,
        "canonical_url": url,
        "share": {
            "facebook": "https://www.facebook.com/sharer/sharer.php?u=" + quote(url, safe=""),
            "zalo": zalo_share_url(url),
            "qr_png": page.get_url(request) + "qr/",
            "qr_svg": page.get_url(request) + "qr/svg/",
        },
        "answers": list(selectors.published_answers(page)),
        "related": selectors.related_items(page, home, topics=topics),
        "feedback_page_id": page.pk,
        "topics": topics,
        "audiences": page.audiences.all(),  # lazy: only read when the cached fragment is rendered
    }
    context["og_image"] = SimpleLazyObject(
        lambda: page.cover_image or getattr(page, "image", None) or getattr(page, "poster", None)
    )
    if page.kind == "video" and page.video_url:
        context["video_embed"] = embed_html(page.video_url, page.title)
    if page.kind == "document" and page.document_id:
        from .media import pdf_page_images

        context["pdf_pages"] = pdf_page_images(page.document)
    return TemplateResponse(request, page.get_template(request), context)


def item_qr(request, page: ColumnItemPage, fmt: str):
    """The item's address as a QR code, for posters and loudspeaker poles (PNG to print, SVG to scale)."""
    import segno

    qr = segno.make(page.get_full_url(request), error="m")
    buffer = io.BytesIO()
    filename = f"ma-qr-{page.slug}.{fmt}"
    if fmt == "svg":
        qr.save(buffer, kind="svg", scale=8, border=4, title=page.title, xmldecl=True)
        response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    else:
        qr.save(buffer, kind="png", scale=12, border=4)
        response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- Views outside the page tree (column/urls.py) ------------------------------------------------


def _home_or_404(request):
    commune, home = selectors.home_for_request(request)
    if home is None:
        raise Http404
    return commune, home


@require_GET
@in_site_language
def feed(request, kind: str):
    from .feeds import AtomFeed, PodcastFeed, RssFeed

    commune, home = _home_or_404(request)
    feed_class = {"rss": RssFeed, "atom": AtomFeed, "podcast": PodcastFeed}[kind]
    response = feed_class(home, commune)(request)
    pagecache.store_later(request, response, page=home)
    return response


@require_GET
@xframe_options_exempt
@in_site_language
def widget(request):
    """The latest items in a small page made to be framed by the commune's existing portal."""
    commune, home = _home_or_404(request)
    latest = list(selectors.items(home, renditions=selectors.WIDGET_RENDITIONS)[:6])
    context = column_context(request, home, commune) | {"items": latest, "site_root": _site_root(request)}
    response = TemplateResponse(request, "column/widget.html", context)
    response["Content-Security-Policy"] = "frame-ancestors *"
    pagecache.store_later(request, response, page=home)
    return response


@require_GET
@in_site_language
def widget_js(request):
    """One script tag on the commune's portal puts the widget (an iframe) right after itself."""
    commune, home = _home_or_404(request)
    context = {"widget_url": _site_root(request) + reverse("column:widget"), "home": home, "commune": commune}
    response = TemplateResponse(request, "column/widget.js", context, content_type="application/javascript")
    pagecache.store_later(request, response, page=home)
    return response


@csrf_exempt  # an anonymous public form on cached pages; abuse is met by the honeypot and the rate limit
@require_http_methods(["GET", "POST"])
@in_site_language
def feedback(request):
    """Readers' comments and questions, on an item (field ``page``) or on the column as a whole."""
    commune, home = _home_or_404(request)
    context = column_context(request, home, commune) | {"page": home, "self": home}
    if request.method == "GET":
        context["form"] = FeedbackForm()
        context["canonical_url"] = request.build_absolute_uri(request.path)
        return TemplateResponse(request, "column/feedback.html", context)
    form = FeedbackForm(request.POST)
    target = None
    if form.is_valid():
        if form.cleaned_data["website"]:
            # Only a bot fills in the hidden field: it is told "thank you" and nothing is kept.
            return redirect(reverse("column:feedback_sent") + "?ma=" + signing.dumps(0, salt=SIGNING_SALT))
        page_id = form.cleaned_data.get("page")
        if page_id:
            target = Page.objects.live().descendant_of(home).filter(pk=page_id).first()
            if target is None:
                raise Http404
        try:
            item = services.submit_feedback(
                commune=commune,
                page=target,
                ip=services.client_ip(request),
                data=services.FeedbackInput(
                    kind=form.cleaned_data["kind"],
                    body=form.cleaned_data["body"],
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                ),
            )
        except services.RateLimited:
            context |= {
                "form": form,
                "rate_limited": True,
                "target": target,
                "feedback_page_id": target.pk if target else "",
            }
            return TemplateResponse(request, "column/feedback.html", context, status=429)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return redirect(reverse("column:feedback_sent") + "?ma=" + signing.dumps(item.pk, salt=SIGNING_SALT))
    context |= {"form": form, "target": target, "feedback_page_id": request.POST.get("page", "")}
    return TemplateResponse(request, "column/feedback.html", context, status=400)


@require_GET
@in_site_language
def feedback_sent(request):
    commune, home = _home_or_404(request)
    try:
        number = signing.loads(request.GET.get("ma", ""), salt=SIGNING_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        raise Http404 from None
    from .models import Feedback

    item = (
        Feedback.objects.filter(pk=number, commune=commune).select_related("unit", "page").first() if number else None
    )
    context = column_context(request, home, commune) | {"page": home, "self": home, "item": item, "number": number}
    return TemplateResponse(request, "column/feedback_sent.html", context)


@require_GET
@in_site_language
def sitemap(request):
    """Every public page of the site's commune, with its last change."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    pages = (
        site.root_page.get_descendants(inclusive=True)
        .live()
        .public()
        .only("url_path", "last_published_at", "depth", "path")
        .order_by("path")
    )
    root_url = site.root_url
    root_path = site.root_page.url_path
    entries = [
        {"loc": root_url + "/" + p.url_path[len(root_path) :], "lastmod": p.last_published_at}
        for p in pages
        if p.url_path.startswith(root_path)
    ]
    response = TemplateResponse(request, "column/sitemap.xml", {"entries": entries}, content_type="application/xml")
    pagecache.store_later(request, response, site=site)
    return response
