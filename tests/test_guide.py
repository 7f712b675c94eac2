"""The user guide (docs/huong-dan/) served by the app: each role's help link opens its own page, the pages are
sanitised, images are served to signed-in users only, and no back-office link leads to Wagtail's English guides."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from lantoa.tenancy import guide, roles

from .conftest import make_user
from .test_menus import sidebar_links

pytestmark = pytest.mark.django_db

WAGTAIL_GUIDES = re.compile(r"(docs|guide)\.wagtail\.(org|io)")


def title_of(slug: str) -> str:
    first = (settings.BASE_DIR / "docs" / "huong-dan" / f"{slug}.md").read_text(encoding="utf-8").splitlines()[0]
    return first.removeprefix("# ").strip()


def help_link(html: str) -> str:
    (url,) = [url for label, url in sidebar_links(html) if label == "Hướng dẫn sử dụng"]
    return url


@pytest.mark.parametrize("page", guide.PAGES, ids=lambda p: p.slug)
def test_each_roles_help_link_opens_its_own_guide_page(client, commune_a, page):
    if page.role == roles.PROVINCE:
        user = make_user("nguoi_dung", page.role, province=commune_a.province)
    else:
        user = make_user("nguoi_dung", page.role, commune=commune_a)
    client.force_login(user)
    home = client.get("/admin/")
    assert home.status_code == 200
    html = home.content.decode()
    assert not WAGTAIL_GUIDES.search(html)
    url = help_link(html)
    assert url == f"/huong-dan/{page.slug}/"
    assert f'href="{url}"' in html  # beside the user's name on the landing page too
    answer = client.get(url)
    assert answer.status_code == 200
    body = answer.content.decode()
    assert f"<title>{title_of(page.slug)}" in body
    assert "<img" in body and "/huong-dan/img/" in body
    for src in re.findall(r'<img[^>]+src="([^"]+)"', body):
        assert client.get(src)["Content-Type"] == "image/png", src


def test_no_link_of_the_page_editor_leads_to_wagtails_english_guides(client, commune_a):
    """The editor's page editing screen (content checks, help menu) links to Lan Tỏa's guide only."""
    editor = make_user("bien_tap", roles.EDITOR, commune=commune_a)
    client.force_login(editor)
    answer = client.get(f"/admin/pages/{commune_a.root_page_id}/edit/")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "/huong-dan/bien-tap-vien/" in html
    assert not WAGTAIL_GUIDES.search(html)


def test_the_index_links_every_role_page_and_the_guide_needs_a_login(client, commune_a):
    answer = client.get("/huong-dan/")
    assert answer.status_code == 302 and answer["Location"].startswith("/admin/login/")
    assert Client().get("/huong-dan/img/dang-nhap.png").status_code == 302
    client.force_login(make_user("tong_hop", roles.PVHCC, commune=commune_a))
    body = client.get("/huong-dan/").content.decode()
    for page in guide.PAGES:
        assert f'href="/huong-dan/{page.slug}/"' in body
    assert not re.search(r'href="[^"]*\.md"', body)
    for bad in ("/huong-dan/khong-co/", "/huong-dan/img/khong-co.png", "/huong-dan/img/..%2Fdau-moi.md"):
        assert client.get(bad).status_code == 404, bad


def test_a_page_is_sanitised_and_its_links_become_routes(client, commune_a, tmp_path, settings):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "lanh-dao.md").write_text(
        "# Lãnh đạo\n\n<script>alert(1)</script>\n\n[Đầu mối](dau-moi.md#ban-hanh) · [mục lục](README.md) · "
        "[x](javascript:alert(1)) <b onclick='x()'>đậm</b>\n\n![ảnh](img/x.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        encoding="utf-8",
    )
    settings.LANTOA_GUIDE_DIR = tmp_path
    client.force_login(make_user("lanh_dao", roles.LEADERSHIP, commune=commune_a))
    body = client.get("/huong-dan/lanh-dao/").content.decode()
    start = body.index('class="lt-guide"')
    content = body[start : body.index("</div>", start)]  # the guide's HTML has no <div>
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content  # shown as text, never run
    assert "<script" not in content and "<b " not in content and 'href="javascript' not in content
    assert 'href="/huong-dan/dau-moi/#ban-hanh"' in content and 'href="/huong-dan/"' in content
    assert 'src="/huong-dan/img/x.png"' in content and "<table>" in content


def test_a_user_with_several_roles_gets_the_page_of_the_first_one(commune_a):
    user = make_user("nhieu_vai", roles.UNIT, roles.LEADERSHIP, commune=commune_a)
    assert guide.url_for(user) == "/huong-dan/lanh-dao/"
