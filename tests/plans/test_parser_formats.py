"""The formats a commune has its plan in besides .docx and .txt: old Word (.doc), OpenDocument (.odt), a scanned
PDF and a photo of the page (OCR with Tesseract's Vietnamese data, the page deskewed first)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lantoa.plans import parser_ocr
from lantoa.plans.parser import PlanParseError, parse_plan_file

from .scans import FONT_DIR, render_scan
from .test_parser_documents import build_hoa_binh

FIXTURES = Path(__file__).parent / "fixtures"

needs_libreoffice = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
needs_ocr = pytest.mark.skipif(
    not (shutil.which("tesseract") and shutil.which("pdftoppm") and (FONT_DIR / "DejaVuSerif.ttf").is_file()),
    reason="tesseract-ocr, tesseract-ocr-vie, poppler-utils and fonts-dejavu-core are needed",
)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("hoa_binh.doc", marks=needs_libreoffice),
        pytest.param("hoa_binh.odt", marks=needs_libreoffice),
        "hoa_binh.pdf",
    ],
)
def test_old_word_opendocument_and_pdf_parse_like_the_docx(tmp_path, name):
    """The fixtures are the DOCX plan saved by LibreOffice as .doc, .odt and PDF (fixtures/make_office_fixtures.py).

    The PDF's task table is ruled and crosses a page break, where one row is split in two: the reader finds the
    table, puts the split row back together, and joins the lines each cell's width wrapped.
    """
    expected = parse_plan_file(build_hoa_binh(tmp_path / "hoa_binh.docx"))
    parsed = parse_plan_file(FIXTURES / name)
    assert parsed == expected
    assert parsed["signer"]["name"] == "Lê Thị Mai" and len(parsed["groups"]) == 2


def test_a_doc_that_is_not_a_word_file_is_refused_in_vietnamese(tmp_path):
    path = tmp_path / "ke-hoach.doc"
    path.write_bytes(b"<html>not a Word file</html>")
    with pytest.raises(PlanParseError, match="không phải tệp Word 97–2003"):
        parse_plan_file(path)


def _assert_the_scanned_plan(parsed):
    assert parsed["number"] == "12/KH-UBND" and parsed["date"] == "2026-03-05"
    assert parsed["signer"] == {"name": "Nguyễn Văn Bình", "title": "PHÓ CHỦ TỊCH", "on_behalf": "KT. CHỦ TỊCH"}
    tasks = [task for group in parsed["groups"] for task in group["tasks"]]
    assert [(t["code"], t["lead_units"], t["deadline"]) for t in tasks] == [
        ("1.1", ["Phòng Văn hóa - Xã hội"], "2026-09-30"),
        ("1.2", ["Văn phòng HĐND và UBND"], "2026-12-31"),
    ]
    assert tasks[0]["title"] == "Phát thanh chuyên đề chuyển đổi số hằng tháng"
    ocr = parsed["ocr"]
    assert ocr["pages"] == 1 and ocr["confidence"] > 80
    assert any(line["text"] == "Nguyễn Văn Bình" and line["confidence"] > 80 for line in ocr["lines"])


@needs_ocr
def test_a_scanned_pdf_is_read_by_ocr_with_its_tasks_and_signer(tmp_path):
    parsed = parse_plan_file(render_scan(tmp_path / "ke-hoach-scan.pdf", angle=1.5))
    _assert_the_scanned_plan(parsed)


@needs_ocr
def test_a_photo_of_the_page_taken_sideways_is_turned_and_read_by_ocr(tmp_path):
    parsed = parse_plan_file(render_scan(tmp_path / "ke-hoach.jpg", angle=-2.0, seed=3, turn=90))
    _assert_the_scanned_plan(parsed)


@needs_ocr
def test_the_page_is_deskewed_before_ocr(tmp_path):
    from PIL import Image

    for angle in (-2.5, 1.7):
        image = Image.open(render_scan(tmp_path / f"page{angle}.png", angle=angle)).convert("L")
        assert parser_ocr.skew_angle(image) == pytest.approx(-angle, abs=0.3)


def test_a_photo_too_large_or_not_an_image_is_refused_in_vietnamese(tmp_path, monkeypatch):
    from PIL import Image

    path = tmp_path / "anh.png"
    Image.new("L", (3000, 2000), 255).save(path)
    monkeypatch.setattr(parser_ocr, "MAX_PIXELS", 5_000_000)
    with pytest.raises(PlanParseError, match="6 megapixel"):
        parse_plan_file(path)
    broken = tmp_path / "hong.jpg"
    broken.write_bytes(b"\xff\xd8\xff not really a photo")
    with pytest.raises(PlanParseError, match="không phải ảnh hợp lệ"):
        parse_plan_file(broken)


@needs_ocr
@pytest.mark.django_db(transaction=True)  # the worker runs in this process and drops the connection between tasks
def test_a_scan_uploaded_in_the_back_office_is_read_by_the_worker_and_previewed_with_its_ocr(
    tmp_path, commune_a, django_capture_on_commit_callbacks
):
    """The OCR runs in the worker's limited child process (time, memory), never in the request."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client

    from lantoa.plans.models import Plan
    from lantoa.tenancy import roles
    from lantoa.tenancy.models import Job

    from ..conftest import make_user

    client = Client()
    client.force_login(make_user("pv", roles.PVHCC, commune=commune_a))
    photo = render_scan(tmp_path / "ke-hoach.png").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/plans/import/", {"file": SimpleUploadedFile("ke-hoach.png", photo)})
    assert response.status_code == 302 and Plan.objects.count() == 0  # nothing read in the request
    call_command("worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.error
    plan = Plan.objects.get()
    assert plan.signer_name == "Nguyễn Văn Bình" and plan.parsed["ocr"]["pages"] == 1
    page = client.get(f"/admin/plans/import/{plan.pk}/").content.decode()
    assert "Văn bản này là bản scan" in page and "Nguyễn Văn Bình" in page
