"""The sync of the field app (issue 13.5): idempotent per event, per-event answers in Vietnamese, a visit becomes a
reach contact through reach's services so the residents-reached indicator follows."""

from __future__ import annotations

import base64
import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image

from lantoa.field.models import FieldEvent
from lantoa.reach import selectors
from lantoa.reach.models import Contact
from lantoa.tenancy.models import Household, PeriodLock

from .conftest import send, visit

pytestmark = pytest.mark.django_db


def residents_reached(commune) -> float:
    year = str(timezone.localdate().year)
    return next(r for r in selectors.indicator_values(commune, year) if r["code"] == "residents_reached")["numerator"]


def test_a_batch_sent_twice_and_from_two_devices_counts_once(commune_a, data_a, team):
    first, second = data_a["households"]  # 3 and 4 members
    extra = Household.objects.create(commune=commune_a, hamlet=data_a["hamlet"], code="AAA-0003", members=5)
    # Two visits to one household are two visits (two teams, or two days), never a conflict.
    batch = [visit(first), visit(second), visit(first), visit(extra)]
    before = residents_reached(commune_a)
    answer = send(team["client"], batch)
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["accepted"] * 4
    assert [r["id"] for r in results] == [e["id"] for e in batch]
    contact_ids = [r["contact_id"] for r in results]
    assert len(set(contact_ids)) == 4
    assert Contact.objects.filter(commune=commune_a, channel="visit").count() == 4
    assert residents_reached(commune_a) == before + 3 + 4 + 5
    # Each event's contact is the one of its household.
    for event, contact_id in zip(batch, contact_ids, strict=True):
        assert Contact.objects.get(pk=contact_id).household_id == event["household_id"]

    # The same batch again (the answer was lost on 3G), then from a second phone: nothing new.
    for device in ("may-1", "may-2"):
        again = send(team["client"], batch, device=device).json()["results"]
        assert [r["status"] for r in again] == ["duplicate"] * 4
        assert [r["contact_id"] for r in again] == contact_ids
    # The same event twice in one call: once.
    fresh = visit(second)
    twice = send(team["client"], [fresh, fresh]).json()["results"]
    assert [r["status"] for r in twice] == ["accepted", "duplicate"]
    assert twice[0]["contact_id"] == twice[1]["contact_id"]
    assert Contact.objects.filter(commune=commune_a, channel="visit").count() == 5
    assert FieldEvent.objects.filter(commune=commune_a).count() == 5
    assert residents_reached(commune_a) == before + 12  # a household reached twice counts once


def test_one_bad_event_does_not_stop_the_others(commune_a, commune_b, data_a, data_b, team):
    today = timezone.localdate()
    events = [
        visit(data_a["households"][0]),
        visit(data_b["households"][0]),  # another commune's household
        visit(team["outside"]),  # a hamlet the team is not in charge of
        visit(data_a["households"][1], date=(today + dt.timedelta(days=1)).isoformat()),
        visit(data_a["households"][1], date="2024-12-31"),  # before the plan (2025)
        visit(data_a["households"][1], people=0),
        visit(data_a["households"][1], type="chuyen-di"),
        visit(data_a["households"][1], note="x" * 301),
    ]
    results = send(team["client"], events).json()["results"]
    assert [r["status"] for r in results] == ["accepted"] + ["rejected"] * 7
    reasons = [r["reason"] for r in results]
    assert reasons[0] is None and results[0]["contact_id"]
    assert "không thuộc xã" in reasons[1]
    assert "không phụ trách" in reasons[2]
    assert "tương lai" in reasons[3]
    assert "trước khi kế hoạch" in reasons[4]
    assert "Ít nhất một người" in reasons[5]
    assert "Loại sự kiện" in reasons[6]
    assert "300 ký tự" in reasons[7]
    assert Contact.objects.filter(commune=commune_b).count() == 0
    assert Contact.objects.filter(commune=commune_a).count() == 1
    # A refused event fixed by the user and sent again (same id) is looked at again.
    fixed = {**events[5], "people": 3}
    again = send(team["client"], [fixed]).json()["results"][0]
    assert again["status"] == "accepted" and again["contact_id"]
    assert FieldEvent.objects.get(uuid=fixed["id"]).status == "accepted"


def test_a_locked_period_refuses_with_its_reason(commune_a, data_a, team):
    today = timezone.localdate()
    PeriodLock.objects.create(
        commune=commune_a,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        reference="12/BC-UBND",
        locked_at=timezone.now(),
    )
    inside = visit(data_a["households"][0], date="2026-03-02")
    outside = visit(data_a["households"][1], date=today.isoformat())
    results = send(team["client"], [inside, outside]).json()["results"]
    assert results[0]["status"] == "rejected"
    assert "12/BC-UBND" in results[0]["reason"] and "02/03/2026" in results[0]["reason"]
    assert results[1]["status"] == "accepted"
    assert not Contact.objects.filter(date=dt.date(2026, 3, 2)).exists()


def test_a_role_that_records_no_visits_is_refused_per_event(commune_a, data_a, activity_a, editor_a):
    from django.test import Client

    client = Client()
    client.force_login(editor_a)
    results = send(client, [visit(data_a["households"][0])]).json()["results"]
    assert results[0]["status"] == "rejected" and "vai trò" in results[0]["reason"].lower()
    assert not Contact.objects.exists()


def test_corrections_and_withdrawals_update_the_figures(commune_a, data_a, team):
    first, second = data_a["households"]
    a, b = visit(first, people=1), visit(second)
    send(team["client"], [a, b])
    before = residents_reached(commune_a)
    contact_a = FieldEvent.objects.get(uuid=a["id"]).contact_id
    correction = visit(
        first, type="correction", refers_to=a["id"], people=3, note="Cả nhà có mặt", date="2026-11-10", topics=[]
    )
    withdrawal = visit(second, type="discard", refers_to=b["id"])
    results = send(team["client"], [correction, withdrawal]).json()["results"]
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    assert results[0]["contact_id"] == contact_a
    contact = Contact.objects.get(pk=contact_a)
    assert (contact.people, contact.note, contact.date) == (3, "Cả nhà có mặt", dt.date(2026, 11, 10))
    assert not Contact.objects.filter(household=second).exists()
    assert residents_reached(commune_a) == before - 4  # the withdrawn visit's 4 members are no longer reached
    # The log keeps every event; a correction of the withdrawn visit is refused.
    assert FieldEvent.objects.filter(commune=commune_a).count() == 4
    late = visit(second, type="correction", refers_to=b["id"], people=2)
    result = send(team["client"], [late]).json()["results"][0]
    assert result["status"] == "rejected" and "rút" in result["reason"]
    # A correction that came before its visit on the wire (same call) still applies after it.
    c = visit(second)
    fix = visit(second, type="correction", refers_to=c["id"], people=5)
    results = send(team["client"], [fix, c]).json()["results"]
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    assert Contact.objects.get(pk=results[1]["contact_id"]).people == 5


def test_photos_are_checked_and_stored_privately(commune_a, data_a, team, settings):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    good = visit(data_a["households"][0], photo=base64.b64encode(buffer.getvalue()).decode())
    bad = visit(data_a["households"][1], photo=base64.b64encode(b"GIF89a not a photo").decode())
    results = send(team["client"], [good, bad]).json()["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected"]
    assert "JPEG" in results[1]["reason"]
    stored = FieldEvent.objects.get(uuid=good["id"])
    assert stored.photo.read() == buffer.getvalue()
    assert str(settings.MEDIA_ROOT) not in stored.photo.path  # the private root, never a public media URL


def test_more_than_200_events_answer_422_in_vietnamese(data_a, team):
    answer = send(team["client"], [visit(data_a["households"][0]) for _ in range(201)])
    assert answer.status_code == 422
    assert "quá nhiều" in str(answer.json()).lower() or "nhiều" in str(answer.json())
    assert not Contact.objects.exists()
