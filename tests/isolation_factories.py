"""Objects of commune B for the isolation test (tests/test_isolation.py).

The isolation test needs at least one record of every commune-scoped model in commune B, so
that every route can be aimed at one. Each app registers a function here that creates its
records in commune B; names must contain SECRET so that a leak shows in a response.

A commune-scoped model with no record in commune B makes the isolation test fail, naming the
model: add a factory for it below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

SECRET = "ZQXSECRETB"

# Each factory: (commune_b, world) -> None. ``world`` is the BWorld of the test: it already holds
# commune B's unit, staff, hamlet, households (world.data), a user of B (world.user), B's root
# page (world.page), a draft child page (world.draft), B's collection, image and document.
FACTORIES: list[Callable] = []


def factory(func: Callable) -> Callable:
    FACTORIES.append(func)
    return func


@factory
def tenancy_records(commune, world) -> None:
    from lantoa.tenancy.models import PersonalDataAccess

    PersonalDataAccess.objects.create(
        commune=commune, user=world.user, household=world.data["households"][0], fields="phone", purpose=SECRET
    )
    from lantoa.tenancy.models import Notification

    Notification.objects.create(commune=commune, user=world.user, title=f"Thông báo {SECRET}")
    from lantoa.tenancy.models import HouseholdChange

    HouseholdChange.objects.create(
        commune=commune,
        household=world.data["households"][1],
        kind="born",
        date=dt.date(2026, 3, 1),
        members_before=4,
        members_after=5,
        note=f"Ghi chú {SECRET}",
    )

    from lantoa.tenancy import certificates

    certificates.issue(world.user, commune, holder=f"Người {SECRET}", title=f"Hội nghị {SECRET}", kind="attendance")

    from django.utils import timezone

    from lantoa.tenancy.models import PeriodLock, PeriodLockEvent

    # A period long past, so that no other factory's dated record falls inside it.
    lock = PeriodLock.objects.create(
        commune=commune,
        start=dt.date(2001, 1, 1),
        end=dt.date(2001, 1, 31),
        period_code="2001",
        as_of=dt.date(2001, 1, 31),
        reference=f"1/{SECRET}",
        values={"indicators": [{"code": "residents_reached", "name": SECRET}]},
        locked_at=timezone.now(),
    )
    PeriodLockEvent.objects.create(commune=commune, lock=lock, action="lock", text=SECRET)
    from lantoa.tenancy.models import Job

    Job.objects.create(
        commune=commune, kind=Job.Kind.PLAN_IMPORT, status=Job.Status.FAILED, input_name=f"{SECRET}.docx", error=SECRET
    )


@factory
def plan_records(commune, world) -> None:
    """A plan of commune B with a target, group, task, duty, activity with evidence, obstacle, calendar."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from lantoa.plans import models as m

    unit = world.data["unit"]
    plan = m.Plan.objects.create(commune=commune, title=f"Kế hoạch {SECRET}", year=2026, status=m.Plan.Status.ACTIVE)
    m.PlanTarget.objects.create(commune=commune, plan=plan, year=2026, text=f"Mục tiêu {SECRET}")
    group = m.SolutionGroup.objects.create(commune=commune, plan=plan, code="1", title=f"Nhóm {SECRET}")
    task = m.Task.objects.create(
        commune=commune, plan=plan, group=group, code="1.1", title=f"Nhiệm vụ {SECRET}", deadline=dt.date(2026, 12, 31)
    )
    task.lead_units.add(unit)
    m.UnitDuty.objects.create(commune=commune, plan=plan, unit=unit, items=[SECRET])
    activity = m.Activity.objects.create(
        commune=commune,
        task=task,
        unit=unit,
        title=f"Hoạt động {SECRET}",
        date=dt.date(2026, 3, 1),
        channel=m.Channel.OTHER,
    )
    m.Evidence.objects.create(
        commune=commune,
        activity=activity,
        file=ContentFile(b"%PDF-1.4", name="b.pdf"),
        name=f"{SECRET}.pdf",
        content_type="application/pdf",
        size=8,
    )
    obstacle = m.Obstacle.objects.create(
        commune=commune, unit=unit, task=task, title=f"Khó khăn {SECRET}", description=SECRET
    )
    m.ObstacleEvent.objects.create(commune=commune, obstacle=obstacle, action="raise", text=SECRET)
    m.CalendarFeed.objects.create(commune=commune, token_hash="0" * 64)
    event = m.CalendarEvent.objects.create(
        commune=commune,
        date=dt.date(2026, 12, 31),
        title=f"Sự kiện {SECRET}",
        kind=m.CalendarEvent.Kind.TASK_DEADLINE,
        task=task,
        key="b",
    )
    m.Reminder.objects.create(commune=commune, event=event, unit=unit, days_before=3)


@factory
def reach_records(commune, world) -> None:
    """Reach records of commune B (science tasks, publications, broadcasts, contacts, indicators…)."""
    from tests.reach.factories import isolation_records

    isolation_records(commune, world, SECRET)


@factory
def column_records(commune, world) -> None:
    """The column of commune B: topic, audience, media file, feedback, outbox package, channel account."""
    from django.core.files.base import ContentFile

    from lantoa.column.models import Audience, ChannelAccount, Feedback, MediaFile, SharePost, Topic

    Topic.objects.create(commune=commune, name=f"Chủ đề {SECRET}", slug="chu-de-b")
    Audience.objects.create(commune=commune, name=f"Đối tượng {SECRET}", slug="doi-tuong-b")
    media = MediaFile(commune=commune, title=f"Tệp {SECRET}")
    media.file.save("b.mp3", ContentFile(b"ID3" + b"\0" * 64), save=False)
    media.full_clean()
    media.save()
    Feedback.objects.create(
        commune=commune, page=world.draft, body=f"Góp ý {SECRET}", name=f"Người {SECRET}", contact="0900000000"
    )
    SharePost.objects.create(
        commune=commune, page=world.draft, channel="facebook", text=f"Bài {SECRET}", link="http://b.example/"
    )
    ChannelAccount.objects.create(
        commune=commune, channel="facebook", name=f"Trang {SECRET}", target_id="1", access_token=f"TOKEN{SECRET}"
    )
    # B's column, with a published item and a draft, so that public and back-office screens have B's pages to leak.
    from wagtail.rich_text import RichText

    from lantoa.column.models import ArticlePage
    from lantoa.column.services import ensure_column

    home = ensure_column(commune)
    for title, live in ((f"Bài đã đăng {SECRET}", True), (f"Bài nháp {SECRET}", False)):
        item = ArticlePage(
            title=title, summary=f"Tóm tắt {SECRET}", body=[("paragraph", RichText(f"<p>{SECRET}</p>"))], live=live
        )
        home.add_child(instance=item)
        if live:
            item.save_revision().publish()


@factory
def radio_records(commune, world) -> None:
    """The commune radio of commune B: settings, quiet hours, slots, a zone, a controller, a cluster, a bulletin
    with its item and audio job, an abbreviation, a broadcast and its target."""
    from datetime import timedelta

    from django.utils import timezone

    from lantoa.radio import services as radio
    from lantoa.radio.models import (
        Abbreviation,
        Airing,
        AiringTarget,
        AudioJob,
        Bulletin,
        BulletinItem,
        Device,
        LoudspeakerCluster,
        Zone,
    )
    from lantoa.radio.selectors import hash_token

    radio.ensure_setup(commune)
    hamlet = world.data["hamlet"]
    zone = Zone.objects.create(commune=commune, name=f"Vùng {SECRET}")
    zone.hamlets.add(hamlet)
    device = Device.objects.create(commune=commune, name=f"Bộ điều khiển {SECRET}", token_hash=hash_token(SECRET))
    cluster = LoudspeakerCluster.objects.create(
        commune=commune, name=f"Cụm loa {SECRET}", hamlet=hamlet, controller=device
    )
    bulletin = Bulletin.objects.create(commune=commune, title=f"Bản tin {SECRET}", text=f"Nội dung {SECRET}")
    BulletinItem.objects.create(
        commune=commune, bulletin=bulletin, page=world.draft, title=f"Mục {SECRET}", summary=SECRET
    )
    AudioJob.objects.create(
        commune=commune,
        bulletin=bulletin,
        kind=AudioJob.Kind.SYNTHESIS,
        text=SECRET,
        status=AudioJob.Status.FAILED,
        error=SECRET,
    )
    Abbreviation.objects.create(commune=commune, abbreviation="ZQX", expansion=f"viết tắt {SECRET}")
    airing = Airing.objects.create(
        commune=commune,
        bulletin=bulletin,
        zone=zone,
        note=SECRET,
        starts_at=timezone.now() + timedelta(days=1),
        duration_seconds=60,
    )
    AiringTarget.objects.create(commune=commune, airing=airing, cluster=cluster, hamlet=hamlet, note=SECRET)


@factory
def field_records(commune, world) -> None:
    """The field app of commune B: a visit event sent from a phone (with a photo) and a sticker sheet."""
    import uuid

    from django.core.files.base import ContentFile

    from lantoa.field.models import FieldEvent, StickerSheet

    event = FieldEvent(
        commune=commune,
        uuid=uuid.uuid4(),
        device_id=SECRET,
        user=world.user,
        type=FieldEvent.Type.VISIT,
        household=world.data["households"][0],
        date=dt.date(2026, 3, 2),
        note=f"Ghi chú {SECRET}",
        status=FieldEvent.Status.REJECTED,
        reason=SECRET,
    )
    event.photo.save("anh.jpg", ContentFile(b"\xff\xd8\xff" + SECRET.encode()), save=False)
    event.save()
    sheet = StickerSheet(commune=commune, hamlet=world.data["hamlet"], households=2)
    sheet.file.save("nhan.pdf", ContentFile(b"%PDF-1.4 " + SECRET.encode()), save=False)
    sheet.save()


@factory
def report_records(commune, world) -> None:
    """The reports of commune B: an issued report with its stored files, a draft, their history, a budget line."""
    import datetime as dt
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from lantoa.reports.models import BudgetLine, Report, ReportEvent

    common = dict(
        commune=commune,
        year=2026,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        as_of=dt.date(2026, 6, 15),
        reach_period="2026S1",
        place=f"Xã {SECRET}",
        addressees=[f"Bộ {SECRET}"],
        sections={"direction": f"Nội dung {SECRET}"},
        data={"commune": {"name": SECRET, "code": commune.code}, "period": {"label": SECRET}},
    )
    draft = Report.objects.create(kind=Report.Kind.FIRST_HALF, summary=f"Dự thảo {SECRET}", **common)
    issued = Report(
        kind=Report.Kind.FIRST_HALF,
        summary=f"Báo cáo {SECRET}",
        status=Report.Status.ISSUED,
        number="99",
        issued_on=dt.date(2026, 6, 18),
        **common,
    )
    for fmt in ("docx", "pdf", "xlsx"):
        getattr(issued, f"{fmt}_file").save(f"{SECRET}.{fmt}", ContentFile(SECRET.encode()), save=False)
    issued.save()
    ReportEvent.objects.create(commune=commune, report=draft, action="create", text=SECRET)
    BudgetLine.objects.create(
        commune=commune, year=2026, title=f"Kinh phí {SECRET}", estimate=Decimal(1000), note=SECRET
    )
