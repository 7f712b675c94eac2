"""Reads of the column shared by views, feeds and the back office. Public reads are scoped to the
commune of the site the request came to; back-office reads to the user's communes. The reads of one page
(its items, search, topics, answers, related items) are methods of the page models, which pages.py uses."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Revision, Site

from lantoa.tenancy import roles
from lantoa.tenancy import selectors as tenancy_selectors
from lantoa.tenancy.models import Commune, Staff

from .models import ColumnHomePage, ColumnItemPage, Feedback, SharePost


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


# --- Back office ---------------------------------------------------------------------------------


def feedback(user) -> QuerySet[Feedback]:
    """The feedback the user may read: in a commune where a role other than a unit's grants reading it (leadership,
    the column's editors, the Fatherland Front, the province), all of it; where only a unit's role does, the feedback
    routed to the user's own unit."""
    qs = tenancy_selectors.scoped(Feedback.objects.select_related("unit", "page", "commune"), user)
    if user.is_superuser:
        return qs
    groups = tenancy_selectors.role_groups_of(user).filter(
        group__permissions__codename="view_feedback", group__permissions__content_type__app_label="column"
    )
    wide_groups = groups.exclude(role=roles.UNIT)
    wide = Q(commune__in=wide_groups.filter(commune__isnull=False).values("commune")) | Q(
        commune__province__in=wide_groups.filter(commune__isnull=True).values("province")
    )
    own_unit = Q(
        commune__in=groups.filter(role=roles.UNIT).values("commune"),
        unit__in=Staff.objects.filter(user=user, unit__isnull=False).values("unit"),
    )
    return qs.filter(wide | own_unit)


def may_read_feedback(user, item: Feedback) -> bool:
    return feedback(user).filter(pk=item.pk).exists()


def share_posts(user) -> QuerySet[SharePost]:
    return tenancy_selectors.scoped(SharePost.objects.select_related("page", "commune", "image"), user)


def column_pages(user) -> QuerySet[ColumnItemPage]:
    """Every item (draft or live) under the columns of the user's communes."""
    roots = tenancy_selectors.communes_for(user).exclude(root_page=None).values_list("root_page__path", flat=True)
    query = Q(pk__in=[])
    for path in roots:
        query |= Q(path__startswith=path)
    return ColumnItemPage.objects.filter(query)


def writable_column_home(user) -> ColumnHomePage | None:
    """The first column (of the user's communes) the user may add an item to, by Wagtail's page permissions."""
    for commune in tenancy_selectors.communes_for(user).exclude(root_page=None):
        home = ColumnHomePage.objects.child_of(commune.root_page).first()
        if home is not None and home.permissions_for_user(user).can_add_subpage():
            return home
    return None


def editable_page_ids(user, pages) -> set[int]:
    """Which of ``pages`` the user may edit (the others are shown without a link to the editor)."""
    return {page.pk for page in pages if page.permissions_for_user(user).can_edit()}


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
