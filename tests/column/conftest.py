"""Fixtures of the column's tests: a commune with its column, generated images, audio and PDFs."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from lantoa.column import services
from lantoa.column.models import ArticlePage, MediaFile

from ..conftest import make_user


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rendered fragments are keyed by page and revision ids, which a rolled-back test database reuses."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files and renditions go to a throwaway folder; the page cache is off unless a test turns it on."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.LANTOA_PAGECACHE_DIR = None
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".localhost"]  # each commune's own site
    return tmp_path / "media"


@pytest.fixture
def column_a(commune_a):
    return services.ensure_column(commune_a)


@pytest.fixture
def column_b(commune_b):
    return services.ensure_column(commune_b)


def make_image(commune, title="Ảnh", size=(800, 450), color=(30, 120, 200)):
    buf = io.BytesIO()
    PILImage.new("RGB", size, color).save(buf, "PNG")
    return get_image_model().objects.create(
        title=title, file=ContentFile(buf.getvalue(), name="anh.png"), collection=commune.collection
    )


def mp3_bytes(seconds: float = 2.0) -> bytes:
    """A real MP3 (LAME through PyAV), so that its duration can be read back."""
    from lantoa.column.demo_media import tone_wav, wav_to_mp3

    return wav_to_mp3(tone_wav(seconds))


def pdf_bytes(pages: int = 2, title: str = "Sổ tay chuyển đổi số") -> bytes:
    from fpdf import FPDF

    from lantoa.column.demo_media import font_path

    pdf = FPDF()
    pdf.add_font("Noto", "", font_path("regular"))
    pdf.set_font("Noto", size=16)
    for n in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 10, f"{title} — trang {n + 1}\nNghị quyết 57-NQ/TW về chuyển đổi số.")
    return bytes(pdf.output())


def make_media(commune, kind="audio", title="Tệp"):
    data, name = {"audio": (mp3_bytes, "tap.mp3"), "pdf": (pdf_bytes, "so-tay.pdf")}[kind]
    media = MediaFile(commune=commune, title=title)
    media.file.save(name, ContentFile(data()), save=False)
    media.full_clean()
    media.save()
    return media


def add_article(home, title="Nghị quyết 57 đến với từng thôn", publish=True, **fields):
    body = fields.pop("body", None) or [
        ("paragraph", RichText("<p>Nghị quyết số 57-NQ/TW mở ra đột phá về khoa học, công nghệ.</p>")),
        ("facts", {"title": "Con số", "figures": [{"value": "70%", "label": "người dân tiếp cận"}], "source": ""}),
    ]
    page = ArticlePage(
        title=title,
        summary=fields.pop("summary", "Tóm tắt bài viết về chuyển đổi số."),
        body=body,
        live=publish,
        **fields,
    )
    home.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


@pytest.fixture
def people_a(commune_a):
    from lantoa.tenancy import roles

    return {
        "editor": make_user("bientap_a", roles.EDITOR, commune=commune_a),
        "pvhcc": make_user("pvhcc_review_a", roles.PVHCC, commune=commune_a),
        "leader": make_user("lanhdao_a", roles.LEADERSHIP, commune=commune_a),
        "oversight": make_user("mttq_a", roles.OVERSIGHT, commune=commune_a),
        "unit": make_user("donvi_a", roles.UNIT, commune=commune_a),
    }
