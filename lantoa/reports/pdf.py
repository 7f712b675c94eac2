"""DOCX → PDF with LibreOffice headless, through the project's one converter (``tenancy.office``).

Fonts: the document asks for Times New Roman; on Debian fontconfig gives Liberation Serif
(fonts-liberation2), which has the same metrics and Vietnamese glyphs, so lines break where Word breaks them.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

from lantoa.tenancy import office

TIMEOUT = 180


class ConversionFailed(ValidationError):
    """LibreOffice did not make the PDF (killed, timed out, crashed): a Vietnamese message, nothing stored."""


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert a DOCX (bytes) to PDF (bytes)."""
    try:
        return office.convert(docx, ".docx", "pdf:writer_pdf_Export", timeout=TIMEOUT, stem="bao-cao")
    except office.OfficeError as exc:
        if exc.code == "missing":
            raise ImproperlyConfigured(
                _("LibreOffice is not installed: install the Debian package libreoffice-writer-nogui to make PDFs.")
            ) from exc
        if exc.code == "timeout":
            raise ConversionFailed(
                _("Making the PDF took more than %(seconds)s seconds and was stopped; nothing was saved. Try again.")
                % {"seconds": TIMEOUT}
            ) from exc
        if exc.code == "start":
            raise ConversionFailed(_("LibreOffice could not be started to make the PDF; nothing was saved.")) from exc
        raise ConversionFailed(
            _(
                "LibreOffice stopped before the PDF was made (exit code %(code)s); nothing was saved. "
                "Try again; if it fails again, tell the administrator."
            )
            % {"code": exc.returncode}
        ) from exc
