"""The page cache the web server reads directly: published pages written as files, purged on change.

How it works (see docs/column.md):

* When Django renders a public column page for an anonymous reader, without a query string,
  with status 200, it writes the HTML (and a gzip copy) to
  ``<LANTOA_PAGECACHE_DIR>/<host><path>index.html`` — feeds and other files under their own name.
* nginx answers from that file when it exists (``try_files``), so a cached page never reaches
  Python; otherwise it passes the request to gunicorn, and Django writes the file.
* When anything a page shows changes (publish, unpublish, move, delete, a topic renamed, an
  answer published), ``purge_site`` removes every file of that Wagtail site at once (one
  directory rename), so the change is visible on the next request.

A render that started before a purge must not write a stale file after it: every site has a
generation stamp, bumped on purge; the writer compares it before and after writing.

Writing is off unless the setting or environment variable ``LANTOA_PAGECACHE_DIR`` names a folder.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import shutil
import time
import uuid
from pathlib import Path

from django.conf import settings
from wagtail.models import Site

logger = logging.getLogger("lantoa.column.pagecache")

EXTENSIONS = {
    "text/html": "html",
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/javascript": "js",
    "text/javascript": "js",
    "image/svg+xml": "svg",
    "image/png": "png",
}
COMPRESSIBLE = {"html", "rss", "atom", "xml", "js", "svg"}
_SEGMENT = re.compile(r"^[\w\-]+(\.[a-z0-9]{1,6})?$")
_HOST = re.compile(r"^[a-z0-9][a-z0-9.\-]{0,252}$")


def cache_dir() -> Path | None:
    value = getattr(settings, "LANTOA_PAGECACHE_DIR", None) or os.environ.get("LANTOA_PAGECACHE_DIR")
    return Path(value) if value else None


def _host(request) -> str | None:
    host = request.get_host().rsplit(":", 1)[0].lower() if ":" in request.get_host() else request.get_host().lower()
    return host if _HOST.match(host) and ".." not in host else None


def relative_file(path: str, content_type: str) -> str | None:
    """Where a response for ``path`` with this content type is kept, relative to the host's folder."""
    media_type = content_type.split(";")[0].strip().lower()
    ext = EXTENSIONS.get(media_type)
    if ext is None:
        return None
    segments = [s for s in path.split("/") if s]
    if any(not _SEGMENT.match(s) or s.startswith(".") for s in segments):
        return None
    if path.endswith("/"):
        return "/".join(segments + [f"index.{ext}"])
    # Files named with an extension (feeds, the widget script): nginx serves them with the type it knows
    # from the extension, so it must agree with the response's.
    suffix = segments[-1].rpartition(".")[2] if segments and "." in segments[-1] else ""
    if (suffix == "xml" and ext in {"rss", "atom", "xml"}) or (suffix == "js" and ext == "js"):
        return "/".join(segments)
    return None


def _gen_file(root: Path, site_id: int) -> Path:
    return root / ".gen" / str(site_id)


def generation(root: Path, site_id: int) -> str:
    try:
        return _gen_file(root, site_id).read_text()
    except FileNotFoundError:
        return ""


def cacheable(request, response) -> bool:
    if request.method != "GET" or request.META.get("QUERY_STRING"):
        return False
    if getattr(request, "is_preview", False) or request.path.startswith(("/admin/", "/_util/")):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if response.status_code != 200 or getattr(response, "streaming", False) or response.cookies:
        return False
    return True


def store_later(request, response, *, page=None, site=None) -> None:
    """Write the response to the page cache once it is rendered (if caching is on and it is cacheable)."""
    root = cache_dir()
    if root is None or not cacheable(request, response):
        return
    if page is not None and page.get_view_restrictions().exists():
        return
    if site is None:
        site = Site.find_for_request(request)
    host = _host(request)
    if site is None or host is None:
        return
    response["Cache-Control"] = "no-cache"
    stamp = generation(root, site.pk)

    def write(rendered):
        try:
            _write(root, host, site.pk, stamp, request.path, rendered)
        except OSError:
            logger.exception("page cache: could not write %s%s", host, request.path)
        return None

    if hasattr(response, "add_post_render_callback") and not getattr(response, "is_rendered", True):
        response.add_post_render_callback(write)
    else:
        write(response)


def _write(root: Path, host: str, site_id: int, stamp: str, path: str, response) -> Path | None:
    rel = relative_file(path, response.get("Content-Type", ""))
    if rel is None:
        return None
    host_dir = root / host
    target = host_dir / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    marker = host_dir / ".site"
    if not marker.exists():
        _atomic_write(marker, str(site_id).encode())
    body = response.content
    if target.suffix.lstrip(".") in COMPRESSIBLE:
        _atomic_write(target.with_name(target.name + ".gz"), gzip.compress(body, 9, mtime=0))
    _atomic_write(target, body)
    if generation(root, site_id) != stamp:
        # A purge ran while this page was being rendered: the file may be stale.
        _unlink(target)
        _unlink(target.with_name(target.name + ".gz"))
        return None
    return target


def _atomic_write(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def purge_site(site_id: int) -> int:
    """Remove every cached file of one Wagtail site (all its host names). Returns the folders removed."""
    root = cache_dir()
    if root is None or not root.exists():
        return 0
    gen_file = _gen_file(root, site_id)
    gen_file.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(gen_file, str(time.time_ns()).encode())
    removed = 0
    trash = root / ".trash"
    trash.mkdir(exist_ok=True)
    for host_dir in root.iterdir():
        if host_dir.name.startswith(".") or not host_dir.is_dir():
            continue
        try:
            owner = (host_dir / ".site").read_text().strip()
        except FileNotFoundError:
            owner = ""
        if owner in {str(site_id), ""}:
            moved = trash / f"{host_dir.name}.{uuid.uuid4().hex}"
            try:
                os.rename(host_dir, moved)
            except FileNotFoundError:
                continue
            shutil.rmtree(moved, ignore_errors=True)
            removed += 1
    return removed


def purge_all() -> int:
    root = cache_dir()
    if root is None or not root.exists():
        return 0
    return sum(purge_site(pk) for pk in Site.objects.values_list("pk", flat=True))
