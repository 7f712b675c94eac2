"""The field app's pages: the shell, its web manifest, its service worker and who is signed in.

The shell is the same for every user (the service worker keeps it for offline use), so it carries no personal data:
the script asks ``me.json`` who is signed in and keeps each user's records in their own IndexedDB database. The
service worker is served from ``/thuc-dia/sw.js`` so that its scope is ``/thuc-dia/``; its version is a hash of
what it precaches, so a new build (or a new ``LANTOA_FIELD_VERSION``) installs a new worker and a new cache while
the queued visits, which live in IndexedDB, stay where they are.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

BUILD_DIR = "field/dist"
# What the service worker keeps from its installation on (the scanner library is cached when first fetched or
# when the assignment is downloaded: it is not part of the first load).
SHELL_STATIC = ("field/app.css", "field/icon-192.png", "field/icon-512.png")
THEME_COLOUR = "#0b6e4f"


@lru_cache(maxsize=4)
def _build_manifest(stamp: float) -> dict:
    path = finders.find(f"{BUILD_DIR}/build.json")
    if not path:
        return {"entry": "app.js", "chunks": [], "lazy": []}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def build() -> dict:
    """What esbuild wrote (``frontend/build.mjs``): the entry script, its static chunks, the lazy ones."""
    path = finders.find(f"{BUILD_DIR}/build.json")
    stamp = _mtime(path) if path else 0.0
    return _build_manifest(stamp)


def _mtime(path: str) -> float:
    return os.stat(path).st_mtime


def _static_files() -> tuple[list[str], list[str]]:
    info = build()
    precache = [f"{BUILD_DIR}/{info['entry']}", *(f"{BUILD_DIR}/{c}" for c in info.get("chunks", [])), *SHELL_STATIC]
    precache += _worker_script(info)
    lazy = [f"{BUILD_DIR}/{c}" for c in info.get("lazy", [])]
    return precache, lazy


def _worker_script(info: dict) -> list[str]:
    """The service worker's sending in the background (``frontend/src/background.js``), when it was built."""
    name = f"{BUILD_DIR}/{info['worker']}" if info.get("worker") else None
    return [name] if name and finders.find(name) else []


def app_version() -> str:
    """A short hash of every precached file and of the worker itself: changes whenever any of them changes."""
    digest = hashlib.sha256(getattr(settings, "LANTOA_FIELD_VERSION", "").encode())
    precache, lazy = _static_files()
    for name in [*precache, *lazy]:
        digest.update(name.encode())
        found = finders.find(name)
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    for template in ("field/sw.js", "field/shell.html"):
        digest.update(get_template(template).template.source.encode())
    return digest.hexdigest()[:12]


def _shell_context() -> dict:
    info = build()
    return {
        "script": static(f"{BUILD_DIR}/{info['entry']}"),
        "css": static("field/app.css"),
        "icon": static("field/icon-192.png"),
        "theme": THEME_COLOUR,
    }


@require_GET
def shell(request):
    """The app's one page; everything else is drawn by the script from IndexedDB and the API."""
    response = render(request, "field/shell.html", _shell_context())
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    data = {
        "name": _("Lan Tỏa — Field visits"),
        "short_name": _("Lan Tỏa field"),
        "lang": "vi",
        "start_url": reverse("field_shell"),
        "scope": reverse("field_shell"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("field/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("field/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request):
    precache, lazy = _static_files()
    config = {
        "version": app_version(),
        "shell": reverse("field_shell"),
        "precache": [reverse("field_shell"), reverse("field_manifest"), *(static(name) for name in precache)],
        "lazy": [static(name) for name in lazy],
        "static": settings.STATIC_URL + "field/",
        "api": "/api/v1/field/",
        "worker": next((static(name) for name in _worker_script(build())), None),
    }
    response = render(request, "field/sw.js", {"config": json.dumps(config)}, content_type="text/javascript")
    # The browser checks the worker on each navigation; never let an HTTP cache hide a new version.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("field_shell")
    return response


@never_cache
@require_GET
def me(request):
    """Who is signed in (the script compares it with the owner of the queue before sending anything)."""
    user = request.user
    if not user.is_authenticated:
        login = f"{reverse('wagtailadmin_login')}?next={reverse('field_shell')}"
        return JsonResponse({"user_id": None, "login_url": login}, status=401)
    return JsonResponse(
        {
            "user_id": user.pk,
            "name": user.get_full_name() or user.get_username(),
            "csrf": get_token(request),
            "logout_url": reverse("wagtailadmin_logout"),
            "version": app_version(),
        },
        json_dumps_params={"ensure_ascii": False},
    )
