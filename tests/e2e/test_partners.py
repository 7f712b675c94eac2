"""A partner's personal link in a real browser on a 360 px phone: plan and two activities sent, the commune's list
shows it submitted, then the link expires and the page refuses."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfWriter

from lantoa.tenancy import roles, services

from ..conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "Mk-kiem-thu-57!"


def test_a_partner_sends_its_plan_and_activities_then_the_link_expires(live_server, browser, artifacts, tmp_path):
    from lantoa.partners import services as partners
    from lantoa.partners.models import PartnerLink

    commune = services.onboard_commune(2026, default_site=True)
    services.ensure_unit(commune, "Trung tâm Phục vụ hành chính công", "lead_centre")
    pvhcc = make_user("pvhcc", roles.PVHCC, commune=commune)
    partner = partners.save_partner(
        pvhcc, commune, name="Công ty TNHH Chè Nam Cường", kind="private_enterprise", tax_code="4700123456"
    )
    link, token = partners.issue_link(pvhcc, partner, 2026, expires_on=dt.date(2026, 12, 31))
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    plan_file = tmp_path / "ke-hoach-2026.pdf"
    buf = io.BytesIO()
    writer.write(buf)
    plan_file.write_bytes(buf.getvalue())
    base = live_server.url

    phone = browser.new_page(viewport={"width": 360, "height": 780}, locale="en-US")
    phone.goto(f"{base}/doi-tac/{token}/")
    assert phone.get_by_role("heading", name="Công ty TNHH Chè Nam Cường").count() == 1
    assert phone.get_by_text("Kế hoạch truyền thông năm 2026 của đơn vị").count() == 1  # Vietnamese, not English
    phone.screenshot(path=str(artifacts / "partners-link-phone.png"), full_page=True)
    phone.set_input_files("input[name=file]", str(plan_file))
    phone.fill("textarea[name=main_activities]", "Hội nghị phổ biến Nghị quyết 57\nBản tin chuyển đổi số hằng quý")
    phone.fill("input[name=start_date]", "2026-01-01")
    phone.fill("input[name=end_date]", "2026-12-31")
    with phone.expect_navigation():
        phone.click("button:has-text('Gửi kế hoạch')")
    assert phone.get_by_text("Cảm ơn: kế hoạch của đơn vị đã được tiếp nhận.").count() == 1
    for day, text, people in (("2026-09-12", "Hội nghị cho công nhân", "85"), ("2026-11-02", "Bản tin quý IV", "240")):
        phone.fill("input[name=date]", day)
        phone.fill("textarea[name=description]", text)
        phone.fill("input[name=people_reached]", people)
        with phone.expect_navigation():
            phone.click("button:has-text('Gửi hoạt động')")
        assert phone.get_by_text("Cảm ơn: hoạt động của đơn vị đã được ghi nhận.").count() == 1
    assert phone.locator("ul.acts li").count() == 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    phone.screenshot(path=str(artifacts / "partners-link-sent-phone.png"), full_page=True)

    # The commune's list shows it as submitted.
    desk = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    desk.goto(f"{base}/admin/login/")
    desk.fill("input[name=username]", "pvhcc")
    desk.fill("input[name=password]", PASSWORD)
    desk.click("button[type=submit]")
    desk.wait_for_url(f"{base}/admin/")
    desk.goto(f"{base}/admin/partners/plans/?year=2026")
    row = desk.locator(f"tr[data-partner='{partner.pk}']")
    assert row.get_by_text("Đã gửi", exact=True).count() == 1
    assert desk.get_by_text("Đã gửi: 1/1").count() == 1
    desk.screenshot(path=str(artifacts / "partners-plans-desktop.png"), full_page=True)
    desk.goto(f"{base}/admin/partners/{partner.pk}/?year=2026")
    assert desk.get_by_text("Hội nghị cho công nhân").count() == 1
    desk.screenshot(path=str(artifacts / "partners-partner-desktop.png"), full_page=True)
    partners.save_external_activity(
        pvhcc,
        commune,
        kind="delegation",
        date=dt.date(2026, 10, 5),
        title="Đón đoàn doanh nghiệp Hàn Quốc",
        counterparts="Hàn Quốc",
        result="Ký biên bản ghi nhớ",
    )
    desk.goto(f"{base}/admin/partners/external/")
    desk.screenshot(path=str(artifacts / "partners-external-desktop.png"), full_page=True)
    desk.set_viewport_size({"width": 360, "height": 780})
    desk.goto(f"{base}/admin/partners/plans/?year=2026")
    desk.screenshot(path=str(artifacts / "partners-plans-phone.png"), full_page=True)

    # The link expires: the page refuses, in Vietnamese, and says whom to contact.
    PartnerLink.objects.filter(pk=link.pk).update(expires_on=dt.date(2026, 11, 17))
    response = phone.goto(f"{base}/doi-tac/{token}/")
    assert response.status == 410
    assert phone.get_by_text("Đường liên kết này đã hết hạn vào ngày 17/11/2026.").count() == 1
    assert phone.get_by_text("Trung tâm Phục vụ hành chính công").count() == 1
    assert phone.locator("form").count() == 0
    phone.screenshot(path=str(artifacts / "partners-link-expired-phone.png"), full_page=True)
