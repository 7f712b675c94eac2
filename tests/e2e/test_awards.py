"""An awards round in a real browser on a 360 px phone asking for English (the pages still speak Vietnamese):
a unit nominates with the evidence shown, the chair scores blind and sees the others' scores after submitting,
then issues the decision; its DOCX is downloaded and read back, and "awards held" reads 100% for the year."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from lantoa.awards import services
from lantoa.awards.models import AwardRound, Decision
from lantoa.reach import selectors as reach_selectors
from lantoa.tenancy import roles
from lantoa.tenancy import services as tenancy_services
from lantoa.tenancy.models import Staff

from ..awards.conftest import CLOCK, CRITERIA
from ..conftest import make_user, populate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.clock(CLOCK),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Mk-kiem-thu-57!"
PHONE = {"width": 360, "height": 780}


def shot(page, path) -> None:
    """A tall screenshot of the whole page (the back office scrolls inside its own layout)."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 2400})
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def login(browser, base, username, viewport=PHONE):
    page = browser.new_page(viewport=viewport, locale="en-US", extra_http_headers={"Accept-Language": "en"})
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page


def test_round_from_nomination_to_the_decision_docx(live_server, browser, artifacts, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    commune = tenancy_services.onboard_commune(2026, default_site=True)
    data = populate(commune, "Nà Pài")
    chair = make_user("chutich", roles.LEADERSHIP, commune=commune)
    chair.first_name, chair.last_name = "Toàn", "Lường Văn"
    chair.save()
    member = make_user("uyvien", roles.PVHCC, commune=commune)
    nominator = make_user("donvi", roles.UNIT, commune=commune)
    Staff.objects.create(commune=commune, unit=data["unit"], full_name="Triệu Thu Giang", user=nominator)
    front = make_user("mttq", roles.OVERSIGHT, commune=commune)
    award_round = services.create_round(
        chair,
        commune,
        title="Khen thưởng truyền thông Nghị quyết 57 năm 2027",
        year=2027,
        nominations_open=dt.date(2027, 11, 1),
        nominations_close=dt.date(2027, 11, 30),
        criteria=CRITERIA,
        council=[chair.pk, member.pk],
        chair=chair.pk,
    )
    services.open_round(chair, award_round)
    services.nominate(
        front, award_round, kind="hamlet", nominee_id=data["hamlet"].pk, reason="Tổ công nghệ số đến từng hộ dân."
    )
    base = live_server.url
    round_url = f"{base}/awards/rounds/{award_round.pk}/"

    # The unit nominates itself: the evidence is shown read-only before the reasons and an attachment.
    page = login(browser, base, "donvi")
    page.goto(f"{round_url}nominate/")
    page.select_option("select[name=kind]", "unit")
    page.select_option("select[name=nominee_unit]", str(data["unit"].pk))
    with page.expect_navigation():
        page.click("button:has-text('Xem minh chứng')")
    assert page.locator("#evidence").get_by_text("Hoạt động theo kế hoạch").count() == 1
    shot(page, artifacts / "awards-nominate-phone.png")
    page.fill("textarea[name=reason]", "Tổ chức 12 hội nghị và 300 lượt thăm hộ về Nghị quyết 57 trong năm.")
    page.set_input_files(
        "input[name=attachments]", {"name": "bien-ban.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n"}
    )
    with page.expect_navigation():
        page.click("button:has-text('Gửi đề cử')")
    assert page.get_by_text("Đã ghi nhận đề cử").count() == 1
    page.close()

    # The chair closes nominations; the other member submits first.
    services.start_scoring(chair, award_round)
    award_round.refresh_from_db()
    criteria = list(award_round.criteria.all())
    unit_nom, hamlet_nom = award_round.nominations.get(kind="unit"), award_round.nominations.get(kind="hamlet")
    rows = [
        {"nomination": n.pk, "criterion": c.pk, "value": v, "comment": "Ý kiến riêng của ủy viên"}
        for n, v in ((unit_nom, 8), (hamlet_nom, 6))
        for c in criteria
    ]
    services.save_scores(member, award_round, rows, submit=True)

    page = login(browser, base, "chutich")
    page.goto(f"{round_url}score/")
    assert page.get_by_text("Ý kiến riêng của ủy viên").count() == 0  # blind: nothing of the other member yet
    for c in criteria:
        page.select_option(f"select[name=v_{unit_nom.pk}_{c.pk}]", "9")
        page.select_option(f"select[name=v_{hamlet_nom.pk}_{c.pk}]", "7")
    shot(page, artifacts / "awards-score-phone.png")
    with page.expect_navigation():
        page.click("button[name=submit]")
    assert page.get_by_text("Đã nộp phiếu chấm điểm.", exact=True).count() == 1
    assert page.get_by_text("Ý kiến riêng của ủy viên").count() == len(criteria) * 2

    # Every member submitted: the ranking, then the decision.
    page.goto(round_url)
    ranking = page.locator("#ranking")
    assert ranking.get_by_text(data["unit"].name).count() == 1
    assert ranking.get_by_text("8,50").count() == 1 + len(criteria)  # (9 + 8) / 2: the average and each criterion
    page.check(f"input[name=awardee][value='{unit_nom.pk}']")
    page.fill("input[name=number]", "125/QĐ-UBND")
    page.fill("input[name=date]", "2027-11-17")
    page.fill("input[name=signer_name]", "Lường Văn Toàn")
    with page.expect_navigation():
        page.click("#decide button[type=submit]")
    assert page.get_by_text("Đã ban hành Quyết định số 125/QĐ-UBND").count() == 1
    shot(page, artifacts / "awards-decided-phone.png")
    href = page.get_attribute("a:has-text('Tải quyết định (DOCX)')", "href")
    answer = page.request.get(f"{base}{href}")
    assert answer.ok
    doc = Document(io.BytesIO(answer.body()))
    cells = [cell.text for row in doc.tables[0].rows for cell in row.cells]
    text = "\n".join(cells + [p.text for p in doc.paragraphs])
    assert "XÃ NAM CƯỜNG" in cells[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 125/QĐ-UBND" in text and f"1. {data['unit'].name} (tập thể);" in text
    assert data["hamlet"].name not in text
    page.close()

    desktop = login(browser, base, "chutich", viewport={"width": 1280, "height": 900})
    desktop.goto(round_url)
    shot(desktop, artifacts / "awards-round-desktop.png")
    desktop.close()

    assert AwardRound.objects.get().status == AwardRound.Status.DECIDED
    assert Decision.objects.get().award.decision_number == "125/QĐ-UBND"
    rows = reach_selectors.indicator_values(commune, "2027", today=dt.date(2027, 11, 18))
    assert {r["code"]: r for r in rows}["awards_held"]["value"] == 100.0
