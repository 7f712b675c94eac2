"""Courses: the quiz engine (random order, attempts, time limit, pass mark, no answer key in the page),
completion → certificate → the trained-in-depth indicator; outside certificates approved count, refused don't."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lantoa.learning import engine, services
from lantoa.learning.models import CourseCompletion, ExternalCertificate, LearningSettings, QuizAttempt
from lantoa.reach import measure
from lantoa.reach import periods as P
from lantoa.reach.models import TrainingCompletion
from lantoa.tenancy import roles

from ..conftest import make_user
from .conftest import Post, answers_for, staff_of

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    from pypdf import PdfWriter

    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(out)
    return out.getvalue()


PDF = _pdf()


def trained(commune) -> tuple[int, int]:
    year = P.parse("2026")
    fig = measure.compute([commune.pk], [year], codes=["comms_staff_trained"])[(commune.pk, year.code)][
        "comms_staff_trained"
    ]
    return fig.numerator, fig.denominator


def test_draw_shuffles_questions_and_answers_per_attempt(course):
    questions = list(course.questions.all())
    layouts = {
        tuple((r["q"], tuple(r["c"])) for r in engine.draw(questions, 4, random.Random(seed))) for seed in range(8)
    }
    assert len(layouts) > 1  # another order for another attempt
    for layout in layouts:
        assert sorted(q for q, _c in layout) == sorted(q.pk for q in questions)
    assert len(engine.draw(questions, 2, random.Random(1))) == 2


def test_the_quiz_page_never_carries_the_answer_key(client, course, learner):
    for lesson in course.lessons.all():
        services.mark_lesson_done(learner, lesson)
    client.force_login(learner)
    response = client.post(f"/learning/courses/{course.pk}/start/", follow=True)
    html = response.content.decode()
    assert "Câu hỏi số 1?" in html and "Đúng 1" in html
    assert "correct" not in html and "*" not in html.split("<form", 1)[1].split("</form>", 1)[0]


def test_attempts_pass_mark_and_completion_move_the_trained_indicator(client, course, learner, commune_a):
    assert trained(commune_a) == (0, 1)
    first = services.start_attempt(learner, course)
    assert services.start_attempt(learner, course) == first  # the running attempt, not a new one
    first = services.submit_attempt(learner, first, Post(answers_for(first, 2)))
    assert (first.score, first.total, first.passed) == (2, 4, False)  # 50% < 75%
    with pytest.raises(ValidationError):
        services.submit_attempt(learner, first, Post(answers_for(first, 4)))  # handed in once
    second = services.start_attempt(learner, course)
    second = services.submit_attempt(learner, second, Post(answers_for(second, 3)))
    assert second.passed  # 75% is the pass mark
    assert not CourseCompletion.objects.exists()  # lessons not done yet
    for lesson in course.lessons.all():
        services.mark_lesson_done(learner, lesson)
    completion = CourseCompletion.objects.get(course=course, user=learner)
    assert completion.certificate.kind == "course" and completion.training_completion.staff == staff_of(learner)
    assert trained(commune_a) == (1, 1)
    with pytest.raises(ValidationError):
        services.start_attempt(learner, course)  # passed already
    client.force_login(learner)
    assert client.get(f"/learning/completions/{completion.pk}/certificate.pdf").content.startswith(b"%PDF")
    client.logout()
    page = client.get(f"/xac-minh/{completion.certificate.code}/").content.decode()
    assert staff_of(learner).full_name in page and course.title in page


def test_attempts_are_limited(course, learner):
    for _n in range(course.max_attempts):
        attempt = services.start_attempt(learner, course)
        services.submit_attempt(learner, attempt, Post(answers_for(attempt, 0)))
    with pytest.raises(ValidationError, match="2"):
        services.start_attempt(learner, course)


def test_an_answer_after_the_time_limit_is_refused(course, learner, clock):
    attempt = services.start_attempt(learner, course)
    assert attempt.deadline - attempt.started_at == dt.timedelta(minutes=10)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10, seconds=5), tick=False):
        attempt = services.submit_attempt(learner, attempt, Post(answers_for(attempt, 4)))
    assert attempt.expired and not attempt.passed and attempt.score == 0
    assert QuizAttempt.objects.get(pk=attempt.pk).answers == {}


def test_a_course_not_open_or_of_another_commune_is_refused(course, learner, commune_b):
    course.published = False
    course.save()
    with pytest.raises(ValidationError):
        services.start_attempt(learner, course)
    other = make_user("khac_b", roles.EDITOR, commune=commune_b)
    course.published = True
    course.save()
    with pytest.raises(PermissionDenied):
        services.start_attempt(other, course)


def _submit(user, staff, code="BDHVS-001"):
    return services.submit_external(
        user,
        staff=staff,
        title="Bình dân học vụ số",
        issuer="Sở Khoa học và Công nghệ",
        code=code,
        issued_on=dt.date(2026, 10, 1),
        data=PDF,
        filename="chung-nhan.pdf",
    )


def test_outside_certificate_approved_counts_refused_does_not(commune_a, learner, pvhcc_a, data_a):
    staff = staff_of(learner)
    cert = _submit(learner, staff)
    assert cert.file.open("rb").read() == PDF and "learning/" in cert.file.name
    with pytest.raises(PermissionDenied):
        services.review_external(learner, cert, "approve")  # not the focal point
    with pytest.raises(ValidationError):
        services.review_external(pvhcc_a, cert, "refuse", "")  # a reason is required
    services.review_external(pvhcc_a, cert, "refuse", "Ảnh mờ, không đọc được số")
    assert trained(commune_a) == (0, 1) and not TrainingCompletion.objects.exists()
    second = _submit(learner, staff, "BDHVS-002")
    services.review_external(pvhcc_a, second, "approve")
    assert trained(commune_a) == (1, 1)
    # The commune's rule: outside certificates no longer count → the indicator follows.
    rule = LearningSettings.objects.get(commune=commune_a)
    rule.external_counts = False
    rule.save()
    assert trained(commune_a) == (0, 1)
    # Refused after approval: taken back out.
    rule.external_counts = True
    rule.save()
    services.review_external(pvhcc_a, second, "refuse", "Chứng nhận không đúng người")
    assert trained(commune_a) == (0, 1)
    assert ExternalCertificate.objects.get(pk=second.pk).status == "refused"


def test_outside_certificate_file_is_checked_and_private(client, commune_a, learner, data_a):
    staff = staff_of(learner)
    with pytest.raises(ValidationError):
        services.submit_external(
            learner,
            staff=staff,
            title="X",
            issuer="Y",
            code="1",
            issued_on=dt.date(2026, 1, 1),
            data=b"<html>",
            filename="a.html",
        )
    with pytest.raises(ValidationError):
        services.submit_external(
            learner,
            staff=staff,
            title="X",
            issuer="Y",
            code="1",
            issued_on=dt.date(2026, 1, 1),
            data=b"not png",
            filename="a.png",
        )
    client.force_login(learner)
    response = client.post(
        f"/learning/communes/{commune_a.pk}/certificates/",
        {
            "title": "Bình dân học vụ số",
            "issuer": "Sở KH&CN",
            "code": "A-1",
            "issued_on": "2026-10-01",
            "file": SimpleUploadedFile("cn.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    cert = ExternalCertificate.objects.get(code="A-1")
    assert client.get(f"/learning/certificates/{cert.pk}/file/").getvalue() == PDF
    client.logout()
    assert client.get(f"/learning/certificates/{cert.pk}/file/").status_code == 302  # to the login
