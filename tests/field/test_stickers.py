"""QR door stickers (issue 13.6): an A4 sheet per hamlet with each household's code, a QR of the field app's
address with that code only, and the hamlet's name; from the command line and from the back office (a worker job)."""

from __future__ import annotations

import io
import subprocess

import pytest
import segno
from django.core.management import call_command
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from lantoa.field import services, stickers
from lantoa.field.models import StickerSheet
from lantoa.tenancy.models import Household, Job

from .conftest import make_user


def _hamlet_of_30(data_a):
    hamlet = data_a["hamlet"]
    for n in range(3, 31):
        Household.objects.create(commune=hamlet.commune, hamlet=hamlet, code=f"AAA-{n:04d}", members=2)
    return hamlet


def _qr_matrix_from_page(pdf_path, index: int, dpi: int = 300) -> list[list[bool]]:
    """Rasterise page 1 (pdftoppm) and read the modules of the index-th label's QR back, at each module's centre."""
    png = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", "-gray", str(pdf_path)],
        check=True,
        capture_output=True,
    ).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    x, y, size = stickers.qr_box(index)
    px = dpi / 25.4
    # The number of modules: version from the drawn size is what we check against, so count from segno's side.
    return image, x * px, y * px, size * px


@pytest.mark.django_db
def test_the_command_prints_a_hamlets_stickers_and_the_qr_reads_back(commune_a, data_a, tmp_path, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://namcuong.example.vn"
    hamlet = _hamlet_of_30(data_a)
    Household.objects.filter(code="AAA-0007").update(left_on="2026-01-01")  # moved out: no sticker
    out = tmp_path / "nhan.pdf"
    call_command("field_stickers", commune=commune_a.pk, hamlet=hamlet.pk, output=str(out), stdout=io.StringIO())
    reader = PdfReader(out)
    assert len(reader.pages) == 2  # 29 stickers, 24 a page
    text = "\n".join(page.extract_text() for page in reader.pages)
    codes = [f"AAA-{n:04d}" for n in range(1, 31) if n != 7]
    assert all(code in text for code in codes) and "AAA-0007" not in text
    assert hamlet.name in text
    assert "Nguyễn Văn A" not in text and "0912345678" not in text  # no personal data
    # The first sticker's QR, rasterised and read back module by module, is the QR of the app's address.
    url = "https://namcuong.example.vn/thuc-dia/#/h/AAA-0001"
    expected = [[bool(v) for v in row] for row in segno.make(url, error="m").matrix_iter(scale=1, border=0)]
    image, left, top, size = _qr_matrix_from_page(out, 0)
    n = len(expected)
    module = size / n
    read = [
        [image.getpixel((int(left + (c + 0.5) * module), int(top + (r + 0.5) * module))) < 128 for c in range(n)]
        for r in range(n)
    ]
    assert read == expected
    # Another commune's hamlet is not found from this commune.
    with pytest.raises(Exception, match="No hamlet"):
        call_command("field_stickers", commune=commune_a.pk + 999, hamlet=hamlet.pk, output=str(out))


@pytest.mark.django_db
def test_the_back_office_prints_stickers_in_the_worker(commune_a, data_a, django_capture_on_commit_callbacks):
    from lantoa.tenancy import roles

    _hamlet_of_30(data_a)
    team = make_user("tocns", roles.DIGITAL_TEAM, commune=commune_a)
    client = Client()
    client.force_login(team)
    page = client.get("/admin/thuc-dia/nhan-qr/").content.decode()
    assert "In nhãn QR" in page and data_a["hamlet"].name in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/thuc-dia/nhan-qr/", {"hamlet": data_a["hamlet"].pk})
    assert response.status_code == 302
    waiting = client.get(response["Location"]).content.decode()
    assert 'data-job-status="queued"' in waiting and 'http-equiv="refresh"' in waiting
    # What the worker runs (tests/test_worker.py covers the worker itself; a transactional test here costs minutes).
    job = Job.objects.get(kind=services.STICKER_JOB)
    assert job.options["hamlet_id"] == data_a["hamlet"].pk
    services.run_sticker_job(job.pk)
    done = client.get(response["Location"]).content.decode()
    sheet = StickerSheet.objects.get()
    assert sheet.households == 30 and "30 nhãn" in done
    download = client.get(f"/admin/thuc-dia/nhan-qr/{sheet.pk}/tai-ve/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # A role that records no visits cannot print stickers nor download them.
    editor = make_user("ed", roles.EDITOR, commune=commune_a)
    other = Client()
    other.force_login(editor)
    assert other.get("/admin/thuc-dia/nhan-qr/").status_code in (302, 403)  # Wagtail sends a refusal home
    assert other.get(f"/admin/thuc-dia/nhan-qr/{sheet.pk}/tai-ve/").status_code in (302, 403)
