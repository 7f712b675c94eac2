"""The indicators dashboard of the Nam Cường demo in a real browser: every figure drills down to its
records, and the community digital team records visits on a phone without JavaScript."""

from __future__ import annotations

import re

import pytest

from lantoa.tenancy import roles

from ..conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Pvhcc-57-Nam-Cuong!"


def _sign_in(browser, live_server, viewport, username, next_url):
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_url}")
    return context, page


def test_dashboard_drill_down_and_quick_visits(live_server, browser, artifacts, settings, tmp_path):
    from lantoa.reach.models import Contact
    from lantoa.tenancy.demo import load_demo
    from lantoa.tenancy.models import Hamlet

    settings.VAR_DIR = tmp_path
    commune, _logins = load_demo()  # the apps' demo hooks run too: the plan, then this app's year of records
    make_user("pvhcc_e2e", roles.PVHCC, commune=commune, password=PASSWORD)
    make_user("tocns_e2e", roles.DIGITAL_TEAM, commune=commune, password=PASSWORD)
    dashboard = f"/reach/communes/{commune.pk}/"

    # Desktop: every indicator with value, target and method; charts are inline SVG, no script at all.
    context, page = _sign_in(browser, live_server, {"width": 1366, "height": 900}, "pvhcc_e2e", dashboard)
    assert page.locator("h1").inner_text().startswith("Chỉ tiêu của Xã Nam Cường")
    assert page.locator("section.card").count() == 6
    assert page.locator("script").count() == 0 and page.locator("section.card svg").count() >= 5
    assert page.get_by_text("Theo nhịp từ").count() >= 1  # each projection states its pace
    page.screenshot(path=str(artifacts / "reach-dashboard-desktop.png"), full_page=True)

    # Every number links to the records behind it.
    links = sorted({a.get_attribute("href") for a in page.locator("a[href*='/figure/']").all()})
    assert len(links) >= 16
    for href in links:
        response = page.goto(f"{live_server.url}{href}")
        assert response.status == 200, href
        assert page.locator("table.records").count() >= 1
    page.goto(f"{live_server.url}{dashboard}")
    page.locator("#residents_reached a.big").click()
    page.wait_for_url(re.compile(r".*/figure/\?indicator=residents_reached.*part=numerator"))
    first = page.locator("table.records a[href*='/households/']").first
    code = first.inner_text()
    assert re.fullmatch(r"NC\d\d-\d{4}", code)
    page.screenshot(path=str(artifacts / "reach-drilldown-desktop.png"), full_page=False)
    first.click()
    assert page.locator("h1").inner_text() == f"Hộ {code}"
    assert page.locator("table.records tr").count() >= 2  # its contacts
    context.close()

    # Phone: the dashboard reads on a narrow screen; the team records two visits with plain HTML.
    context, page = _sign_in(browser, live_server, {"width": 390, "height": 844}, "tocns_e2e", dashboard)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.screenshot(path=str(artifacts / "reach-dashboard-phone.png"), full_page=True)
    context.close()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/reach/communes/{commune.pk}/visits/")
    page.fill("input[name=username]", "tocns_e2e")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/reach/communes/{commune.pk}/visits/")
    hamlet = Hamlet.objects.filter(commune=commune).order_by("name").first()
    page.get_by_role("link", name=hamlet.name).click()
    before = Contact.objects.count()
    boxes = page.locator("input[name=household]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.screenshot(path=str(artifacts / "reach-visits-phone.png"), full_page=False)
    # The save button stays on screen over a list of some 250 households (position: sticky), on a phone.
    save = page.get_by_role("button", name="Lưu")
    box = save.bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 740
    save.click()
    assert "Đã lưu 2 lượt đến hộ." in page.locator(".messages").inner_text()
    assert Contact.objects.count() == before + 2
    # The two visits are listed as the user's recent ones, each with its undo; one is undone.
    assert page.get_by_role("button", name="Hoàn tác").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    page.screenshot(path=str(artifacts / "reach-visits-phone-saved.png"), full_page=False)
    page.get_by_role("button", name="Hoàn tác").first.click()
    assert "Đã hoàn tác lượt thăm hộ" in page.locator(".messages").inner_text()
    assert Contact.objects.count() == before + 1
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(artifacts / "reach-visits-desktop.png"), full_page=False)
    context.close()
