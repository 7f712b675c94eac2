"""The render cache (lantoa/column/rendercache.py): an item Django rendered for a reader is answered again from the
Django cache — with the page's current view restrictions checked — until anything the site shows changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from lantoa.column import services
from lantoa.column.models import Feedback

from .conftest import add_article


def address(page, commune):
    host = commune.site.hostname
    return Client(HTTP_HOST=host), page.url.split(host, 1)[1]


@pytest.mark.django_db
def test_an_item_is_rendered_once_then_answered_from_the_cache_until_something_changes(
    column_a, commune_a, people_a, django_assert_max_num_queries
):
    article = add_article(column_a, "Bài về thôn Nà Pài")
    client, path = address(article, commune_a)
    first = client.get(path)
    assert first.status_code == 200 and "Bài về thôn Nà Pài" in first.content.decode()
    # Again, and with the query string a share adds: the same page, with its headers, from two reads (the site;
    # the generation and the view restrictions together).
    for query in ("", "?fbclid=abc"):
        with django_assert_max_num_queries(2):
            again = client.get(path + query)
        assert again.status_code == 200 and again.content == first.content
        assert again["Content-Language"] == "vi" and again["Content-Type"].startswith("text/html")
        assert "Content-Security-Policy" in again
    # A new revision is published: the next reader sees it.
    article.title = "Bài về thôn Nà Pài (đã sửa)"
    article.save_revision().publish()
    assert "(đã sửa)" in client.get(path).content.decode()
    # An answer published under the item shows at once.
    feedback = Feedback.objects.create(commune=commune_a, page=article, kind="question", body="Khi nào có wifi?")
    services.answer_feedback(people_a["leader"], feedback, answer="Tháng sau thôn có wifi.", publish=True)
    assert "Tháng sau thôn có wifi." in client.get(path).content.decode()
    # Withdrawn: gone for readers at once.
    article.unpublish()
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_a_view_restriction_added_later_is_honoured(column_a, commune_a):
    article = add_article(column_a, "Bài sẽ bị giới hạn")
    client, path = address(article, commune_a)
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200  # from the cache
    # A restriction on the column (an ancestor) is no publication: nothing purges, the check still holds.
    PageViewRestriction.objects.create(page=column_a, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(path)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_nothing_kept_crosses_to_another_site_or_comes_from_signed_in_users(
    column_a, column_b, commune_a, commune_b, people_a
):
    article = add_article(column_a, "Bài riêng của xã A")
    client, path = address(article, commune_a)
    # What Wagtail renders for a signed-in editor is not kept: the first reader's page is rendered for them.
    editor = Client(HTTP_HOST=commune_a.site.hostname)
    editor.force_login(people_a["editor"])
    assert editor.get(path).status_code == 200
    with CaptureQueriesContext(connection) as reads:
        assert "Bài riêng của xã A" in client.get(path).content.decode()
    assert len(reads) > 3
    # The same address on commune B's site is commune B's (nothing there).
    assert Client(HTTP_HOST=commune_b.site.hostname).get(path).status_code == 404
