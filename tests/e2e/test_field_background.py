"""Visits queued offline reach the server when the signal returns even if the team member has closed the app by then
(Background Sync: the service worker sends the queue of the user signed in, under the same lock as the page). The
browser's "connection is back" is given through the DevTools protocol (``ServiceWorker.dispatchSyncEvent``), as
Chromium does when the phone's network returns; the page is closed at that moment."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lantoa.tenancy import roles

from ..conftest import make_user
from ..reach.conftest import make_activity, make_plan
from .test_field import PASSWORD, _phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TAG = "lantoa-field-send"


def _wait(condition, seconds=20.0, page=None):
    """Poll ``condition``; with a page, wait through Playwright so that its events (DevTools') are delivered."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        if page is not None:
            page.wait_for_timeout(200)
        else:
            time.sleep(0.2)
    return False


def _sign_in(page, app, username):
    page.goto(app)
    page.get_by_role("link", name="Đăng nhập").click()
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{app}*")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    assert _wait(lambda: page.evaluate("navigator.serviceWorker.controller !== null"), 10)


def _ready_to_go_out(phone, app, username, households: int):
    """The phone's page, signed in, with the assignment downloaded (``households`` of them)."""
    page = phone.pages[0]
    _sign_in(page, app, username)
    page.goto(f"{app}#/tai")
    page.click("#dl")
    expect(page.locator("#n-households")).to_have_text(str(households))
    return page


def _record_offline(page, app, codes, today):
    for code in codes:
        page.evaluate(f"location.hash = '#/h/{code}'")
        page.wait_for_selector(f"#selected[data-code='{code}']")
        page.fill("input[name=date]", today)
        page.fill("input[name=people]", "3")
        page.click("#visit button[type=submit]")
        page.wait_for_selector("#selected", state="detached")


def _elsewhere(phone):
    """Another (blank) page: the browser keeps running when the app's page closes (closing its last page would end
    the browser's session, and the sign-in with it: the login lasts until the browser closes); it also carries the
    DevTools session."""
    return phone.new_page()


def _connection_back(phone, blank, app):
    """What Chromium does when the network returns: fire the service worker's pending sync (no page of the app
    open)."""
    origin = app.split("/thuc-dia/", 1)[0]
    cdp = phone.new_cdp_session(blank)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    assert _wait(lambda: any(r["scopeURL"] == app and not r["isDeleted"] for r in registrations), 10, blank)
    registration = next(r for r in registrations if r["scopeURL"] == app and not r["isDeleted"])
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {"origin": origin, "registrationId": registration["registrationId"], "tag": TAG, "lastChance": False},
    )


def test_the_service_worker_sends_the_queue_with_the_app_closed(live_server, browser, tmp_path, commune_a, data_a):
    from lantoa.field.models import FieldEvent
    from lantoa.reach.models import Contact
    from lantoa.tenancy.models import Household, Staff

    hamlet = data_a["hamlet"]
    for n in range(3, 8):
        Household.objects.create(commune=commune_a, hamlet=hamlet, code=f"AAA-{n:04d}", members=2)
    make_activity(commune_a, make_plan(commune_a, year=2025)["task"], data_a["unit"])
    user = make_user("tocns_nen", roles.DIGITAL_TEAM, commune=commune_a, password=PASSWORD)
    Staff.objects.create(commune=commune_a, full_name="Ma Đức Long", user=user).hamlets.set([hamlet])
    codes = list(Household.objects.filter(hamlet=hamlet).order_by("code").values_list("code", flat=True))[:3]
    app = f"{live_server.url}/thuc-dia/"

    phone = _phone(browser, tmp_path / "phone")
    page = _ready_to_go_out(phone, app, "tocns_nen", 7)
    device_id = page.evaluate("localStorage.getItem('lantoa-field-device')")

    # In the hamlet, no signal: three visits; the app asks the browser to send when the connection is back.
    phone.set_offline(True)
    page.reload()
    _record_offline(page, app, codes, timezone.localdate().isoformat())
    assert _wait(lambda: TAG in page.evaluate("navigator.serviceWorker.ready.then((r) => r.sync.getTags())"), 5)
    page.goto(f"{app}#/hang-doi")
    expect(page.locator("#n-pending")).to_have_text("3")
    # The team member puts the phone away: the app is closed, nothing has been sent.
    blank = _elsewhere(phone)
    page.close()
    assert Contact.objects.filter(commune=commune_a).count() == 0

    # Back in signal: the browser wakes the service worker, which sends the queue, the app still closed.
    phone.set_offline(False)
    _connection_back(phone, blank, app)
    assert _wait(lambda: Contact.objects.filter(commune=commune_a, channel="visit").count() == 3)
    events = FieldEvent.objects.filter(commune=commune_a)
    assert sorted(events.values_list("household__code", flat=True)) == sorted(codes)
    assert set(events.values_list("device_id", "user_id")) == {(device_id, user.pk)}  # the phone's own id

    # Opened again, the app shows them sent; sending again (the page's own sync) adds nothing.
    blank.goto(f"{app}#/hang-doi")
    expect(blank.locator("#n-sent")).to_have_text("3", timeout=15000)
    assert blank.locator("#n-pending").inner_text() == "0"
    blank.evaluate("navigator.serviceWorker.ready.then(() => true)")
    _connection_back(phone, blank, app)
    blank.wait_for_timeout(1000)
    assert Contact.objects.filter(commune=commune_a).count() == 3
    assert FieldEvent.objects.filter(commune=commune_a).count() == 3
    phone.close()


def test_the_service_worker_sends_only_the_signed_in_users_queue(live_server, browser, tmp_path, commune_a, data_a):
    """A shared phone: A queues visits offline and signs out; B signs in. The background send is B's (none): A's
    visits wait on the phone for A."""
    from lantoa.reach.models import Contact
    from lantoa.tenancy.models import Staff

    make_activity(commune_a, make_plan(commune_a, year=2025)["task"], data_a["unit"])
    first = make_user("tocns_a", roles.DIGITAL_TEAM, commune=commune_a, password=PASSWORD)
    make_user("tocns_b", roles.DIGITAL_TEAM, commune=commune_a, password=PASSWORD)
    Staff.objects.create(commune=commune_a, full_name="Ma Đức Long", user=first).hamlets.set([data_a["hamlet"]])
    app = f"{live_server.url}/thuc-dia/"
    phone = _phone(browser, tmp_path / "phone")
    page = _ready_to_go_out(phone, app, "tocns_a", 2)
    phone.set_offline(True)
    page.reload()
    _record_offline(page, app, [data_a["households"][0].code], timezone.localdate().isoformat())
    phone.set_offline(False)
    phone.clear_cookies()  # A signed out (the queue stays in A's database on the phone)
    _sign_in(page, app, "tocns_b")
    blank = _elsewhere(phone)
    page.close()
    _connection_back(phone, blank, app)
    blank.wait_for_timeout(2000)
    assert Contact.objects.filter(commune=commune_a).count() == 0
    # A signs in again: the page sends A's visit.
    phone.clear_cookies()
    _sign_in(blank, app, "tocns_a")
    blank.goto(f"{app}#/hang-doi")
    expect(blank.locator("#n-sent")).to_have_text("1", timeout=20000)
    assert Contact.objects.filter(commune=commune_a).count() == 1
    phone.close()
