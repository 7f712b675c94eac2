"""A commune leader signs in and sees the back office, on a desktop and on a phone."""

from __future__ import annotations

import pytest

from lantoa.tenancy import roles

from ..conftest import make_user, populate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Lanh-dao-57-2026!"


@pytest.mark.parametrize(
    "viewport,name", [({"width": 1366, "height": 800}, "desktop"), ({"width": 390, "height": 844}, "phone")]
)
def test_leader_signs_in_and_sees_the_back_office(live_server, browser, artifacts, viewport, name):
    from lantoa.tenancy import services

    commune = services.onboard_commune(2026, default_site=True)
    populate(commune, "Nà Pài")
    make_user("lanhdao", roles.LEADERSHIP, commune=commune, password=PASSWORD)
    # A browser set to English still gets Vietnamese: the interface follows the user's choice, not the browser.
    page = browser.new_page(viewport=viewport, locale="en-US")
    # Every page carries a Content-Security-Policy: the back office must work under it (nothing blocked).
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: violations.append(f"script error: {e}"))
    page.goto(f"{live_server.url}/admin/")
    assert "/admin/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Sign in" not in page.content() and page.get_by_text("Mật khẩu").count() >= 1
    page.fill("input[name=username]", "lanhdao")
    page.fill("input[name=password]", "sai mật khẩu")
    page.click("button[type=submit]")
    assert page.locator(".messages, .help-critical, [role=alert]").first.inner_text() != ""
    page.fill("input[name=username]", "lanhdao")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.screenshot(path=str(artifacts / f"backoffice-home-{name}.png"), full_page=True)
    # The commune's records are reachable from the menu, and only this commune's.
    page.goto(f"{live_server.url}/admin/snippets/tenancy/hamlet/")
    assert page.get_by_text("Thôn Nà Pài").count() >= 1
    page.screenshot(path=str(artifacts / f"backoffice-hamlets-{name}.png"), full_page=True)
    # The page editor carries Wagtail's heaviest scripts (rich text, choosers, inline panels).
    page.goto(f"{live_server.url}/admin/pages/{commune.root_page_id}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.locator("form").count() >= 1
    assert page.evaluate("() => typeof window.wagtail === 'object'")
    assert not violations, violations
    # Leaving the editor makes Wagtail release its editing session (a request sent as the page unloads): leave by
    # navigating and let that request finish here, not while the test database is being flushed after the test.
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_load_state("networkidle")
    page.close()
