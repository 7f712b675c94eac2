"""The render cache: a column item as Django rendered it, kept in the Django cache until the site changes.

nginx's page cache (pagecache.py) answers readers without reaching Python. When it cannot — the file was just
purged, the address has a query string (``?fbclid=…`` from a share), a second host name — Django answers. Here
an item page is rendered once per *site generation* and then served from the Django cache (local memory, or
Redis with ``REDIS_URL``):

* ``SiteGeneration`` is raised in the transaction of every change a public page may show — the same events
  that purge the page cache (``services.purge_for_page`` / ``purge_for_commune``: an item published,
  unpublished, expired, moved or deleted, the column home republished, a topic or audience changed, an
  answer published). Entries are keyed by it, so a change is visible to every process at its commit; old
  entries are never read again and age out.
* Per request, still: Wagtail's site lookup, one read of the generation, and the page's view restrictions
  (an entry is never served if a restriction now covers the page or one of its ancestors). Only anonymous
  GET/HEAD requests use it; signed-in users, previews and every other page go through Wagtail as before.
* Only items' own pages (``ColumnItemPage.index_route``) are kept: their HTML does not depend on the query
  string, so ``?bench=1`` or ``?fbclid=…`` share one entry. Listings and search (``?trang=``, ``?q=``) and
  QR codes always render.

Not covered, as for the page cache: a commune or unit renamed shows after the next change of the site (or
at most ``TIMEOUT``).
"""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from wagtail.models import PageViewRestriction

from .models import ColumnItemPage, SiteGeneration

TIMEOUT = 15 * 60
KEPT_HEADERS = ("Content-Type", "Content-Language")


def bump(site_id: int) -> None:
    """Give the site a new generation (call inside the transaction of the change). A random number rather than
    a count: a database restored or rolled back (tests) never meets its old keys again in a shared cache."""
    value = secrets.randbits(62) + 1
    if not SiteGeneration.objects.filter(site_id=site_id).update(value=value):
        SiteGeneration.objects.get_or_create(site_id=site_id, defaults={"value": value})


def generation(site_id: int) -> int:
    """The site's generation (0: the site never changed, nothing is kept): one indexed read, without the ORM's
    query building, as it runs on every request."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {SiteGeneration._meta.db_table} WHERE site_id = %s", [site_id])
        row = cursor.fetchone()
    return row[0] if row else 0


def eligible(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _key(site_id: int, request) -> str:
    return f"column:render:{site_id}:{request.get_host().lower()}:{request.path}"


def _still_valid(site_id: int, stamp: int, check_ids) -> bool:
    """Whether the site's generation is still ``stamp`` and no view restriction covers the pages ``check_ids``:
    one round trip, written out (it runs on every request the cache answers)."""
    ids = [int(i) for i in check_ids] or [0]
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT (SELECT value FROM {SiteGeneration._meta.db_table} WHERE site_id = %s), "
        f"EXISTS (SELECT 1 FROM {PageViewRestriction._meta.db_table} WHERE page_id IN ({marks}))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [site_id, *ids])
        generation_now, restricted = cursor.fetchone()
    return generation_now == stamp and not restricted


def lookup(request, site) -> tuple[tuple[str, int] | None, HttpResponse | None]:
    """Where this address's page would be kept now (None: nothing is kept for this site) and the kept response,
    if there is one of the site's current generation and no view restriction covers its page now."""
    key = _key(site.pk, request)
    entry = cache.get(key)
    if entry is not None:
        stamp, check_ids, body, headers = entry
        if _still_valid(site.pk, stamp, check_ids):
            response = HttpResponse(body)
            for name, value in headers.items():
                response[name] = value
            return (key, stamp), response
    # Read before rendering: a change committed during the render leaves an entry of the old generation.
    stamp = generation(site.pk)
    return ((key, stamp) if stamp else None), None


def restriction_ids(page) -> set[int]:
    """The pages whose view restrictions apply to ``page`` (itself and its ancestors, aliases resolved), as
    Wagtail's ``Page.get_view_restrictions`` computes them."""
    ids: set[int] = set()
    for p in [page, *page.get_ancestors().only("alias_of")]:
        while p.alias_of_id:
            p = p.alias_of
        ids.add(p.pk)
    return ids


def store(slot: tuple[str, int] | None, request, response) -> None:
    """Keep an item page rendered for an anonymous reader, if it is one and it was answered in full."""
    route = getattr(request, "_wagtail_route_for_request", None)
    if (
        slot is None
        or route is None
        or response.status_code != 200
        or getattr(response, "streaming", False)
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # a form's token is the reader's own: never shared
    ):
        return
    page, args, _kwargs = route
    if not isinstance(page, ColumnItemPage) or getattr(request, "is_preview", False):
        return
    view = args[0] if args else None  # RoutablePageMixin's route: (view, args, kwargs)
    if getattr(view, "__name__", "") != "index_route":  # the item itself, not its QR codes
        return
    ids = restriction_ids(page)
    if PageViewRestriction.objects.filter(page_id__in=ids).exists():
        return
    headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    key, stamp = slot
    cache.set(key, (stamp, ids, response.content, headers), TIMEOUT)
