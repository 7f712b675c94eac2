"""The field app on a 360 px phone (issue 13, "done when"): twenty visits recorded with the network off survive a
reload and a restart of the browser, then a new version of the app is deployed while they wait, the connection
drops in the middle of the send (the server has the batch, the phone never hears back), and still every visit
arrives exactly once and the reach figure rises by twenty households. It also measures the app's transfer on first
and second load, and takes the screenshots of docs/field.md."""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from lantoa.tenancy import roles

from ..conftest import make_user
from ..reach.conftest import make_activity, make_plan
from .conftest import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Tocns-57-Thuc-Dia!"
PHONE = {"width": 360, "height": 740}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run"]
# Screenshots for docs/field.md are written there only when asked (LANTOA_FIELD_SCREENSHOTS=docs/img/field).
SHOTS = os.environ.get("LANTOA_FIELD_SCREENSHOTS")


def _phone(browser, profile):
    """A Chromium with its own profile directory: closing it and launching it again keeps the service worker,
    its caches and IndexedDB, as a phone does."""
    return browser.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=ARGS, viewport=PHONE, locale="vi-VN", service_workers="allow"
    )


def _shot(page, artifacts, name):
    page.screenshot(path=str(artifacts / f"field-{name}.png"))
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


def _gzipped(page, url) -> tuple[int, int]:
    body = page.request.get(url).body()
    return len(body), len(gzip.compress(body, compresslevel=6))


def test_twenty_offline_visits_arrive_once_through_restart_new_version_and_dropped_send(
    live_server, browser, artifacts, settings, tmp_path, commune_a, data_a
):
    from lantoa.column.models import Topic
    from lantoa.field import selectors
    from lantoa.field.models import FieldEvent
    from lantoa.radio.models import Bulletin
    from lantoa.reach.models import Contact
    from lantoa.tenancy.models import Household, Staff

    settings.VAR_DIR = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    hamlet = data_a["hamlet"]
    for n in range(3, 26):
        Household.objects.create(commune=commune_a, hamlet=hamlet, code=f"AAA-{n:04d}", members=1 + n % 5)
    Topic.objects.create(commune=commune_a, name="Dịch vụ công trực tuyến", slug="dich-vu-cong")
    Topic.objects.create(commune=commune_a, name="Thanh toán không dùng tiền mặt", slug="thanh-toan")
    Bulletin.objects.create(
        commune=commune_a,
        title="Cài đặt VNeID mức 2",
        text="Mang căn cước đến Bộ phận một cửa để kích hoạt VNeID mức 2. Tổ công nghệ số hướng dẫn tại nhà.",
        status=Bulletin.Status.APPROVED,
        for_field=True,
    )
    plan = make_plan(commune_a, year=2025)
    make_activity(commune_a, plan["task"], data_a["unit"])
    user = make_user("tocns_field", roles.DIGITAL_TEAM, commune=commune_a, password=PASSWORD)
    Staff.objects.create(commune=commune_a, full_name="Ma Đức Long", user=user).hamlets.set([hamlet])
    codes = list(Household.objects.filter(hamlet=hamlet).order_by("code").values_list("code", flat=True))[:20]
    today = timezone.localdate().isoformat()
    reached_before = selectors.hamlet_progress(user, commune_a)[0]["reached"]
    app = f"{live_server.url}/thuc-dia/"
    profile = tmp_path / "phone"

    # First load: sign in with the site's login, the service worker installs and keeps the shell.
    phone = _phone(browser, profile)
    page = phone.pages[0]
    page.goto(app)
    page.get_by_role("link", name="Đăng nhập").click()
    page.fill("input[name=username]", "tocns_field")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{app}*")
    first_load = {}
    page.on("response", lambda r: first_load.setdefault(r.url, r.from_service_worker))
    page.reload()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for _ in range(100):  # controlled once the worker has claimed the page
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            break
        page.wait_for_timeout(100)
    sw = page.request.get(f"{app}sw.js").text()
    config = json.loads(sw.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    app_urls = {u for u in first_load if "/thuc-dia/" in u or "/static/field/" in u}
    app_urls |= {f"{live_server.url}{u}" for u in config["precache"]} | {f"{app}sw.js"}
    first = [_gzipped(page, u) for u in sorted(app_urls) if not u.endswith("me.json")]
    first_gz = sum(g for _raw, g in first)
    assert first_gz <= 150 * 1024
    assert not any("/static/field/dist/qr" in u for u in first_load)  # the QR decoder is not in the first load

    # Download the assignment; then the network goes.
    page.goto(f"{app}#/tai")
    page.click("#dl")
    expect(page.locator("#n-households")).to_have_text("25")
    assert "chưa tải" not in page.locator("#downloaded").inner_text()
    _shot(page, artifacts, "tai-phan-cong")
    phone.set_offline(True)
    page.reload()  # the shell from the device
    expect(page.locator("#net")).to_have_text("Ngoại tuyến")

    # Twenty visits offline: each household chosen as the door sticker's QR link would (#/h/<code>).
    photo = io.BytesIO()
    Image.new("RGB", (2400, 1800), (200, 120, 40)).save(photo, "JPEG")
    for n, code in enumerate(codes):
        page.evaluate(f"location.hash = '#/h/{code}'")
        page.wait_for_selector(f"#selected[data-code='{code}']")
        page.fill("input[name=date]", today)
        page.fill("input[name=people]", "2")
        page.fill("input[name=materials]", "1 tờ rơi")
        page.locator("input[name=topic]").first.check()
        if n == 0:
            page.set_input_files(
                "input[name=photo]", files=[{"name": "cua.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}]
            )
            page.wait_for_selector("#preview:not([hidden])")
            _shot(page, artifacts, "ghi-luot-tham")
        page.click("#visit button[type=submit]")
        page.wait_for_selector("#selected", state="detached")
    # The photo is kept as a Blob (a third smaller than base64); a visit queued by an older version of the app, its
    # photo a base64 string, still goes: the second visit is made one.
    old_photo = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 160)).save(old_photo, "JPEG")
    kinds = page.evaluate(
        """async ([name, code, legacy]) => {
          const db = await new Promise((ok, ko) => {
            const open = indexedDB.open(name);
            open.onsuccess = () => ok(open.result);
            open.onerror = () => ko(open.error);
          });
          const store = db.transaction("events", "readwrite").objectStore("events");
          const all = await new Promise((ok) => { const r = store.getAll(); r.onsuccess = () => ok(r.result); });
          store.put({ ...all.find((e) => e.household_code === code), photo: legacy });
          await new Promise((ok) => { store.transaction.oncomplete = ok; });
          db.close();
          return all.filter((e) => e.photo).map((e) => (e.photo instanceof Blob ? e.photo.type : typeof e.photo));
        }""",
        [f"lantoa-field-u{user.pk}", codes[1], base64.b64encode(old_photo.getvalue()).decode()],
    )
    assert kinds == ["image/jpeg"]
    page.reload()
    page.goto(f"{app}#/hang-doi")
    page.wait_for_selector("#n-pending")
    assert page.locator("#n-pending").inner_text() == "20"
    phone.close()
    assert Contact.objects.filter(commune=commune_a).count() == 0

    # The phone is switched off and on again, still without signal: the queue is there.
    phone = _phone(browser, profile)
    phone.set_offline(True)
    page = phone.pages[0]
    page.goto(f"{app}#/hang-doi")
    page.wait_for_selector("#n-pending")
    assert page.locator("#n-pending").inner_text() == "20"
    assert page.locator(".event.pending").count() == 20

    # A new version is deployed while the visits wait; the signal comes back, and the first send is cut off
    # after the server has recorded the batch (the phone never hears back).
    settings.LANTOA_FIELD_VERSION = "2"
    cut = []

    def drop_first(route):
        if not cut:
            cut.append(route.fetch().status)  # the server gets it ...
            route.abort("connectionreset")  # ... the phone does not
        else:
            route.continue_()

    phone.route("**/api/v1/field/sync*", drop_first)
    phone.set_offline(False)
    page.reload()
    page.wait_for_selector("#update:not([hidden])")
    _shot(page, artifacts, "phien-ban-moi")
    page.click("#reload")
    # The browser's restart ended the session: the app asks to sign in again and keeps the queue for this user.
    expect(page.get_by_text("20 lượt thăm chưa gửi của tocns_field vẫn được giữ")).to_be_visible()
    page.get_by_role("link", name="Đăng nhập").click()
    page.fill("input[name=username]", "tocns_field")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/thuc-dia/#/hang-doi$"))
    page.goto(f"{app}#/hang-doi")  # the page sends by itself: at start, and again after the cut-off send
    expect(page.locator("#n-sent")).to_have_text("20", timeout=60000)
    assert cut == [200]
    assert page.locator("#n-pending").inner_text() == "0"
    caches = page.evaluate("caches.keys()")
    assert caches == [f"lantoa-field-{page.request.get(f'{app}me.json').json()['version']}"]
    _shot(page, artifacts, "hang-doi")

    # Second load, online: the app itself comes from the device; only "who is signed in" crosses the network.
    second = []
    page.on("response", lambda r: second.append(r))
    page.reload()
    page.wait_for_selector("#n-sent")
    network = [r for r in second if "/me.json" in r.url or "/api/" in r.url]
    assert all(r.from_service_worker for r in second if r not in network)
    assert {r.url.split("?")[0].rsplit("/", 1)[-1] for r in network} <= {"me.json"}
    second_bytes = sum(len(r.body()) for r in network)

    # Exactly once: twenty events, twenty contacts, twenty more households reached.
    assert FieldEvent.objects.filter(commune=commune_a).count() == 20
    contacts = Contact.objects.filter(commune=commune_a, channel="visit")
    assert sorted(contacts.values_list("household__code", flat=True)) == sorted(codes)
    assert selectors.hamlet_progress(user, commune_a)[0]["reached"] == reached_before + 20
    photos = {e.household.code: e.photo for e in FieldEvent.objects.exclude(photo="").select_related("household")}
    assert set(photos) == {codes[0], codes[1]}
    with photos[codes[0]].open("rb") as handle:
        assert max(Image.open(handle).size) == 1280
    with photos[codes[1]].open("rb") as handle:
        assert handle.read() == old_photo.getvalue()

    # Progress after a fresh download, and the talking points, readable offline.
    page.goto(f"{app}#/tai")
    page.click("#dl")
    expect(page.get_by_text("Đã tải 25 hộ.")).to_be_visible()
    phone.set_offline(True)
    page.goto(f"{app}#/tien-do")
    page.wait_for_selector(".hamlet")
    assert page.locator(f".hamlet[data-hamlet='{hamlet.pk}'] .reached").inner_text() == str(reached_before + 20)
    _shot(page, artifacts, "tien-do")
    page.goto(f"{app}#/thong-tin")
    page.wait_for_selector("h1")
    _shot(page, artifacts, "thong-tin")
    phone.close()

    figures = {
        "first_load_gzip_bytes": first_gz,
        "first_load_raw_bytes": sum(r for r, _g in first),
        "second_load_network_bytes": second_bytes,
    }
    (artifacts / "field-sizes.json").write_text(json.dumps(figures))
    print(f"field app transfer: {figures}")


def test_scanning_the_door_sticker_opens_the_visit_form_on_that_household(
    live_server, browser, tmp_path, commune_a, data_a
):
    """The camera (Chromium's fake device) films the QR a sticker holds; the app selects that household."""
    import segno
    from django.conf import settings
    from django.test import Client

    from lantoa.field import stickers
    from lantoa.tenancy.models import Staff

    make_activity(commune_a, make_plan(commune_a, year=2025)["task"], data_a["unit"])
    user = make_user("tocns_qr", roles.DIGITAL_TEAM, commune=commune_a)
    Staff.objects.create(commune=commune_a, full_name="Ma Đức Long", user=user).hamlets.set([data_a["hamlet"]])
    code = data_a["households"][1].code
    qr = io.BytesIO()
    segno.make(stickers.field_url(code, live_server.url), error="m").save(qr, kind="png", scale=8, border=4)
    frame = Image.new("RGB", (640, 480), "white")
    sticker = Image.open(qr).convert("RGB")
    frame.paste(sticker, ((640 - sticker.width) // 2, (480 - sticker.height) // 2))
    jpeg = io.BytesIO()
    frame.save(jpeg, "JPEG", quality=90)
    video = tmp_path / "cua.mjpeg"
    video.write_bytes(jpeg.getvalue() * 5)
    camera = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
    phone = browser.browser_type.launch_persistent_context(
        str(tmp_path / "phone"),
        executable_path=CHROMIUM,
        args=[*ARGS, *camera, f"--use-file-for-fake-video-capture={video}"],
        viewport=PHONE,
        locale="en-US",
    )
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    phone.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = phone.pages[0]
    page.goto(f"{live_server.url}/thuc-dia/#/tai")
    page.click("#dl")
    expect(page.locator("#n-households")).to_have_text("2")
    page.goto(f"{live_server.url}/thuc-dia/#/ghi")
    page.click("#scan")
    expect(page.locator(f"#selected[data-code='{code}']")).to_be_visible(timeout=15000)
    expect(page.locator("#visit")).to_be_visible()
    assert page.locator(".scanner").count() == 0  # the camera is closed
    phone.close()
