"""The column in a real browser: an editor writes an item, the unit head reviews it, the leadership approves
it, and a reader on a phone finds it by searching without tone marks, follows the feeds and sends a
question. axe-core checks the public pages; screenshots go to test-artifacts/."""

from __future__ import annotations

import json
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lantoa.tenancy import roles

from ..column.conftest import add_article, make_image, make_media
from ..conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Bien-tap-57-2026!"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"


def sign_in(browser, base, username):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page


def approve(browser, base, username, page_id):
    page = sign_in(browser, base, username)
    page.goto(f"{base}/admin/pages/{page_id}/edit/")
    button = page.locator('button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])')
    with page.expect_navigation():
        button.first.dispatch_event("click")
    page.wait_for_load_state()
    page.close()


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run deploy/column-setup-test.sh (make setup-test)")
    page.evaluate(AXE.read_text())  # evaluated by the driver: the page's CSP allows no inline script tag
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.read()


def test_an_item_from_draft_through_both_approvals_to_a_reader_on_a_phone(
    live_server, browser, artifacts, settings, tmp_path
):
    from django.core.cache import cache

    from lantoa.column import services
    from lantoa.column.models import ArticlePage, Feedback, PodcastEpisodePage
    from lantoa.tenancy import services as tenancy_services

    cache.clear()  # fragments are keyed by page and revision ids, which earlier tests may have used
    settings.MEDIA_ROOT = str(tmp_path / "media")
    commune = tenancy_services.onboard_commune(2026, default_site=True)
    home = services.ensure_column(commune)
    editor = make_user("bientap", roles.EDITOR, commune=commune, password=PASSWORD)
    editor.email = "bientap@example.vn"
    editor.save()
    make_user("pvhcc", roles.PVHCC, commune=commune, password=PASSWORD)
    make_user("lanhdao", roles.LEADERSHIP, commune=commune, password=PASSWORD)
    # What the column already holds.
    cover = make_image(commune, "Ảnh lớp học", (1200, 675), (143, 20, 20))
    add_article(home, "Chợ phiên Nam Cường quét mã thanh toán", cover_image=cover)
    home.podcast_image = make_image(commune, "Bìa podcast", (1400, 1400))
    home.save_revision().publish()
    episode = PodcastEpisodePage(
        title="Podcast số 1: chữ ký số",
        summary="Chữ ký số cho hộ kinh doanh.",
        audio=make_media(commune, "audio"),
        episode_number=1,
        show_notes="<p>Ghi chú tập 1.</p>",
    )
    home.add_child(instance=episode)
    episode.save_revision().publish()
    base = live_server.url

    # 1. The editor writes a draft and submits it to the editorial board.
    page = sign_in(browser, base, "bientap")
    page.goto(f"{base}/admin/pages/add/column/articlepage/{home.pk}/")
    title = "Nghị quyết 57 đến với thôn Nà Pài"
    page.fill("#id_title", title)
    page.fill("#id_summary", "Tổ công nghệ số cộng đồng mở lớp kỹ năng số buổi tối cho bà con thôn Nà Pài.")
    page.locator('[data-contentpath="body"] .c-sf-add-button').first.click()
    page.get_by_role("option", name="Đoạn văn").first.click()
    editor_box = page.locator('[data-contentpath="body"] .public-DraftEditor-content').first
    editor_box.click()
    page.keyboard.type("Mỗi tối thứ Ba, bà con mang điện thoại đến nhà văn hóa để học cách làm thủ tục trực tuyến.")
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "column-editor-draft.png"), full_page=True)
    page.eval_on_selector('button[name="action-submit"]', "b => b.click()")
    page.wait_for_url(f"{base}/admin/pages/{home.pk}/**")
    item = ArticlePage.objects.get(title=title)
    assert not item.live
    page.close()

    # 2. The unit head (PVHCC) reviews, 3. the leadership approves.
    approve(browser, base, "pvhcc", item.pk)
    item.refresh_from_db()
    assert not item.live
    approve(browser, base, "lanhdao", item.pk)
    item.refresh_from_db()
    assert item.live

    # 4. A reader on a phone: the column home, a search without tone marks, the article. (The commune's site is
    # the default one; "localhost" is the host of Wagtail's own welcome site, so the reader uses the address.)
    base = base.replace("://localhost", "://127.0.0.1")
    reader = browser.new_page(viewport=PHONE, locale="vi-VN", device_scale_factor=2, is_mobile=True, has_touch=True)
    reader.goto(base + home.relative_url(commune.site))
    assert reader.locator("html").get_attribute("lang") == "vi"
    assert axe_violations(reader) == []
    reader.screenshot(path=str(artifacts / "column-home-phone.png"), full_page=True)
    reader.fill("#q", "nghi quyet 57 na pai")
    reader.press("#q", "Enter")
    reader.wait_for_load_state()
    assert "tim-kiem/?q=nghi+quyet+57+na+pai" in reader.url
    reader.get_by_role("link", name=title).first.click()
    reader.wait_for_load_state()
    assert reader.locator("h1").inner_text() == title
    assert reader.evaluate("document.scripts.length") == 0  # nothing to run before axe is injected
    assert axe_violations(reader) == []
    reader.screenshot(path=str(artifacts / "column-article-phone.png"), full_page=True)
    # Every public page names its feeds.
    feeds = reader.eval_on_selector_all("link[rel=alternate]", "ls => ls.map(l => [l.type, l.href])")
    assert {t for t, _ in feeds} == {"application/rss+xml", "application/atom+xml"} and len(feeds) == 3

    # 5. The feeds parse and carry what readers and podcast apps require.
    rss = ET.fromstring(fetch(base + "/column/rss.xml")).find("channel")
    assert {"title", "link", "description"} <= {c.tag for c in rss} and title in [
        i.findtext("title") for i in rss.findall("item")
    ]
    atom = ET.fromstring(fetch(base + "/column/atom.xml"))
    assert atom.tag == "{http://www.w3.org/2005/Atom}feed"
    podcast = ET.fromstring(fetch(base + "/column/podcast.xml")).find("channel")
    assert podcast.find(f"{ITUNES}image").get("href") and podcast.find(f"{ITUNES}category").get("text")
    assert podcast.findtext(f"{ITUNES}explicit") == "false"
    enclosure = podcast.find("item/enclosure")
    assert int(enclosure.get("length")) > 0 and enclosure.get("type") == "audio/mpeg"
    assert len(fetch(enclosure.get("url"))) == int(enclosure.get("length"))

    # 6. The reader asks a question under the article.
    reader.check("input[name=kind][value=question]")
    reader.fill("textarea[name=body]", "Người cao tuổi không có điện thoại thông minh có học được không?")
    reader.click("form.feedback button[type=submit]")
    reader.wait_for_url("**/column/gop-y/da-gui/**")
    assert "đã được tiếp nhận" in reader.locator("main").inner_text()
    feedback = Feedback.objects.get()
    assert feedback.page_id == item.pk and feedback.kind == "question"
    reader.close()
    (artifacts / "column-e2e.json").write_text(json.dumps({"item": item.pk, "url": item.relative_url(commune.site)}))
