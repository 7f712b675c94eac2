"""Query budgets: every public page type and the main back-office pages read the database a bounded number of
times, and that number does not grow with the number of items (no query per item, per card, per answer).

Each page is measured as Django renders it on a miss of every cache (nginx's page cache, the render cache, the
fragments): it is requested once (renditions get made), the Django cache is emptied, and the second request is
counted. The commune is measured with 5 items, then with 50; the counts must stay within the budget and not
rise. A budget exceeded names the page and its count: look at the queries it lists before raising it.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lantoa.column.models import Audience, Feedback, InfographicPage, SharePost, Topic
from lantoa.tenancy import roles

from .column.conftest import add_article, make_image
from .conftest import make_user, populate

# Public pages (anonymous reader, on the commune's own site). Measured on SQLite with 5 and 50 items (December 2026):
# a little above what each page reads, so that an added query per item, per card or per row fails at once.
PUBLIC_BUDGET = {
    "site root": 10,
    "column home": 20,
    "column home, page 2": 20,
    "topic listing": 17,
    "audience listing": 17,
    "kind listing": 16,
    "search": 16,
    "article": 20,
    "infographic": 23,
    "article QR code": 12,
    "feedback form": 6,
    "widget": 10,
    "widget script": 5,
    "RSS feed": 12,
    "podcast feed": 9,
    "sitemap": 4,
}
# Back-office pages (the commune's leadership, which sees every menu of the column).
ADMIN_BUDGET = {
    "dashboard": 90,
    "page explorer of the column": 76,
    "feedback list": 52,
    "social outbox": 50,
    "publishing calendar": 57,
    "topics": 57,
    "plan overview": 63,
    "plan tasks": 53,
    "reach dashboard": 54,
    "radio programme": 60,
    "reports": 61,
}


def public_pages(home, article, infographic, topic, audience):
    base = home.url.split(home.get_site().hostname, 1)[1]
    return {
        "site root": "/",
        "column home": base,
        "column home, page 2": base + "?trang=2",
        "topic listing": f"{base}chu-de/{topic.slug}/",
        "audience listing": f"{base}doi-tuong/{audience.slug}/",
        "kind listing": f"{base}loai/article/",
        "search": base + "tim-kiem/?q=bai",
        "article": base + article.slug + "/",
        "infographic": base + infographic.slug + "/",
        "article QR code": base + article.slug + "/qr/svg/",
        "feedback form": reverse("column:feedback"),
        "widget": reverse("column:widget"),
        "widget script": reverse("column:widget_js"),
        "RSS feed": reverse("column:rss"),
        "podcast feed": reverse("column:podcast"),
        "sitemap": "/sitemap.xml",
    }


def admin_pages(commune, home):
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "page explorer of the column": reverse("wagtailadmin_explore", args=[home.pk]),
        "feedback list": reverse("wagtailsnippets_column_feedback:list"),
        "social outbox": reverse("wagtailsnippets_column_sharepost:list"),
        "publishing calendar": reverse("column_calendar") + "?thang=2026-11",
        "topics": reverse("wagtailsnippets_column_topic:list"),
        "plan overview": reverse("plans_admin:overview") + f"?commune={commune.pk}",
        "plan tasks": reverse("plans_admin:tasks") + f"?commune={commune.pk}",
        "reach dashboard": reverse("reach:dashboard", args=[commune.pk]),
        "radio programme": reverse("radio:program", args=[commune.pk]),
        "reports": reverse("reports_admin:index") + f"?commune={commune.pk}",
    }


def add_items(home, commune, start: int, stop: int, topic, audience, article):
    """Items like the demo's: cover image, topic, audience; each with a share package; answers under ``article``."""
    for n in range(start, stop):
        page = add_article(
            home,
            f"Bài số {n} về chuyển đổi số",
            cover_image=make_image(commune, f"Ảnh {n}", size=(48, 27)),
            topics=[topic],
            audiences=[audience],
        )
        SharePost.objects.get_or_create(
            commune=commune, page=page, channel="facebook", defaults={"text": page.title, "link": "https://x.vn/"}
        )
        Feedback.objects.create(
            commune=commune,
            page=article,
            kind="question",
            body=f"Câu hỏi số {n}?",
            answer=f"Trả lời số {n}.",
            publish_answer=True,
            status=Feedback.Status.ANSWERED,
        )


def measure(client, pages, budgets, assert_max) -> dict[str, int]:
    counts = {}
    for name, url in pages.items():
        warm = client.get(url)
        assert warm.status_code == 200, (name, url, warm.status_code)
        cache.clear()
        with assert_max(budgets[name]) as reads:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        counts[name] = len(reads.captured_queries)
    return counts


@pytest.mark.django_db
def test_every_page_type_stays_within_its_query_budget_whatever_the_number_of_items(
    commune_a, django_assert_max_num_queries, settings
):
    from lantoa.column import services

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".localhost"]
    populate(commune_a, "QB")
    home = services.ensure_column(commune_a)
    topic = Topic.objects.filter(commune=commune_a).first()
    audience = Audience.objects.filter(commune=commune_a).first()
    article = add_article(home, "Bài được đo", topics=[topic], audiences=[audience])
    infographic = InfographicPage(
        title="Đồ hoạ được đo", summary="Tóm tắt.", image=make_image(commune_a, "Đồ hoạ"), text_alternative="<p>Chữ</p>"
    )
    home.add_child(instance=infographic)
    infographic.save_revision().publish()
    leader = make_user("lanhdao_qb", roles.LEADERSHIP, commune=commune_a)
    reader = Client(HTTP_HOST=commune_a.site.hostname)
    staff = Client(HTTP_HOST=commune_a.site.hostname)
    staff.force_login(leader)
    public = public_pages(home, article, infographic, topic, audience)
    office = admin_pages(commune_a, home)

    add_items(home, commune_a, 1, 5, topic, audience, article)
    few = measure(reader, public, PUBLIC_BUDGET, django_assert_max_num_queries)
    few |= measure(staff, office, ADMIN_BUDGET, django_assert_max_num_queries)
    add_items(home, commune_a, 5, 50, topic, audience, article)
    many = measure(reader, public, PUBLIC_BUDGET, django_assert_max_num_queries)
    many |= measure(staff, office, ADMIN_BUDGET, django_assert_max_num_queries)

    grew = {name: (few[name], many[name]) for name in few if many[name] > few[name]}
    assert not grew, f"queries grow with the number of items (5 items, 50 items): {grew}"
