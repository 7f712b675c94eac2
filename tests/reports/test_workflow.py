"""Draft → edit → approve → issue: permissions, history, stored files that never change, a new draft after;
the reminders before each deadline and the report's state on the leadership page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from lantoa.plans import services as plan_services
from lantoa.plans.models import CalendarEvent, Reminder
from lantoa.reports import periods, selectors, services
from lantoa.reports.models import Report
from lantoa.tenancy.models import Notification, Staff

from .conftest import YEAR, written

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sweep]


@pytest.fixture
def h1():
    return periods.for_kind("h1", YEAR)


def test_only_pvhcc_and_leadership_draft(world, h1, pvhcc_a, unit_a, leadership_a):
    with pytest.raises(PermissionDenied):
        services.create_draft(unit_a, world["commune"], h1)
    report = services.create_draft(pvhcc_a, world["commune"], h1)
    assert report.status == Report.Status.DRAFT and report.as_of == h1.end and report.created_by == pvhcc_a
    assert report.plan == world["plan"] and report.reach_period == str(YEAR)
    with pytest.raises(ValidationError):  # one open report per period
        services.create_draft(leadership_a, world["commune"], h1)
    with pytest.raises(ValidationError):
        services.create_draft(pvhcc_a, world["commune"], periods.for_kind("year", YEAR), as_of=dt.date(YEAR + 5, 1, 1))
    assert list(report.events.values_list("action", flat=True)) == ["create"]


def test_edits_are_kept_when_the_figures_are_read_again(world, h1, pvhcc_a):
    report = services.create_draft(pvhcc_a, world["commune"], h1, as_of=dt.date(YEAR, 3, 31))
    edited = report.sections["direction"] + "\nĐoạn bổ sung của Trung tâm PVHCC."
    services.save_sections(
        pvhcc_a,
        report,
        sections={"direction": edited},
        header={"recipients": "- Như trên\n- Đảng ủy xã\n", "signer_name": "Hoàng Văn Nam"},
    )
    report.refresh_from_db()
    assert report.recipients == ["Như trên", "Đảng ủy xã"] and report.signer_name == "Hoàng Văn Nam"
    before = report.sections["results"]
    services.refresh(pvhcc_a, report)
    report.refresh_from_db()
    assert report.as_of == h1.end
    assert report.sections["direction"] == edited  # kept
    assert report.sections["results"] != before and "đã triển khai 10 hoạt động" in report.sections["results"]
    with pytest.raises(ValidationError):
        services.save_sections(pvhcc_a, report, sections={"nonsense": "x"})
    with pytest.raises(ValidationError):
        services.save_sections(pvhcc_a, report, header={"summary": " "})
    assert [e.action for e in report.events.all()] == ["create", "edit", "refresh"]


def test_approve_return_issue_and_the_issued_report_never_changes(
    world, h1, pvhcc_a, leadership_a, unit_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path  # issued documents are private files
    commune = world["commune"]
    Staff.objects.create(commune=commune, full_name="Lãnh đạo", user=leadership_a)
    report = services.create_draft(pvhcc_a, commune, h1)
    with pytest.raises(ValidationError) as refused:  # the causes and lessons are the commune's to write
        services.submit(pvhcc_a, report)
    assert "3. Nguyên nhân; 4. Bài học kinh nghiệm" in refused.value.messages[0]
    assert Report.objects.get(pk=report.pk).status == Report.Status.DRAFT
    report = written(pvhcc_a, report)
    services.submit(pvhcc_a, report)
    assert Notification.objects.filter(user=leadership_a, url=f"/admin/baocao/{report.pk}/").exists()
    with pytest.raises(PermissionDenied):
        services.approve(pvhcc_a, report)
    with pytest.raises(ValidationError):  # submitted: not editable until returned
        services.save_sections(pvhcc_a, report, sections={"closing": "x"})
    services.return_to_draft(leadership_a, report, "Bổ sung số liệu kinh phí.")
    services.approve(leadership_a, report, "Đồng ý.")
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED and report.approved_by == leadership_a
    with pytest.raises(PermissionDenied):
        services.issue(unit_a, report, number="45", issued_on=dt.date(YEAR, 7, 1))
    with pytest.raises(ValidationError):
        services.issue(pvhcc_a, report, number="45/BC", issued_on=dt.date(YEAR, 7, 1))
    with pytest.raises(ValidationError):
        services.issue(pvhcc_a, report, number="45", issued_on=dt.date(YEAR, 6, 1))  # before the cut-off
    services.issue(pvhcc_a, report, number="45", issued_on=dt.date(YEAR, 7, 1))
    report.refresh_from_db()
    assert report.status == Report.Status.ISSUED and report.reference == "45/BC-UBND"
    assert report.pdf_file.name.endswith(".pdf") and len(report.pdf_sha256) == 64
    assert services.verify(report) == {"docx": True, "pdf": True, "xlsx": True}
    pdf = services.render(report, "pdf")
    assert pdf.startswith(b"%PDF") and services.sha256(pdf) == report.pdf_sha256
    docx = services.render(report, "docx")
    import io

    from docx import Document

    assert "Số: 45/BC-UBND" in Document(io.BytesIO(docx)).tables[0].cell(1, 0).text
    # Nothing can change it any more: services, the model and deletion all refuse.
    for attempt in (
        lambda: services.save_sections(pvhcc_a, report, sections={"closing": "x"}),
        lambda: services.refresh(pvhcc_a, report),
        lambda: services.return_to_draft(leadership_a, report),
        lambda: services.issue(pvhcc_a, report, number="46", issued_on=dt.date(YEAR, 7, 2)),
    ):
        with pytest.raises(ValidationError):
            attempt()
    report.summary = "Sửa trộm"
    with pytest.raises(ValidationError):
        report.save()
    report.refresh_from_db()
    with pytest.raises(ValidationError):
        report.delete()
    # A file altered on disk is detected; the download refuses to serve it.
    path = tmp_path / report.pdf_file.name
    path.write_bytes(path.read_bytes() + b"%")
    assert services.verify(report)["pdf"] is False
    with pytest.raises(services.TamperedFile):
        services.render(report, "pdf")
    # A new draft of the same period can follow; the number cannot be reused that year.
    follow = services.create_draft(pvhcc_a, commune, h1)
    assert follow.replaces == report and follow.status == Report.Status.DRAFT
    services.approve(leadership_a, written(pvhcc_a, follow))
    with pytest.raises(ValidationError):
        services.issue(pvhcc_a, follow, number="45", issued_on=dt.date(YEAR, 7, 3))
    assert selectors.latest(commune, h1) == report  # the issued one counts until the next is issued


def test_reminders_ten_and_three_days_before_each_report_deadline(world, pvhcc_a):
    from lantoa.tenancy.models import Unit
    from lantoa.tenancy.services import ensure_unit

    commune = world["commune"]
    ensure_unit(commune, "Trung tâm Phục vụ hành chính công", Unit.Kind.LEAD_CENTRE)
    plan_services.ensure_calendar(commune, YEAR)
    deadline = CalendarEvent.objects.get(commune=commune, key=f"report_h1:{YEAR}")
    assert deadline.date == dt.date(YEAR, 6, 20)
    assert plan_services.send_due_reminders(dt.date(YEAR, 6, 6)) == 0  # 14 days before: not for reports
    assert plan_services.send_due_reminders(dt.date(YEAR, 6, 10)) >= 1
    assert plan_services.send_due_reminders(dt.date(YEAR, 6, 17)) >= 1
    assert sorted(Reminder.objects.filter(event=deadline).values_list("days_before", flat=True).distinct()) == [3, 10]
    assert Notification.objects.filter(user=pvhcc_a, title__contains="20/06").count() == 2


def test_the_leadership_page_shows_each_reports_state(world, leadership_a, pvhcc_a):
    commune = world["commune"]
    this_year = periods.for_kind("h1", timezone.localdate().year)
    client = Client()
    client.force_login(leadership_a)
    page = client.get("/admin/plans/").content.decode()
    assert "Báo cáo định kỳ" in page
    assert f"Báo cáo 6 tháng đầu năm {this_year.year}: " in page
    panel = selectors.overview_panel(commune, leadership_a)
    assert [i["text"].split(":")[0] for i in panel["items"]] == [
        f"Báo cáo 6 tháng đầu năm {this_year.year}",
        f"Báo cáo năm {this_year.year}",
    ]
    report = services.create_draft(pvhcc_a, commune, periods.for_kind("year", YEAR))
    text = selectors.state_text(report, periods.for_kind("year", YEAR))
    assert text.startswith(f"Báo cáo năm {YEAR}: dự thảo, số liệu đến 14/12/{YEAR}")
