"""Tracking the plan: activities with evidence, status roll-up, obstacles, calendar and reminders, iCal."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from icalendar import Calendar
from PIL import Image

from lantoa.plans import selectors, services
from lantoa.plans.models import (
    Activity,
    CalendarEvent,
    Channel,
    Evidence,
    Obstacle,
    Plan,
    Reminder,
    SolutionGroup,
    Task,
)
from lantoa.tenancy import roles
from lantoa.tenancy.models import Notification, Staff

from ..conftest import WORKING_MORNING, make_user

pytestmark = pytest.mark.clock_sweep


@pytest.fixture
def plan(commune_a):
    plan = Plan.objects.create(commune=commune_a, title="Kế hoạch thử", year=2026, status=Plan.Status.ACTIVE)
    group = SolutionGroup.objects.create(commune=commune_a, plan=plan, code="1", title="Nhóm 1")
    vhxh = services.tenancy.ensure_unit(commune_a, "Phòng Văn hoá - Xã hội")
    kt = services.tenancy.ensure_unit(commune_a, "Phòng Kinh tế")
    ongoing = Task.objects.create(commune=commune_a, plan=plan, group=group, code="1.1", title="Thường xuyên", order=1)
    dated = Task.objects.create(
        commune=commune_a,
        plan=plan,
        group=group,
        code="1.2",
        title="Có hạn",
        deadline=dt.date(2026, 9, 30),
        timing="Quý III/2026",
        order=2,
        weight=3,
    )
    ongoing.lead_units.set([vhxh])
    dated.lead_units.set([kt])
    return plan


def photo(name="anh.jpg"):
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def unit_user(commune, unit, username="donvi"):
    user = make_user(username, roles.UNIT, commune=commune)
    Staff.objects.create(commune=commune, unit=unit, full_name=username, user=user)
    return user


@pytest.mark.django_db
@pytest.mark.clock(WORKING_MORNING)  # it records activities in October 2026: run after them
def test_a_unit_records_activities_on_its_own_tasks_only(commune_a, plan):
    ongoing, dated = plan.tasks.order_by("order")
    vhxh, kt = ongoing.lead_units.get(), dated.lead_units.get()
    user = unit_user(commune_a, vhxh)
    activity = services.record_activity(
        user,
        ongoing,
        unit=vhxh,
        files=[photo()],
        title="Hội nghị",
        date=dt.date(2026, 10, 2),
        channel=Channel.CONFERENCE,
        people_count=60,
        audience="Cán bộ",
    )
    assert activity.evidence.get().name == "anh.jpg" and activity.evidence.get().file.read()[:3] == b"\xff\xd8\xff"
    with pytest.raises(PermissionDenied):
        services.record_activity(
            user, dated, unit=kt, title="Không phải việc của tôi", date=dt.date(2026, 10, 2), channel=Channel.OTHER
        )
    with pytest.raises(PermissionDenied):
        services.record_activity(
            user, dated, unit=vhxh, title="Nhiệm vụ của đơn vị khác", date=dt.date(2026, 10, 2), channel=Channel.OTHER
        )
    # A disguised file is refused and nothing of the activity is kept.
    count = Activity.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.record_activity(
            user,
            ongoing,
            unit=vhxh,
            files=[SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 exe")],
            title="Ảnh giả",
            date=dt.date(2026, 10, 3),
            channel=Channel.OTHER,
        )
    assert "không phải tệp được chấp nhận" in " ".join(excinfo.value.messages)
    assert Activity.objects.count() == count and Evidence.objects.count() == 1
    with pytest.raises(ValidationError):
        services.record_activity(
            user, ongoing, unit=vhxh, title="Tương lai", date=dt.date(2030, 1, 1), channel=Channel.OTHER
        )


@pytest.mark.django_db
def test_status_and_weighted_rollup(commune_a, plan):
    ongoing, dated = plan.tasks.order_by("order")
    today = dt.date(2026, 11, 26)
    states = {s.task.code: s for s in selectors.task_states(plan, today)}
    # Nothing recorded: the ongoing task is late once the half-year is 45 days old; the dated one not yet due.
    assert states["1.1"].status == Task.Status.LATE and states["1.2"].status == Task.Status.LATE
    for month in (7, 8, 10, 11):
        Activity.objects.create(
            commune=commune_a,
            task=ongoing,
            unit=ongoing.lead_units.get(),
            title="x",
            date=dt.date(2026, month, 5),
            channel=Channel.RADIO,
        )
    Activity.objects.create(
        commune=commune_a,
        task=dated,
        unit=dated.lead_units.get(),
        title="y",
        date=dt.date(2026, 8, 1),
        channel=Channel.OTHER,
        progress=60,
    )
    states = {s.task.code: s for s in selectors.task_states(plan, today)}
    assert (states["1.1"].status, states["1.1"].progress) == (Task.Status.IN_PROGRESS, 80)  # 4 of 5 months
    assert (states["1.2"].status, states["1.2"].progress) == (Task.Status.LATE, 60)  # deadline 30/9 passed
    total, groups = selectors.rollup(plan, today)
    assert total.progress == round((1 * 80 + 3 * 60) / 4) and total.status == Task.Status.LATE
    dated.completed_on = dt.date(2026, 9, 20)
    dated.save()
    total, _groups = selectors.rollup(plan, today)
    assert total.progress == round((80 + 3 * 100) / 4) and total.status == Task.Status.IN_PROGRESS


@pytest.mark.django_db
def test_obstacle_goes_through_pvhcc_to_the_leadership_with_history(commune_a, plan):
    unit = plan.tasks.first().lead_units.get()
    raiser = unit_user(commune_a, unit)
    pvhcc = make_user("pv", roles.PVHCC, commune=commune_a)
    leader = make_user("ld", roles.LEADERSHIP, commune=commune_a)
    oversight = make_user("mt", roles.OVERSIGHT, commune=commune_a)
    obstacle = services.raise_obstacle(raiser, commune_a, unit=unit, title="Loa hỏng", description="Cụm loa hỏng")
    assert Notification.objects.filter(user=pvhcc).exists()
    with pytest.raises(PermissionDenied):
        services.move_obstacle(raiser, obstacle, "escalate")
    with pytest.raises(PermissionDenied):
        services.move_obstacle(oversight, obstacle, "answer", "Không được")
    services.move_obstacle(oversight, obstacle, "comment", "MTTQ đề nghị xử lý sớm")
    services.move_obstacle(pvhcc, obstacle, "escalate", "Trình lãnh đạo")
    assert Notification.objects.filter(user=leader).exists()
    with pytest.raises(ValidationError):
        services.move_obstacle(leader, obstacle, "answer", "   ")
    services.move_obstacle(leader, obstacle, "answer", "Bố trí kinh phí sửa chữa")
    assert Notification.objects.filter(user=raiser, title__contains="Loa hỏng").exists()
    with pytest.raises(ValidationError) as excinfo:
        services.move_obstacle(pvhcc, obstacle, "escalate")
    assert "không thể" in " ".join(excinfo.value.messages)
    services.move_obstacle(pvhcc, obstacle, "close")
    obstacle.refresh_from_db()
    assert obstacle.status == Obstacle.Status.CLOSED
    assert list(obstacle.events.values_list("action", flat=True)) == ["raise", "comment", "escalate", "answer", "close"]
    # The history reads in Vietnamese, with people's names, not action codes and logins.
    leader.first_name, leader.last_name = "Toàn", "Lường Văn"
    leader.save()
    client = Client()
    client.force_login(pvhcc)
    history = client.get(f"/admin/plans/obstacles/{obstacle.pk}/").content.decode()
    assert "chuyển lãnh đạo" in history and ": escalate" not in history and ": answer" not in history


@pytest.mark.django_db
def test_calendar_reminders_14_and_3_days_before_sent_once(commune_a, plan, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    dated = plan.tasks.get(code="1.2")
    kt = dated.lead_units.get()
    kt.email = "phongkinhte@namcuong.gov.vn"
    kt.save()
    user = unit_user(commune_a, kt, "kt")
    services.ensure_calendar(commune_a, 2026)
    assert services.ensure_calendar(commune_a, 2026) == 0  # idempotent
    event = CalendarEvent.objects.get(task=dated)
    assert event.date == dt.date(2026, 9, 30) and list(event.units.all()) == [kt]
    assert services.send_due_reminders(dt.date(2026, 9, 16)) == 1
    assert services.send_due_reminders(dt.date(2026, 9, 16)) == 0
    assert services.send_due_reminders(dt.date(2026, 9, 27)) == 1
    assert Reminder.objects.filter(event=event).count() == 2
    notes = Notification.objects.filter(user=user)
    assert notes.count() == 2 and "30/09/2026" in notes.first().title
    assert any("phongkinhte@namcuong.gov.vn" in m.to for m in mail.outbox)


@pytest.mark.django_db
def test_private_ical_link(commune_a, plan):
    services.ensure_calendar(commune_a, 2026)
    client = Client()
    client.force_login(make_user("pv", roles.PVHCC, commune=commune_a))
    page = client.post("/admin/plans/calendar/").content.decode()
    url = page.split("<code>")[1].split("</code>")[0]
    assert "/plans/calendar/" in url
    anonymous = Client()
    body = anonymous.get(url.replace("http://testserver", "")).content
    calendar = Calendar.from_ical(body)
    summaries = [str(e.get("summary")) for e in calendar.walk("VEVENT")]
    assert any("18/5" in s for s in summaries) and any("Hạn gửi báo cáo 6 tháng" in s for s in summaries)
    assert anonymous.get("/plans/calendar/khong-dung.ics").status_code == 404
    # A new link revokes the old one.
    client.post("/admin/plans/calendar/")
    assert anonymous.get(url.replace("http://testserver", "")).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reminders_are_sent_by_the_real_worker(commune_a, plan, settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from lantoa.plans.tasks import send_reminders

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.ensure_calendar(commune_a, 2026)
    result = send_reminders.enqueue("2026-09-16")
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL", row.traceback
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_report_deadlines_are_reminded_10_and_3_days_before(commune_a, plan):
    services.tenancy.ensure_unit(commune_a, "Trung tâm Phục vụ hành chính công", kind="lead_centre")
    services.ensure_calendar(commune_a, 2026)
    make_user("pv", roles.PVHCC, commune=commune_a)
    deadline = CalendarEvent.objects.get(commune=commune_a, key="report_h1:2026")
    assert deadline.date == dt.date(2026, 6, 20)
    assert services.send_due_reminders(dt.date(2026, 6, 6)) == 0  # 14 days before: not for reports
    assert services.send_due_reminders(dt.date(2026, 6, 10)) == 1  # 10 days before
    assert services.send_due_reminders(dt.date(2026, 6, 17)) == 1  # 3 days before
    assert set(Reminder.objects.filter(event=deadline).values_list("days_before", flat=True)) == {10, 3}


@pytest.mark.django_db
def test_changes_to_tasks_and_obstacles_are_audited(commune_a, plan):
    from auditlog.models import LogEntry

    task = plan.tasks.get(code="1.2")
    pvhcc = make_user("pv", roles.PVHCC, commune=commune_a)
    from auditlog.context import set_actor

    with set_actor(pvhcc):
        task.weight = 5
        task.save()
    updates = LogEntry.objects.get_for_object(task).filter(action=LogEntry.Action.UPDATE)
    entry = next(e for e in updates if "weight" in e.changes_dict)
    assert entry.actor == pvhcc and entry.changes_dict["weight"] == ["3", "5"]
    # The lead unit set when the task was created is in the trail too (many-to-many change).
    assert any("lead_units" in e.changes_dict for e in updates)
