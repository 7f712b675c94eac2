"""The learning demo of Nam Cường: a short course on the column's own video and PDF with a four-question quiz,
an outside certificate waiting for the focal point, and the Resolution 57 contest drawn from published column
items, open for three weeks, with three paper entries already typed in. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from lantoa.column.models import ColumnItemPage, MediaFile
from lantoa.plans.models import Activity
from lantoa.tenancy.models import Commune, Staff

from . import services
from .engine import in_order
from .models import Contest, Course, ExternalCertificate, Lesson, Question

COURSE = "Kỹ năng truyền thông số cho cán bộ cơ sở"
CONTEST = "Cuộc thi tìm hiểu Nghị quyết 57-NQ/TW"
QUIZ = [
    (
        "Nghị quyết 57-NQ/TW của Bộ Chính trị bàn về nội dung nào?",
        "* Đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia\n"
        "Phát triển nông nghiệp hữu cơ\nCải cách tiền lương",
    ),
    (
        "Năm 2026, chỉ tiêu người dân tiếp cận thông tin qua hệ thống thông tin cơ sở là bao nhiêu?",
        "* Ít nhất 10%\nÍt nhất 50%\n100%",
    ),
    (
        "Tổ công nghệ số cộng đồng làm gì?",
        "* Hướng dẫn người dân sử dụng dịch vụ số\n* Đưa thông tin Nghị quyết đến từng hộ\nThu thuế đất",
    ),
    (
        "Khi đăng tin lên chuyên mục, cần làm gì trước?",
        "* Gửi duyệt theo quy trình của xã\nĐăng ngay không cần duyệt\nGửi cho báo tỉnh",
    ),
]
CONTEST_QUIZ = [
    ("Nghị quyết 57-NQ/TW được Bộ Chính trị ban hành năm nào?", "* 2024\n2020\n2030"),
    ("Đến năm 2030, tỷ lệ người dân tiếp cận thông tin định hướng qua hệ thống thông tin cơ sở là?", "* 70%\n30%\n10%"),
    (
        "Người dân có thể tìm hiểu Nghị quyết 57 ở đâu?",
        "* Chuyên mục trên trang thông tin điện tử của xã\n* Đài truyền thanh cơ sở\nKhông có nơi nào",
    ),
]


def _pdf() -> bytes:
    from pypdf import PdfWriter  # noqa: PLC0415

    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


@transaction.atomic
def load(commune: Commune) -> None:
    User = get_user_model()
    pvhcc = User.objects.filter(username="pvhcc").first()
    if not Course.objects.filter(commune=commune, title=COURSE).exists():
        course = Course.objects.create(
            commune=commune,
            title=COURSE,
            summary="Ba bài ngắn và một bài kiểm tra bốn câu: viết tin, dùng chuyên mục và truyền thanh.",
            published=True,
            questions_per_attempt=4,
            max_attempts=3,
            time_limit_minutes=15,
            pass_mark=75,
        )
        video = MediaFile.objects.filter(commune=commune, kind=MediaFile.Kind.VIDEO).first()
        pdf = MediaFile.objects.filter(commune=commune, kind=MediaFile.Kind.PDF).first()
        position = 1
        if video:
            Lesson.objects.create(
                commune=commune,
                course=course,
                position=position,
                title="Video: Nghị quyết 57 trong 3 phút",
                kind=Lesson.Kind.VIDEO,
                media=video,
            )
            position += 1
        if pdf:
            Lesson.objects.create(
                commune=commune,
                course=course,
                position=position,
                title="Tài liệu: sổ tay truyền thông số",
                kind=Lesson.Kind.DOCUMENT,
                media=pdf,
            )
            position += 1
        Lesson.objects.create(
            commune=commune,
            course=course,
            position=position,
            title="Viết một tin ngắn cho chuyên mục",
            body="Tin ngắn trả lời: ai, làm gì, ở đâu, khi nào, vì sao. Câu đầu nêu điều quan trọng nhất.\n\n"
            "Ảnh kèm theo phải có chú thích; không đăng ảnh có thông tin cá nhân của người dân.",
        )
        for n, (text, choices) in enumerate(QUIZ, start=1):
            kind = Question.Kind.MULTIPLE if choices.count("*") > 1 else Question.Kind.SINGLE
            Question.objects.create(
                commune=commune, course=course, position=n, text=text, kind=kind, choices_text=choices
            )
    staff = Staff.objects.filter(commune=commune, user__username="bientap").first()
    if staff and not ExternalCertificate.objects.filter(commune=commune, staff=staff).exists():
        services.submit_external(
            staff.user,
            staff=staff,
            title="Bình dân học vụ số",
            issuer="Sở Khoa học và Công nghệ tỉnh",
            code="BDHVS-2026-0157",
            issued_on=timezone.localdate() - dt.timedelta(days=20),
            data=_pdf(),
            filename="binh-dan-hoc-vu-so.pdf",
        )
    if Contest.objects.filter(commune=commune, title=CONTEST).exists():
        return
    items = (
        list(
            Page.objects.live()
            .type(ColumnItemPage)
            .descendant_of(commune.root_page)
            .order_by("path")[: len(CONTEST_QUIZ)]
        )
        if commune.root_page_id
        else []
    )
    if not items:
        return
    now = timezone.now()
    activity = (
        Activity.objects.filter(commune=commune, channel="event").order_by("-date").first()
        or Activity.objects.filter(commune=commune).order_by("-date").first()
    )
    contest = Contest.objects.create(
        commune=commune,
        title=CONTEST,
        intro="Trả lời các câu hỏi dưới đây; mỗi người dự thi một lần. Câu hỏi lấy từ các tin bài của chuyên mục.",
        opens_at=now - dt.timedelta(days=7),
        closes_at=now + dt.timedelta(days=14),
        activity=activity,
        prizes="Giải Nhất: 1.000.000 đồng\nGiải Nhì: 500.000 đồng\nGiải Ba: 300.000 đồng",
        published=True,
    )
    for n, (text, choices) in enumerate(CONTEST_QUIZ, start=1):
        kind = Question.Kind.MULTIPLE if choices.count("*") > 1 else Question.Kind.SINGLE
        Question.objects.create(
            commune=commune,
            contest=contest,
            position=n,
            text=text,
            kind=kind,
            choices_text=choices,
            source_page=items[(n - 1) % len(items)],
        )
    if pvhcc is None:
        return
    layout = in_order(contest.questions.all())
    for n, (name, public, right) in enumerate(
        [("Hoàng Văn Khánh", True, 3), ("Nông Thị Mai", False, 3), ("Lục Văn Hùng", False, 2)], start=1
    ):
        data = {}
        for i, row in enumerate(layout):
            q = Question.objects.get(pk=row["q"])
            key = [str(c["id"]) for c in q.choices if c["correct"]]
            wrong = [str(c["id"]) for c in q.choices if not c["correct"]][:1]
            data[f"q{row['q']}"] = key if i < right else wrong
        services.record_paper_entry(
            pvhcc,
            contest,
            data=_Post(data),
            identity=f"09876543{n:02d}",
            submitted_at=now - dt.timedelta(days=5, hours=n),
            name=name,
            name_public=public,
        )


class _Post(dict):
    def getlist(self, key):
        return self.get(key, [])
