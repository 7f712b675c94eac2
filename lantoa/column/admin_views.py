"""Back-office views of the column that Wagtail has no screen for: the editors' calendar, the social
outbox's package page (copy, retry, mark posted) and a shortcut to write a new item.

Every object comes from a scoped selector: another commune's package answers 404.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantoa.tenancy import selectors as tenancy_selectors
from lantoa.tenancy import services as tenancy_services
from lantoa.tenancy.params import month_param

from . import selectors, services
from .models import ChannelAccount, SharePost

MONTHS = [
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
]


def _require_column_access(user) -> None:
    if not user.is_authenticated:
        raise PermissionDenied
    if user.is_superuser:
        return
    if not tenancy_selectors.communes_for(user).exists():
        raise PermissionDenied


def _month_from(request) -> tuple[int, int]:
    return month_param(request, "thang", timezone.localdate())


@require_GET
def calendar_view(request):
    """Published, scheduled and expiring items of the user's communes, day by day, for one month."""
    _require_column_access(request.user)
    year, month = _month_from(request)
    entries = selectors.calendar_entries(request.user, year, month)
    editable = selectors.editable_page_ids(request.user, {e["page"] for day in entries.values() for e in day})
    for day in entries.values():
        for entry in day:
            entry["can_edit"] = entry["page"].pk in editable
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([{"day": d, "in_month": d.month == month, "entries": entries.get(d, [])} for d in week])
    prev_month = date(year - (month == 1), 12 if month == 1 else month - 1, 1)
    next_month = date(year + (month == 12), 1 if month == 12 else month + 1, 1)
    counts = {
        state: sum(1 for day in entries.values() for e in day if e["state"] == state)
        for state in ("published", "scheduled", "planned", "expiring")
    }
    context = {
        "page_title": _("Publishing calendar"),
        "header_title": _("Publishing calendar"),
        "header_icon": "date",
        "month_label": f"{MONTHS[month - 1]} {year}",
        "weeks": weeks,
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        "prev": prev_month.strftime("%Y-%m"),
        "next": next_month.strftime("%Y-%m"),
        "today": timezone.localdate(),
        "counts": counts,
        "agenda": sorted(((d, e) for d, day in entries.items() for e in day), key=lambda x: x[1]["at"]),
    }
    return TemplateResponse(request, "column/admin/calendar.html", context)


@require_GET
def write_view(request):
    """“Write an item”: straight to choosing the kind of a new item in the user's column."""
    _require_column_access(request.user)
    home = selectors.writable_column_home(request.user)
    if home is None:
        raise PermissionDenied
    return redirect("wagtailadmin_pages:add_subpage", home.pk)


def _post_or_404(request, sharepost_id: int) -> SharePost:
    post = selectors.share_posts(request.user).filter(pk=sharepost_id).first()
    if post is None:
        raise Http404
    return post


@require_GET
def outbox_detail(request, sharepost_id: int):
    """One share package: its text to copy, its image and link; retry or mark it posted."""
    post = _post_or_404(request, sharepost_id)
    if not tenancy_services.has_commune_perm(request.user, "column.view_sharepost", post.commune_id):
        raise Http404
    account = ChannelAccount.objects.filter(commune_id=post.commune_id, channel=post.channel, enabled=True).first()
    rendition = post.image.get_rendition("fill-1200x630|format-jpeg") if post.image_id else None
    context = {
        "page_title": _("Share package"),
        "header_title": _("Share package"),
        "header_icon": "link",
        "post": post,
        "account": account,
        "rendition": rendition,
        "can_change": tenancy_services.has_commune_perm(request.user, "column.change_sharepost", post.commune_id),
        "limit": post.text and len(post.text),
        "index_url": reverse("wagtailsnippets_column_sharepost:list"),
    }
    return TemplateResponse(request, "column/admin/outbox_detail.html", context)


@require_POST
def outbox_retry(request, sharepost_id: int):
    post = _post_or_404(request, sharepost_id)
    try:
        services.retry_share_post(request.user, post)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The package is queued; the worker posts it in a moment."))
    return redirect("column_outbox_detail", post.pk)


@require_POST
def outbox_mark_posted(request, sharepost_id: int):
    post = _post_or_404(request, sharepost_id)
    try:
        services.mark_share_posted(request.user, post, url=request.POST.get("posted_url", "").strip())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked as posted."))
    return redirect("column_outbox_detail", post.pk)
