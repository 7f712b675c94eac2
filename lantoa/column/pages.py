"""How the column's pages answer: the views behind the routes of the page models (models.py).

Each function gets the page it serves and reads through it (``home.items()``, ``page.related_items()``…),
so this module imports no model of the column: models.py imports it, and it never imports models back.
The views outside the page tree (feeds, widget, feedback, sitemap) are in views.py.
"""

from __future__ import annotations

import io
from functools import wraps
from urllib.parse import quote

import segno
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from lantoa.tenancy.selectors import commune_of_page

from .blocks import embed_html, zalo_share_url
from .media import pdf_page_images

PER_PAGE = 12


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


def column_context(request, home, commune) -> dict:
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
        "kinds": [(kind, model.kind_label, f"{home_url}loai/{kind}/") for kind, model in home.kinds.items()],
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


def column_index(request, home):
    commune = commune_of_page(home)
    page_obj = _paginate(request, home.items())
    context = column_context(request, home, commune) | {
        "page": home,
        "self": home,
        "page_obj": page_obj,
        "items": list(page_obj.object_list),
        "topics": list(home.topics_with_counts(commune)),
        "audiences": list(home.audiences_with_counts(commune)),
        "canonical_url": home.get_full_url(request),
    }
    return TemplateResponse(request, "column/column_home_page.html", context)


def column_listing(request, home, commune, *, topic=None, audience=None, kind=None):
    """The items on a topic, for an audience or of a kind (the route has checked that it exists)."""
    if topic is not None:
        heading, description = topic.name, topic.description
    elif audience is not None:
        heading = _("For %(audience)s") % {"audience": audience.name}
        description = audience.description
    else:
        heading, description = home.kinds[kind]._meta.verbose_name_plural, ""
    page_obj = _paginate(request, home.items(topic=topic, audience=audience, kind=kind))
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


def column_search(request, home):
    commune = commune_of_page(home)
    query = request.GET.get("q", "").strip()[:200]
    qs, terms = home.search_items(query)
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


def item_page(request, page):
    home = page.column_home
    commune = commune_of_page(page)
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
        "answers": list(page.published_answers()),
        "related": page.related_items(home, topics=topics),
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
        context["pdf_pages"] = pdf_page_images(page.document)
    return TemplateResponse(request, page.get_template(request), context)


def item_qr(request, page, fmt: str):
    """The item's address as a QR code, for posters and loudspeaker poles (PNG to print, SVG to scale)."""
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
