"""The back-office screens: list and draft, edit, downloads, the province roll-up; and the
figures of the report equal those the dashboard shows."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from lantoa.reach import selectors as reach_selectors
from lantoa.reports import periods, services
from lantoa.reports.models import Report
from lantoa.tenancy import roles
from lantoa.tenancy import services as tenancy

from ..conftest import CODE_B, make_user
from .conftest import YEAR, build_world, written

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sweep]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pvhcc_drafts_and_edits_from_the_back_office(world, pvhcc_a):
    client = client_for(pvhcc_a)
    page = client.get("/admin/baocao/")
    assert page.status_code == 200 and "Lập dự thảo báo cáo từ dữ liệu" in page.content.decode()
    response = client.post("/admin/baocao/", {"kind": "h1", "year": YEAR})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/baocao/{report.pk}/"
    page = client.get(f"/admin/baocao/{report.pk}/").content.decode()
    assert "Chỉnh sửa văn bản" in page and "Trình lãnh đạo phê duyệt" in page
    form = {
        "action": "save",
        "place": "Nam Cường",
        "symbol": "BC-UBND",
        "summary": report.summary,
        "addressees": "Bộ Khoa học và Công nghệ\nỦy ban nhân dân tỉnh Thái Nguyên",
        "recipients": "Như trên",
        "archive": "Lưu: VT, HCC",
        "signer_on_behalf": "KT. CHỦ TỊCH",
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Lường Văn Toàn",
    }
    form.update({f"section_{k}": v for k, v in report.sections.items()})
    form["section_proposals"] = "Đề nghị tỉnh hỗ trợ 02 máy chiếu."
    assert client.post(f"/admin/baocao/{report.pk}/", form).status_code == 302
    report.refresh_from_db()
    assert report.sections["proposals"] == "Đề nghị tỉnh hỗ trợ 02 máy chiếu." and report.recipients == ["Như trên"]
    docx = client.get(f"/admin/baocao/{report.pk}/docx/")
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    from docx import Document

    assert "Đề nghị tỉnh hỗ trợ 02 máy chiếu." in [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    xlsx = client.get(f"/admin/baocao/{report.pk}/xlsx/")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Theo thôn", "Chỉ tiêu toàn xã"]
    # A unit reads but cannot act.
    reader = make_user("donvi_doc", roles.UNIT, commune=world["commune"])
    assert client_for(reader).get(f"/admin/baocao/{report.pk}/").status_code == 200
    # Wagtail answers a refusal with a redirect to the dashboard (403 to a script): nothing changes either way.
    ajax = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
    assert client_for(reader).post(f"/admin/baocao/{report.pk}/", {"action": "submit"}, **ajax).status_code == 403
    assert client_for(reader).post("/admin/baocao/", {"kind": "year", "year": YEAR}, **ajax).status_code == 403
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT and Report.objects.count() == 1


def test_the_annex_has_every_hamlet_and_the_engines_figures(world):
    report = services.build(world["commune"], periods.for_kind("h1", YEAR))
    book = load_workbook(io.BytesIO(services.render(report, "xlsx")))
    sheet = book["Theo thôn"]
    hamlets = reach_selectors.hamlet_table(world["commune"], periods.for_kind("h1", YEAR).reach, report.as_of)
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0] in {h["hamlet"].name for h in hamlets}]
    assert len(rows) == len(hamlets)
    for row, hamlet in zip(sorted(rows), sorted(hamlets, key=lambda h: h["hamlet"].name), strict=True):
        assert row[1:6] == (
            hamlet["households"],
            hamlet["residents"],
            hamlet["households_reached"],
            hamlet["residents_reached"],
            hamlet["value"],
        )
    engine = {r["code"]: r for r in reach_selectors.indicator_values(world["commune"], str(YEAR), today=report.as_of)}
    indicators = book["Chỉ tiêu toàn xã"]
    found = {r[1]: r for r in indicators.iter_rows(values_only=True) if r[1] in engine}
    assert set(found) == set(engine)
    for code, row in found.items():
        assert (row[2], row[3], row[4], row[5]) == (
            engine[code]["numerator"],
            engine[code]["denominator"],
            engine[code]["value"],
            engine[code]["target"],
        )


def test_the_report_shows_the_dashboards_figures(world, pvhcc_a):
    """What the dashboard shows (reach.selectors.dashboard_data, the same day and period) is what the report prints."""
    from docx import Document

    from lantoa.reports import document
    from lantoa.reports import wording as W

    report = services.create_draft(pvhcc_a, world["commune"], periods.for_kind("year", YEAR))
    dashboard = reach_selectors.dashboard_data(world["commune"], str(YEAR), today=report.as_of)  # same cut-off
    assert len(report.data["indicators"]) == len(dashboard["rows"])
    for mine, shown in zip(report.data["indicators"], dashboard["rows"], strict=True):
        assert {k: mine[k] for k in ("code", "value", "numerator", "denominator", "target", "gap", "status")} == {
            k: shown[k] for k in ("code", "value", "numerator", "denominator", "target", "gap", "status")
        }
    page = client_for(pvhcc_a).get(
        f"/reach/communes/{world['commune'].pk}/?period={YEAR}&as_of={report.as_of.isoformat()}"
    )
    assert page.status_code == 200
    doc = Document(io.BytesIO(document.build_docx(report)))
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    printed = {row.cells[1].text: row.cells[3].text.split("\n")[0] for row in table.rows[1:]}
    for shown in dashboard["rows"]:
        assert printed[W.indicator_name(shown)] == (
            W.percent(shown["value"]) if shown["value"] is not None else "Chưa có số liệu"
        )


def test_province_roll_up_lists_communes_and_who_has_not_issued(
    world, province_user, pvhcc_a, leadership_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    commune_a = world["commune"]
    # A second commune of the same province, and one of another province the provincial user must not see.
    neighbour = tenancy.onboard_commune(2020)  # Xã Chợ Đồn, Thái Nguyên
    assert neighbour.province_id == commune_a.province_id
    far = tenancy.onboard_commune(CODE_B)
    from ..conftest import populate

    build_world(far, populate(far, "ZQXSECRETB"), tag="b")
    h1 = periods.for_kind("h1", YEAR)
    report = written(pvhcc_a, services.create_draft(pvhcc_a, commune_a, h1))
    services.approve(leadership_a, report)
    services.issue(leadership_a, report, number="12", issued_on=h1.end)
    client = client_for(province_user)
    page = client.get(f"/admin/baocao/province/?period={YEAR}H1")
    text = page.content.decode()
    assert page.status_code == 200
    assert commune_a.name in text and neighbour.name in text and "ZQXSECRETB" not in text
    assert "1/2 xã đã ban hành báo cáo" in text
    missing = text.split("Các xã chưa ban hành báo cáo")[1].split("Chỉ tiêu theo từng xã")[0]
    assert neighbour.name in missing and f"/admin/baocao/{report.pk}/pdf/" in text
    # The province user reads the issued PDF of a commune of the province, not another province's.
    assert client.get(f"/admin/baocao/{report.pk}/pdf/").content.startswith(b"%PDF")
    xlsx = client.get(f"/admin/baocao/province/xlsx/?period={YEAR}H1")
    book = load_workbook(io.BytesIO(xlsx.content))
    names = [r[0] for r in book["Theo xã"].iter_rows(values_only=True)]
    # Both Nam Cường communes share a name: the other province's would make it appear twice.
    assert names.count(commune_a.name) == 1 and names.count(neighbour.name) == 1 and "Toàn tỉnh" in names
    assert [r[0] for r in book["Chưa ban hành báo cáo"].iter_rows(min_row=4, values_only=True)] == [neighbour.name]
    comparison = reach_selectors.province_comparison([commune_a, neighbour], h1.reach, today=h1.end)
    row = next(r for r in book["Theo xã"].iter_rows(values_only=True) if r[0] == commune_a.name)
    assert row[1] == comparison["rows"][0]["values"]["officials_informed"]["value"]
    # A commune user's roll-up shows their own commune only.
    own = client_for(pvhcc_a).get("/admin/baocao/province/").content.decode()
    assert neighbour.name not in own


def test_the_history_of_a_report_reads_in_vietnamese(world, pvhcc_a):
    report = written(pvhcc_a, services.create_draft(pvhcc_a, world["commune"], periods.for_kind("year", YEAR)))
    services.submit(pvhcc_a, report)
    client = Client()
    client.force_login(pvhcc_a)
    page = client.get(f"/admin/baocao/{report.pk}/").content.decode()
    assert "lập dự thảo từ dữ liệu" in page and "trình lãnh đạo phê duyệt" in page
    assert ": create" not in page and ": submit" not in page
