"""Partners: the registry, personal links (hashing, expiry, revocation), what a partner sends through its link,
reminders, the S&T indicator, the report's sections with their cut-off, and upload checks in Vietnamese."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from docx import Document
from pypdf import PdfWriter

from lantoa.partners import reporting, selectors, services
from lantoa.partners.models import CommunicationPlan, Partner, PartnerActivity, PartnerLink, PartnerReminder
from lantoa.reach import selectors as reach_selectors
from lantoa.reach.models import ScienceTask
from lantoa.tenancy import roles
from lantoa.tenancy.models import PersonalDataAccess

from ..conftest import make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 18)


def pdf(name="ke-hoach.pdf"):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return SimpleUploadedFile(name, buf.getvalue(), "application/pdf")


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    Document().save(buf)
    return buf.getvalue()


@pytest.fixture
def partner(commune_a, pvhcc_a):
    return services.save_partner(
        pvhcc_a,
        commune_a,
        name="Công ty TNHH Chè Nam Cường",
        kind=Partner.Kind.PRIVATE_ENTERPRISE,
        tax_code="4700123456",
        sector="Chế biến chè",
        contact_name="Hoàng Văn Tài",
        contact_phone="0912345678",
        contact_email="tai@chenamcuong.vn",
    )


@pytest.fixture
def linked(partner, pvhcc_a):
    link, token = services.issue_link(pvhcc_a, partner, 2026, expires_on=dt.date(2026, 12, 31))
    return link, token


def test_tax_code_is_ten_digits_or_ten_dash_three(commune_a, pvhcc_a):
    for good in ("0101234567", "0101234567-001", ""):
        p = services.save_partner(pvhcc_a, commune_a, name=f"DN {good or 'none'}", kind="factory", tax_code=good)
        assert p.tax_code == good
    for bad in ("123456789", "01012345670", "0101234567001", "0101234567-01", "MST0101234"):
        with pytest.raises(ValidationError) as err:
            services.save_partner(pvhcc_a, commune_a, name=f"Sai {bad}", kind="factory", tax_code=bad)
        assert "Mã số thuế gồm 10 chữ số" in " ".join(err.value.messages)
    assert not Partner.objects.filter(name__startswith="Sai").exists()


def test_contact_is_read_only_by_allowed_roles_and_every_read_is_logged(commune_a, partner, pvhcc_a):
    unit = make_user("donvi_a", roles.UNIT, commune=commune_a)
    with pytest.raises(PermissionDenied):
        services.read_contact(unit, partner, purpose="xem")
    # A role that may not read the contact cannot overwrite it either.
    services.save_partner(
        unit,
        commune_a,
        Partner.objects.get(pk=partner.pk),
        name=partner.name,
        kind=partner.kind,
        contact_phone="0000000000",
    )
    assert Partner.objects.get(pk=partner.pk).contact_phone == "0912345678"
    values = services.read_contact(pvhcc_a, partner, purpose="xem")
    assert values["contact_phone"] == "0912345678"
    access = PersonalDataAccess.objects.get(commune=commune_a, user=pvhcc_a)
    assert "contact_phone" in access.fields and partner.name in access.purpose
    page = Client()
    page.force_login(unit)
    html = page.get(f"/admin/partners/{partner.pk}/").content.decode()
    assert "0912345678" not in html and "Hoàng Văn Tài" not in html
    page.force_login(pvhcc_a)
    assert "0912345678" in page.get(f"/admin/partners/{partner.pk}/").content.decode()
    assert PersonalDataAccess.objects.filter(commune=commune_a, user=pvhcc_a).count() == 2


def test_only_the_hash_of_a_token_is_stored_and_it_opens_only_its_own_link(linked):
    link, token = linked
    assert len(token) >= 40
    stored = PartnerLink.objects.get(pk=link.pk)
    assert stored.token_hash == services.hash_token(token) and token not in stored.token_hash
    assert services.link_for_token(token).live
    assert services.link_for_token(token + "x").state == "unknown"
    assert Client().get(f"/doi-tac/{token}x/").status_code == 404
    assert CommunicationPlan.objects.get(partner=link.partner, year=2026).status == "requested"


def test_expired_and_revoked_links_refuse_with_a_vietnamese_page(linked, pvhcc_a, partner):
    link, token = linked
    PartnerLink.objects.filter(pk=link.pk).update(expires_on=TODAY - dt.timedelta(days=1))
    response = Client().get(f"/doi-tac/{token}/")
    assert response.status_code == 410
    text = response.content.decode()
    assert "Đường liên kết này đã hết hạn vào ngày 17/11/2026" in text
    with pytest.raises(PermissionDenied):
        services.submit_plan_by_link(link, main_activities="x", start_date=TODAY, end_date=TODAY, upload=pdf())
    # A new link (a reminder) revokes the previous one.
    new, token2 = services.issue_link(pvhcc_a, partner, 2026)
    assert services.link_for_token(token2).live
    services.revoke_link(pvhcc_a, new)
    response = Client().get(f"/doi-tac/{token2}/")
    assert response.status_code == 410 and "đã được thay thế hoặc thu hồi" in response.content.decode()


def test_a_partner_submits_its_plan_and_activities_through_its_link(linked, commune_a, pvhcc_a):
    link, token = linked
    client = Client(enforce_csrf_checks=False)
    url = f"/doi-tac/{token}/"
    page = client.get(url)
    assert page.status_code == 200 and "Công ty TNHH Chè Nam Cường" in page.content.decode()
    response = client.post(
        url,
        {
            "action": "plan",
            "main_activities": "Hội thảo chuyển đổi số\nTruyền thông cho công nhân",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "file": pdf(),
        },
    )
    assert response.status_code == 302
    plan = CommunicationPlan.objects.get(partner=link.partner, year=2026)
    assert plan.status == "submitted" and plan.file_name == "ke-hoach.pdf"
    assert plan.file.read().startswith(b"%PDF")
    response = client.post(
        url,
        {"action": "activity", "date": "2026-10-02", "description": "Hội thảo cho 40 công nhân", "people_reached": 40},
    )
    assert response.status_code == 302
    assert PartnerActivity.objects.get(partner=link.partner).people_reached == 40
    rows = selectors.plan_rows(pvhcc_a, commune_a, 2026)
    assert [r.submitted for r in rows] == [True] and rows[0].activities == 1
    # A date in the future or outside the link's year is refused in Vietnamese, nothing written.
    response = client.post(url, {"action": "activity", "date": "2025-10-02", "description": "Cũ"})
    assert (
        response.status_code == 400
        and "Đường liên kết này dành cho các hoạt động năm 2026" in response.content.decode()
    )
    assert PartnerActivity.objects.count() == 1


def test_uploads_are_checked_with_vietnamese_errors(linked):
    link, _token = linked
    fake = SimpleUploadedFile("ke-hoach.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    with pytest.raises(ValidationError) as err:
        services.submit_plan_by_link(
            link, main_activities="x", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31), upload=fake
        )
    assert "“ke-hoach.pdf” bị hỏng" in " ".join(err.value.messages)
    exe = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "application/octet-stream")
    with pytest.raises(ValidationError) as err:
        services.submit_plan_by_link(
            link, main_activities="x", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31), upload=exe
        )
    assert "không phải là tệp được chấp nhận" in " ".join(err.value.messages)
    empty = SimpleUploadedFile("trong.docx", b"", "application/octet-stream")
    with pytest.raises(ValidationError) as err:
        services.report_activity_by_link(link, date=dt.date(2026, 5, 1), description="x", evidence=empty)
    assert "rỗng" in " ".join(err.value.messages)
    # A real Word document passes.
    plan = services.submit_plan_by_link(
        link,
        main_activities="x",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        upload=SimpleUploadedFile("ke-hoach.docx", docx_bytes()),
    )
    assert plan.status == "submitted"
    assert PartnerActivity.objects.count() == 0


def test_another_communes_partner_is_unreachable(linked, commune_b, partner):
    user_b = make_user("pvhcc_b", roles.PVHCC, commune=commune_b)
    with pytest.raises(PermissionDenied):
        services.issue_link(user_b, partner, 2026)
    with pytest.raises(PermissionDenied):
        services.save_partner(user_b, commune_b, partner, name="Đổi tên", kind="factory")
    client = Client()
    client.force_login(user_b)
    assert client.get(f"/admin/partners/{partner.pk}/").status_code == 404
    assert client.post(f"/admin/partners/{partner.pk}/remind/", {"year": 2026}).status_code == 404
    assert partner.name not in client.get("/admin/partners/").content.decode()
    assert not selectors.plan_rows(user_b, commune_b, 2026)


def test_a_publicising_activity_moves_the_science_task_indicator(linked, commune_a, partner, pvhcc_a):
    link, _token = linked
    task = ScienceTask.objects.create(commune=commune_a, title="Giống chè chịu hạn", year=2026)
    ScienceTask.objects.create(commune=commune_a, title="Nhiệm vụ khác", year=2026)

    def row():
        return next(
            r
            for r in reach_selectors.indicator_values(commune_a, "2026", today=TODAY)
            if r["code"] == "science_tasks_publicised"
        )

    assert row()["numerator"] == 0
    with pytest.raises(ValidationError):  # not one of the partner's own tasks
        services.report_activity_by_link(
            link,
            date=dt.date(2026, 9, 1),
            description="Hội thảo",
            evidence_url="https://x.vn/a",
            science_task_id=task.pk,
        )
    services.save_partner(
        pvhcc_a,
        commune_a,
        Partner.objects.get(pk=partner.pk),
        science_task_ids=[task.pk],
        name=partner.name,
        kind=partner.kind,
    )
    with pytest.raises(ValidationError) as err:  # publicised where? an address is needed
        services.report_activity_by_link(
            link, date=dt.date(2026, 9, 1), description="Hội thảo", science_task_id=task.pk
        )
    assert "địa chỉ" in " ".join(err.value.messages)
    activity = services.report_activity_by_link(
        link,
        date=dt.date(2026, 9, 1),
        description="Hội thảo giới thiệu giống chè chịu hạn",
        people_reached=60,
        evidence_url="https://baothainguyen.vn/giong-che",
        science_task_id=task.pk,
    )
    assert activity.publication.science_tasks.get() == task
    assert (row()["numerator"], row()["denominator"]) == (1, 2)


@pytest.mark.clock("2026-06-20T09:00:00+07:00")
def test_report_sections_count_only_what_is_dated_up_to_the_cut_off(linked, commune_a, pvhcc_a):
    from lantoa.partners.models import ExternalActivity

    link, _token = linked
    services.report_activity_by_link(link, date=dt.date(2026, 3, 2), description="Tập huấn", people_reached=30)
    services.report_activity_by_link(link, date=dt.date(2026, 6, 18), description="Hội chợ", people_reached=200)
    services.submit_plan_by_link(
        link, main_activities="x", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31), upload=pdf()
    )
    services.save_external_activity(
        pvhcc_a,
        commune_a,
        kind=ExternalActivity.Kind.DELEGATION,
        date=dt.date(2026, 5, 10),
        title="Đón đoàn doanh nghiệp Hàn Quốc",
        counterparts="Hàn Quốc",
        result="Ký biên bản ghi nhớ",
    )
    facts = reporting.facts(commune_a, 2026, dt.date(2025, 12, 15), dt.date(2026, 6, 14))
    assert (facts["activities"], facts["people_reached"]) == (1, 30)  # 18/6 is after the cut-off
    assert facts["with_plan"] == []  # submitted on 20/6, after the cut-off
    text = reporting.partners_text(facts)
    assert "0/1 đơn vị đã gửi kế hoạch truyền thông năm 2026" in text and "tiếp cận 30 lượt người" in text
    assert "Đón đoàn doanh nghiệp Hàn Quốc (Hàn Quốc); kết quả: Ký biên bản ghi nhớ" in reporting.external_text(facts)
    later = reporting.facts(commune_a, 2026, dt.date(2025, 12, 15), dt.date(2026, 6, 20))
    assert (later["activities"], later["people_reached"], later["with_plan"]) == (
        2,
        230,
        ["Công ty TNHH Chè Nam Cường"],
    )
    # The report's draft carries the two sections.
    from lantoa.reports import drafting, periods

    data = drafting.collect(commune_a, periods.parse("2026H1"), dt.date(2026, 6, 14))
    sections = drafting.compose(data)
    assert "tiếp cận 30 lượt người" in sections["partners"]
    assert "Đón đoàn doanh nghiệp Hàn Quốc" in sections["external"]


@pytest.mark.django_db(transaction=True)  # the worker runs in this process and drops the connection between tasks
def test_a_reminder_records_when_it_was_sent_and_mails_the_link_through_the_worker(
    partner, pvhcc_a, commune_a, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(pvhcc_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/partners/{partner.pk}/remind/", {"year": 2026})
    assert response.status_code == 200
    text = response.context["result"].text
    assert "/doi-tac/" in text and "Công ty TNHH Chè Nam Cường" in text
    reminder = PartnerReminder.objects.get(partner=partner)
    assert reminder.emailed and reminder.sent_by == pvhcc_a
    token = response.context["result"].url.rstrip("/").rsplit("/", 1)[1]
    assert services.link_for_token(token).live
    call_command("worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert [m.to for m in mail.outbox] == [["tai@chenamcuong.vn"]]
    assert token in mail.outbox[0].body
    page = client.get("/admin/partners/plans/?year=2026").content.decode()
    assert "Đã đề nghị" in page
