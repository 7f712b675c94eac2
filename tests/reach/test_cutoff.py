"""Every figure is correct as of its cut-off: a property test against a from-scratch count written here.

Records (contacts, broadcasts, briefings, trainings, column items, household changes, staff arrivals and
departures) are generated on both sides of a random cut-off; ``measure.compute`` must give, for every period of
the year, what a plain count of the records dated up to the cut-off gives, over the households and staff as they
stood that day. The truth is kept here as the events are generated (not read back from the history tables).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantoa.reach import measure, services
from lantoa.reach import periods as P
from lantoa.reach.models import Briefing, Publication, TrainingCompletion, TrainingCourse
from lantoa.tenancy.models import Hamlet, Household, HouseholdChange, Staff
from lantoa.tenancy.services import record_household_change

from ..conftest import WORKING_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.clock(WORKING_MORNING)]

FIRST = dt.date(2025, 11, 1)
LAST = dt.date(2026, 11, 18)  # the clock's day: nothing is dated after it
DAYS = st.integers(0, (LAST - FIRST).days).map(lambda n: FIRST + dt.timedelta(days=n))
CUTOFFS = st.integers(0, (LAST - dt.date(2026, 1, 1)).days).map(lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n))
PERIODS = [P.parse(c) for c in ("2026", "2026S1", "2026S2", "2026Q1", "2026Q2", "2026Q3", "2026Q4", "2026N9")]
# Household events: what happened, on which day.
EVENTS = st.lists(
    st.tuples(st.sampled_from(["born", "deceased", "member_joined", "member_left", "moved_out"]), DAYS),
    max_size=3,
)
HOUSEHOLDS = st.lists(
    st.tuples(st.integers(1, 5), st.integers(0, 2), st.one_of(st.none(), DAYS), EVENTS), min_size=1, max_size=6
)
CONTACTS = st.lists(st.tuples(st.integers(0, 5), DAYS, st.sampled_from(["visit", "meeting", "board"])), max_size=10)
BROADCASTS = st.lists(st.tuples(st.sets(st.integers(0, 2), min_size=1), DAYS, st.booleans()), max_size=4)
STAFF = st.lists(
    st.tuples(
        st.sampled_from(list(Staff.Category.values)),
        st.booleans(),
        st.one_of(st.none(), DAYS),
        st.one_of(st.none(), DAYS),
        st.one_of(st.none(), DAYS),  # an in-depth training completed that day
    ),
    max_size=5,
)
BRIEFINGS = st.lists(st.tuples(DAYS, st.sets(st.integers(0, 4))), max_size=4)
ITEMS = st.lists(st.tuples(DAYS, st.one_of(st.none(), DAYS)), max_size=5)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


class Truth:
    """The households' residents day by day, as the generated events say."""

    def __init__(self):
        self.timeline: dict[int, list[tuple[dt.date | None, int]]] = {}

    def members(self, household: int, day: dt.date) -> int:
        current = 0
        for when, members in self.timeline[household]:
            if when is None or when <= day:
                current = members
        return current


def _build(world, households, contacts, broadcasts, staff, briefings, items):
    commune, activity, root = world["commune"], world["activity"], world["root"]
    hamlets = world["hamlets"]
    truth = Truth()
    made = []
    for n, (members, hamlet, arrived, events) in enumerate(households):
        hh = Household.objects.create(commune=commune, hamlet=hamlets[hamlet], code=f"T-{n}", members=members)
        made.append(hh)
        if arrived is None:
            timeline = [(None, members)]
        else:
            record_household_change(root, hh, kind="moved_in", date=arrived, members_after=members)
            timeline = [(None, 0), (arrived, members)]
        current = members
        for kind, day in sorted(events, key=lambda e: e[1]):
            if arrived is not None and day < arrived or current == 0:
                continue
            after = {
                "born": current + 1,
                "member_joined": current + 1,
                "deceased": current - 1,
                "member_left": current - 1,
                "moved_out": 0,
            }[kind]
            if kind == "member_left" and after == 0:
                continue
            record_household_change(root, hh, kind=kind, date=day, members_after=after)
            timeline.append((day, after))
            current = after
        truth.timeline[hh.pk] = timeline
    rows = [
        {
            "channel": channel,
            "date": day,
            "household_id": made[i % len(made)].pk if channel != "board" else None,
            "hamlet_id": made[i % len(made)].hamlet_id,
            "people": 1 + (i + day.day) % 4,  # sometimes more people than the household has members
        }
        for i, day, channel in contacts
    ]
    if rows:
        services.record_contacts_bulk(root, activity=activity, rows=rows)
    for n, (covered, day, cancel) in enumerate(broadcasts):
        services.record_broadcast(
            commune=commune,
            key=f"b{n}",
            title="Bản tin",
            broadcast_at=_at(day),
            hamlet_ids=[hamlets[i].pk for i in covered],
        )
        if cancel:
            services.cancel_broadcast(commune=commune, key=f"b{n}")
    people = []
    course = TrainingCourse.objects.create(commune=commune, title="Lớp chuyên sâu", start_date=FIRST, in_depth=True)
    for n, (category, comms, start, end, trained) in enumerate(staff):
        if start and end and end < start:
            start, end = end, start
        person = Staff.objects.create(
            commune=commune,
            full_name=f"Người {n}",
            category=category,
            on_comms_duty=comms,
            start_date=start,
            end_date=end,
        )
        people.append(person)
        if trained:
            TrainingCompletion.objects.create(commune=commune, course=course, staff=person, completed_on=trained)
    for day, who in briefings:
        briefing = Briefing.objects.create(commune=commune, title="Hội nghị", date=day)
        briefing.attendees.set([people[i] for i in who if i < len(people)])
    for n, (day, gone) in enumerate(items):
        services.record_publication(commune=commune, key=f"i{n}", title="Bài", url="/b/", published_at=_at(day))
        if gone and gone >= day:
            Publication.objects.filter(commune=commune, key=f"i{n}").update(withdrawn_at=_at(gone))
    return truth, made


def _expected(world, truth, made, broadcasts, cutoff: dt.date, period: P.Period) -> dict:
    """Every figure counted from scratch: records dated from the period's start to the cut-off."""
    commune, hamlets = world["commune"], world["hamlets"]
    end = min(cutoff, period.end)
    present = {h.pk: truth.members(h.pk, end) for h in made}
    present = {pk: m for pk, m in present.items() if m > 0}
    everyone = [*world["households"], *made]
    base = {h.pk: h.members for h in world["households"]}  # the fixture's households never change
    residents = sum(present.values()) + sum(base.values())
    residents_of = defaultdict(int)
    for h in everyone:
        m = present.get(h.pk, base.get(h.pk, 0))
        residents_of[h.hamlet_id] += m
    reached = set()
    for c in world["contacts"]():
        if c.household_id and c.channel in ("visit", "meeting") and period.start <= c.date <= end:
            reached.add(c.household_id)
    reached_residents = sum(present.get(pk, base.get(pk, 0)) for pk in reached)
    # The lower bound: the people recorded on each reached household's contacts, at most its members that day.
    people = defaultdict(int)
    for c in world["contacts"]():
        if c.household_id in reached and c.channel in ("visit", "meeting") and period.start <= c.date <= end:
            people[c.household_id] += max(c.people, 1)
    recorded = sum(min(n, present.get(pk, base.get(pk, 0))) for pk, n in people.items())
    covered = set()
    for covered_idx, day, cancel in broadcasts:
        if not cancel and period.start <= day <= end:
            covered |= {hamlets[i].pk for i in covered_idx}
    months = (end.year - period.start.year) * 12 + end.month - period.start.month + 1
    required = max(1, math.ceil(2 * months / 12))

    def serving(s):
        return (s.start_date is None or s.start_date <= end) and (s.end_date is None or s.end_date >= end)

    staff = [s for s in Staff.objects.filter(commune=commune) if serving(s)]
    officials = [s for s in staff if s.category != "non_specialised"]
    attended = defaultdict(int)
    for b in Briefing.objects.filter(commune=commune).prefetch_related("attendees"):
        if period.start <= b.date <= end:
            for s in b.attendees.all():
                attended[s.pk] += 1
    comms = [s for s in staff if s.on_comms_duty and s.category in ("cadre", "civil_servant")]
    trained_by = {t.staff_id: t.completed_on for t in TrainingCompletion.objects.filter(commune=commune)}
    live = defaultdict(int)
    for item in Publication.objects.filter(commune=commune):
        day = timezone.localdate(item.published_at)
        gone = timezone.localdate(item.withdrawn_at) if item.withdrawn_at else None
        # Live on the cut-off day, or live for at least a day before it was withdrawn: it counts for its month.
        lasted = item.withdrawn_at and item.withdrawn_at - item.published_at >= dt.timedelta(days=1)
        if period.start <= day <= end and (gone is None or gone > end or lasted):
            live[(day.year, day.month)] += 1
    alive = 0
    y, m = period.start.year, period.start.month
    while (y, m) <= (end.year, end.month):
        alive += 1 if live[(y, m)] >= 1 else 0
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    # The month the cut-off falls inside is still running: out of the count until it has its item.
    if (end + dt.timedelta(days=1)).month == end.month and not live[(end.year, end.month)]:
        months -= 1
    return {
        "residents_reached": (reached_residents, residents),
        "residents_recorded": (recorded, residents),
        "radio_coverage": (sum(residents_of[h] for h in covered), residents),
        "officials_informed": (sum(1 for s in officials if attended[s.pk] >= required), len(officials)),
        "comms_staff_trained": (
            sum(1 for s in comms if s.pk in trained_by and trained_by[s.pk] <= end),
            len(comms),
        ),
        "column_alive": (alive, months),
    }


@pytest.fixture
def world(commune_a, data_a, visit_activity, django_user_model):
    from lantoa.reach.models import Contact

    root = django_user_model.objects.create_superuser("goc", password="Mk-kiem-thu-57!")
    hamlets = [data_a["hamlet"]] + [Hamlet.objects.create(commune=commune_a, name=f"Thôn {n}") for n in ("Hai", "Ba")]
    Staff.objects.filter(commune=commune_a).delete()
    return {
        "commune": commune_a,
        "hamlets": hamlets,
        "households": data_a["households"],
        "activity": visit_activity,
        "root": root,
        "contacts": lambda: Contact.objects.filter(commune=commune_a),
    }


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    households=HOUSEHOLDS,
    contacts=CONTACTS,
    broadcasts=BROADCASTS,
    staff=STAFF,
    briefings=BRIEFINGS,
    items=ITEMS,
    cutoff=CUTOFFS,
)
def test_every_figure_equals_a_count_of_the_records_up_to_its_cutoff(
    world, households, contacts, broadcasts, staff, briefings, items, cutoff
):
    with transaction.atomic():
        truth, made = _build(world, households, contacts, broadcasts, staff, briefings, items)
        commune = world["commune"]
        for today in (cutoff, LAST):  # an earlier cut-off, and today (the running totals where they are exact)
            figures = measure.compute([commune.pk], PERIODS, today)
            for period in PERIODS:
                if period.start > today:
                    continue
                expected = _expected(world, truth, made, broadcasts, today, period)
                got = figures[(commune.pk, period.code)]
                for code, (numerator, denominator) in expected.items():
                    fig = got[code]
                    assert (fig.numerator, fig.denominator) == (numerator, denominator), (code, period.code, today)
        transaction.set_rollback(True)


def test_a_household_change_after_a_closed_period_leaves_it_alone(world):
    """A member who dies in August, a household that moves out in September: the first half does not move."""
    commune, root = world["commune"], world["root"]
    hh = world["households"][0]  # 3 members
    services.record_contacts_bulk(
        root,
        activity=world["activity"],
        rows=[{"channel": "visit", "date": dt.date(2026, 3, 2), "household_id": hh.pk}],
    )
    h1 = P.parse("2026S1")
    before = measure.compute([commune.pk], [h1])[(commune.pk, h1.code)]["residents_reached"]
    assert (before.numerator, before.denominator) == (3, 7)
    record_household_change(root, hh, kind="deceased", date=dt.date(2026, 8, 3), members_after=2)
    other = world["households"][1]
    record_household_change(root, other, kind="moved_out", date=dt.date(2026, 9, 1), note="Chuyển vào Bình Dương")
    after = measure.compute([commune.pk], [h1])[(commune.pk, h1.code)]["residents_reached"]
    assert (after.numerator, after.denominator) == (3, 7)
    year = measure.compute([commune.pk], [P.parse("2026")])[(commune.pk, "2026")]["residents_reached"]
    assert (year.numerator, year.denominator) == (2, 2)  # the household that left is out of both
    assert HouseholdChange.objects.filter(household=other).get().members_before == 4
    other.refresh_from_db()
    assert other.left_on == dt.date(2026, 9, 1)
