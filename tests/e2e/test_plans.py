"""The plan in a real browser: import → correct → save; the leadership page; a unit's task page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from lantoa.tenancy import roles, services

from ..conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SEED = Path(__file__).resolve().parents[2] / "lantoa" / "plans" / "demo_data" / "ke-hoach-57-xa-nam-cuong-2026.txt"
PASSWORD = "Mk-kiem-thu-57!"


def login(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_import_correct_save_then_track(live_server, browser, artifacts):
    from lantoa.plans.models import Plan, Task
    from lantoa.tenancy.models import Staff, Unit

    commune = services.onboard_commune(2026, default_site=True)
    kinh_te = services.ensure_unit(commune, "Phòng Kinh tế")
    make_user("pvhcc", roles.PVHCC, commune=commune)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    login(page, base, "pvhcc")
    page.goto(f"{base}/admin/plans/import/")
    page.set_input_files("input[type=file]", str(SEED))
    page.click("button:has-text('Đọc kế hoạch')")
    page.wait_for_url("**/admin/plans/import/jobs/*/")  # the request returns at once; the worker reads the plan
    call_command("worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    page.wait_for_url("**/admin/plans/import/*/", timeout=15_000)  # the progress page refreshes itself
    assert page.get_by_text("Kiểm tra kế hoạch đã nhập").count() >= 1
    assert page.get_by_text("Lường Văn Toàn").count() == 1
    page.screenshot(path=str(artifacts / "plan-import-preview-desktop.png"), full_page=True)
    # Correct: the existing "Phòng Kinh tế" is matched; map the 2026 residents target; leave a unit out.
    assert page.locator("select[aria-label='Phòng Kinh tế']").input_value() == str(kinh_te.pk)
    page.select_option("select[aria-label='UBND xã']", value="")
    page.click("button[name=confirm]")
    page.wait_for_url(f"{base}/admin/plans/")
    assert page.get_by_text("Đã lưu kế hoạch").count() == 1
    plan = Plan.objects.get(status=Plan.Status.ACTIVE)
    assert plan.tasks.count() == 11
    assert not Unit.objects.filter(commune=commune, name="UBND xã").exists()
    assert Task.objects.get(plan=plan, code="3.2").lead_units.get() == kinh_te
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=str(artifacts / "plan-leadership-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    page.screenshot(path=str(artifacts / "plan-leadership-desktop.png"), full_page=True)
    # A unit records an activity on its own task from its phone.
    vhxh = Unit.objects.get(commune=commune, name="Phòng Văn hóa - Xã hội")
    user = make_user("donvi", roles.UNIT, commune=commune)
    Staff.objects.create(commune=commune, unit=vhxh, full_name="Triệu Thu Giang", user=user)
    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN")
    login(phone, base, "donvi")
    phone.goto(f"{base}/admin/plans/tasks/")
    assert phone.get_by_text("Nhiệm vụ của Phòng Văn hóa - Xã hội").count() == 1
    assert phone.locator("a:has-text('3.2.')").count() == 0  # not this unit's task
    phone.click("a:has-text('1.4.')")
    phone.click("summary:has-text('Ghi nhận hoạt động')")
    phone.fill("input[name=title]", "Tổ công nghệ số thôn Nà Pài đến từng hộ")
    phone.select_option("select[name=channel]", "community_team")
    phone.fill("input[name=people_count]", "42")
    with phone.expect_navigation():
        phone.click("button:has-text('Lưu hoạt động')")
    phone.screenshot(path=str(artifacts / "plan-unit-task-phone.png"), full_page=True)
    assert phone.get_by_text("Đã ghi nhận hoạt động.").count() == 1
    assert phone.get_by_text("Tổ công nghệ số thôn Nà Pài đến từng hộ").count() == 1
    phone.screenshot(path=str(artifacts / "plan-unit-task-phone.png"), full_page=True)
    page.close()
    phone.close()
