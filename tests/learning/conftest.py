"""Fixtures of the learning tests: a course with two lessons and a four-question quiz; a contest on column items."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lantoa.learning.models import Contest, Course, Lesson, Question
from lantoa.tenancy import roles
from lantoa.tenancy.models import Staff

from ..conftest import make_user
from ..reach.conftest import make_activity, make_plan

# Question n: the correct answer is "Đúng n".
QUESTIONS = [f"Câu hỏi số {n}?" for n in range(1, 5)]


def answers_for(attempt_or_layout, right: int) -> dict:
    """Form data answering the first ``right`` questions of a layout correctly and the rest wrongly."""
    layout = getattr(attempt_or_layout, "layout", attempt_or_layout)
    data = {}
    for i, row in enumerate(layout):
        q = Question.objects.get(pk=row["q"])
        good = next(c["id"] for c in q.choices if c["correct"])
        bad = next(c["id"] for c in q.choices if not c["correct"])
        data[f"q{row['q']}"] = [str(good if i < right else bad)]
    return data


class Post(dict):
    def getlist(self, key):
        return self.get(key, [])


@pytest.fixture
def course(commune_a):
    course = Course.objects.create(
        commune=commune_a,
        title="Kỹ năng truyền thông số",
        published=True,
        questions_per_attempt=4,
        max_attempts=2,
        time_limit_minutes=10,
        pass_mark=75,
    )
    for n in (1, 2):
        Lesson.objects.create(commune=commune_a, course=course, position=n, title=f"Bài {n}", body=f"Nội dung {n}")
    for n, text in enumerate(QUESTIONS, start=1):
        Question.objects.create(
            commune=commune_a, course=course, text=text, choices_text=f"* Đúng {n}\nSai {n}a\nSai {n}b"
        )
    return course


@pytest.fixture
def learner(commune_a, data_a):
    """A civil servant on communications duty with a login of the editor role."""
    user = make_user("hocvien_a", roles.EDITOR, commune=commune_a)
    staff = data_a["staff"]
    staff.user = user
    staff.save()
    return user


@pytest.fixture
def contest(commune_a, data_a, live_item):
    plan = make_plan(commune_a)
    activity = make_activity(commune_a, plan["task"], data_a["unit"], channel="event", title="Cuộc thi")
    now = timezone.now()
    contest = Contest.objects.create(
        commune=commune_a,
        title="Cuộc thi tìm hiểu Nghị quyết 57",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
        activity=activity,
        prizes="Giải nhất\nGiải nhì",
        published=True,
    )
    for n in (1, 2, 3):
        q = Question(
            commune=commune_a,
            contest=contest,
            text=f"Nghị quyết 57 câu {n}?",
            choices_text=f"* Đúng {n}\nSai {n}",
            source_page=live_item,
            position=n,
        )
        q.full_clean()
        q.save()
    return contest


@pytest.fixture
def live_item(commune_a):
    from wagtail.rich_text import RichText

    from lantoa.column.models import ArticlePage
    from lantoa.column.services import ensure_column

    home = ensure_column(commune_a)
    item = ArticlePage(title="Nghị quyết 57 là gì", summary="Tóm tắt", body=[("paragraph", RichText("<p>x</p>"))])
    home.add_child(instance=item)
    item.save_revision().publish()
    return item


def staff_of(user):
    return Staff.objects.get(user=user)
