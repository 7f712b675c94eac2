"""Two requests sending the same batch at the same moment (two phones, or a retry racing its first send) record each
event once: the unique constraint stops the second insert and ``services.sync`` replays the call (PostgreSQL only:
SQLite serialises writers, so the race cannot happen there). The photos the losing attempt had stored are removed
with its rolled-back transaction: one file per photo sent."""

from __future__ import annotations

import base64
import io
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from PIL import Image

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


def test_the_same_batch_sent_twice_at_once_is_recorded_once(settings, tmp_path, commune_a, data_a, team):
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "media", tmp_path / "private"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "JPEG")
    photo = base64.b64encode(buffer.getvalue()).decode()
    households = data_a["households"]
    events = [
        visit(households[i % len(households)], note=f"lượt {i}", photo=photo if i % 4 == 0 else None) for i in range(40)
    ]
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
    stored = {event.photo.name for event in FieldEvent.objects.filter(commune=commune_a).exclude(photo="")}
    root = tmp_path / "private"
    on_disk = {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}
    assert len(stored) == 10 and on_disk == stored  # no file left by the attempt that lost the race
    assert len(list((root / "field" / "photos").iterdir())) == 10  # nor the folder made for one
