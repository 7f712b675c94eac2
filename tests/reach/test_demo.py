"""The demo: Nam Cường with a plausible year of records; every indicator of the seed plan has a value."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.management import call_command

from lantoa.reach import engine, selectors
from lantoa.reach.demo import load_reach_demo
from lantoa.reach.models import Contact
from lantoa.tenancy.models import Commune

# Not in the clock sweep: the test pins its own clock, so the sweep would only run it again unchanged.
pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)


@pytest.mark.clock("2026-11-26T09:00:00+07:00")  # the demo loaded on the day TODAY names, late in the year
def test_demo_shows_every_indicator_with_plausible_values(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stdout=open(os.devnull, "w"))
    commune = Commune.objects.get(code=settings.LANTOA_DEMO_COMMUNE_CODE)
    load_reach_demo(commune, today=TODAY)  # already loaded by load_demo (the apps' demo hooks): changes nothing
    contacts = Contact.objects.count()
    assert contacts > 500
    rows = {r["code"]: r for r in selectors.indicator_values(commune, "2026", today=TODAY)}
    assert set(rows) == {
        "officials_informed",
        "residents_reached",
        "residents_recorded",
        "radio_coverage",
        "survey_reached",
        "science_tasks_publicised",
        "comms_staff_trained",
        "column_alive",
        "awards_held",
    }
    for row in rows.values():
        assert row["value"] is not None and row["method_text"], row["code"]
    assert 10 <= rows["residents_reached"]["value"] <= 35 and rows["residents_reached"]["target"] == 10.0
    assert rows["residents_reached"]["next_target"]["year"] == 2027
    assert 40 <= rows["radio_coverage"]["value"] <= 90
    assert rows["survey_reached"]["detail"]["interval"]["low"] < rows["survey_reached"]["value"]
    assert rows["officials_informed"]["target"] == 100.0 and rows["officials_informed"]["value"] > 50
    assert (rows["science_tasks_publicised"]["numerator"], rows["science_tasks_publicised"]["denominator"]) == (3, 4)
    assert rows["comms_staff_trained"]["target"] == 50.0 and rows["comms_staff_trained"]["target_year"] == 2030
    assert rows["column_alive"]["denominator"] == 11 and rows["column_alive"]["value"] >= 80
    assert rows["awards_held"]["value"] == 100.0
    # Idempotent, and the incremental figures equal a rebuild.
    load_reach_demo(commune, today=TODAY)
    assert Contact.objects.count() == contacts
    before = engine.snapshot(commune.pk)
    engine.recompute([commune.pk])
    assert engine.snapshot(commune.pk) == before
