"""Reading a scanned plan (a PDF without a text layer, or a photo) with Tesseract OCR.

The pipeline, all in the child process that reads an upload (``services.run_import_job``):

1. Page images: a photo (.jpg, .png) is opened with Pillow (its EXIF rotation applied, at most
   :data:`MAX_PIXELS`); a scanned PDF is rendered page by page at :data:`DPI` in grey with ``pdftoppm``
   (poppler-utils), at most :data:`MAX_PAGES` pages.
2. Deskew: a page photographed or fed into the scanner slightly askew is turned straight by a projection
   profile (:func:`skew_angle`): the text rows of a straight page make the sharpest row histogram. Only small
   angles (up to :data:`MAX_SKEW` degrees) are searched. A page whose reading comes out poor (mean confidence
   below :data:`UPRIGHT_CONFIDENCE`) may be sideways or upside down: Tesseract's orientation detection (OSD)
   says by how much to turn it, and it is read again.
3. Tesseract (``tesseract-ocr`` with Debian's Vietnamese data ``tesseract-ocr-vie``) run on each page with TSV
   output: the words with their boxes and confidence (0–100), grouped into lines.
4. The lines of each page are joined back into paragraphs with the geometry rule of the PDF reader
   (``parser_readers._join_wrapped_lines``) and handed to the parser as :class:`OcrText` blocks: plain strings
   that also carry their confidence (the lowest of their lines) and page.

Limits: :data:`MAX_PAGES` pages, :data:`MAX_PIXELS` pixels per image, :data:`PAGE_SECONDS` per page for each
external program. The import's child process adds its own time and memory limits on top.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .parser_errors import PlanParseError, _
from .parser_text import nfc

DPI = 300
MAX_PAGES = 20
MAX_PIXELS = 40_000_000  # a photo of 40 megapixels; an A4 page at 300 dpi has 8.7
MAX_SIDE = 4200  # larger photos are scaled down to this many pixels on their long side before OCR
PAGE_SECONDS = 60
# A page read with a lower mean confidence may be sideways or upside down: its orientation is checked (OSD).
UPRIGHT_CONFIDENCE = 60
MAX_SKEW = 6.0
LANGUAGES = "vie"
_RULES = {"|", "||", "[", "]"}


class OcrText(str):
    """A paragraph read by OCR: a ``str`` for the parser, with ``source``, ``confidence`` (0–100) and ``page``."""

    source = "ocr"
    confidence: float
    page: int

    def __new__(cls, text: str, confidence: float, page: int):
        value = super().__new__(cls, text)
        value.confidence = confidence
        value.page = page
        return value


@dataclass
class OcrLine:
    """One line as Tesseract read it (page from 1, box in pixels, confidence 0–100)."""

    text: str
    page: int
    confidence: float
    x0: float
    x1: float
    top: float
    height: float
    first_word_width: float


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if not found:
        raise PlanParseError(
            _("Reading scanned documents needs %(program)s: install the Debian package %(package)s.")
            % {"program": name, "package": package}
        )
    return found


def _run(cmd: list[str], what: str) -> bytes:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core per page: the server is shared
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=PAGE_SECONDS, env=env, check=False)
    except subprocess.TimeoutExpired as exc:
        raise PlanParseError(
            _("Reading a scanned page took more than %(seconds)s seconds and was stopped (%(what)s).")
            % {"seconds": PAGE_SECONDS, "what": what}
        ) from exc
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise PlanParseError(
            _("The scanned page could not be read (%(what)s): %(error)s")
            % {"what": what, "error": detail[-1] if detail else done.returncode}
        )
    return done.stdout


# ------------------------------------------------------------------------ images


def _open_image(path: Path):
    from PIL import Image, ImageOps, UnidentifiedImageError  # noqa: PLC0415 — only scans need Pillow

    try:
        with Image.open(path) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise PlanParseError(
                    _("The image has %(mpx)s megapixels; at most %(max)s are read. Take or scan it smaller.")
                    % {"mpx": round(width * height / 1e6), "max": MAX_PIXELS // 1_000_000}
                )
            image = ImageOps.exif_transpose(probe).convert("L")
    except PlanParseError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise PlanParseError(
            _("The file cannot be read: %(error)s")
            % {"error": _("%(name)s is not a valid image (JPEG or PNG)") % {"name": path.name}}
        ) from exc
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    return image


def skew_angle(image) -> float:
    """The angle (degrees, counter-clockwise) that makes the text rows of ``image`` horizontal.

    Projection profile: on a small black-and-white copy, each candidate angle is tried and the one whose row
    sums vary the most (text rows and the gaps between them sharp) wins; a coarse search, then a fine one.
    """
    import numpy as np  # noqa: PLC0415 — only scans need numpy

    small = image.copy()
    small.thumbnail((1000, 1000))
    pixels = np.asarray(small, dtype=np.uint8)
    threshold = min(160, int(pixels.mean() * 0.75))
    ink = small.point(lambda v: 255 if v < threshold else 0)

    def score(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, expand=False, fillcolor=0), dtype=np.float32).sum(axis=1)
        return float(np.diff(rows).var())

    best = max((a / 2 for a in range(int(-2 * MAX_SKEW), int(2 * MAX_SKEW) + 1)), key=score)
    fine = max((best + f / 10 for f in range(-5, 6)), key=score)
    return round(fine, 2)


def _deskew(image):
    from PIL import Image  # noqa: PLC0415 — only scans need Pillow

    angle = skew_angle(image)
    if abs(angle) < 0.1:
        return image
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def _pdf_pages(path: Path, tmp: Path) -> list[Path]:
    from pypdf import PdfReader  # noqa: PLC0415 — only scans need pypdf here

    try:
        pages = len(PdfReader(str(path)).pages)
    except Exception as exc:
        raise PlanParseError(
            _("The file cannot be read: %(error)s")
            % {"error": _("%(name)s is not a valid PDF file or is encrypted") % {"name": path.name}}
        ) from exc
    if pages > MAX_PAGES:
        raise PlanParseError(
            _(
                "This PDF has no text layer and %(pages)s pages; at most %(max)s scanned pages are read. "
                "Upload the plan itself, without its attachments, or as Word."
            )
            % {"pages": pages, "max": MAX_PAGES}
        )
    binary = _tool("pdftoppm", "poppler-utils")
    images = []
    for number in range(1, pages + 1):
        prefix = tmp / f"page-{number}"
        _run([binary, "-r", str(DPI), "-gray", "-png", "-singlefile", "-f", str(number), "-l", str(number),
              str(path), str(prefix)], "pdftoppm")  # fmt: skip
        images.append(prefix.with_suffix(".png"))
    return images


# -------------------------------------------------------------------------- OCR


def _ocr_page(image, page: int, tmp: Path) -> list[OcrLine]:
    source = tmp / f"ocr-{page}.png"
    image.save(source)
    binary = _tool("tesseract", "tesseract-ocr")
    output = _run([binary, str(source), "stdout", "-l", LANGUAGES, "--dpi", str(DPI), "--psm", "3", "tsv"], "tesseract")
    lines: dict[tuple[str, str, str], list[dict]] = {}
    for row in csv.DictReader(
        io.StringIO(output.decode("utf-8", errors="replace")), delimiter="\t", quoting=csv.QUOTE_NONE
    ):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        lines.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(row)
    result = []
    for found in lines.values():
        # A table rule or the page edge read as "|" at either end of a line is no word.
        words = found[:]
        while words and words[0]["text"].strip() in _RULES:
            words.pop(0)
        while words and words[-1]["text"].strip() in _RULES:
            words.pop()
        if not words:
            continue
        boxes = [(int(w["left"]), int(w["top"]), int(w["width"]), int(w["height"])) for w in words]
        confidences = [max(0.0, float(w["conf"])) for w in words]
        result.append(
            OcrLine(
                text=nfc(" ".join(w["text"].strip() for w in words)),
                page=page,
                confidence=round(statistics.fmean(confidences), 1),
                x0=min(b[0] for b in boxes),
                x1=max(b[0] + b[2] for b in boxes),
                top=min(b[1] for b in boxes),
                height=statistics.median(b[3] for b in boxes),
                first_word_width=boxes[0][2],
            )
        )
    return result


def _mean_confidence(lines: list[OcrLine]) -> float:
    return statistics.fmean(line.confidence for line in lines) if lines else 0.0


def _ocr_turned(image, page: int, tmp: Path, lines: list[OcrLine]) -> list[OcrLine]:
    """A page read badly may be sideways or upside down: ask Tesseract's orientation detection (OSD), turn the
    page as it says and read it again; keep the better reading."""
    source = tmp / f"osd-{page}.png"
    small = image.copy()
    small.thumbnail((2000, 2000))
    small.save(source)
    try:
        report = _run([_tool("tesseract", "tesseract-ocr"), str(source), "stdout", "--psm", "0", "-l", "osd"], "osd")
    except PlanParseError:  # too little text to tell the orientation
        return lines
    values = dict(line.split(":", 1) for line in report.decode(errors="replace").splitlines() if ":" in line)
    try:
        rotate = int(values.get("Rotate", "0").strip())
        confidence = float(values.get("Orientation confidence", "0").strip())
    except ValueError:
        return lines
    if rotate == 0 or confidence < 2:
        return lines
    turned = _ocr_page(_deskew(image.rotate(-rotate, expand=True)), page, tmp)
    return turned if _mean_confidence(turned) > _mean_confidence(lines) else lines


def _paragraphs(lines: list[OcrLine]) -> list[OcrText]:
    """Join the lines of one page that the layout wrapped, as the PDF reader does; keep the lowest confidence."""
    from .parser_readers import _join_wrapped_lines, _PdfLine  # noqa: PLC0415 — parser_readers imports this module

    if not lines:
        return []
    geometry = [_PdfLine(ln.text, ln.x0, ln.x1, ln.top, ln.height * 1.1, ln.first_word_width) for ln in lines]
    texts = _join_wrapped_lines(geometry, min(ln.x0 for ln in lines), max(ln.x1 for ln in lines))
    paragraphs, index = [], 0
    for text in texts:
        taken, joined = [], ""
        while index < len(lines) and joined != text:
            taken.append(lines[index])
            joined = f"{joined} {lines[index].text}" if joined else lines[index].text
            index += 1
        confidence = min((ln.confidence for ln in taken), default=0.0)
        paragraphs.append(OcrText(text, confidence, lines[index - 1].page))
    return paragraphs


def read_scan(path: Path, *, pdf: bool) -> tuple[list[OcrText], list[OcrLine]]:
    """OCR a photo or a scanned PDF: the paragraphs for the parser and every line with its confidence."""
    with tempfile.TemporaryDirectory(prefix="lantoa-ocr-") as folder:
        tmp = Path(folder)
        sources = _pdf_pages(path, tmp) if pdf else [path]
        all_lines: list[OcrLine] = []
        paragraphs: list[OcrText] = []
        for page, source in enumerate(sources, start=1):
            image = _open_image(source)
            lines = _ocr_page(_deskew(image), page, tmp)
            if _mean_confidence(lines) < UPRIGHT_CONFIDENCE:
                lines = _ocr_turned(image, page, tmp, lines)
            all_lines.extend(lines)
            paragraphs.extend(_paragraphs(lines))
    if not any(any(ch.isalpha() for ch in p) for p in paragraphs):
        raise PlanParseError(_("No text could be recognised in the scanned document (is the image readable?)"))
    return paragraphs, all_lines
