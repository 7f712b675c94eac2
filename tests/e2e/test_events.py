"""Events on a phone: invite a unit's officials, check half of them in offline at the door, sync; the officials
indicator and the missing list agree; a make-up session closes the gap; a certificate's QR opens its public page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from lantoa.tenancy import roles

from ..conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Pvhcc-57-Nam-Cuong!"
PHONE = {"width": 360, "height": 740}


def test_invite_check_in_offline_make_up_and_certificate(live_server, browser, artifacts, settings, tmp_path):
    from django.utils import timezone

    from lantoa.events import services
    from lantoa.events.models import Attendance, Event, Invitation
    from lantoa.reach import selectors as reach_selectors
    from lantoa.reach.models import ReachSettings
    from lantoa.tenancy import certificates
    from lantoa.tenancy import services as tenancy
    from lantoa.tenancy.models import Staff

    from ..reach.conftest import make_plan

    settings.VAR_DIR = tmp_path
    commune = tenancy.onboard_commune(2026, default_site=True)
    unit = tenancy.ensure_unit(commune, "Văn phòng HĐND và UBND")
    for i in range(8):
        Staff.objects.create(commune=commune, unit=unit, full_name=f"Nguyễn Văn Cán Bộ {i}", category="civil_servant")
    ReachSettings.objects.create(commune=commune, briefings_per_year=1)
    task = make_plan(commune)["task"]
    user = make_user("pvhcc_e2e", roles.PVHCC, commune=commune, password=PASSWORD)
    today = timezone.localdate()
    event = services.create_event(
        user,
        commune,
        title="Hội nghị quán triệt Nghị quyết 57",
        kind=Event.Kind.CONFERENCE,
        starts_at=timezone.make_aware(dt.datetime.combine(today, dt.time(8, 0))),
        place="Hội trường UBND xã",
        unit=unit,
        task=task,
    )

    # A phone, browser in English: the pages still speak Vietnamese (the user's profile decides).
    context = browser.new_context(viewport=PHONE, locale="en-US", extra_http_headers={"Accept-Language": "en-US"})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/su-kien/{event.pk}/")
    page.fill("input[name=username]", "pvhcc_e2e")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/su-kien/{event.pk}/")
    page.get_by_label("Văn phòng HĐND và UBND").check()
    page.locator("form:has(input[value=units]) button[type=submit]").click()
    page.get_by_text("Đã tạo 8 giấy mời").wait_for()
    page.screenshot(path=str(artifacts / "events-event-phone.png"), full_page=True)
    codes = list(Invitation.objects.filter(event=event).order_by("staff__full_name").values_list("code", flat=True))
    assert len(codes) == 8
    services.cancel_invitation(user, Invitation.objects.get(code=codes[7]))  # declined before the day

    # The door: the list is downloaded, then the network drops; four officials are checked in offline.
    page.get_by_role("link", name="Điểm danh tại cửa").click()
    expect(page.locator("#total")).to_have_text("7")
    context.set_offline(True)
    for code in codes[:4]:
        page.fill("#code", code)
        page.press("#code", "Enter")
        expect(page.locator("#verdict")).to_have_class(re.compile(r"\bok\b"))
    page.fill("#code", codes[7])
    page.press("#code", "Enter")
    assert "TỪ CHỐI" in page.locator("#verdict").inner_text()  # cancelled: refused even offline
    assert page.locator("#queued").inner_text() == "4" and not Attendance.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.screenshot(path=str(artifacts / "events-door-phone.png"), full_page=True)
    context.set_offline(False)
    page.click("#sync")
    expect(page.locator("#queued")).to_have_text("0")
    expect(page.locator("#present")).to_have_text("4")
    assert Attendance.objects.filter(event=event).count() == 4

    # The indicator and the missing list agree: 4 of 8 informed, the other 4 listed.
    row = next(r for r in reach_selectors.indicator_values(commune, "2026") if r["code"] == "officials_informed")
    assert (row["numerator"], row["denominator"]) == (4, 8)
    page.goto(f"{live_server.url}/su-kien/communes/{commune.pk}/chua-duoc-thong-tin/")
    assert page.locator("#missing-count").inner_text() == "4"
    listed = set(page.locator("#missing-list tbody td:first-child").all_inner_texts())
    assert listed == {f"Nguyễn Văn Cán Bộ {i}" for i in range(4, 8)}
    page.screenshot(path=str(artifacts / "events-missing-phone.png"), full_page=True)

    # One click: the make-up session invites exactly them; checked in, the gap closes.
    page.get_by_role("button", name="Tạo buổi bù").click()
    page.get_by_text("Đã tạo buổi bù cho 4 cán bộ").wait_for()
    makeup = Event.objects.exclude(pk=event.pk).get()
    page.get_by_role("link", name="Điểm danh tại cửa").click()
    expect(page.locator("#total")).to_have_text("4")
    for code, name in Invitation.objects.filter(event=makeup).values_list("code", "staff__full_name"):
        page.fill("#code", code)
        page.press("#code", "Enter")
        expect(page.locator("#verdict")).to_contain_text(name)
    expect(page.locator("#queued")).to_have_text("0")
    row = next(r for r in reach_selectors.indicator_values(commune, "2026") if r["code"] == "officials_informed")
    assert (row["numerator"], row["denominator"]) == (8, 8)
    page.goto(f"{live_server.url}/su-kien/communes/{commune.pk}/chua-duoc-thong-tin/")
    assert page.locator("#missing-count").inner_text() == "0"
    # Desktop views of the same pages (docs/img/events/).
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/su-kien/{event.pk}/")
    page.screenshot(path=str(artifacts / "events-event-desktop.png"), full_page=True)
    page.goto(f"{live_server.url}/su-kien/communes/{commune.pk}/")
    page.screenshot(path=str(artifacts / "events-commune-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)

    # A certificate of attendance: its QR holds the public verification address, which opens with no login.
    present = Invitation.objects.get(code=codes[0])
    answer = page.request.get(f"{live_server.url}/su-kien/invitations/{present.pk}/chung-nhan.pdf")
    assert answer.status == 200 and answer.body().startswith(b"%PDF")
    certificate = certificates.of_subject(Attendance.objects.get(invitation=present)).get()
    address = certificates.verification_url(certificate)
    path = address[address.index("/xac-minh/") :]
    context.close()
    anonymous = browser.new_context(viewport=PHONE, locale="en-US")
    public = anonymous.new_page()
    public.goto(f"{live_server.url}{path}")
    assert "Nguyễn Văn Cán Bộ 0" in public.content()
    public.goto(f"{live_server.url}/su-kien/loi-moi/{codes[1]}/")
    assert public.locator("svg").count() == 1  # the invitation's QR code
    public.screenshot(path=str(artifacts / "events-invitation-phone.png"), full_page=True)
    anonymous.close()
