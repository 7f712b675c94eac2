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
    assert page.locator("input[name=header-signer_name]").input_value() == "Lường Văn Toàn"  # corrected here if need be
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


def test_reimport_as_version_two_keeps_tracking_then_version_one_comes_back(live_server, browser, artifacts):
    """Issue 10: re-importing the seed plan keeps progress, activities and obstacles; version 1 can be restored."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from lantoa.plans import selectors
    from lantoa.plans import services as plans
    from lantoa.plans.models import Activity, Channel, Obstacle, Plan, Task
    from lantoa.tenancy.models import Unit

    commune = services.onboard_commune(2026, default_site=True)
    user = make_user("pvhcc", roles.PVHCC, commune=commune)
    v1 = plans.start_import(user, commune, SimpleUploadedFile("ke-hoach.txt", SEED.read_bytes()))
    plans.confirm_import(user, v1, unit_choices={}, indicator_codes=[""] * 8)
    tasks = {t.code: t for t in Task.objects.filter(plan=v1)}
    unit = Unit.objects.filter(commune=commune).first()
    for code, progress in (("1.1", 40), ("1.4", 100), ("2.2", 60)):
        plans.record_activity(
            user,
            tasks[code],
            unit=unit,
            title=f"Hoạt động {code}",
            date=dt.date(2026, 10, 5),
            channel=Channel.OTHER,
            progress=progress,
        )
    obstacle = plans.raise_obstacle(user, commune, unit=unit, title="Thiếu loa", description="Hỏng", task=tasks["1.4"])
    before, _groups = selectors.rollup(v1)

    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    login(page, base, "pvhcc")
    page.goto(f"{base}/admin/plans/import/")
    page.set_input_files("input[type=file]", str(SEED))
    page.click("button:has-text('Đọc kế hoạch')")
    page.wait_for_url("**/admin/plans/import/jobs/*/")  # the worker reads the plan
    call_command("worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    page.wait_for_url("**/admin/plans/import/*/", timeout=15_000)
    assert page.get_by_text("Thay đổi so với phiên bản 1 đang có hiệu lực").count() == 1
    assert page.locator("#changes + p + div .lt-badge:has-text('giữ nguyên')").count() == 11
    page.click("button[name=confirm]")
    page.wait_for_url(f"{base}/admin/plans/")
    v2 = Plan.objects.get(commune=commune, status=Plan.Status.ACTIVE)
    assert v2.version == 2
    after, _groups = selectors.rollup(v2)
    assert after.progress == before.progress > 0
    assert set(Activity.objects.values_list("task__plan", flat=True)) == {v2.pk}
    assert page.get_by_text("Thiếu loa").count() >= 1  # the open obstacle is still on the leadership page
    page.goto(f"{base}/admin/plans/tasks/")
    assert page.locator("a:has-text('1.4.')").count() == 1
    page.screenshot(path=str(artifacts / "plan-v2-tasks-desktop.png"), full_page=True)

    # Restore version 1: a confirmation page says what moves, then the records go back.
    page.goto(f"{base}/admin/plans/")
    page.click("a:has-text('Áp dụng lại phiên bản 1')")
    page.wait_for_url(f"**/admin/plans/versions/{v1.pk}/restore/")
    assert page.get_by_text("Các báo cáo đã ban hành không thay đổi.").count() == 1
    assert page.get_by_text("11 nhiệm vụ giống nhau ở cả hai phiên bản.").count() == 1
    page.set_viewport_size({"width": 360, "height": 780})
    page.screenshot(path=str(artifacts / "plan-restore-confirm-phone.png"), full_page=True)
    with page.expect_navigation():
        page.click("button:has-text('Áp dụng lại phiên bản 1')")
    assert page.get_by_text("Phiên bản 1 được áp dụng lại").count() == 1
    v1.refresh_from_db()
    assert v1.status == Plan.Status.ACTIVE
    assert set(Activity.objects.values_list("task__plan", flat=True)) == {v1.pk}
    assert Obstacle.objects.get(pk=obstacle.pk).task.plan_id == v1.pk
    page.close()
