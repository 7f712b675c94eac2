"""A staff member takes a course on a phone (360 px, a browser set to English: the pages still speak Vietnamese),
fails the quiz, passes it, gets the certificate whose verification page opens; the trained-staff indicator moves;
an outside certificate is recorded and approved by the focal point."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from playwright.sync_api import expect

from lantoa.tenancy import roles

from ..conftest import CODE_A, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Hoc-vien-57-Nam-Cuong!"
PHONE = {"width": 360, "height": 740}


def _sign_in(browser, live_server, username, next_url, viewport=PHONE):
    context = browser.new_context(viewport=viewport, locale="en-US", extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_url}")
    return context, page


def _answer(page, attempt, right: int):
    from lantoa.learning.models import Question

    for i, row in enumerate(attempt.layout):
        q = Question.objects.get(pk=row["q"])
        choice = next(c["id"] for c in q.choices if c["correct"] == (i < right))
        page.locator(f"input[name=q{row['q']}][value='{choice}']").check()
    page.get_by_role("button", name="Nộp bài").click()


def test_staff_take_a_course_and_get_certified_on_a_phone(live_server, browser, artifacts, settings, tmp_path):
    from pypdf import PdfWriter

    from lantoa.learning.models import Course, Lesson, Question, QuizAttempt
    from lantoa.reach import measure
    from lantoa.reach import periods as P
    from lantoa.tenancy import services
    from lantoa.tenancy.models import Staff

    settings.VAR_DIR = tmp_path
    commune = services.onboard_commune(CODE_A, default_site=True)
    learner = make_user("hocvien", roles.EDITOR, commune=commune, password=PASSWORD)
    other = make_user("tocns", roles.DIGITAL_TEAM, commune=commune, password=PASSWORD)
    make_user("daumoi", roles.PVHCC, commune=commune, password=PASSWORD)
    for user, name in ((learner, "Hoàng Minh Quân"), (other, "Ma Đức Long")):
        Staff.objects.create(commune=commune, user=user, full_name=name, on_comms_duty=True)
    course = Course.objects.create(
        commune=commune, title="Kỹ năng truyền thông số", published=True, questions_per_attempt=2, pass_mark=100
    )
    Lesson.objects.create(commune=commune, course=course, title="Viết tin ngắn", body="Câu đầu nêu điều quan trọng.")
    for n in (1, 2):
        Question.objects.create(commune=commune, course=course, text=f"Câu {n}?", choices_text=f"* Đúng {n}\nSai {n}")
    year = P.parse("2026")

    def trained():
        fig = measure.compute([commune.pk], [year], codes=["comms_staff_trained"])[(commune.pk, year.code)]
        return fig["comms_staff_trained"].numerator, fig["comms_staff_trained"].denominator

    assert trained() == (0, 2)

    home = f"/learning/communes/{commune.pk}/"
    context, page = _sign_in(browser, live_server, "hocvien", home)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    page.get_by_role("link", name="Kỹ năng truyền thông số").click()
    page.get_by_role("link", name="Viết tin ngắn").click()
    page.screenshot(path=str(artifacts / "learning-lesson-phone.png"), full_page=True)
    page.get_by_role("button", name="Đánh dấu đã học xong bài này").click()
    page.get_by_role("button", name="Bắt đầu làm bài kiểm tra").click()
    first = QuizAttempt.objects.get(user=learner, number=1)
    assert "correct" not in page.content()
    page.screenshot(path=str(artifacts / "learning-quiz-phone.png"), full_page=True)
    _answer(page, first, 1)
    expect(page.get_by_text("Chưa đạt: đúng 1/2 câu.")).to_be_visible()
    page.get_by_role("button", name="Bắt đầu làm bài kiểm tra").click()
    _answer(page, QuizAttempt.objects.get(user=learner, number=2), 2)
    expect(page.get_by_text("Bạn đã đạt: đúng 2/2 câu.")).to_be_visible()
    expect(page.get_by_text("Đã hoàn thành khóa học").first).to_be_visible()
    page.screenshot(path=str(artifacts / "learning-course-done-phone.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải chứng nhận (PDF)").click()
    assert open(download.value.path(), "rb").read(4) == b"%PDF"
    page.get_by_role("link", name="Trang xác minh").click()
    expect(page.get_by_text("Hoàng Minh Quân").first).to_be_visible()
    assert trained() == (1, 2)
    context.close()

    # An outside certificate: the digital team member uploads it, the focal point approves it.
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(buffer)
    certificates = f"/learning/communes/{commune.pk}/certificates/"
    context, page = _sign_in(browser, live_server, "tocns", certificates)
    page.fill("input[name=title]", "Bình dân học vụ số")
    page.fill("input[name=issuer]", "Sở Khoa học và Công nghệ")
    page.fill("input[name=code]", "BDHVS-0001")
    page.fill("input[name=issued_on]", (dt.date(2026, 10, 1)).isoformat())
    page.set_input_files(
        "input[name=file]", {"name": "chung-nhan.pdf", "mimeType": "application/pdf", "buffer": buffer.getvalue()}
    )
    page.get_by_role("button", name="Ghi nhận chứng nhận").click()
    expect(page.get_by_text("Chờ duyệt").first).to_be_visible()
    context.close()
    context, page = _sign_in(browser, live_server, "daumoi", certificates, viewport={"width": 1280, "height": 800})
    page.get_by_role("link", name="Bình dân học vụ số").click()
    page.wait_for_url(re.compile(r".*/learning/certificates/\d+/$"))
    page.screenshot(path=str(artifacts / "learning-certificate-review-desktop.png"), full_page=True)
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.get_by_text("Đã duyệt chứng nhận.")).to_be_visible()
    assert trained() == (2, 2)
    page.goto(f"{live_server.url}/learning/communes/{commune.pk}/missing/")
    expect(page.get_by_text("Tất cả cán bộ truyền thông đã được đào tạo chuyên sâu.")).to_be_visible()
    page.screenshot(path=str(artifacts / "learning-missing-desktop.png"), full_page=True)
    context.close()
    _contest_screenshots(browser, live_server, artifacts, commune)


def _contest_screenshots(browser, live_server, artifacts, commune):
    """Pictures for docs/img/learning: the public entry page on a phone, the results in the back office."""
    from django.utils import timezone
    from wagtail.rich_text import RichText

    from lantoa.column.models import ArticlePage
    from lantoa.column.services import ensure_column
    from lantoa.learning.models import Contest, Question

    item = ArticlePage(title="Nghị quyết 57 là gì?", summary="Tóm tắt", body=[("paragraph", RichText("<p>x</p>"))])
    ensure_column(commune).add_child(instance=item)
    item.save_revision().publish()
    now = timezone.now()
    contest = Contest.objects.create(
        commune=commune,
        title="Cuộc thi tìm hiểu Nghị quyết 57",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
        prizes="Giải Nhất\nGiải Nhì",
        published=True,
    )
    Question.objects.create(
        commune=commune,
        contest=contest,
        text="Nghị quyết 57-NQ/TW được ban hành năm nào?",
        choices_text="* 2024\n2020\n2030",
        source_page=item,
    )
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/cuoc-thi/{contest.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    page.screenshot(path=str(artifacts / "learning-contest-phone.png"), full_page=True)
    page.locator("input[type=radio]").first.check()
    page.fill("input[name=identity]", "0912345678")
    page.fill("input[name=name]", "Nguyễn Văn An")
    page.get_by_role("button", name="Gửi bài dự thi").click()
    expect(page.get_by_text("Cảm ơn bạn")).to_be_visible()
    context.close()
    context, page = _sign_in(
        browser, live_server, "daumoi", f"/learning/contests/{contest.pk}/", viewport={"width": 1280, "height": 800}
    )
    expect(page.get_by_text("N. V. A.")).to_be_visible()
    page.screenshot(path=str(artifacts / "learning-contest-results-desktop.png"), full_page=True)
    context.close()
