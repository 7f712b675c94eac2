"""``manage.py build_report`` on the demo commune: DOCX, PDF and XLSX written without the web interface."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from lantoa.reach import selectors as reach_selectors
from lantoa.reports import wording as W
from lantoa.reports.models import Report

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sweep]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_build_report_for_the_demo_commune(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=open(os.devnull, "w"))
    from lantoa.tenancy.models import Commune

    commune = Commune.objects.get(code=2026)
    assert Report.objects.filter(commune=commune).exists()  # the demo's reports
    out = io.StringIO()
    call_command(
        "build_report",
        commune=2026,
        period="2026",
        format="docx",
        out=str(tmp_path / "nam.docx"),
        fresh=True,
        stdout=out,
    )
    assert "nam.docx" in out.getvalue()
    doc = Document(str(tmp_path / "nam.docx"))
    assert doc.tables[0].cell(0, 0).paragraphs[1].text == "XÃ NAM CƯỜNG"
    assert [p.text for p in doc.paragraphs if p.text.strip()][2] == "Kính gửi: - Bộ Khoa học và Công nghệ;"
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    printed = {row.cells[1].text: row.cells[3].text.split("\n")[0] for row in table.rows[1:]}
    for row in reach_selectors.indicator_values(commune, "2026"):
        assert printed[W.indicator_name(row)] == (
            W.percent(row["value"]) if row["value"] is not None else "Chưa có số liệu"
        )
    # The saved first-half report (approved in the demo), as PDF: one conversion, pages kept to be looked at.
    pdf = tmp_path / "nam-h1.pdf"
    call_command("build_report", commune=2026, period="2026H1", format="pdf", out=str(pdf), stdout=io.StringIO())
    assert pdf.read_bytes().startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "reports-demo-h1.pdf").write_bytes(pdf.read_bytes())
    for old in ARTIFACTS.glob("reports-demo-h1-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(ARTIFACTS / "reports-demo-h1-page")], check=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "KT. CHỦ TỊCH" in text and "Lường Văn Toàn" in text and "Nơi nhận:" in text
    # An ad-hoc range, as the XLSX annex; nothing is saved.
    before = Report.objects.count()
    err = io.StringIO()
    call_command(
        "build_report",
        commune=2026,
        period="2026-03-01:2026-05-31",
        format="xlsx",
        out=str(tmp_path / "a.xlsx"),
        stdout=io.StringIO(),
        stderr=err,
    )
    assert (tmp_path / "a.xlsx").stat().st_size > 1000 and Report.objects.count() == before
    assert "2026S1" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("build_report", commune=99999, period="2026", format="docx", out=str(tmp_path / "x.docx"))
    with pytest.raises(CommandError):
        call_command("build_report", commune=2026, period="2026H7", format="docx", out=str(tmp_path / "x.docx"))
