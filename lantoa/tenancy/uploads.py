"""Checks every uploaded file passes before anything parses it: size, what a zip unpacks to, how many pages.

A DOCX or XLSX is a zip. A small one can unpack to gigabytes (a "zip bomb"): parsing it would take minutes and
all the memory of the server. So before any parser opens it, every member's declared size is added up, its
compression ratio checked, and then every member is actually decompressed in small chunks and counted, because
the declared sizes can lie. A PDF's pages are counted from its page tree without rendering anything.
Every refusal is a ``ValidationError`` with a Vietnamese message (the msgids are English, as everywhere).

The limits are settings (``LANTOA_UPLOAD_*``), so a province can raise them; the defaults fit the documents a
commune uploads (a plan of 10–30 pages, a roster of a few thousand households, photos of a meeting).
"""

from __future__ import annotations

import io
import zipfile
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

MB = 1024 * 1024
CHUNK = 64 * 1024


def limit(name: str) -> int:
    """The limit in force (setting ``LANTOA_UPLOAD_<NAME>``, else the default below)."""
    defaults = {
        "MAX_UNZIPPED_MB": 50,  # all members of a DOCX/XLSX together, uncompressed
        "MAX_ZIP_MEMBERS": 2000,
        "MAX_RATIO": 100,  # uncompressed / compressed, for members larger than 1 MB
        "MAX_PDF_PAGES": 300,
    }
    return int(getattr(settings, f"LANTOA_UPLOAD_{name}", defaults[name]))


def _read_all(source: bytes | BinaryIO) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    source.seek(0)
    data = source.read()
    source.seek(0)
    return data


def check_size(size: int, max_bytes: int, name: str = "") -> None:
    if size <= 0:
        raise ValidationError(_("The file “%(name)s” is empty.") % {"name": name})
    if size > max_bytes:
        raise ValidationError(
            _("The file “%(name)s” is too large (%(size)s MB; at most %(max)s MB).")
            % {"name": name, "size": round(size / MB, 1), "max": round(max_bytes / MB)}
        )


def check_zip(source: bytes | BinaryIO, name: str = "") -> None:
    """Refuse a DOCX/XLSX that is not a zip, or that unpacks to more than the limits allow (before parsing)."""
    data = _read_all(source)
    max_total = limit("MAX_UNZIPPED_MB") * MB
    too_big = ValidationError(
        _(
            "The file “%(name)s” unpacks to more than %(max)s MB (a compressed document this large is refused "
            "to protect the server). Save it again from Word or Excel, without embedded objects, and upload it again."
        )
        % {"name": name, "max": limit("MAX_UNZIPPED_MB")}
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ValidationError(
            _("The file “%(name)s” is damaged or is not a Word/Excel document.") % {"name": name}
        ) from exc
    if len(members) > limit("MAX_ZIP_MEMBERS"):
        raise too_big
    declared = 0
    for info in members:
        declared += info.file_size
        if declared > max_total:
            raise too_big
        if info.file_size > MB and info.file_size > limit("MAX_RATIO") * max(info.compress_size, 1):
            raise too_big
    # The declared sizes can lie: decompress every member and count what really comes out.
    actual = 0
    try:
        for info in members:
            if info.is_dir():
                continue
            produced = 0
            with archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    produced += len(chunk)
                    actual += len(chunk)
                    if actual > max_total or produced > info.file_size:
                        raise too_big
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ValidationError(
            _("The file “%(name)s” is damaged or is not a Word/Excel document.") % {"name": name}
        ) from exc


def check_pdf(source: bytes | BinaryIO, name: str = "") -> int:
    """Refuse a PDF that cannot be opened or has more pages than the limit; return its page count."""
    data = _read_all(source)
    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise ValidationError(_("The file “%(name)s” is damaged or is not a PDF.") % {"name": name}) from exc
    if pages > limit("MAX_PDF_PAGES"):
        raise ValidationError(
            _("The PDF “%(name)s” has %(pages)s pages; at most %(max)s are accepted.")
            % {"name": name, "pages": pages, "max": limit("MAX_PDF_PAGES")}
        )
    return pages


ZIP_SUFFIXES = (".docx", ".xlsx", ".pptx", ".odt", ".ods")


def check_upload(source: bytes | BinaryIO, name: str, *, max_bytes: int) -> None:
    """Every check that applies to a file of this name: size, then the zip or the PDF inside."""
    data = _read_all(source)
    check_size(len(data), max_bytes, name)
    lowered = (name or "").lower()
    if lowered.endswith(ZIP_SUFFIXES):
        check_zip(data, name)
    elif lowered.endswith(".pdf"):
        check_pdf(data, name)
