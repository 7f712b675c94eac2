"""The demo commune Nam Cường, loaded once: what `load_demo` builds, its radio, and `build_report` on it.

Loading the demo takes half a minute on one core, so one test loads it and then makes, in turn, the checks that
three tests (each loading it itself) used to make: the platform's (commune, population, staff, logins, idempotent),
the radio's (one bulletin with its audio and airing, built once) and the reports' (`manage.py build_report` writes
DOCX, PDF and XLSX without the web interface). The reach demo's indicators (tests/reach/test_demo.py) need the demo
loaded on another day, so that test loads it itself.
"""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Sum
from docx import Document

from lantoa.radio.demo import load_radio_demo
from lantoa.radio.models import Airing, AudioJob, Bulletin, LoudspeakerCluster
from lantoa.reach import selectors as reach_selectors
from lantoa.reports import wording as W
from lantoa.reports.models import Report
from lantoa.tenancy.models import Commune, Hamlet, Household, Staff, Unit

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sweep]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def test_demo_commune_is_built_once_with_its_radio_and_reports(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=open(os.devnull, "w"))
    commune = Commune.objects.get()
    _load_demo_builds_nam_cuong_and_is_idempotent(commune, tmp_path)
    _demo_radio_is_built_once(commune, tmp_path)
    _build_report_for_the_demo_commune(commune, tmp_path)


def _load_demo_builds_nam_cuong_and_is_idempotent(commune, var_dir: Path) -> None:
    assert (commune.code, commune.name, commune.province.name) == (2026, "Xã Nam Cường", "Thái Nguyên")
    assert Hamlet.objects.filter(commune=commune).count() == 12
    households = Household.objects.filter(commune=commune)
    assert 2700 <= households.count() <= 3300
    residents = households.aggregate(n=Sum("members"))["n"]
    assert 10000 <= residents <= 14000
    assert Hamlet.objects.aggregate(n=Sum("residents_baseline"))["n"] == residents
    assert 38 <= Staff.objects.count() <= 42 and Staff.objects.filter(on_comms_duty=True).count() == 6
    assert Unit.objects.filter(commune=commune, name="Phòng Văn hóa - Xã hội").exists()
    logins = (var_dir / "demo-logins.txt").read_text().splitlines()
    assert {line.split("\t")[0] for line in logins} == {
        "admin",
        "lanhdao",
        "pvhcc",
        "bientap",
        "donvi",
        "tocns",
        "mttq",
        "tinh",
    }
    # Each demo login signs in and holds its role.
    for line in logins:
        username, _label, password = line.split("\t")
        assert authenticate(username=username, password=password) is not None
    call_command("load_demo", stdout=open(os.devnull, "w"))
    assert Household.objects.count() == households.count() and Commune.objects.count() == 1
    assert (var_dir / "demo-logins.txt").read_text().splitlines() == logins


def _demo_radio_is_built_once(commune, var_dir: Path) -> None:
    bulletin = load_radio_demo(commune)
    job = AudioJob.objects.get(bulletin=bulletin)
    assert bulletin.status == Bulletin.Status.PUBLISHED and bulletin.duration_seconds > 20, (job.status, job.error)
    assert AudioJob.objects.get(bulletin=bulletin).status == AudioJob.Status.DONE
    assert LoudspeakerCluster.objects.filter(commune=commune).count() >= 12
    assert Airing.objects.filter(bulletin=bulletin, status=Airing.Status.SCHEDULED).count() == 1
    assert (var_dir / "demo-radio-controller.txt").exists()
    assert load_radio_demo(commune).pk == bulletin.pk
    assert Bulletin.objects.filter(commune=commune).count() == 1


def _build_report_for_the_demo_commune(commune, tmp_path: Path) -> None:
    """``manage.py build_report`` on the demo commune: DOCX, PDF and XLSX written without the web interface."""
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
