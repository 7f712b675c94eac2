"""The semi-annual report in a real browser: PVHCC drafts and edits it, the leadership approves and issues it,
the issued PDF is served unchanged; screenshots on a desktop and a phone."""

from __future__ import annotations

import hashlib

import pytest

from lantoa.tenancy import roles, services

from ..conftest import make_user, populate
from ..reports.conftest import YEAR, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Mk-kiem-thu-57!"


def login(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_draft_edit_approve_issue(live_server, browser, artifacts, settings, tmp_path):
    from lantoa.reports.models import Report

    settings.MEDIA_ROOT = tmp_path
    commune = services.onboard_commune(2026, default_site=True)
    build_world(commune, populate(commune, "Nà Pài"))
    make_user("pvhcc", roles.PVHCC, commune=commune)
    make_user("lanhdao", roles.LEADERSHIP, commune=commune)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    login(page, base, "pvhcc")
    page.goto(f"{base}/admin/baocao/")
    page.select_option("select[name=kind]", "h1")
    page.fill("input[name=year]", str(YEAR))
    with page.expect_navigation():
        page.click("button:has-text('Lập dự thảo')")
    assert page.get_by_text("Đã lập dự thảo từ dữ liệu").count() == 1
    report = Report.objects.get()
    page.fill("textarea[name=section_proposals]", "Đề nghị UBND tỉnh hỗ trợ 02 máy chiếu cho hội trường xã.")
    with page.expect_navigation():
        page.click("button[name=action][value=save]")
    assert page.get_by_text("Đã lưu.").count() == 1
    page.screenshot(path=str(artifacts / "reports-draft-desktop.png"), full_page=False)
    # The causes and lessons are the commune's to write: submitting is refused until they are.
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")
    assert page.get_by_text("còn nội dung trong ngoặc vuông để xã viết").count() == 1
    page.fill(
        "textarea[name=section_causes]",
        "a) Nguyên nhân khách quan: địa bàn rộng, mạng yếu ở các thôn vùng cao.\n"
        "b) Nguyên nhân chủ quan: một số đơn vị cập nhật kết quả chưa kịp thời.",
    )
    page.fill("textarea[name=section_lessons]", "Giao việc rõ đơn vị, rõ thời hạn; đến từng hộ hiệu quả hơn đăng tin.")
    with page.expect_navigation():
        page.click("button[name=action][value=save]")
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")
    assert page.get_by_text("Chờ phê duyệt").count() >= 1
    page.close()

    leader = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN")
    login(leader, base, "lanhdao")
    leader.goto(f"{base}/admin/baocao/{report.pk}/")
    leader.fill("textarea[name=text]", "Đồng ý, trình ký.")
    with leader.expect_navigation():
        leader.click("button[name=action][value=approve]")
    leader.fill("input[name=number]", "57")
    leader.fill("input[name=issued_on]", f"{YEAR}-07-01")
    with leader.expect_navigation():
        leader.click("button[name=action][value=issue]")
    assert leader.get_by_text("Đã ban hành: các tệp PDF, DOCX, XLSX đã được lưu").count() == 1
    assert leader.get_by_text("Các tệp đã lưu khớp mã băm").count() == 1
    leader.screenshot(path=str(artifacts / "reports-issued-phone.png"), full_page=True)
    report.refresh_from_db()
    assert report.status == Report.Status.ISSUED and report.reference == "57/BC-UBND"
    pdf = leader.request.get(f"{base}/admin/baocao/{report.pk}/pdf/")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    assert hashlib.sha256(pdf.body()).hexdigest() == report.pdf_sha256
    # Issued: the edit form and the workflow buttons are gone; the period is locked, the leadership may re-open it.
    assert leader.locator("textarea[name=section_proposals]").count() == 0
    assert leader.locator("button[name=action]:not([value=reopen])").count() == 0
    assert leader.locator("button[name=action][value=reopen]").count() == 1
    # The leadership page shows the state of this year's reports.
    leader.goto(f"{base}/admin/plans/")
    assert leader.locator("h3:has-text('Báo cáo định kỳ 6 tháng, năm')").count() == 1
    assert leader.get_by_text("Báo cáo 6 tháng đầu năm").count() >= 1
    leader.screenshot(path=str(artifacts / "reports-leadership-panel-phone.png"), full_page=True)
    leader.close()
