"""What the column learns from its media files: durations, PDF pages and text, page pictures."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import mutagen
import pypdfium2 as pdfium
from django.conf import settings
from pypdf import PdfReader

logger = logging.getLogger("lantoa.column.media")

PDF_PREVIEW_PAGES = 40
PDF_PREVIEW_WIDTH = 900


def inspect_media(media) -> dict:
    """Size, duration (audio, video) or page count and text (PDF) of a stored media file."""
    facts: dict = {}
    try:
        facts["size"] = media.file.size
        path = media.file.path
    except (FileNotFoundError, NotImplementedError, ValueError):
        return facts
    if media.kind in ("audio", "video"):
        try:
            info = mutagen.File(path)
            if info is not None and getattr(info, "info", None) is not None and info.info.length:
                facts["duration_seconds"] = max(1, round(info.info.length))
        except Exception:  # noqa: BLE001 - an unreadable header only loses the duration
            logger.warning("media: no duration for %s", path)
    elif media.kind == "pdf":
        try:
            reader = PdfReader(path)
            facts["page_count"] = len(reader.pages)
            texts = []
            for page in reader.pages[:200]:
                texts.append(page.extract_text() or "")
            facts["text"] = "\n".join(texts)[:100_000]
        except Exception:  # noqa: BLE001 - a damaged PDF is still downloadable
            logger.warning("media: could not read PDF %s", path)
    return facts


def pdf_page_images(media) -> list[dict]:
    """Pictures of a PDF's pages (WebP), made once and kept next to the media files.

    Phones rarely show a PDF inside a page; pictures of its pages always show, without script.
    """
    if not media or media.kind != "pdf":
        return []
    try:
        source = Path(media.file.path)
    except (NotImplementedError, ValueError):
        return []
    if not source.exists():
        return []
    key = hashlib.sha1(f"{media.file.name}:{media.size}".encode()).hexdigest()[:16]
    folder = Path(settings.MEDIA_ROOT) / "column" / "pdf-pages" / key
    url = f"{settings.MEDIA_URL}column/pdf-pages/{key}/"
    done = folder / "done"
    if not done.exists():
        _render_pages(source, folder)
    pages = []
    for line in done.read_text().splitlines() if done.exists() else []:
        name, width, height = line.split()
        pages.append({"url": url + name, "width": int(width), "height": int(height)})
    return pages


def _render_pages(source: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    try:
        pdf = pdfium.PdfDocument(str(source))
        for index in range(min(len(pdf), PDF_PREVIEW_PAGES)):
            page = pdf[index]
            width_pt = page.get_width()
            scale = PDF_PREVIEW_WIDTH / width_pt if width_pt else 1.5
            image = page.render(scale=scale).to_pil().convert("RGB")
            name = f"p{index + 1}.webp"
            image.save(folder / name, "WEBP", quality=70, method=4)
            lines.append(f"{name} {image.width} {image.height}")
        pdf.close()
    except Exception:  # noqa: BLE001 - no pictures; the PDF is still downloadable
        logger.exception("media: could not render pages of %s", source)
        return
    (folder / "done").write_text("\n".join(lines) + "\n")
