"""LibreOffice headless (``soffice --headless --convert-to``): the project's one way to convert office documents.

Used by the reports (DOCX → PDF, ``reports.pdf``) and by the plan import (.doc and .odt → DOCX,
``plans.parser_readers``). Each process keeps its own LibreOffice profile (``-env:UserInstallation``) in the
temporary folder, so that parallel conversions (several workers, a test run beside a server) never share one;
conversions within a process are serialised by a lock. The profile is made on the first conversion (slower) and
reused after.

The module imports no Django: the plan parser runs it in a plain child process. Failures raise
:class:`OfficeError` with a ``code`` (``missing``, ``timeout``, ``start``, ``failed``); callers turn it into their
own Vietnamese message.
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

logger = logging.getLogger("lantoa.office")

_lock = threading.Lock()
_profile: Path | None = None


class OfficeError(Exception):
    """LibreOffice is missing, did not start, was stopped after ``timeout`` seconds, or made no output."""

    def __init__(self, code: str, detail: str = "", returncode: int | None = None):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self.returncode = returncode


def soffice() -> str | None:
    """The LibreOffice binary on the PATH (Debian's libreoffice-writer-nogui), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile_dir() -> Path:
    global _profile
    if _profile is None:
        _profile = Path(tempfile.gettempdir()) / f"lantoa-soffice-{os.getuid()}-{os.getpid()}"
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def convert(data: bytes, source_suffix: str, target: str, *, timeout: int, stem: str = "document") -> bytes:
    """Convert a document (``data``, a file ending in ``source_suffix``) with LibreOffice; return the output bytes.

    ``target`` is what ``--convert-to`` takes: ``"pdf:writer_pdf_Export"``, ``"docx:MS Word 2007 XML"``;
    the output's suffix is the part before the colon.
    """
    binary = soffice()
    if not binary:
        raise OfficeError("missing")
    suffix = target.split(":", 1)[0]
    with _lock, tempfile.TemporaryDirectory(prefix="lantoa-office-") as tmp:
        source = Path(tmp) / f"{stem}{source_suffix}"
        source.write_bytes(data)
        outdir = Path(tmp) / "out"
        outdir.mkdir()
        cmd = [
            binary,
            f"-env:UserInstallation={_profile_dir().as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ]
        env = {**os.environ, "HOME": tmp, "SAL_USE_VCLPLUGIN": "svp"}
        try:
            result = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env, cwd=tmp, check=False)
        except subprocess.TimeoutExpired as exc:
            raise OfficeError("timeout") from exc
        except OSError as exc:
            raise OfficeError("start", str(exc)) from exc
        output = outdir / f"{stem}.{suffix}"
        if result.returncode != 0 or not output.exists() or output.stat().st_size == 0:
            detail = (result.stderr or result.stdout or b"").decode(errors="replace")[-500:]
            logger.error("LibreOffice failed (exit %s): %s", result.returncode, detail)
            raise OfficeError("failed", detail, result.returncode)
        return output.read_bytes()


def docx_element(item):
    """The WordprocessingML element (lxml) behind a python-docx paragraph, run, table, row or cell.

    The project's one reader of python-docx's private ``_element``. python-docx gives the element publicly
    only on some objects (``Run.element``, ``ElementProxy.element``); paragraphs, tables, rows and cells keep
    it in ``_element``, which python-docx's own code uses and which has not changed since 0.8. The plan
    reader (``plans.parser_readers``) needs it to tell merged cells apart; the writer of official documents
    (``tenancy.decree30``) to set what python-docx has no API for (table borders and layout, repeated header
    rows, rules, East Asian fonts).
    On a python-docx upgrade, if the attribute goes, tests/plans/test_parser_documents.py (merged cells)
    and tests/reports/test_document.py (borders, rules, fonts) fail through this function.
    """
    element = getattr(item, "element", None)
    return element if element is not None else item._element
