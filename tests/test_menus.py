"""Menus built from permissions: every link a role is shown opens for that role.

The demo commune is loaded once and each demo login walks, with the test client, what the back office shows it:
the sidebar (Wagtail 8 renders it in the browser from JSON props in the page: ``<script id="wagtail-sidebar-props">``
holds the menu as telepath-packed objects, each link a ``wagtail.sidebar.*MenuItem`` with a ``url``), the links of
its landing page, and the links of every page the sidebar opens (listings' rows, buttons, tabs) — one link per
address shape (``/admin/snippets/reach/contact/edit/17/`` stands for every contact). None may answer 4xx/5xx or
bounce to the dashboard, which is how Wagtail says "you may not open this". The client asks for English
(Accept-Language) and every page it opens must still speak Vietnamese: no text of it may read as English
(tests/untranslated.py).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from lantoa.tenancy import roles
from lantoa.tenancy.demo import DEMO_USERS, load_demo

from .conftest import make_user
from .untranslated import english_on

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("#", "mailto:", "tel:", "javascript:", "/admin/logout/", "/media/", "/static/")
# The back office and the apps' own pages; the public column (its pages are walked by tests/column) is left out.
BACK_OFFICE = ("/admin/", "/reach/", "/radio/", "/su-kien/", "/learning/", "/awards/")
# LANTOA_WALK_DUMP=dir keeps every page the walk opens (to tune tests/untranslated.py against real pages).
DUMP = Path(os.environ["LANTOA_WALK_DUMP"]) if os.environ.get("LANTOA_WALK_DUMP") else None


def sidebar_links(html: str) -> list[tuple[str, str]]:
    """(label, url) of every link of the rendered sidebar, submenus included."""
    soup = BeautifulSoup(html, "html.parser")
    props = json.loads(soup.find("script", id="wagtail-sidebar-props").string)
    found: list[tuple[str, str]] = []

    def walk(node):
        if isinstance(node, dict):
            if str(node.get("_type", "")).startswith("wagtail.sidebar.") and node.get("_args"):
                args = node["_args"][0]
                if isinstance(args, dict) and "url" in args:
                    found.append((str(args.get("label")), args["url"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return found


def page_links(html: str) -> list[tuple[str, str]]:
    """(text, href) of the links a reader can click in the page (bulk-action templates, filled in by script, aside)."""
    soup = BeautifulSoup(html, "html.parser")
    links = []
    for a in soup.find_all("a", href=True):
        if a.has_attr("data-bulk-action-button"):
            continue
        links.append((a.get_text(" ", strip=True)[:60], a["href"]))
    return links


def _shape(url: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(url).path)


def _internal(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//") and not url.startswith(SKIP_PREFIXES)


class Walker:
    def __init__(self, client, username: str = ""):
        self.client = client
        self.username = username
        self.failures: list[str] = []
        self.english: dict[str, str] = {}  # English text → the first page it was found on
        self.requests = 0

    def open(self, url: str, came_from: str):
        self.requests += 1
        response = self.client.get(url, follow=True)
        final = urlsplit(response.redirect_chain[-1][0]).path if response.redirect_chain else urlsplit(url).path
        bounced = response.redirect_chain and final in ("/admin/", "/admin/login/") and urlsplit(url).path != final
        if response.status_code >= 400 or bounced:
            self.failures.append(f"{response.status_code} {url} (→ {final}) from {came_from}")
            return None
        if "html" not in response.get("Content-Type", ""):
            return None
        html = response.content.decode()
        extra = [label for label, _url in sidebar_links(html)] if 'id="wagtail-sidebar-props"' in html else []
        for text in english_on(html, extra):
            self.english.setdefault(text, f"{self.username} {url}")
        if DUMP:
            name = re.sub(r"[^\w]+", "_", f"{self.username}{url}")[:150]
            (DUMP / f"{name}.html").write_text(html)
        return html


def walk_role(client, username: str) -> tuple[list[str], int, list[tuple[str, str]], dict[str, str]]:
    client.force_login(get_user_model().objects.get(username=username))
    walker = Walker(client, username)
    landing = walker.open("/admin/", "login")
    assert landing is not None, walker.failures
    menu = sidebar_links(landing)
    first_level = [(label, url) for label, url in menu + page_links(landing) if _internal(url)]
    seen = {_shape(url) for _label, url in first_level}
    for label, url in first_level:
        html = walker.open(url, f"{username}: menu/landing “{label}”")
        if html is None:
            continue
        for text, href in page_links(html):
            if not _internal(href) or not href.startswith(BACK_OFFICE) or _shape(href) in seen:
                continue
            seen.add(_shape(href))
            walker.open(href, f"{username}: {url} “{text}”")
    return walker.failures, walker.requests, menu, walker.english


@pytest.mark.walk
def test_every_link_each_role_is_shown_opens_and_each_lands_on_its_work(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    load_demo()
    # A browser set to English: every page must still speak Vietnamese (the walk checks each page it opens).
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-US,en;q=0.9"
    menus = {}
    failures = []
    english: dict[str, str] = {}
    for username, _role, _name, _unit in DEMO_USERS:
        found, _count, menu, untranslated = walk_role(client, username)
        failures += found
        for text, where in untranslated.items():
            english.setdefault(text, where)
        menus[username] = {label for label, _url in menu}
        client.logout()
    assert failures == []
    assert [f"{text!r} on {where}" for text, where in english.items()] == []
    # Wagtail's own reports list every commune's pages: no commune role sees them; its English guide is gone.
    for username, labels in menus.items():
        assert not labels & {"Trang đang bị khóa", "Quy trình duyệt", "Lịch sử hoạt động"}, username
        assert not any("Wagtail" in label for label in labels), (username, labels)
    # Writing in the column and the radio studio are offered only to the roles that can use them.
    assert "Viết tin bài" in menus["bientap"] and "Viết tin bài" not in menus["donvi"] | menus["mttq"] | menus["tinh"]
    assert "Phòng thu truyền thanh" in menus["bientap"] and "Phòng thu truyền thanh" not in menus["tocns"]
    assert "Sự kiện, hội nghị" in menus["pvhcc"] and "Sự kiện, hội nghị" not in menus["bientap"]
    # Staff take courses; only the builders see the course builder; the province does neither.
    assert "Học tập" in menus["tocns"] and "Học tập" not in menus["tinh"]
    # (the group "Khóa học và cuộc thi" is a heading, not a link: its question bank stands for it)
    assert "Ngân hàng câu hỏi" in menus["pvhcc"] and "Ngân hàng câu hỏi" not in menus["donvi"]
    each_role_lands_on_its_own_work(client)


def each_role_lands_on_its_own_work(client):
    """Landing pages by role, and the inbox counting what waits for each (the demo has one obstacle escalated to
    the leadership, one newly raised, an approved half-year report and two readers' questions without an answer).
    Part of the walk's test: the demo is loaded once."""
    expected = {
        "lanhdao": ["Mở tổng quan kế hoạch", "1 khó khăn, vướng mắc đã chuyển lãnh đạo", "1 báo cáo đã phê duyệt"],
        "pvhcc": ["Nhiệm vụ chậm", "1 khó khăn, vướng mắc mới cần xử lý", "Báo cáo năm 2026", "Khó khăn chưa"],
        "bientap": ["Viết tin bài", "2 góp ý của bạn đọc đang chờ trả lời"],
        "donvi": ["Nhiệm vụ của Phòng Văn hóa - Xã hội", "Ghi nhận hoạt động"],
        "tocns": ["Thôn của bạn: ghi nhận lượt đến hộ", "Thôn Bản Chang"],  # its three hamlets, not Nà Pài
        "mttq": ["Khó khăn chưa", "Góp ý của bạn đọc"],
        "tinh": ["Các xã của tỉnh", "Xã Nam Cường"],
    }
    for username, texts in expected.items():
        client.force_login(get_user_model().objects.get(username=username))
        html = client.get("/admin/").content.decode()
        text = BeautifulSoup(html, "html.parser").get_text(" ")
        for wanted in texts:
            assert wanted in text, (username, wanted)
        if username == "tocns":
            assert "Thôn Nà Pài" not in text  # only the hamlets the demo team is in charge of
        inbox = [label for label, _url in sidebar_links(html) if label.startswith("Việc chờ bạn")]
        if username in ("lanhdao", "pvhcc", "bientap"):
            assert inbox and inbox[0] != "Việc chờ bạn (0)", username
        client.logout()
    # The Front reads readers' feedback; the row opens the read-only view, not the answer form it may not use.
    client.force_login(get_user_model().objects.get(username="mttq"))
    listing = client.get("/admin/snippets/column/feedback/").content.decode()
    rows = [href for _t, href in page_links(listing) if "/admin/snippets/column/feedback/" in href and "/edit/" in href]
    assert rows == []


def test_a_forbidden_back_office_page_answers_in_vietnamese(client, commune_a):
    make_user("donvi_a", roles.UNIT, commune=commune_a)
    client.login(username="donvi_a", password="Mk-kiem-thu-57!")
    response = client.get("/admin/reports/locked/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "Không có quyền truy cập" in text and "Forbidden" not in text
    assert 'href="/admin/"' in text


def test_sign_in_page_and_tabs_speak_vietnamese_and_wagtail_groups_are_renamed(client, commune_a):
    page = client.get("/admin/login/").content.decode()
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("label", attrs={"for": "id_password"}).get_text(strip=True).startswith("Mật khẩu")
    assert soup.title.get_text().endswith("- Lan Tỏa")
    make_user("lanhdao_a", roles.LEADERSHIP, commune=commune_a)
    client.login(username="lanhdao_a", password="Mk-kiem-thu-57!")
    home = BeautifulSoup(client.get("/admin/").content.decode(), "html.parser")
    assert home.title.get_text().endswith("- Lan Tỏa")
    assert "guide.wagtail.org" not in str(home)  # neither in the help menu nor beside the user's name
    names = set(Group.objects.values_list("name", flat=True))
    assert not names & {"Editors", "Moderators"}
    assert any(name.startswith("Kiểm duyệt") for name in names)
