"""Every dated record a commune writes is held by a locked period: added, changed (from or to a day inside) or
deleted, it is refused with the Vietnamese message and nothing is written; outside the period, or once the
leadership has re-opened it, the same write goes through.

The generic services (``tenancy.save_record`` / ``delete_record``, which every Wagtail snippet viewset calls) read
the record's days from its ``period_days()``; the dedicated services (household changes, the roster import,
obstacles) check the day they date. ``test_locks.py`` covers contacts, activities and the issued report.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lantoa.plans import services as plan_services
from lantoa.plans.models import Obstacle
from lantoa.reach import services as reach
from lantoa.reach.models import (
    Award,
    Briefing,
    RosterImport,
    ScienceTask,
    Survey,
    SurveyStratum,
    TrainingCompletion,
    TrainingCourse,
)
from lantoa.tenancy import roles
from lantoa.tenancy import services as tenancy
from lantoa.tenancy.models import Household, HouseholdChange, PeriodLock, Staff

from ..conftest import make_user

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 14)
LOCKED = dt.date(2026, 4, 1)
OPEN = dt.date(2026, 8, 3)
REFUSED = "đã khoá theo báo cáo số 45/BC-UBND"


@pytest.fixture
def ctx(commune_a, data_a):
    root = get_user_model().objects.create_superuser("goc_khoa", password="Mk-kiem-thu-57!")
    lock = PeriodLock.objects.create(
        commune=commune_a, start=START, end=END, reference="45/BC-UBND", locked_at=timezone.now()
    )
    return {"commune": commune_a, "root": root, "lock": lock, **data_a}


def reopen(ctx):
    leader = make_user("lanh_dao_khoa", roles.LEADERSHIP, commune=ctx["commune"])
    tenancy.reopen_period(leader, ctx["lock"], reason="Bổ sung số liệu bị sót")


def refused(attempt):
    with pytest.raises(ValidationError) as exc:
        attempt()
    assert REFUSED in " ".join(exc.value.messages)


def _staff(c, day):
    return Staff(commune=c["commune"], unit=c["unit"], full_name="Cán bộ mới", start_date=day)


def _course(c, day):
    return TrainingCourse(commune=c["commune"], title="Kỹ năng truyền thông số", start_date=day)


def _completion(c, day):
    course = TrainingCourse.objects.create(commune=c["commune"], title="Khoá học", start_date=OPEN)
    staff = Staff.objects.create(commune=c["commune"], full_name="Học viên")
    return TrainingCompletion(commune=c["commune"], course=course, staff=staff, completed_on=day)


def _briefing(c, day):
    return Briefing(commune=c["commune"], title="Sinh hoạt chuyên đề Nghị quyết 57", date=day)


def _award(c, day):
    return Award(commune=c["commune"], date=day, decision_number="12/QĐ-UBND", title="Khen thưởng đổi mới sáng tạo")


def _survey(c, day):
    return Survey(commune=c["commune"], title="Khảo sát hộ", start_date=dt.date(2025, 12, 1), end_date=day)


def _stratum(c, day):
    survey = Survey.objects.create(
        commune=c["commune"], title="Khảo sát", start_date=dt.date(2025, 12, 1), end_date=day
    )
    return SurveyStratum(commune=c["commune"], survey=survey, hamlet=c["hamlet"], sampled=10, yes=4)


def _science(c, day):
    return ScienceTask(
        commune=c["commune"],
        title="Nhiệm vụ KH&CN",
        year=2026,
        outside_url="https://khcn.vn/a",
        outside_published_on=day,
    )


# (builder of an unsaved record dated ``day``, the date field an edit moves or None)
DATED = {
    "staff": (_staff, "start_date"),
    "training_course": (_course, "start_date"),
    "training_completion": (_completion, "completed_on"),
    "briefing": (_briefing, "date"),
    "award": (_award, "date"),
    "survey": (_survey, "end_date"),
    "survey_stratum": (_stratum, None),
    "science_task": (_science, "outside_published_on"),
}


@pytest.mark.parametrize("kind", DATED)
def test_a_dated_record_of_a_locked_period_is_refused_then_allowed_after_reopening(ctx, kind):
    build, field = DATED[kind]
    root = ctx["root"]
    model = build(ctx, OPEN).__class__
    before = model.objects.count()

    refused(lambda: tenancy.save_record(root, build(ctx, LOCKED)))  # add inside
    assert model.objects.count() == before

    record = tenancy.save_record(root, build(ctx, OPEN))  # add outside
    if field:
        setattr(record, field, LOCKED)  # moved into the period
        refused(lambda: tenancy.save_record(root, record))
        record.refresh_from_db()
        assert getattr(record, field) == OPEN

    inside = build(ctx, LOCKED)
    inside.save()  # as it was before the report was issued
    if field:
        setattr(inside, field, OPEN)  # moved out of the period
    refused(lambda: tenancy.save_record(root, inside))
    refused(lambda: tenancy.delete_record(root, model.objects.get(pk=inside.pk)))
    assert model.objects.filter(pk=inside.pk).exists()
    tenancy.delete_record(root, record)  # outside: deleted

    reopen(ctx)
    tenancy.save_record(root, build(ctx, LOCKED))
    tenancy.save_record(root, inside)
    tenancy.delete_record(root, model.objects.get(pk=inside.pk))
    assert not model.objects.filter(pk=inside.pk).exists()


def test_a_course_with_completions_in_a_locked_period_is_neither_changed_nor_deleted(ctx):
    completion = _completion(ctx, LOCKED)
    completion.save()
    course = completion.course  # dated after the period, but its completions count in it
    course.in_depth = False
    refused(lambda: tenancy.save_record(ctx["root"], course))
    refused(lambda: tenancy.delete_record(ctx["root"], course))
    assert TrainingCompletion.objects.filter(pk=completion.pk).exists()


def test_a_staff_member_trained_in_a_locked_period_is_not_deleted(ctx):
    completion = _completion(ctx, LOCKED)
    completion.save()
    refused(lambda: tenancy.delete_record(ctx["root"], completion.staff))
    assert TrainingCompletion.objects.filter(pk=completion.pk).exists()


def test_an_obstacle_raised_in_a_locked_period_is_not_edited_but_still_moves_on(ctx):
    obstacle = Obstacle.objects.create(
        commune=ctx["commune"], unit=ctx["unit"], title="Thiếu loa", description="…", raised_by=ctx["root"]
    )
    Obstacle.objects.filter(pk=obstacle.pk).update(raised_at=timezone.make_aware(dt.datetime(2026, 4, 1, 9)))
    obstacle.refresh_from_db()
    obstacle.title = "Thiếu loa truyền thanh"
    refused(lambda: tenancy.save_record(ctx["root"], obstacle))
    refused(lambda: tenancy.delete_record(ctx["root"], obstacle))
    # Escalating is dated today, outside the period: the answer to an old difficulty is not held back.
    plan_services.move_obstacle(ctx["root"], obstacle, "escalate", "Đề nghị hỗ trợ")
    assert Obstacle.objects.get(pk=obstacle.pk).status == Obstacle.Status.ESCALATED


HOUSEHOLD_CHANGES = {
    "moved_out": {},
    "deceased": {"members_after": 2},
    "born": {"members_after": 4},
    "split": {"members_after": 1},
    "merged": {},
}


@pytest.mark.parametrize("kind", HOUSEHOLD_CHANGES)
def test_household_changes_dated_in_a_locked_period_are_refused(ctx, kind):
    household, other = ctx["households"]
    extra = dict(HOUSEHOLD_CHANGES[kind])
    if kind in ("split", "merged"):
        extra["related"] = other

    def record(day):
        return tenancy.record_household_change(ctx["root"], household, kind=kind, date=day, **extra)

    refused(lambda: record(LOCKED))
    household.refresh_from_db()
    assert (household.members, household.left_on, household.changes.count()) == (3, None, 0)
    assert tenancy.members_on(household, END) == 3  # the figures at the cut-off do not move

    change = record(OPEN)
    household.refresh_from_db()
    assert change.date == OPEN and tenancy.members_on(household, END) == 3
    assert tenancy.members_on(household, OPEN) == change.members_after


def test_household_change_after_reopening_and_a_household_with_locked_history(ctx):
    household = ctx["households"][0]
    reopen(ctx)
    tenancy.record_household_change(ctx["root"], household, kind="deceased", date=LOCKED, members_after=2)
    assert tenancy.members_on(household, END) == 2
    tenancy.relock_period(ctx["root"], PeriodLock.objects.get(pk=ctx["lock"].pk))
    # Deleting the household would delete its history inside the period.
    refused(lambda: tenancy.delete_record(ctx["root"], Household.objects.get(pk=household.pk)))
    assert HouseholdChange.objects.filter(household=household).count() == 1


def _roster(*rows) -> bytes:
    lines = ["Thôn,Mã hộ,Số nhân khẩu", *(",".join(map(str, r)) for r in rows)]
    return "\n".join(lines).encode("utf-8")


def test_a_later_roster_dated_in_a_locked_period_is_refused_already_in_the_preview(ctx):
    hamlet = ctx["hamlet"].name
    changed = _roster((hamlet, "AAA-0001", 5), (hamlet, "AAA-0002", 4), (hamlet, "MOI-1", 2))
    for dry_run in (True, False):
        with pytest.raises(ValidationError) as exc:
            reach.import_roster(
                ctx["root"], commune=ctx["commune"], data=changed, file_name="ho.csv", as_of=LOCKED, dry_run=dry_run
            )
        assert REFUSED in " ".join(exc.value.messages)
    assert Household.objects.filter(commune=ctx["commune"]).count() == 2
    assert not HouseholdChange.objects.exists()
    # Dated after the period it goes through; the one household missing is then confirmed as moved out.
    result = reach.import_roster(
        ctx["root"], commune=ctx["commune"], data=_roster((hamlet, "AAA-0001", 5)), file_name="ho.csv", as_of=OPEN
    )
    assert result.summary["updated"] == 1 and result.summary["missing"] == ["AAA-0002"]
    record = RosterImport.objects.get()
    refused(lambda: reach.confirm_moved_out(ctx["root"], record, codes=["AAA-0002"], date=LOCKED))
    assert reach.confirm_moved_out(ctx["root"], record, codes=["AAA-0002"], date=OPEN) == ["AAA-0002"]


def test_the_pages_refuse_too(ctx):
    """One request per viewset family: a snippet edited and deleted, a household change added."""
    client = Client()
    client.force_login(ctx["root"])
    staff = Staff.objects.create(commune=ctx["commune"], full_name="Cán bộ khoá", start_date=LOCKED)
    form = {
        "full_name": "Cán bộ đổi tên",
        "position": "",
        "unit": "",
        "category": Staff.Category.CIVIL_SERVANT,
        "start_date": OPEN.isoformat(),
        "end_date": "",
    }
    page = client.post(reverse("wagtailsnippets_tenancy_staff:edit", args=[staff.pk]), form)
    assert page.status_code == 200 and REFUSED in page.content.decode()
    staff.refresh_from_db()
    assert (staff.full_name, staff.start_date) == ("Cán bộ khoá", LOCKED)

    course = TrainingCourse.objects.create(commune=ctx["commune"], title="Khoá học khoá", start_date=LOCKED)
    page = client.post(reverse("wagtailsnippets_reach_trainingcourse:delete", args=[course.pk]), follow=True)
    assert REFUSED in page.content.decode()
    assert TrainingCourse.objects.filter(pk=course.pk).exists()

    household = ctx["households"][0]
    change = {
        "commune": ctx["commune"].pk,
        "household": household.pk,
        "kind": "moved_out",
        "date": LOCKED.isoformat(),
        "members_after": 0,
        "related": "",
        "note": "",
    }
    page = client.post(reverse("wagtailsnippets_tenancy_householdchange:add"), change)
    assert page.status_code == 200 and REFUSED in page.content.decode()
    assert not HouseholdChange.objects.exists()

    reopen(ctx)
    client.post(reverse("wagtailsnippets_tenancy_staff:edit", args=[staff.pk]), form)
    staff.refresh_from_db()
    assert staff.start_date == OPEN
    client.post(reverse("wagtailsnippets_reach_trainingcourse:delete", args=[course.pk]))
    assert not TrainingCourse.objects.filter(pk=course.pk).exists()
    client.post(reverse("wagtailsnippets_tenancy_householdchange:add"), change)
    assert HouseholdChange.objects.get().date == LOCKED
