"""The commune's site root and unknown addresses answer a resident in Vietnamese (whatever the browser's language),
never with an error page."""

from __future__ import annotations

import pytest
from django.test import Client

from lantoa.column.services import ensure_column

pytestmark = pytest.mark.django_db


def test_the_site_root_lists_the_column_and_unknown_pages_get_a_vietnamese_404(commune_a, settings):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    root = client.get("/")
    assert root.status_code == 200, root.content[:300]
    assert "đang được chuẩn bị" in root.content.decode()  # no live section yet
    column = ensure_column(commune_a)
    page = client.get("/").content.decode()
    assert f'href="/{column.slug}/">{column.title}</a>' in page, page
    settings.DEBUG = False
    missing = client.get("/khong-co-trang-nay/")
    assert missing.status_code == 404 and "Không tìm thấy trang" in missing.content.decode()
