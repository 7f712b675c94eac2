"""The reach part of the Nam Cường demo: a plausible year of contacts, briefings, trainings, S&T tasks,
column items, broadcasts, an award and a household survey, so that every indicator of the seed plan
shows a value with its method.

``load_reach_demo(commune)`` runs after the tenancy demo (hamlets, households, staff) and the plan import;
without an imported plan it creates a minimal one with the seed plan's targets. Idempotent: a second run
changes nothing. Generated from a fixed seed; dates run from 1 January of the plan's year to today.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lantoa.plans.models import Activity, Channel, Plan, PlanTarget, SolutionGroup, Task
from lantoa.tenancy.models import Commune, Hamlet, Household, Staff, Unit

from . import engine, services
from .indicators import suggest_indicator
from .models import (
    Award,
    Briefing,
    Contact,
    ContactBatch,
    ScienceTask,
    Survey,
    SurveyStratum,
    TrainingCompletion,
    TrainingCourse,
)

# The seed plan's targets (year, text, value) when no plan was imported.
SEED_TARGETS = [
    (
        2026,
        "Tiếp tục triển khai thực hiện Kế hoạch và duy trì chuyên mục truyền thông thực hiện Nghị quyết số "
        "57-NQ/TW trên Cổng thông tin điện tử.",
        None,
    ),
    (
        2026,
        "100% lãnh đạo, cán bộ, công chức, viên chức trong cơ quan nhà nước, đơn vị sự nghiệp công lập thường "
        "xuyên được tuyên truyền, phổ biến về các quan điểm chỉ đạo của Nghị quyết số 57-NQ/TW.",
        100,
    ),
    (
        2026,
        "Ít nhất 10% người dân tiếp cận thông tin định hướng của Đảng và Nhà nước về phát triển khoa học, công "
        "nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia thông qua hệ thống thông tin cơ sở.",
        10,
    ),
    (2027, "Tổ chức khen thưởng về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số hằng năm.", None),
    (
        2027,
        "Ít nhất 30% người dân tiếp cận thông tin định hướng của Đảng và Nhà nước thông qua hệ thống thông tin cơ sở.",
        30,
    ),
    (
        2030,
        "100% các nhiệm vụ khoa học và công nghệ có sử dụng ngân sách nhà nước (trừ những nhiệm vụ liên quan đến "
        "bí mật nhà nước) được truyền thông, phổ biến.",
        100,
    ),
    (
        2030,
        "Ít nhất 70% người dân tiếp cận thông tin định hướng của Đảng và Nhà nước thông qua hệ thống thông tin cơ sở.",
        70,
    ),
    (
        2030,
        "Ít nhất 50% cán bộ, công chức được giao phụ trách công tác truyền thông/thông tin cơ sở và thông tin đối "
        "ngoại của UBND xã được đào tạo chuyên sâu về kỹ năng truyền thông số và nội dung khoa học, công nghệ.",
        50,
    ),
]

SCIENCE_TASKS = [
    (
        "KC-TN-01/2026",
        "Ứng dụng công nghệ IoT giám sát tưới tiêu cho lúa nước tại xã Nam Cường",
        "Viện Khoa học Nông nghiệp miền núi phía Bắc",
        2026,
        False,
    ),
    (
        "KC-TN-02/2026",
        "Chọn tạo giống lúa chất lượng cao thích ứng vùng cao Thái Nguyên",
        "Trường Đại học Nông Lâm Thái Nguyên",
        2026,
        False,
    ),
    (
        "KC-TN-03/2026",
        "Xây dựng mô hình nuôi cá lồng ứng dụng cảm biến chất lượng nước",
        "Trung tâm Khuyến nông tỉnh",
        2026,
        False,
    ),
    (
        "KC-TN-04/2026",
        "Số hóa bản đồ đất đai và quy hoạch sử dụng đất cấp xã",
        "Sở Nông nghiệp và Môi trường",
        2026,
        False,
    ),
    ("KC-TN-05/2026", "Nhiệm vụ bảo đảm an ninh thông tin hệ thống chính quyền số", "Công an tỉnh", 2026, True),
]

COLUMN_TITLES = [
    "Nghị quyết 57: đột phá khoa học, công nghệ ở cấp xã",
    "Chuyển đổi số trong sản xuất nông nghiệp ở Nam Cường",
    "Bình dân học vụ số: người dân học dùng dịch vụ công trực tuyến",
    "Hỏi – đáp về Nghị quyết 57-NQ/TW",
    "Mô hình thanh toán không dùng tiền mặt tại chợ xã",
    "Infographic: 5 mục tiêu của Nghị quyết 57 đến năm 2030",
    "Tổ công nghệ số cộng đồng đến từng thôn, bản",
    "Video: cài đặt ứng dụng VNeID cho người cao tuổi",
]

RADIO_HAMLETS = 8  # hamlets whose loudspeaker clusters work


def _tasks(commune):
    """The plan tasks the demo's activities belong to (the imported plan's, or a minimal plan's)."""

    plan = (
        Plan.objects.filter(commune=commune)
        .exclude(status=Plan.Status.SUPERSEDED)
        .order_by("-year", "-version")
        .first()
    )
    if plan is None:
        plan = Plan.objects.create(
            commune=commune,
            year=2026,
            status=Plan.Status.ACTIVE,
            number="",
            place="Nam Cường",
            title="Kế hoạch triển khai thực hiện Chương trình “Đẩy mạnh truyền thông thực hiện Nghị quyết số "
            "57-NQ/TW” trên địa bàn xã Nam Cường",
        )
        group = SolutionGroup.objects.create(commune=commune, plan=plan, code="1", title="Đẩy mạnh truyền thông")
        group2 = SolutionGroup.objects.create(commune=commune, plan=plan, code="2", title="Cơ sở giáo dục, đào tạo")
        for order, (code, title, g) in enumerate(
            [
                ("1.1", "Xây dựng và duy trì hiệu quả các chuyên mục về Nghị quyết số 57-NQ/TW", group),
                ("1.2", "Tổ chức các hội nghị, hội thảo, tọa đàm phổ biến Nghị quyết số 57-NQ/TW", group),
                ("1.3", "Tổ chức các hoạt động hưởng ứng Ngày Khoa học và Công nghệ, Ngày Chuyển đổi số", group),
                ("1.4", "Phát huy vai trò của Hệ thống truyền thanh cơ sở và Tổ công nghệ số cộng đồng", group),
                ("2.1", "Ứng dụng rộng rãi các công cụ và nền tảng số trong đào tạo, bồi dưỡng", group2),
            ]
        ):
            Task.objects.create(
                commune=commune, plan=plan, group=g, code=code, title=title, timing="Thường xuyên", order=order
            )
        for order, (year, text, value) in enumerate(SEED_TARGETS):
            PlanTarget.objects.create(
                commune=commune,
                plan=plan,
                year=year,
                text=text,
                value=Decimal(value) if value is not None else None,
                unit="%" if value is not None else "",
                indicator_code=suggest_indicator(text) or "",
                order=order,
            )
    # A plan imported without mapping: map its targets now (the import preview normally does it).
    for target in PlanTarget.objects.filter(plan=plan, indicator_code=""):
        code = suggest_indicator(target.text)
        if code:
            PlanTarget.objects.filter(pk=target.pk).update(indicator_code=code)
    tasks = {t.code: t for t in Task.objects.filter(plan=plan)}
    fallback = next(iter(tasks.values()))
    return plan, {code: tasks.get(code, fallback) for code in ("1.1", "1.2", "1.3", "1.4", "2.1")}


def _unit(commune, short: str, kind=Unit.Kind.OFFICE) -> Unit:
    return (
        Unit.objects.filter(commune=commune, short_name=short).first()
        or Unit.objects.filter(commune=commune, kind=kind).first()
        or Unit.objects.filter(commune=commune).first()
    )


def _activity(commune, task, unit, title, day, channel, people=0, end=None):

    activity, _created = Activity.objects.get_or_create(
        commune=commune,
        task=task,
        unit=unit,
        title=title,
        date=day,
        defaults={"channel": channel, "people_count": people, "end_date": end, "location": "Xã Nam Cường"},
    )
    return activity


def _month_starts(start: dt.date, today: dt.date):
    day = start
    while day <= today:
        yield day
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


@transaction.atomic
def load_reach_demo(commune: Commune | None = None, *, today: dt.date | None = None) -> Commune | None:
    """Fill the demo commune with a year of reach records (idempotent)."""

    commune = commune or Commune.objects.filter(code=settings.LANTOA_DEMO_COMMUNE_CODE).first()
    if commune is None or not Household.objects.filter(commune=commune).exists():
        return None
    if ContactBatch.objects.filter(commune=commune, source=ContactBatch.Source.DEMO).exists():
        return commune
    rng = random.Random(57)
    today = today or timezone.localdate()
    plan, tasks = _tasks(commune)
    start = dt.date(min(plan.year, today.year), 1, 1)
    team_unit = _unit(commune, "VH-XH")
    lead_unit = _unit(commune, "PVHCC", Unit.Kind.LEAD_CENTRE)
    service_unit = _unit(commune, "TTDVTH", Unit.Kind.SERVICE_CENTRE)
    hamlets = list(Hamlet.objects.filter(commune=commune).order_by("name"))
    households = {
        h.pk: list(Household.objects.filter(hamlet=h).order_by("code").values_list("pk", flat=True)) for h in hamlets
    }

    # Household visits by the community digital teams: a growing pace, month after month.
    visited: set[int] = set()
    for month, first in enumerate(_month_starts(start, today)):
        last = min(today, (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1))
        activity = _activity(
            commune,
            tasks["1.4"],
            team_unit,
            f"Tổ công nghệ số cộng đồng đến từng hộ phổ biến Nghị quyết 57 — tháng {first:%m/%Y}",
            first,
            Channel.COMMUNITY_TEAM,
            end=last,
        )
        rows = []
        for hamlet in hamlets:
            pool = households[hamlet.pk]
            for _i in range(rng.randint(1, 2 + month // 3)):
                hh = rng.choice(pool)
                if hh in visited and rng.random() < 0.6:
                    continue
                visited.add(hh)
                rows.append(
                    {
                        "channel": Contact.Channel.VISIT,
                        "household_id": hh,
                        "date": first + dt.timedelta(days=rng.randint(0, (last - first).days)),
                    }
                )
        if rows:
            services.record_contacts_bulk(
                None, activity=activity, rows=rows, source=ContactBatch.Source.DEMO, check_perm=False
            )
        # Bulletin boards (not attributable) and column views (online, not attributable).
        board = [
            {"channel": Contact.Channel.BOARD, "hamlet_id": h.pk, "date": first, "people": rng.randint(20, 60)}
            for h in hamlets[: rng.randint(4, 8)]
        ]
        online = [{"channel": Contact.Channel.ONLINE, "date": last, "people": rng.randint(300, 900)}]
        column_activity = _activity(
            commune,
            tasks["1.1"],
            service_unit,
            f"Bảng tin và chuyên mục Nghị quyết 57 — tháng {first:%m/%Y}",
            first,
            Channel.WEB_COLUMN,
        )
        services.record_contacts_bulk(
            None, activity=column_activity, rows=board + online, source=ContactBatch.Source.DEMO, check_perm=False
        )

    # Hamlet meetings each quarter: the households that attended (sign-in sheets).
    for quarter_start in (dt.date(start.year, m, 10) for m in (3, 6, 9, 11)):
        if quarter_start > today:
            continue
        for hamlet in hamlets:
            day = quarter_start + dt.timedelta(days=rng.randint(0, 15))
            if day > today:
                continue
            activity = _activity(
                commune,
                tasks["1.2"],
                lead_unit,
                f"Họp {hamlet.name} phổ biến Nghị quyết 57 ({day:%d/%m/%Y})",
                day,
                Channel.CONFERENCE,
            )
            attended = rng.sample(households[hamlet.pk], k=min(len(households[hamlet.pk]), rng.randint(4, 9)))
            services.record_contacts_bulk(
                None,
                activity=activity,
                rows=[
                    {"channel": Contact.Channel.MEETING, "household_id": hh, "date": day, "people": rng.randint(1, 2)}
                    for hh in attended
                ],
                source=ContactBatch.Source.DEMO,
                check_perm=False,
            )

    # National Digital Transformation Day (10/10): an event, attendance per person.
    event_day = dt.date(start.year, 10, 10)
    if event_day <= today:
        activity = _activity(
            commune,
            tasks["1.3"],
            lead_unit,
            "Ngày hội Chuyển đổi số xã Nam Cường",
            event_day,
            Channel.CONFERENCE,
            people=180,
        )
        pool = [hh for h in hamlets[:6] for hh in households[h.pk]]
        services.record_contacts_bulk(
            None,
            activity=activity,
            rows=[
                {"channel": Contact.Channel.EVENT, "household_id": hh, "date": event_day, "per": Contact.Per.PERSON}
                for hh in rng.sample(pool, k=min(len(pool), 60))
            ],
            source=ContactBatch.Source.DEMO,
            check_perm=False,
        )

    _briefings(commune, tasks, lead_unit, start, today, rng)
    _training(commune, tasks, team_unit, start, today, rng)
    _column_and_science(commune, tasks, start, today, rng)
    _broadcasts(commune, hamlets, start, today)
    _award_and_survey(commune, hamlets, households, start, today, rng)
    engine.recompute([commune.pk])  # the tenancy demo bulk-creates households (no signals)
    return commune


def _briefings(commune, tasks, unit, start, today, rng):

    staff = list(Staff.objects.filter(commune=commune, end_date__isnull=True).order_by("pk"))
    for month, share in ((2, 0.75), (5, 0.8), (8, 0.7), (11, 0.85)):
        day = dt.date(start.year, month, 20)
        if day > today:
            continue
        title = f"Hội nghị quán triệt Nghị quyết 57-NQ/TW cho cán bộ, công chức, viên chức ({day:%m/%Y})"
        activity = _activity(commune, tasks["1.2"], unit, title, day, Channel.CONFERENCE, people=len(staff))
        briefing, created = Briefing.objects.get_or_create(
            commune=commune, title=title, date=day, defaults={"activity": activity}
        )
        if created:
            briefing.attendees.set([s for s in staff if rng.random() < share])


def _training(commune, tasks, unit, start, today, rng):

    day = dt.date(start.year, 7, 14)
    if day > today:
        return
    activity = _activity(
        commune,
        tasks["2.1"],
        unit,
        "Lớp bồi dưỡng chuyên sâu kỹ năng truyền thông số",
        day,
        Channel.TRAINING,
        people=12,
    )
    course, _c = TrainingCourse.objects.get_or_create(
        commune=commune,
        title="Bồi dưỡng chuyên sâu kỹ năng truyền thông số và nội dung khoa học, công nghệ",
        defaults={
            "activity": activity,
            "organiser": "Sở Khoa học và Công nghệ",
            "start_date": day,
            "end_date": day + dt.timedelta(days=4),
            "in_depth": True,
        },
    )
    basic, _c = TrainingCourse.objects.get_or_create(
        commune=commune,
        title="Tập huấn kỹ năng số cơ bản cho cán bộ",
        defaults={
            "activity": activity,
            "organiser": "Trung tâm dịch vụ tổng hợp",
            "start_date": day,
            "in_depth": False,
        },
    )
    comms = list(Staff.objects.filter(commune=commune, on_comms_duty=True).order_by("pk"))
    for s in comms[:2]:
        TrainingCompletion.objects.get_or_create(
            commune=commune,
            course=course,
            staff=s,
            defaults={"completed_on": day + dt.timedelta(days=4), "certificate": f"CN-{s.pk:04d}"},
        )
    for s in comms[2:]:
        TrainingCompletion.objects.get_or_create(commune=commune, course=basic, staff=s, defaults={"completed_on": day})


def _column_and_science(commune, tasks, start, today, rng):
    registered = []
    for code, title, host, year, secret in SCIENCE_TASKS:
        task, _c = ScienceTask.objects.get_or_create(
            commune=commune,
            code=code,
            defaults={
                "title": title,
                "host_organisation": host,
                "year": year,
                "state_secret": secret,
                "decision": f"Quyết định số {rng.randint(100, 999)}/QĐ-UBND",
            },
        )
        registered.append(task)
    registered[2].outside_url = "https://baothainguyen.vn/khoa-hoc-cong-nghe/ca-long-cam-bien"
    registered[2].outside_published_on = dt.date(start.year, 9, 3)
    registered[2].save(update_fields=["outside_url", "outside_published_on"])
    number = 0
    for first in _month_starts(start, today):
        if first.month == 7:
            continue  # a month without items: the dashboard flags it
        for _i in range(rng.randint(2, 4)):
            number += 1
            day = first + dt.timedelta(days=rng.randint(0, 27))
            if day > today:
                continue
            science = []
            if number == 5:
                science = [registered[0].pk]
            elif number == 11:
                science = [registered[1].pk]
            services.record_publication(
                commune=commune,
                key=f"demo-column-{number}",
                title=rng.choice(COLUMN_TITLES),
                url=f"/chuyen-muc-nghi-quyet-57/bai-{number}/",
                published_at=timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30))),
                science_task_ids=science,
                plan_task_id=tasks["1.1"].pk,
            )


def _broadcasts(commune, hamlets, start, today):
    covered = [h.pk for h in hamlets[:RADIO_HAMLETS]]
    day = start + dt.timedelta(days=(4 - start.weekday()) % 7)  # Fridays
    number = 0
    while day <= today:
        number += 1
        services.record_broadcast(
            commune=commune,
            hamlet_ids=covered if number % 5 else covered[:5],
            broadcast_at=timezone.make_aware(dt.datetime.combine(day, dt.time(17, 0))),
            key=f"demo-radio-{number}",
            title=f"Bản tin Nghị quyết 57 số {number}",
        )
        day += dt.timedelta(days=7)


def _award_and_survey(commune, hamlets, households, start, today, rng):
    award_day = dt.date(start.year, 10, 10)
    if award_day <= today:
        Award.objects.get_or_create(
            commune=commune,
            decision_number=f"{rng.randint(1000, 1999)}/QĐ-UBND",
            defaults={
                "date": award_day,
                "title": f"Khen thưởng tập thể, cá nhân tiêu biểu trong chuyển đổi số năm {start.year}",
                "recipients": "Tổ công nghệ số cộng đồng Thôn Nà Pài\nTrường THCS Nam Cường\nHợp tác xã chè Khau Cà",
            },
        )
    end = dt.date(start.year, 6, 25)
    if end > today:
        return
    survey, created = Survey.objects.get_or_create(
        commune=commune,
        title=f"Khảo sát hộ gia đình 6 tháng đầu năm {start.year}",
        defaults={"start_date": dt.date(start.year, 6, 10), "end_date": end},
    )
    if created:
        for hamlet in hamlets:
            sampled = rng.randint(18, 30)
            rate = 0.22 if hamlet.pk in [h.pk for h in hamlets[:RADIO_HAMLETS]] else 0.08
            yes = sum(1 for _i in range(sampled) if rng.random() < rate)
            SurveyStratum.objects.create(commune=commune, survey=survey, hamlet=hamlet, sampled=sampled, yes=yes)


def load(commune: Commune) -> None:
    """The hook ``tenancy.demo.load_demo`` discovers (after the plans demo, in INSTALLED_APPS order)."""
    load_reach_demo(commune)
