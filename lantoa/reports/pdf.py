"""DOCX → PDF with LibreOffice headless (``soffice --headless --convert-to pdf``).

Each process keeps its own LibreOffice profile (``-env:UserInstallation``) in the temporary folder, so that
parallel conversions (several workers, a test run beside a server) never share one; conversions within a
process are serialised by a lock. The profile is made on the first conversion (slower) and reused after.
Fonts: the document asks for Times New Roman; on Debian fontconfig gives Liberation Serif
(fonts-liberation2), which has the same metrics and Vietnamese glyphs, so lines break where Word breaks them.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger("lantoa.reports")

TIMEOUT = 180


class ConversionFailed(ValidationError):
    """LibreOffice did not make the PDF (killed, timed out, crashed): a Vietnamese message, nothing stored."""


_lock = threading.Lock()
_profile: Path | None = None


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise ImproperlyConfigured(
            _("LibreOffice is not installed: install the Debian package libreoffice-writer-nogui to make PDFs.")
        )
    return found


def _profile_dir() -> Path:
    global _profile
    if _profile is None:
        _profile = Path(tempfile.gettempdir()) / f"lantoa-soffice-{os.getuid()}-{os.getpid()}"
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert a DOCX (bytes) to PDF (bytes)."""
    binary = soffice()
    with _lock, tempfile.TemporaryDirectory(prefix="lantoa-pdf-") as tmp:
        source = Path(tmp) / "bao-cao.docx"
        source.write_bytes(docx)
        cmd = [
            binary,
            f"-env:UserInstallation={_profile_dir().as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            tmp,
            str(source),
        ]
        env = {**os.environ, "HOME": tmp, "SAL_USE_VCLPLUGIN": "svp"}
        try:
            result = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, env=env, cwd=tmp)
        except subprocess.TimeoutExpired as exc:
            raise ConversionFailed(
                _("Making the PDF took more than %(seconds)s seconds and was stopped; nothing was saved. Try again.")
                % {"seconds": TIMEOUT}
            ) from exc
        except OSError as exc:
            raise ConversionFailed(_("LibreOffice could not be started to make the PDF; nothing was saved.")) from exc
        target = Path(tmp) / "bao-cao.pdf"
        if result.returncode != 0 or not target.exists() or target.stat().st_size == 0:
            detail = (result.stderr or result.stdout or b"").decode(errors="replace")[-500:]
            logger.error("LibreOffice failed (exit %s): %s", result.returncode, detail)
            raise ConversionFailed(
                _(
                    "LibreOffice stopped before the PDF was made (exit code %(code)s); nothing was saved. "
                    "Try again; if it fails again, tell the administrator."
                )
                % {"code": result.returncode}
            )
        return target.read_bytes()
