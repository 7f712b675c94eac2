"""Private and public files: where they are stored, how they are named, how they are served.

Two roots on disk:

- ``MEDIA_ROOT`` (URL ``/media/``) holds what the public may fetch: Wagtail images and their renditions, the
  column's audio, video and PDF files, the radio bulletins' audio. Only the folders in
  ``PUBLIC_MEDIA_PREFIXES`` are served under ``/media/`` (by nginx in production, by ``public_media`` otherwise);
  Wagtail documents live under ``MEDIA_ROOT/documents/`` but are served only by Wagtail's own view, which
  applies the collection's privacy.
- ``PRIVATE_MEDIA_ROOT`` holds evidence, uploaded plan sources, issued reports and uploaded recordings. It has
  no URL: each app serves its files from a view that checks the commune and the role, then answers with
  ``serve`` below.

In production (``LANTOA_X_ACCEL=1``) ``serve`` answers with an ``X-Accel-Redirect`` header naming an nginx
``internal`` location, so nginx sends the bytes after Django said yes; elsewhere it streams the file.
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import secrets
import shutil
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.text import get_valid_filename
from django.utils.timezone import localdate
from django.views.decorators.http import require_safe
from django.views.static import serve as static_serve
from wagtail.utils.sendfile_streaming_backend import sendfile as streaming_sendfile


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT (read at each use, so a test may move it). Their ``url`` names no served
    location: apps link to their own views."""

    def __init__(self):
        super().__init__(base_url="/media/private-not-served/")

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def delete(self, name):
        """The file, and the folder ``unguessable_name`` made for it once it is empty (never the root)."""
        super().delete(name)
        folder = os.path.dirname(self.path(name))
        if folder != self.location:
            with contextlib.suppress(OSError):  # not empty, or gone already
                os.rmdir(folder)


def private_storage() -> PrivateStorage:
    return PrivateStorage()


def unguessable_name(folder: str, filename: str) -> str:
    """``folder/<128 random bits>/<clean original name>``: the name stays readable, the path cannot be guessed."""
    base = get_valid_filename(os.path.basename(filename or "")) or "file"
    stem, ext = os.path.splitext(base)
    return f"{folder.strip('/')}/{secrets.token_urlsafe(16)}/{stem[:80]}{ext.lower()[:10]}"


def dated_folder(prefix: str) -> str:
    today = localdate()
    return f"{prefix}/{today:%Y}/{today:%m}"


def _accel_location(path: Path) -> str | None:
    """The nginx internal URL of a file, when X-Accel is on and the file lies under a known root."""
    if not settings.LANTOA_X_ACCEL:
        return None
    path = path.resolve()
    for root, location in (
        (settings.PRIVATE_MEDIA_ROOT, settings.LANTOA_X_ACCEL_PRIVATE),
        (settings.MEDIA_ROOT, settings.LANTOA_X_ACCEL_MEDIA),
    ):
        root = Path(root).resolve()
        if path.is_relative_to(root):
            return location.rstrip("/") + "/" + quote(path.relative_to(root).as_posix())
    return None


def _disposition(filename: str, attachment: bool) -> str:
    kind = "attachment" if attachment else "inline"
    ascii_name = filename.encode("ascii", "ignore").decode() or "file"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def serve(request, field_file, *, filename: str = "", content_type: str = "", attachment: bool = True):
    """Answer with a stored file the caller has already checked the user may read."""
    if not field_file or not field_file.name:
        raise Http404
    path = Path(field_file.path)
    if not path.is_file():
        raise Http404
    filename = filename or path.name
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    location = _accel_location(path)
    if location:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = location
        response["Content-Disposition"] = _disposition(filename, attachment)
    else:
        response = FileResponse(path.open("rb"), content_type=content_type)
        response["Content-Disposition"] = _disposition(filename, attachment)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # An uploaded HTML or SVG "evidence" must not run as a page of the site.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def sendfile(request, filename, **kwargs):
    """SENDFILE_BACKEND for Wagtail's document view: X-Accel when on, else Wagtail's streaming backend."""
    location = _accel_location(Path(filename))
    if location:
        response = HttpResponse()
        response["X-Accel-Redirect"] = location
        if kwargs.get("mimetype"):
            response["Content-Type"] = kwargs["mimetype"]
        return response
    return streaming_sendfile(request, filename, **kwargs)


def is_public_media(path: str) -> bool:
    parts = path.split("/")
    return ".." not in parts and any(path.startswith(p) for p in settings.PUBLIC_MEDIA_PREFIXES)


@require_safe
def public_media(request, path):
    """``/media/…`` when nginx does not answer it (development, tests): only the public folders."""
    if not is_public_media(path):
        raise Http404
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=604800"
    return response


def move_into_private_root(model, field_names: tuple[str, ...]) -> int:
    """For a data migration: move the files of ``model`` that still lie under MEDIA_ROOT into PRIVATE_MEDIA_ROOT.

    The stored names do not change (the same relative path under the other root), so nothing else is rewritten.
    Running it twice moves nothing the second time. Returns how many files moved.
    """
    media = Path(settings.MEDIA_ROOT)
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    moved = 0
    for row in model._default_manager.values_list(*field_names):
        for name in row:
            if not name:
                continue
            source, target = media / name, private / name
            if source.is_file() and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(source, target)
                moved += 1
    return moved
