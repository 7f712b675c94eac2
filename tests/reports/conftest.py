"""A commune with a plan, a half-year of activities, reach records, obstacles and budget lines, for the report tests.

The world lies in last year, so every date is in the past whatever day the tests run (the services refuse
future activities and contacts) and the first half and the whole year are both over.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from lantoa.budget.models import EstimateLine, Source, Spending
from lantoa.plans.models import Activity, Channel, Obstacle, Plan, PlanTarget, SolutionGroup, Task
from lantoa.tenancy import roles
from lantoa.tenancy.models import Hamlet, Household, Staff

from ..conftest import make_user

YEAR = 2025  # a whole year before the suite's clock (tests/conftest.py)


def build_world(commune, data, *, tag: str = "") -> dict:
    """Plan (2 groups, 3 tasks, targets), activities in H1 and H2, a briefing, contacts, an obstacle, budget."""
    from lantoa.reach import services as reach
    from lantoa.reach.models import Briefing

    root = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.create_superuser(
        f"goc{tag}", password="Mk-kiem-thu-57!"
    )
    unit = data["unit"]
    plan = Plan.objects.create(
        commune=commune,
        title=(
            "Triển khai thực hiện Chương trình “Đẩy mạnh truyền thông thực hiện Nghị quyết số "
            "57-NQ/TW ngày 22/12/2024 của Bộ Chính trị” trên địa bàn xã"
        ),
        number="12/KH-UBND",
        place=commune.short_name,
        issued_on=dt.date(YEAR, 3, 5),
        year=YEAR,
        status=Plan.Status.ACTIVE,
        signer_name="Lường Văn Toàn",
        signer_title="PHÓ CHỦ TỊCH",
        signer_on_behalf="KT. CHỦ TỊCH",
        recipients=["Sở Khoa học và Công nghệ", "Lãnh đạo UBND xã", "Lưu: VT, HCC"],
    )
    PlanTarget.objects.create(
        commune=commune,
        plan=plan,
        year=YEAR,
        text="Ít nhất 10% người dân tiếp cận thông tin",
        value=Decimal(10),
        unit="%",
        indicator_code="residents_reached",
        order=1,
    )
    PlanTarget.objects.create(
        commune=commune,
        plan=plan,
        year=YEAR,
        text="100% cán bộ được phổ biến",
        value=Decimal(100),
        unit="%",
        indicator_code="officials_informed",
        order=2,
    )
    g1 = SolutionGroup.objects.create(commune=commune, plan=plan, code="1", title="Đẩy mạnh truyền thông", order=1)
    g2 = SolutionGroup.objects.create(
        commune=commune, plan=plan, code="2", title="Tăng cường truyền thông tại trường học", order=2
    )
    column = Task.objects.create(
        commune=commune,
        plan=plan,
        group=g1,
        code="1.1",
        order=1,
        title="Xây dựng và duy trì các chuyên mục về Nghị quyết số 57-NQ/TW. Câu thứ hai.",
    )
    meetings = Task.objects.create(
        commune=commune, plan=plan, group=g1, code="1.2", order=2, title="Tổ chức các hội nghị, hội thảo, tọa đàm"
    )
    schools = Task.objects.create(
        commune=commune, plan=plan, group=g2, code="2.1", order=3, title="Tuyên truyền tại trường học"
    )
    for task in (column, meetings, schools):
        task.lead_units.add(unit)

    def act(task, title, day, channel, people=0):
        return Activity.objects.create(
            commune=commune,
            task=task,
            unit=unit,
            title=title,
            date=day,
            channel=channel,
            people_count=people,
            location="Hội trường UBND xã",
        )

    for month in range(1, 7):
        act(column, f"Tin bài tháng {month}", dt.date(YEAR, month, 10), Channel.WEB_COLUMN)
    act(column, "Chia sẻ lên Zalo", dt.date(YEAR, 2, 3), Channel.SOCIAL)
    act(column, "Chia sẻ lên Facebook", dt.date(YEAR, 3, 3), Channel.SOCIAL)
    conference = act(meetings, "Hội nghị phổ biến Nghị quyết 57", dt.date(YEAR, 3, 20), Channel.CONFERENCE, 90)
    act(meetings, "Tọa đàm Bình dân học vụ số", dt.date(YEAR, 5, 12), Channel.CONFERENCE, 60)
    act(meetings, "Hội nghị tháng 9", dt.date(YEAR, 9, 12), Channel.CONFERENCE, 40)  # second half only
    # Reach: the conference's attendance reaches one household; a briefing for the staff member.
    reach.record_contacts_bulk(
        root,
        activity=conference,
        rows=[{"channel": "meeting", "date": dt.date(YEAR, 3, 20), "household_id": data["households"][0].pk}],
    )
    briefing = Briefing.objects.create(commune=commune, title="Quán triệt Nghị quyết 57", date=dt.date(YEAR, 2, 1))
    briefing.attendees.set([data["staff"]])
    Obstacle.objects.create(
        commune=commune,
        unit=unit,
        task=meetings,
        title="Thiếu máy chiếu",
        description="Hội trường chưa có máy chiếu",
        proposal="Đề nghị hỗ trợ máy chiếu",
    )
    Obstacle.objects.filter(title="Thiếu máy chiếu").update(
        raised_at=timezone.make_aware(dt.datetime(YEAR, 4, 2, 9, 0))
    )
    approved = {"status": "approved", "approved_at": timezone.make_aware(dt.datetime(YEAR, 1, 15, 9, 0))}
    fees = EstimateLine.objects.create(
        commune=commune,
        year=YEAR,
        task=column,
        unit=unit,
        title="Nhuận bút chuyên mục",
        amount=Decimal(24_000_000),
        **approved,
    )
    # Spent by the first half's cut-off: 12,500,000 in two dated entries; one more in the second half.
    for day, amount in ((dt.date(YEAR, 3, 31), 7_000_000), (dt.date(YEAR, 6, 10), 5_500_000)):
        Spending.objects.create(
            commune=commune, line=fees, date=day, amount=Decimal(amount), what="Nhuận bút", document_number="PC"
        )
    Spending.objects.create(
        commune=commune, line=fees, date=dt.date(YEAR, 9, 30), amount=Decimal(4_000_000), what="Nhuận bút quý III"
    )
    EstimateLine.objects.create(
        commune=commune,
        year=YEAR,
        task=meetings,
        unit=unit,
        title="Hội nghị",
        amount=Decimal(30_000_000),
        source=Source.PROVINCE_SUPPORT,
        **approved,
    )
    return {"plan": plan, "tasks": {"1.1": column, "1.2": meetings, "2.1": schools}, "root": root, "unit": unit}


@pytest.fixture
def world(commune_a, data_a):
    # A second hamlet and more households, so that the shares are not trivial.
    hamlet = Hamlet.objects.create(commune=commune_a, name="Thôn Hai", households_baseline=3, residents_baseline=9)
    for i in range(3):
        Household.objects.create(commune=commune_a, hamlet=hamlet, code=f"HAI-{i}", members=3)
    Staff.objects.create(commune=commune_a, unit=data_a["unit"], full_name="Cán bộ thứ hai")
    return {**build_world(commune_a, data_a), "commune": commune_a, "data": data_a}


@pytest.fixture
def leadership_a(commune_a):
    return make_user("lanhdao_a", roles.LEADERSHIP, commune=commune_a)


@pytest.fixture
def unit_a(commune_a):
    return make_user("donvi_a", roles.UNIT, commune=commune_a)


@pytest.fixture
def province_user(commune_a):
    return make_user("tinh_a", roles.PROVINCE, province=commune_a.province)


def written(actor, report):
    """The commune writes what the draft left for it (every “[Xã viết: …]”), as it must before sending it on."""
    import re

    from lantoa.reports import drafting, services

    sections = {
        key: re.sub(r"\[Xã viết: [^\]]*\]", "Nội dung do xã viết.", text)
        for key, text in report.sections.items()
        if drafting.TO_WRITE in text
    }
    services.save_sections(actor, report, sections=sections)
    report.refresh_from_db()
    return report
