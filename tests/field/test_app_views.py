"""The field app's own pages: the shell (the same for everyone, so it can be cached for offline use), its web
manifest, the service worker with its /thuc-dia/ scope and a version that follows what it precaches, and the
``me.json`` answer the script uses to know whose queue it may send."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders

from lantoa.tenancy import roles

from ..conftest import make_user

pytestmark = pytest.mark.django_db


def test_shell_is_the_same_page_for_anyone_and_links_its_manifest_and_script(client, commune_a):
    response = client.get("/thuc-dia/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'rel="manifest" href="/thuc-dia/manifest.webmanifest"' in html
    assert '<script type="module" src="/static/field/dist/app.js">' in html
    assert response["Cache-Control"] == "no-cache"
    make_user("team", roles.DIGITAL_TEAM, commune=commune_a)
    client.login(username="team", password="Mk-kiem-thu-57!")
    assert client.get("/thuc-dia/").content.decode() == html  # nothing of the user in the cached shell


def test_manifest_makes_it_installable_in_vietnamese(client):
    response = client.get("/thuc-dia/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == "/thuc-dia/" and data["scope"] == "/thuc-dia/"
    assert data["display"] == "standalone" and data["lang"] == "vi"
    assert data["name"] == "Lan Tỏa — Ghi lượt thăm hộ"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_service_worker_scope_precache_and_version(client, settings):
    response = client.get("/thuc-dia/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/thuc-dia/"
    body = response.content.decode()
    config = json.loads(body.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["shell"] == "/thuc-dia/"
    assert "/static/field/dist/app.js" in config["precache"]
    assert all(not url.startswith("/static/field/dist/qr") for url in config["precache"])  # the QR decoder is lazy
    for url in config["precache"][2:]:
        assert finders.find(url.removeprefix("/static/")), url
    settings.LANTOA_FIELD_VERSION = "next"
    assert (
        json.loads(client.get("/thuc-dia/sw.js").content.decode().split("const CONFIG = ", 1)[1].split(";\n")[0])[
            "version"
        ]
        != config["version"]
    )
    assert "indexedDB" not in body  # a new worker replaces only its caches: the queue in IndexedDB stays


def test_me_says_who_is_signed_in(client, commune_a):
    response = client.get("/thuc-dia/me.json")
    assert response.status_code == 401
    assert json.loads(response.content)["login_url"] == "/admin/login/?next=/thuc-dia/"
    user = make_user("team", roles.DIGITAL_TEAM, commune=commune_a)
    client.login(username="team", password="Mk-kiem-thu-57!")
    data = json.loads(client.get("/thuc-dia/me.json").content)
    assert data["user_id"] == user.pk and data["csrf"] and data["logout_url"] == "/admin/logout/"
