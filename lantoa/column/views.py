"""Public views of the column outside the page tree (column/urls.py): feeds, widget, feedback, sitemap.

The pages of the tree (home, listings, search, items, QR codes) answer through the routes of the page
models, rendered by pages.py. Thin: reads come from selectors, writes from services. Every view works on
the column of the site the request came to (Wagtail's Site → Commune), so one commune's pages never answer
on another's site.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Page, Site
from wagtail.views import serve as wagtail_serve

from lantoa.tenancy.forms import add_service_errors

from . import pagecache, rendercache, selectors, services
from .feeds import AtomFeed, PodcastFeed, RssFeed
from .forms import FeedbackForm
from .models import WIDGET_RENDITIONS, Feedback
from .pages import column_context, in_site_language

SIGNING_SALT = "lantoa.column.feedback"


def _site_root(request) -> str:
    site = Site.find_for_request(request)
    return site.root_url if site else request.build_absolute_uri("/").rstrip("/")


def _home_or_404(request):
    commune, home = selectors.home_for_request(request)
    if home is None:
        raise Http404
    return commune, home


@require_GET
@in_site_language
def feed(request, kind: str):
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
    latest = list(home.items(renditions=WIDGET_RENDITIONS)[:6])
    context = column_context(request, home, commune) | {"items": latest, "site_root": _site_root(request)}
    response = TemplateResponse(request, "column/widget.html", context)
    response._csp_replace = {"frame-ancestors": ["*"]}  # the site's policy, but any portal may frame it
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
            add_service_errors(form, exc)
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


def serve_page(request, path):
    """Wagtail's page serving, with the render cache (rendercache.py) in front for anonymous readers."""
    if not rendercache.eligible(request):
        return wagtail_serve(request, path)
    site = Site.find_for_request(request)
    if site is None:
        return wagtail_serve(request, path)
    slot, cached = rendercache.lookup(request, site)
    if cached is not None:
        pagecache.store_later(request, cached, site=site)  # nginx had no file: give it one
        return cached
    response = wagtail_serve(request, path)
    rendercache.store(slot, request, response)
    return response
