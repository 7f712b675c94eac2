"""The KPI engine: incremental figures equal a rebuild from scratch, whatever happens in between."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantoa.reach import engine, services
from lantoa.reach.models import Contact, HamletPeriod, HamletPopulation
from lantoa.tenancy.models import Hamlet, Household

from ..conftest import WORKING_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sweep]


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("goc", password="Mk-kiem-thu-57!")


@pytest.fixture
def world(commune_a, data_a, visit_activity):
    hamlets = [data_a["hamlet"]] + [Hamlet.objects.create(commune=commune_a, name=f"Thôn {n}") for n in ("Hai", "Ba")]
    households = list(data_a["households"])
    for i in range(4):
        households.append(
            Household.objects.create(commune=commune_a, hamlet=hamlets[i % 3], code=f"HH-{i}", members=i + 1)
        )
    return {"commune": commune_a, "hamlets": hamlets, "households": households, "activity": visit_activity}


@pytest.mark.clock(WORKING_MORNING)  # it records visits across 2026: run after them
def test_a_visit_reaches_the_household_once_per_period(world, root):
    hh = world["households"][0]
    for day in (dt.date(2026, 2, 1), dt.date(2026, 2, 9), dt.date(2026, 8, 1)):
        services.record_contact(root, activity=world["activity"], channel="visit", date=day, household=hh)
    row = HamletPeriod.objects.get(hamlet=hh.hamlet, period="2026")
    assert (row.households_reached, row.residents_reached, row.contacts) == (1, hh.members, 3)
    assert HamletPeriod.objects.get(hamlet=hh.hamlet, period="2026Q1").contacts == 2
    assert HamletPeriod.objects.get(hamlet=hh.hamlet, period="2026N9").households_reached == 1
    assert not HamletPeriod.objects.filter(period="2026Q2").exists()
    # Population follows the roster.
    assert HamletPopulation.objects.get(hamlet=hh.hamlet).residents == sum(
        h.members for h in Household.objects.filter(hamlet=hh.hamlet)
    )


def test_board_and_online_contacts_reach_nobody(world, root):
    services.record_contact(
        root,
        activity=world["activity"],
        channel="board",
        date=dt.date(2026, 3, 1),
        hamlet=world["hamlets"][0],
        people=30,
    )
    services.record_contact(root, activity=world["activity"], channel="online", date=dt.date(2026, 3, 1), people=500)
    assert not HamletPeriod.objects.exists()


def test_moving_and_resizing_a_household_moves_its_reach(world, root):
    hh = world["households"][2]
    services.record_contact(root, activity=world["activity"], channel="visit", date=dt.date(2026, 4, 1), household=hh)
    old_hamlet, new_hamlet = hh.hamlet, world["hamlets"][2]
    hh.hamlet, hh.members = new_hamlet, 9
    hh.save()
    assert not HamletPeriod.objects.filter(hamlet=old_hamlet, period="2026", households_reached__gt=0).exists()
    row = HamletPeriod.objects.get(hamlet=new_hamlet, period="2026")
    assert row.residents_reached == 9
    hh.delete()
    assert HamletPeriod.objects.get(hamlet=new_hamlet, period="2026").households_reached == 0
    assert Contact.objects.get().household is None  # the contact stays, no longer attributable


DAYS = st.integers(min_value=0, max_value=540).map(lambda n: dt.date(2025, 1, 1) + dt.timedelta(days=n))
OPS = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 5), DAYS, st.sampled_from(["visit", "meeting", "event", "board"])),
    st.tuples(st.just("bulk"), st.lists(st.tuples(st.integers(0, 5), DAYS), min_size=1, max_size=6)),
    st.tuples(st.just("edit"), st.integers(0, 50), st.one_of(st.none(), st.integers(0, 5)), DAYS),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("move"), st.integers(0, 5), st.integers(0, 2)),
    st.tuples(st.just("resize"), st.integers(0, 5), st.integers(1, 9)),
    st.tuples(st.just("broadcast"), st.integers(0, 3), st.sets(st.integers(0, 2)), DAYS, st.booleans()),
)


@pytest.mark.clock(WORKING_MORNING)  # the generated dates run to 25/06/2026; none may lie in the future
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, min_size=1, max_size=25))
def test_incremental_figures_equal_a_rebuild(world, root, ops):
    commune, activity = world["commune"], world["activity"]
    with transaction.atomic():
        households = [Household.objects.get(pk=h.pk) for h in world["households"]]
        for op in ops:
            contacts = list(Contact.objects.filter(commune=commune).order_by("pk"))
            if op[0] == "add":
                _, i, day, channel = op
                hh = households[i] if channel != "board" else None
                services.record_contact(
                    root, activity=activity, channel=channel, date=day, household=hh, hamlet=households[i].hamlet
                )
            elif op[0] == "bulk":
                services.record_contacts_bulk(
                    root,
                    activity=activity,
                    rows=[{"channel": "meeting", "date": day, "household_id": households[i].pk} for i, day in op[1]],
                )
            elif op[0] == "edit" and contacts:
                _, n, i, day = op
                contact = contacts[n % len(contacts)]
                changes = {"date": day}
                if contact.channel in ("meeting", "event"):
                    changes["household"] = households[i] if i is not None else None
                services.update_contact(root, contact, **changes)
            elif op[0] == "delete" and contacts:
                services.delete_contact(root, contacts[op[1] % len(contacts)])
            elif op[0] == "move":
                hh = Household.objects.get(pk=households[op[1]].pk)
                hh.hamlet = world["hamlets"][op[2]]
                hh.save()
            elif op[0] == "resize":
                hh = Household.objects.get(pk=households[op[1]].pk)
                hh.members = op[2]
                hh.save()
            elif op[0] == "broadcast":
                _, key, hamlets, day, cancel = op
                if cancel:
                    services.cancel_broadcast(commune=commune, key=f"b{key}")
                else:
                    services.record_broadcast(
                        commune=commune,
                        key=f"b{key}",
                        title="Bản tin",
                        broadcast_at=day,
                        hamlet_ids=[world["hamlets"][i].pk for i in hamlets],
                    )
        incremental = engine.snapshot(commune.pk)
        engine.recompute([commune.pk])
        assert engine.snapshot(commune.pk) == incremental
        transaction.set_rollback(True)
