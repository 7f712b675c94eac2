"""Quiet hours, the weekly grid, stacking bulletins in a slot, zones, confirmation and coverage in reach."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lantoa.radio import scheduling, services
from lantoa.radio.models import Airing, AiringTarget, Bulletin, QuietPeriod, Slot
from lantoa.reach.models import Broadcast as CoverageRecord
from lantoa.tenancy import roles
from lantoa.tenancy.services import save_record

from ..conftest import WORKING_MORNING, make_user
from .test_workflow import with_audio

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sweep]


class Q:
    def __init__(self, start, end):
        self.start, self.end = start, end

    def __str__(self):
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


NIGHT, NOON = Q(time(22), time(5)), Q(time(11, 30), time(13, 30))


@pytest.mark.parametrize(
    "start,minutes,conflict",
    [
        ("05:30", 30, None),
        ("17:00", 30, None),
        ("21:30", 30, None),
        ("21:31", 30, "night"),
        ("04:59", 2, "night"),
        ("05:00", 10, None),
        ("23:00", 1, "night"),
        ("11:00", 30, None),
        ("11:00", 31, "noon"),
        ("13:30", 60, None),
        ("12:00", 5, "noon"),
    ],
)
def test_quiet_conflict(start, minutes, conflict):
    begin = datetime.combine(date(2026, 3, 2), scheduling.parse_hhmm(start))
    found = scheduling.quiet_conflict([NIGHT, NOON], begin, begin + timedelta(minutes=minutes))
    assert found is {"night": NIGHT, "noon": NOON, None: None}[conflict]


def tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


def at(day: date, hhmm: str) -> datetime:
    return timezone.make_aware(datetime.combine(day, scheduling.parse_hhmm(hhmm)))


@pytest.fixture
def approved(radio_a, editor, leader):
    def make(title="Bản tin", seconds=60.0):
        bulletin = with_audio(
            services.create_bulletin(editor, radio_a["commune"], title=title, text="Nội dung"), seconds
        )
        services.submit_bulletin(editor, bulletin)
        return services.approve_bulletin(leader, bulletin)

    return make


def test_defaults(radio_a):
    commune = radio_a["commune"]
    assert sorted(str(q) for q in QuietPeriod.objects.filter(commune=commune)) == ["11:30–13:30", "22:00–05:00"]
    assert [(f"{s.start:%H:%M}", s.weekdays) for s in Slot.objects.filter(commune=commune)] == [
        ("05:30", list(range(7))),
        ("17:00", list(range(7))),
    ]
    services.ensure_setup(commune)  # idempotent
    assert Slot.objects.filter(commune=commune).count() == 2


def test_no_slot_may_cross_quiet_hours(radio_a, editor):
    commune = radio_a["commune"]
    late = Slot(commune=commune, start=time(21, 45), duration_minutes=30, weekdays=[0, 1])
    with pytest.raises(ValidationError) as caught:
        save_record(editor, late)
    assert "Khung giờ 21:45–22:15 lấn vào giờ yên tĩnh 22:00–05:00" in str(caught.value)
    noon = Slot(commune=commune, start=time(13, 30), duration_minutes=30, weekdays=[2])
    save_record(editor, noon)
    # Widening quiet hours over an existing slot is refused too.
    period = QuietPeriod.objects.get(commune=commune, start=time(11, 30))
    period.end = time(14)
    with pytest.raises(ValidationError, match="lấn vào giờ yên tĩnh"):
        save_record(editor, period)


def test_bulletins_stack_in_a_slot_and_must_fit(radio_a, editor, approved):
    slot = Slot.objects.get(commune=radio_a["commune"], start=time(17))
    day = tomorrow()
    first = services.schedule_airing(editor, approved("Một"), slot=slot, day=day)
    second = services.schedule_airing(editor, approved("Hai", 90), slot=slot, day=day)
    assert first.starts_at == at(day, "17:00")
    assert second.starts_at == at(day, "17:00") + timedelta(seconds=65)  # after the first and a 5 s pause
    assert set(second.targets.values_list("cluster_id", flat=True)) == {c.pk for c in radio_a["clusters"]}
    with pytest.raises(ValidationError) as caught:
        services.schedule_airing(editor, approved("Dài", 29 * 60), slot=slot, day=day)
    assert "đã kín" in str(caught.value) and "bản tin dài 29:00" in str(caught.value)


def test_a_broadcast_may_not_enter_quiet_hours(radio_a, editor, approved):
    day = tomorrow()
    bulletin = approved("Ba phút", 180)
    with pytest.raises(ValidationError) as caught:
        services.schedule_airing(editor, bulletin, starts_at=at(day, "21:58"))
    message = str(caught.value)
    assert "Lượt phát 21:58–22:01 (dài 3:00) sẽ lấn vào giờ yên tĩnh 22:00–05:00" in message
    assert services.schedule_airing(editor, bulletin, starts_at=at(day, "21:57")).starts_at == at(day, "21:57")
    with pytest.raises(ValidationError, match="11:30–13:30"):
        services.schedule_airing(editor, bulletin, starts_at=at(day, "11:28"))


def test_overlaps_on_the_same_loudspeakers_are_refused_but_zones_apart_are_not(radio_a, editor, approved):
    day = tomorrow()
    services.schedule_airing(editor, approved("Vùng thấp"), starts_at=at(day, "08:00"), zone=radio_a["low"])
    with pytest.raises(ValidationError, match="đã có lịch phát"):
        services.schedule_airing(editor, approved("Toàn xã"), starts_at=at(day, "08:00"))
    other = services.schedule_airing(editor, approved("Vùng cao"), starts_at=at(day, "08:00"), zone=radio_a["high"])
    assert list(other.targets.values_list("hamlet_id", flat=True)) == [radio_a["hamlets"][2].pk]


def test_rules_of_scheduling(radio_a, editor, leader, approved, commune_b):
    day = tomorrow()
    draft = with_audio(services.create_bulletin(editor, radio_a["commune"], title="Nháp", text="x"))
    with pytest.raises(ValidationError, match="đã duyệt"):
        services.schedule_airing(editor, draft, starts_at=at(day, "08:00"))
    bulletin = approved()
    with pytest.raises(ValidationError, match="đã qua"):
        services.schedule_airing(editor, bulletin, starts_at=timezone.now() - timedelta(hours=2))
    slot = Slot.objects.get(commune=radio_a["commune"], start=time(5, 30))
    slot.weekdays = [day.weekday()]
    slot.save()
    with pytest.raises(ValidationError, match="không có trong lịch phát"):
        services.schedule_airing(editor, bulletin, slot=slot, day=day + timedelta(days=1))
    from lantoa.radio.models import Zone

    foreign = Zone.objects.create(commune=commune_b, name="Vùng xã khác")
    with pytest.raises(ValidationError):
        services.schedule_airing(editor, bulletin, starts_at=at(day, "08:00"), zone=foreign)
    empty = Zone.objects.create(commune=radio_a["commune"], name="Vùng trống")
    with pytest.raises(ValidationError, match="không có cụm loa"):
        services.schedule_airing(editor, bulletin, starts_at=at(day, "08:00"), zone=empty)
    reader = make_user("donvi_a", roles.UNIT, commune=radio_a["commune"])
    with pytest.raises(PermissionDenied):
        services.schedule_airing(reader, bulletin, starts_at=at(day, "08:00"))
    with pytest.raises(ValidationError, match="lịch phát trên loa"):
        airing = services.schedule_airing(editor, bulletin, starts_at=at(day, "08:00"))
        services.reopen_bulletin(leader, bulletin)
    services.cancel_airing(editor, airing)
    assert Airing.objects.get(pk=airing.pk).status == Airing.Status.CANCELLED
    assert not AiringTarget.objects.filter(airing=airing).exclude(status=AiringTarget.Status.CANCELLED).exists()
    services.reopen_bulletin(leader, bulletin)


@pytest.mark.clock(WORKING_MORNING)  # a broadcast two minutes from now: outside the quiet hours
def test_operator_tick_records_coverage_in_reach(radio_a, editor, leader, approved):
    airing = services.schedule_airing(
        editor, approved(), starts_at=timezone.now() + timedelta(minutes=2), zone=radio_a["low"]
    )
    low_hamlets = {h.pk for h in radio_a["hamlets"][:2]}
    first_cluster = radio_a["clusters"][0]
    services.confirm_airing(airing, actor=leader, cluster_ids=[first_cluster.pk])
    airing.refresh_from_db()
    assert airing.status == Airing.Status.PARTIAL
    record = CoverageRecord.objects.get(commune=radio_a["commune"], key=f"radio:{airing.pk}")
    assert set(record.hamlets.values_list("pk", flat=True)) == {first_cluster.hamlet_id}
    services.confirm_airing(airing, actor=leader)
    airing.refresh_from_db()
    record.refresh_from_db()
    assert airing.status == Airing.Status.PLAYED and record.title == airing.bulletin.title
    assert set(record.hamlets.values_list("pk", flat=True)) == low_hamlets
    # Marked as not played after all: the coverage is withdrawn.
    services.confirm_airing(airing, actor=leader, played=False)
    record.refresh_from_db()
    assert Airing.objects.get(pk=airing.pk).status == Airing.Status.FAILED and record.cancelled_at is not None
    with pytest.raises(PermissionDenied):
        services.confirm_airing(airing, actor=make_user("mttq_x", roles.OVERSIGHT, commune=radio_a["commune"]))


def test_cannot_confirm_in_the_future_or_a_cancelled_broadcast(radio_a, editor, leader, approved):
    airing = services.schedule_airing(editor, approved(), starts_at=at(tomorrow(), "08:00"))
    with pytest.raises(ValidationError, match="quá sớm"):
        services.confirm_airing(airing, actor=leader)
    with pytest.raises(ValidationError, match="trước khi"):
        services.confirm_airing(airing, actor=leader, played_at=timezone.now() + timedelta(hours=1))
    services.cancel_airing(editor, airing)
    with pytest.raises(ValidationError, match="đã bị hủy"):
        services.confirm_airing(airing, actor=leader, played_at=airing.starts_at)
    assert not CoverageRecord.objects.exists()
    assert Bulletin.objects.count() == 1


@pytest.mark.clock(WORKING_MORNING)
def test_a_confirmation_in_a_locked_period_is_refused_until_it_is_reopened(radio_a, editor, leader, approved):
    from lantoa.tenancy import services as tenancy
    from lantoa.tenancy.models import PeriodLock

    airing = services.schedule_airing(
        editor, approved(), starts_at=timezone.now() + timedelta(minutes=2), zone=radio_a["low"]
    )
    services.confirm_airing(airing, actor=leader)  # played today, before the report locks today
    today = timezone.localdate()
    lock = PeriodLock.objects.create(
        commune=radio_a["commune"], start=today, end=today, reference="45/BC-UBND", locked_at=timezone.now()
    )
    # Marking it not played, even dated the day before, would change the locked day's coverage.
    with pytest.raises(ValidationError, match="đã khoá theo báo cáo số 45/BC-UBND"):
        services.confirm_airing(airing, actor=leader, played=False, played_at=timezone.now() - timedelta(days=1))
    record = CoverageRecord.objects.get(key=f"radio:{airing.pk}")
    assert Airing.objects.get(pk=airing.pk).status == Airing.Status.PLAYED and record.cancelled_at is None
    tenancy.reopen_period(leader, lock, reason="Loa cụm 2 không phát được")
    services.confirm_airing(airing, actor=leader, played=False)
    assert Airing.objects.get(pk=airing.pk).status == Airing.Status.FAILED
