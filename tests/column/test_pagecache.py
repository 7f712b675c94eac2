"""Published pages are written to the page cache nginx reads, and purged on any change: a change is
visible on the next request. The last test runs the real nginx of deploy/nginx in front of Django."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

from lantoa.column import pagecache

from .conftest import add_article

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache_dir(settings, tmp_path):
    settings.LANTOA_PAGECACHE_DIR = str(tmp_path / "pagecache")
    return tmp_path / "pagecache"


def cached(cache_dir, host, path, name="index.html"):
    return cache_dir / host / path.strip("/") / name


@pytest.mark.django_db
def test_anonymous_pages_and_feeds_are_written_and_purged_on_publish(
    column_a, commune_a, cache_dir, people_a, django_capture_on_commit_callbacks
):
    article = add_article(column_a, "Bài được lưu sẵn")
    host = commune_a.site.hostname
    client = Client(HTTP_HOST=host)
    path = article.url.split(host, 1)[1]
    response = client.get(path)
    assert response["Cache-Control"] == "no-cache"
    file = cached(cache_dir, host, path)
    assert file.read_bytes() == response.content
    assert gzip.decompress(file.with_name("index.html.gz").read_bytes()) == response.content
    assert client.get("/column/rss.xml").status_code == 200
    assert (cache_dir / host / "column" / "rss.xml").exists()
    client.get(path + "qr/")
    assert cached(cache_dir, host, path + "qr/", "index.png").exists()
    # Not written: query strings, signed-in users, errors, forms.
    client.get(column_a.url.split(host, 1)[1] + "tim-kiem/", {"q": "bai"})
    assert not cached(cache_dir, host, column_a.url.split(host, 1)[1] + "tim-kiem/").exists()
    editor = Client(HTTP_HOST=host)
    editor.force_login(people_a["editor"])
    home_path = column_a.url.split(host, 1)[1]
    editor.get(home_path)
    assert not cached(cache_dir, host, home_path).exists()
    client.get("/khong-co-trang-nay/")
    assert not (cache_dir / host / "khong-co-trang-nay").exists()
    # Publishing anything in the column purges the site's files.
    with django_capture_on_commit_callbacks(execute=True):
        add_article(column_a, "Bài mới làm trang chủ thay đổi")
    assert not file.exists() and not (cache_dir / host).exists()
    assert "Bài mới làm trang chủ thay đổi" in client.get(home_path).content.decode()


@pytest.mark.django_db
def test_other_communes_files_survive_a_purge(
    column_a, column_b, commune_a, commune_b, cache_dir, django_capture_on_commit_callbacks
):
    a_item, b_item = add_article(column_a, "Bài xã A"), add_article(column_b, "Bài xã B")
    for commune, item in ((commune_a, a_item), (commune_b, b_item)):
        host = commune.site.hostname
        Client(HTTP_HOST=host).get(item.url.split(host, 1)[1])
    with django_capture_on_commit_callbacks(execute=True):
        a_item.save_revision().publish()
    assert not (cache_dir / commune_a.site.hostname).exists()
    assert (cache_dir / commune_b.site.hostname).exists()


@pytest.mark.django_db
def test_a_render_that_straddles_a_purge_leaves_no_stale_file(column_a, commune_a, cache_dir):
    from django.template.response import TemplateResponse
    from django.test import RequestFactory

    host = commune_a.site.hostname
    request = RequestFactory().get("/nghi-quyet-57/", HTTP_HOST=host)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = TemplateResponse(
        request,
        "column/widget.js",
        {"widget_url": "x", "home": column_a, "commune": commune_a},
        content_type="text/html",
    )
    (cache_dir).mkdir(parents=True, exist_ok=True)
    pagecache.store_later(request, response, page=column_a)
    pagecache.purge_site(commune_a.site_id)  # the page changed while it was being rendered
    response.render()
    assert not (cache_dir / host / "nghi-quyet-57" / "index.html").exists()


def test_paths_map_to_safe_files():
    assert pagecache.relative_file("/a/b/", "text/html; charset=utf-8") == "a/b/index.html"
    assert pagecache.relative_file("/a/qr/", "image/png") == "a/qr/index.png"
    assert pagecache.relative_file("/column/rss.xml", "application/rss+xml") == "column/rss.xml"
    assert pagecache.relative_file("/column/widget.js", "application/javascript") == "column/widget.js"
    assert pagecache.relative_file("/a/../b/", "text/html") is None
    assert pagecache.relative_file("/a/.hidden/", "text/html") is None
    assert pagecache.relative_file("/a/b", "text/html") is None
    assert pagecache.relative_file("/a/", "application/json") is None


@pytest.mark.skipif(shutil.which("nginx") is None, reason="needs the Debian package nginx")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_nginx_answers_from_the_cache_and_shows_a_change_within_a_second(live_server, settings, tmp_path):
    from lantoa.column import services
    from lantoa.tenancy import services as tenancy_services

    commune_a = tenancy_services.onboard_commune(2026, default_site=True)

    settings.LANTOA_PAGECACHE_DIR = str(tmp_path / "pagecache")
    (tmp_path / "pagecache").mkdir()
    home = services.ensure_column(commune_a)
    article = add_article(home, "Bài qua nginx")
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = tmp_path / "nginx"
    conf = subprocess.run(
        [
            sys.executable,
            str(ROOT / "deploy/nginx/render.py"),
            str(run),
            f"LISTEN=127.0.0.1:{port}",
            f"UPSTREAM={live_server.url.split('://', 1)[1]}",
            f"PAGECACHE_DIR={tmp_path / 'pagecache'}",
            f"STATIC_ROOT={tmp_path}",
            f"PRIVATE_MEDIA_ROOT={settings.PRIVATE_MEDIA_ROOT}",
            f"MEDIA_ROOT={settings.MEDIA_ROOT}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    nginx = subprocess.Popen(["nginx", "-c", conf, "-p", str(run), "-g", "daemon off;"])
    try:
        base = f"http://127.0.0.1:{port}"
        path = article.relative_url(commune_a.site)
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except urllib.error.HTTPError:  # it answers (503 with no task worker running): the server is up
                break
            except OSError:
                time.sleep(0.05)

        def get(url):
            with urllib.request.urlopen(url, timeout=10) as r:
                return r.headers.get("X-Cache"), r.read().decode()

        assert get(base + path) == ("MISS", get(base + path)[1])
        state, html = get(base + path)
        assert state == "HIT" and "Bài qua nginx" in html
        assert get(base + path + "?trang=1")[0] == "MISS"
        assert get(base + "/column/rss.xml")[0] == "MISS" and get(base + "/column/rss.xml")[0] == "HIT"
        article.title = "Bài qua nginx (đã sửa)"
        article.save_revision().publish()
        started = time.perf_counter()
        while "(đã sửa)" not in get(base + path)[1]:
            assert time.perf_counter() - started < 1.0, "the change was not visible within a second"
            time.sleep(0.02)
        # Feedback posted through nginx reaches Django, with the reader's address passed on.
        data = b"kind=comment&body=G%C3%B3p+%C3%BD+qua+nginx&page=" + str(article.pk).encode()
        request = urllib.request.Request(base + "/column/gop-y/", data=data, method="POST")
        with urllib.request.urlopen(request, timeout=10) as r:
            assert "/column/gop-y/da-gui/" in r.url
        from lantoa.column.models import Feedback

        assert Feedback.objects.get().body == "Góp ý qua nginx"
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
