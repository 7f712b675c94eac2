"""Two requests sending the same batch at the same moment (two phones, or a retry racing its first send) record each
event once: the unique constraint stops the second insert and ``services.sync`` replays the call (PostgreSQL only:
SQLite serialises writers, so the race cannot happen there)."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from lantoa.field.models import FieldEvent
from lantoa.reach.models import Contact

from .conftest import send, visit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="a race between two connections: make test-postgres runs it",
    ),
]


def test_the_same_batch_sent_twice_at_once_is_recorded_once(commune_a, data_a, team):
    households = data_a["households"]
    events = [visit(households[i % len(households)], note=f"lượt {i}") for i in range(40)]
    start = threading.Barrier(2)
    answers: dict[str, object] = {}

    def post(device: str) -> None:
        client = Client()
        client.force_login(team["user"])
        try:
            start.wait()
            answer = send(client, events, device=device)
            answers[device] = answer.json()["results"] if answer.status_code == 200 else answer
        except Exception as exc:  # noqa: BLE001 — the test reports it below
            answers[device] = exc
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=post, args=(device,)) for device in ("may-1", "may-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    first, second = answers["may-1"], answers["may-2"]
    assert isinstance(first, list) and isinstance(second, list), answers
    assert Contact.objects.filter(commune=commune_a, channel="visit").count() == 40
    assert FieldEvent.objects.filter(commune=commune_a).count() == 40
    for a, b in zip(first, second, strict=True):
        assert a["contact_id"] == b["contact_id"] is not None
        assert {a["status"], b["status"]} == {"accepted", "duplicate"}  # accepted by exactly one of the calls
