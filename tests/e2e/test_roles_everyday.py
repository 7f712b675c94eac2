"""Every role of the demo commune, in a browser set to English, on a 360 px phone and on a desktop: it signs in,
lands on its page and does its main job — and meets no English, no dead link and no server error (issue 12).

One browser, one context per role (signed in once; the viewport changes between the phone and the desktop pass; the
phone pass starts on the landing page signing in led to, the desktop pass loads it again at the desktop's width).
Each page's text is checked with the detector of the page walk (tests/untranslated.py); each same-origin link of
each page's content (the sidebar's are the page walk's, tests/test_menus.py) is requested once per role through the
page's own request context (the user's session), following redirects: none may answer 4xx/5xx. Every response the
browser receives during the journeys is watched for 5xx.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from ..untranslated import english_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
SKIP = ("#", "mailto:", "tel:", "javascript:", "/admin/logout/", "/static/", "/media/")
# The texts a reader meets as the browser shows the page: text nodes and labels of elements that are displayed
# (a script-built widget's hidden parts are not), as tests/untranslated.py reads them from the HTML.
VISIBLE_TEXTS = """() => {
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement, text = n.textContent.trim();
    const skipped = ["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "CODE", "PRE", "TEXTAREA"];
    if (!text || !el || skipped.includes(el.tagName)) continue;
    if (el.checkVisibility({visibilityProperty: true})) out.push(text);
  }
  for (const el of document.querySelectorAll("[placeholder], [title], [aria-label], [alt], input[type=submit]")) {
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    if (el.matches("input") && el.parentElement.classList.contains("w-sr-only")) continue;  // Wagtail's "Search"
    for (const name of ["placeholder", "title", "aria-label", "alt"]) {
      if (el.getAttribute(name)) out.push(el.getAttribute(name));
    }
    if (el.matches("input[type=submit]") && el.value) out.push(el.value);
  }
  return out;
}"""


class Journey:
    def __init__(self, page, base: str, username: str):
        self.page, self.base, self.username = page, base, username
        self.problems: list[str] = []
        self.checked: dict[str, int] = {}  # link shape → status, once per role
        page.on(
            "response",
            lambda r: self.problems.append(f"{self.username}: {r.status} {r.url}") if r.status >= 500 else None,
        )

    def go(self, path: str):
        response = self.page.goto(f"{self.base}{path}")
        assert response is not None and response.status < 400, (self.username, path, response and response.status)
        self.check()

    def first_link(self, pattern: str) -> str:
        """The first link of the page whose address matches ``pattern`` (a regular expression)."""
        hrefs = self.page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
        found = [h for h in hrefs if re.search(pattern, h)]
        assert found, (self.username, pattern, urlsplit(self.page.url).path)
        return found[0]

    def check(self):
        """No English on the page as rendered; none of its links dead."""
        self.page.wait_for_load_state("domcontentloaded")
        where = f"{self.username} {urlsplit(self.page.url).path} ({self.page.viewport_size['width']} px)"
        for text in english_on("", self.page.evaluate(VISIBLE_TEXTS)):
            self.problems.append(f"English {text!r} on {where}")
        # The links of the page itself (Wagtail's <main>): the sidebar's, the same on every page of a role, are
        # opened for every role by the page walk (tests/test_menus.py). Bulk-action links get their records' ids
        # from a script when rows are ticked (as in the menus walk).
        hrefs = self.page.eval_on_selector_all(
            "main a[href]:not([data-bulk-action-button])", "els => els.map(a => a.getAttribute('href'))"
        )
        for href in hrefs:
            if not href.startswith("/") or href.startswith("//") or href.startswith(SKIP):
                continue
            shape = re.sub(r"\d+", "N", href)
            if shape in self.checked:
                continue
            response = self.page.request.get(f"{self.base}{href}")
            self.checked[shape] = response.status
            if response.status >= 400:
                self.problems.append(f"dead link {response.status} {href} on {where}")


def _sign_in(browser, base: str, username: str, password: str):
    # The browser asks for English in every way it can: Vietnamese must come back all the same.
    context = browser.new_context(
        viewport=PHONE, locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"}
    )
    page = context.new_page()
    journey = Journey(page, base, username)
    journey.go("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_response(f"{base}/admin/") as landing:
        page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    assert landing.value.status == 200, (username, landing.value.status)
    assert page.locator("html").get_attribute("lang") == "vi"
    return context, page, journey


def _leadership(j, commune):
    j.page.get_by_role("link", name="Mở tổng quan kế hoạch").first.click()
    j.page.wait_for_url(re.compile(r".*/admin/plans/.*"))
    j.check()


def _focal_point(j, commune):
    j.go(j.first_link(r"^/admin/plans/tasks/\d+/$"))  # a late task, listed on its landing page
    j.go("/admin/plans/obstacles/")
    j.go(j.first_link(r"^/admin/plans/obstacles/\d+/$"))


def _editor(j, commune):
    draft = j.first_link(r"^/admin/pages/\d+/edit/$")  # its drafts and returns, on its landing page
    j.go("/admin/column/write/")
    j.go(draft)


def _unit(j, commune):
    j.go(j.first_link(r"^/admin/plans/tasks/\d+/$"))  # its own task, from its landing page
    j.page.click("summary:has-text('Ghi nhận hoạt động')")
    j.page.fill("input[name=title]", "Tuyên truyền tại nhà văn hóa thôn")
    j.page.fill("input[name=people_count]", "30")
    with j.page.expect_navigation():
        j.page.click("button:has-text('Lưu hoạt động')")
    assert j.page.get_by_text("Đã ghi nhận hoạt động.").count() == 1
    j.check()


def _community_team(j, commune):
    j.go(f"/reach/communes/{commune.pk}/visits/")
    j.page.locator("main a[href*='/visits/']").first.click()
    j.page.wait_for_load_state("domcontentloaded")
    j.page.locator("input[name=household]").first.check()
    with j.page.expect_navigation():
        j.page.get_by_role("button", name="Lưu").click()
    assert "Đã lưu 1 lượt đến hộ." in j.page.locator(".messages").inner_text()
    j.check()


def _front(j, commune):
    j.go("/admin/snippets/column/feedback/")
    j.go(j.first_link(r"^/admin/snippets/column/feedback/inspect/\d+/$"))
    j.go("/admin/plans/obstacles/")


def _province(j, commune):
    j.page.get_by_role("link", name=commune.name).first.click()
    j.page.wait_for_load_state("domcontentloaded")
    j.check()


JOBS = {
    "lanhdao": _leadership,
    "pvhcc": _focal_point,
    "bientap": _editor,
    "donvi": _unit,
    "tocns": _community_team,
    "mttq": _front,
    "tinh": _province,
}


def test_every_role_does_its_job_in_vietnamese_on_a_phone_and_a_desktop(live_server, browser, settings, tmp_path):
    from lantoa.tenancy.demo import load_demo

    settings.VAR_DIR = tmp_path
    commune, logins = load_demo()
    passwords = {username: password for username, _label, password in logins}
    problems: list[str] = []
    for username, job in JOBS.items():
        context, page, journey = _sign_in(browser, live_server.url, username, passwords[username])
        # Signing in lands on /admin/ at the phone's width: checked as it is, not loaded a second time.
        journey.check()
        job(journey, commune)
        page.set_viewport_size(DESKTOP)
        journey.go("/admin/")
        job(journey, commune)
        problems += journey.problems
        context.close()
    assert not problems, "\n".join(problems)
