"""The budget: two units' estimates consolidated into the proposal (XLSX read back, totals right) and its cover
note (DOCX read back: Decree 30 header, title, total); an adjustment beside the frozen original; spending summed
by date at a cut-off (a later entry not counted, a locked period refusing changes); the cost per household reached
and per official trained; the evidence kept private."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfWriter

from lantoa.budget import proposal, reporting, selectors, services
from lantoa.budget.models import EstimateLine, Source, Spending, Status
from lantoa.plans.models import Activity, Channel, Plan, SolutionGroup, Task
from lantoa.reach.models import Contact, TrainingCompletion, TrainingCourse
from lantoa.reports import periods
from lantoa.reports import services as report_services
from lantoa.tenancy import roles
from lantoa.tenancy import services as tenancy
from lantoa.tenancy.models import Staff

from ..conftest import make_user

pytestmark = pytest.mark.django_db
YEAR = 2026


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _refused(response) -> bool:
    """Wagtail answers a refusal with a redirect to the dashboard."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def _member(username, role, commune, unit):
    user = make_user(username, role, commune=commune)
    Staff.objects.create(commune=commune, unit=unit, full_name=f"Cán bộ {username}", user=user)
    return user


@pytest.fixture
def world(commune_a, data_a):
    plan = Plan.objects.create(commune=commune_a, title="Kế hoạch 57", year=YEAR, status=Plan.Status.ACTIVE)
    group = SolutionGroup.objects.create(commune=commune_a, plan=plan, code="1", title="Truyền thông", order=1)
    column = Task.objects.create(commune=commune_a, plan=plan, group=group, code="1.1", order=1, title="Chuyên mục")
    training = Task.objects.create(commune=commune_a, plan=plan, group=group, code="1.2", order=2, title="Bồi dưỡng")
    culture = tenancy.ensure_unit(commune_a, "Phòng Văn hóa - Xã hội")
    centre = tenancy.ensure_unit(commune_a, "Trung tâm Dịch vụ tổng hợp")
    office = tenancy.ensure_unit(commune_a, "Phòng Kinh tế")
    return {
        "commune": commune_a,
        "data": data_a,
        "tasks": {"1.1": column, "1.2": training},
        "units": {"culture": culture, "centre": centre, "office": office},
        "culture": _member("vhxh", roles.UNIT, commune_a, culture),
        "centre": _member("ttdv", roles.UNIT, commune_a, centre),
        "economic": _member("pkt", roles.UNIT, commune_a, office),
        "leader": make_user("lanhdao", roles.LEADERSHIP, commune=commune_a),
    }


def _approved(world, user, unit, task, title, amount, source=Source.COMMUNE_BUDGET) -> EstimateLine:
    line = services.create_line(
        user, world["commune"], year=YEAR, unit=unit, task=task, title=title, source=source, amount=amount
    )
    services.move_line(user, line, "submit")
    return services.move_line(world["leader"], line, "approve")


def test_two_units_estimates_consolidated_into_the_proposal_xlsx_and_cover_note(world):
    units, tasks = world["units"], world["tasks"]
    _approved(world, world["culture"], units["culture"], tasks["1.1"], "Nhuận bút chuyên mục", 24_000_000)
    _approved(world, world["culture"], units["culture"], tasks["1.2"], "Lớp kỹ năng số", 20_000_000, Source.PROGRAMME)
    _approved(world, world["centre"], units["centre"], tasks["1.1"], "Biên tập video", 15_500_000)
    # A unit drafts only for itself; a draft is not consolidated.
    with pytest.raises(PermissionDenied):
        services.create_line(
            world["centre"], world["commune"], year=YEAR, unit=units["culture"], title="Không được", amount=1
        )
    services.create_line(world["centre"], world["commune"], year=YEAR, unit=units["centre"], title="Nháp", amount=9)

    # The Economic Office's staff consolidate; another unit may not.
    assert _refused(_client(world["centre"]).get(f"/admin/ngansach/de-xuat.xlsx?year={YEAR}"))
    economic = _client(world["economic"])
    response = economic.get(f"/admin/ngansach/de-xuat.xlsx?year={YEAR}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
    header = next(i for i, r in enumerate(rows) if r[0] == "STT")
    assert list(rows[header]) == [
        "STT",
        "Nội dung",
        "Đơn vị chủ trì",
        "Nhiệm vụ",
        "Nguồn kinh phí",
        "Dự toán (đồng)",
        "Ghi chú",
    ]
    body = rows[header + 1 :]
    assert [r[0] for r in body] == ["I", 1, 2, "II", 1, None]
    assert body[0][1] == "Nhiệm vụ 1.1: Chuyên mục" and body[0][5] == 39_500_000
    assert {r[1] for r in body[1:3]} == {"Nhuận bút chuyên mục", "Biên tập video"}
    assert body[3][5] == 20_000_000 and body[4][4] == "Lồng ghép chương trình"
    assert body[-1][1] == "TỔNG CỘNG" and body[-1][5] == 59_500_000
    money_cell = next(c for c in sheet["F"] if c.value == 59_500_000)
    assert money_cell.number_format == proposal.numbers.xlsx_format(59_500_000, "money")
    assert "Nháp" not in {r[1] for r in body}
    # By unit: one group per unit, the same grand total.
    by_unit = load_workbook(io.BytesIO(economic.get(f"/admin/ngansach/de-xuat.xlsx?year={YEAR}&by=unit").content))
    unit_rows = [r for r in by_unit.active.iter_rows(values_only=True) if r[0] in ("I", "II")]
    assert sorted((r[1], r[5]) for r in unit_rows) == [
        ("Phòng Văn hóa - Xã hội", 44_000_000),
        ("Trung tâm Dịch vụ tổng hợp", 15_500_000),
    ]

    # The cover note (Tờ trình) in Decree 30 form.
    response = economic.get(f"/admin/ngansach/to-trinh.docx?year={YEAR}")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    head = doc.tables[0]
    assert head.cell(0, 0).paragraphs[0].text == f"ỦY BAN NHÂN DÂN {world['commune'].name.upper()}"
    assert "PHÒNG KINH TẾ" in head.cell(0, 0).text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head.cell(0, 1).text
    assert "Độc lập - Tự do - Hạnh phúc" in head.cell(0, 1).text
    assert head.cell(1, 0).text.startswith("Số:") and "/TTr-PKT" in head.cell(1, 0).text
    texts = [p.text for p in doc.paragraphs]
    assert "TỜ TRÌNH" in texts
    assert any(t.startswith("Về việc đề nghị phê duyệt dự toán kinh phí") and str(YEAR) in t for t in texts)
    assert "1. Tổng dự toán kinh phí: 59.500.000 đồng." in texts
    assert "- Phòng Văn hóa - Xã hội: 44.000.000 đồng;" in texts
    assert "TRƯỞNG PHÒNG" in doc.tables[-1].cell(0, 1).text


def test_an_adjustment_is_shown_beside_the_frozen_original(world):
    culture, leader = world["culture"], world["leader"]
    line = _approved(world, culture, world["units"]["culture"], world["tasks"]["1.1"], "Cụm loa", 60_000_000)
    # The approved original is frozen: the service and the page refuse an edit.
    with pytest.raises(ValidationError, match="đã được phê duyệt"):
        services.update_line(culture, line, amount=75_000_000)
    page = _client(culture).post(
        f"/admin/ngansach/dong/{line.pk}/",
        {
            "action": "edit",
            "year": YEAR,
            "unit": line.unit_id,
            "title": "Cụm loa",
            "source": "commune",
            "amount": "75000000",
            "version": line.version,
        },
    )
    assert page.status_code == 200 and "đã được phê duyệt" in page.content.decode()
    line.refresh_from_db()
    assert line.amount == 60_000_000
    # An adjustment needs its reason, then its own approval.
    with pytest.raises(ValidationError):
        services.propose_adjustment(culture, line, amount=75_000_000, reason=" ")
    response = _client(culture).post(
        f"/admin/ngansach/dong/{line.pk}/",
        {"action": "adjust", "amount": "75000000", "reason": "Bổ sung 3 cụm loa cho thôn mới sáp nhập"},
    )
    assert response.status_code == 302
    adj = line.adjustments.get()
    assert adj.status == Status.DRAFT and selectors.figures(world["commune"], YEAR)[0].current == 60_000_000
    services.move_adjustment(culture, adj, "submit")
    with pytest.raises(PermissionDenied):
        services.move_adjustment(culture, adj, "approve")
    services.move_adjustment(leader, adj, "approve")
    line.refresh_from_db()
    assert line.amount == 60_000_000 and line.status == Status.APPROVED
    html = _client(leader).get(f"/admin/ngansach/dong/{line.pk}/").content.decode()
    versions = html[html.index('id="versions"') : html.index("</table>", html.index('id="versions"'))]
    assert (
        versions.index("Dự toán ban đầu") < versions.index("Điều chỉnh lần 1") < versions.index("Dự toán đang áp dụng")
    )
    assert versions.count("60.000.000") == 1 and versions.count("75.000.000") == 2
    assert "Bổ sung 3 cụm loa" in html
    # The proposal counts the estimate in force and says what the original was.
    rows = list(
        load_workbook(io.BytesIO(proposal.xlsx_bytes(world["commune"], YEAR))).active.iter_rows(values_only=True)
    )
    item = next(r for r in rows if r[1] == "Cụm loa")
    assert item[5] == 75_000_000 and "Điều chỉnh lần 1 (dự toán ban đầu 60.000.000)" in item[6]


@pytest.mark.clock("2026-11-18T09:00:00+07:00")
def test_spending_by_date_summed_at_the_cut_off_and_the_issued_figure_does_not_move(world, tmp_path):
    culture, commune = world["culture"], world["commune"]
    line = _approved(world, culture, world["units"]["culture"], world["tasks"]["1.1"], "Nhuận bút", 24_000_000)
    pdf = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(pdf)
    scan = SimpleUploadedFile("phieu-chi.pdf", pdf.getvalue(), content_type="application/pdf")
    services.record_spending(culture, line, date=dt.date(YEAR, 3, 31), amount=7_000_000, what="Quý I", evidence=scan)
    services.record_spending(
        culture, line, date=dt.date(YEAR, 6, 14), amount=5_500_000, what="Quý II", document_number="PC-41"
    )
    services.record_spending(
        culture, line, date=dt.date(YEAR, 6, 15), amount=1_000_000, what="Sau ngày chốt", document_number="PC-42"
    )
    with pytest.raises(ValidationError):  # neither evidence nor a document number
        services.record_spending(culture, line, date=dt.date(YEAR, 5, 1), amount=1, what="Không chứng từ")
    h1 = periods.for_kind("h1", YEAR)
    report = report_services.build(commune, h1)
    assert report.as_of == dt.date(YEAR, 6, 14)
    budget = report.data["budget"]
    assert budget["spent"] == "12500000" or Decimal(budget["spent"]) == 12_500_000
    assert "kinh phí đã thực hiện đến ngày 14/06/2026: 12.500.000 đồng" in report.sections["budget"]
    # Issuing locks the half: an entry dated inside it is refused; one dated later is kept but not counted.
    tenancy.lock_period(
        world["leader"], commune, start=h1.start, end=h1.end, values={}, report_id=None, reference="45/BC-UBND"
    )
    with pytest.raises(ValidationError, match="45/BC-UBND"):
        services.record_spending(culture, line, date=dt.date(YEAR, 6, 10), amount=1, what="Muộn", document_number="X")
    entry = Spending.objects.get(what="Quý II")
    with pytest.raises(ValidationError):
        services.delete_spending(culture, entry)
    services.record_spending(
        culture, line, date=dt.date(YEAR, 9, 30), amount=4_000_000, what="Quý III", document_number="PC-77"
    )
    assert Decimal(reporting.block(commune, YEAR, dt.date(YEAR, 6, 14))["spent"]) == 12_500_000
    assert Decimal(reporting.block(commune, YEAR, dt.date(YEAR, 9, 30))["spent"]) == 17_500_000
    # The scan is private: served to the commune's users, not a public file.
    stored = Spending.objects.get(what="Quý I")
    assert "/media/" not in stored.evidence.path
    response = _client(world["leader"]).get(f"/admin/ngansach/chi/{stored.pk}/chung-tu/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_cost_per_household_reached_and_per_official_trained(world):
    culture, commune, data = world["culture"], world["commune"], world["data"]
    column, training = world["tasks"]["1.1"], world["tasks"]["1.2"]
    line = _approved(world, culture, world["units"]["culture"], column, "Chuyên mục", 10_000_000)
    course_line = _approved(world, culture, world["units"]["culture"], training, "Lớp học", 9_000_000)
    services.record_spending(
        culture, line, date=dt.date(YEAR, 4, 1), amount=3_000_000, what="Nhuận bút", document_number="1"
    )
    services.record_spending(
        culture, course_line, date=dt.date(YEAR, 5, 1), amount=1_500_000, what="Giảng viên", document_number="2"
    )
    meeting = Activity.objects.create(
        commune=commune,
        task=column,
        unit=world["units"]["culture"],
        title="Họp thôn",
        date=dt.date(YEAR, 4, 2),
        channel=Channel.CONFERENCE,
    )
    for household in data["households"]:  # two households, one of them twice
        Contact.objects.create(
            commune=commune, activity=meeting, channel="meeting", date=dt.date(YEAR, 4, 2), household=household
        )
    Contact.objects.create(
        commune=commune, activity=meeting, channel="visit", date=dt.date(YEAR, 4, 9), household=data["households"][0]
    )
    Contact.objects.create(commune=commune, activity=meeting, channel="board", date=dt.date(YEAR, 4, 9))
    lesson = Activity.objects.create(
        commune=commune,
        task=training,
        unit=world["units"]["culture"],
        title="Lớp kỹ năng số",
        date=dt.date(YEAR, 5, 2),
        channel=Channel.CONFERENCE,
    )
    course = TrainingCourse.objects.create(
        commune=commune, activity=lesson, title="Kỹ năng số", start_date=dt.date(YEAR, 5, 2)
    )
    others = [Staff.objects.create(commune=commune, full_name=f"Công chức {i}") for i in range(2)]
    for staff in [data["staff"], *others]:
        TrainingCompletion.objects.create(commune=commune, course=course, staff=staff, completed_on=dt.date(YEAR, 5, 3))
    costs = {c.task.code: c for c in selectors.task_costs(commune, YEAR, dt.date(YEAR, 6, 30))}
    assert (costs["1.1"].spent, costs["1.1"].households, costs["1.1"].per_household) == (3_000_000, 2, 1_500_000)
    assert (costs["1.2"].officials, costs["1.2"].per_official) == (3, 500_000)
    assert costs["1.1"].per_official is None
    html = _client(world["leader"]).get(f"/admin/ngansach/chi-phi/?year={YEAR}&as_of={YEAR}-06-30").content.decode()
    assert "1.500.000" in html and "500.000" in html


def test_the_pages_answer_each_role(world, client):
    line = _approved(world, world["culture"], world["units"]["culture"], world["tasks"]["1.1"], "Chuyên mục", 1_000)
    for user in (world["culture"], world["economic"], world["leader"]):
        c = _client(user)
        assert c.get(f"/admin/ngansach/?year={YEAR}").status_code == 200
        assert c.get(f"/admin/ngansach/dong/{line.pk}/").status_code == 200
    editor = make_user("bientap", roles.EDITOR, commune=world["commune"])
    assert _refused(_client(editor).get("/admin/ngansach/"))
    # The economic office sees the consolidation; a plain unit does not.
    assert "de-xuat.xlsx" in _client(world["economic"]).get("/admin/ngansach/").content.decode()
    assert "de-xuat.xlsx" not in _client(world["centre"]).get("/admin/ngansach/").content.decode()
