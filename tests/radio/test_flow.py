"""The whole path with the real task worker and the device API.

A live page of the commune's column → a bulletin → normalised → synthesised by the worker → approved →
scheduled outside quiet hours → pulled by a simulated loudspeaker controller (JSON, M3U, iCal) →
confirmed by its callback → the hamlets of its clusters are covered in reach.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from lantoa.radio import scheduling, selectors, services
from lantoa.radio.models import Airing, AudioJob, Bulletin
from lantoa.radio.speech import audio
from lantoa.reach import periods
from lantoa.reach import selectors as reach_selectors
from lantoa.reach.models import Broadcast as CoverageRecord

from ..conftest import WORKING_MORNING
from .test_audio import encode_with_ffmpeg, speechlike

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.clock_sweep]


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.mark.clock(WORKING_MORNING)  # a broadcast two minutes from now: outside the quiet hours
def test_from_a_column_item_to_coverage_in_reach(radio_a, editor, leader, column_page, radio_api):
    commune = radio_a["commune"]
    bulletin = services.compose_bulletin(editor, commune, pages=[column_page], title="Bản tin sáng")
    spoken = services.normalize_bulletin(editor, bulletin)
    assert "Ngày hai mươi hai tháng mười hai năm hai nghìn không trăm hai mươi tư" in spoken
    assert "Bộ Chính trị ban hành Nghị quyết số năm mươi bảy nghị quyết Trung ương" in spoken
    services.set_spoken_text(
        editor,
        bulletin,
        spoken.replace("Nghị quyết số năm mươi bảy nghị quyết Trung ương", "Nghị quyết năm mươi bảy của Bộ Chính trị"),
    )

    job = services.request_synthesis(editor, bulletin)
    assert AudioJob.objects.get(pk=job.pk).status == AudioJob.Status.QUEUED
    run_worker()
    job.refresh_from_db()
    assert job.status == AudioJob.Status.DONE, job.error
    assert job.progress == 100 and job.finished_at
    bulletin.refresh_from_db()
    assert bulletin.audio_engine == "espeak-ng vi 150"
    assert bulletin.audio_source == Bulletin.AudioSource.SYNTHESIS and bulletin.audio.name.endswith(".mp3")
    data = bulletin.audio.read()
    info = audio.read_back(data)
    assert info["bitrate_kbps"] == 64 and info["channels"] == 1
    assert info["duration_seconds"] == pytest.approx(bulletin.duration_seconds, abs=0.2)
    assert -17 <= info["loudness_lufs"] <= -15 and bulletin.audio_size == len(data)

    services.submit_bulletin(editor, bulletin)
    services.approve_bulletin(leader, bulletin)
    services.publish_bulletin(editor, bulletin)
    [episode] = selectors.published_bulletins(commune)
    assert episode.audio_size == len(data) and episode.title == "Bản tin sáng"

    # A broadcast in two minutes (the test runs on a working morning, outside the quiet hours).
    start = timezone.now() + timedelta(minutes=2)
    airing = services.schedule_airing(editor, bulletin, starts_at=start)
    later = services.schedule_airing(
        editor, bulletin, slot=commune_slot(commune, "17:00"), day=timezone.localdate() + timedelta(days=1)
    )

    # The controller drives the clusters of the first two hamlets.
    device, token = services.create_device(
        editor, commune, name="Bộ điều khiển trung tâm", clusters=radio_a["clusters"][:2]
    )
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(f"{radio_api}/device/schedule").status_code == 403
    assert client.get(f"{radio_api}/device/schedule", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    me = client.get(f"{radio_api}/device", **auth).json()
    assert sorted(c["name"] for c in me["clusters"]) == sorted(c.name for c in radio_a["clusters"][:2])
    schedule = client.get(f"{radio_api}/device/schedule", **auth).json()
    assert [row["id"] for row in schedule] == [airing.pk, later.pk]
    row = schedule[0]
    assert row["title"] == "Bản tin sáng" and row["audio_size"] == len(data)
    assert sorted(row["hamlets"]) == sorted(h.name for h in radio_a["hamlets"][:2])
    response = client.get(row["audio_url"], **auth)
    assert response.status_code == 200 and response["Content-Type"] == "audio/mpeg"
    assert b"".join(response.streaming_content) == data

    # The callback: it played.
    response = client.post(
        row["confirm_url"], data=json.dumps({"played": True}), content_type="application/json", **auth
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Airing.Status.PARTIAL  # the third hamlet's cluster is on no controller
    record = CoverageRecord.objects.get(commune=commune, key=f"radio:{airing.pk}")
    assert set(record.hamlets.values_list("pk", flat=True)) == {h.pk for h in radio_a["hamlets"][:2]}
    table = reach_selectors.hamlet_table(commune, periods.current_year(timezone.localdate()))
    covered = {row["hamlet"].name for row in table if row["covered"]}
    assert covered == {h.name for h in radio_a["hamlets"][:2]}

    # The private links: an M3U playlist and a calendar, by token; a wrong token finds nothing.
    m3u = client.get(f"/radio/feeds/{token}/schedule.m3u")
    assert m3u.status_code == 200 and m3u["Content-Type"].startswith("audio/x-mpegurl")
    lines = m3u.content.decode().splitlines()
    assert lines[0] == "#EXTM3U" and any(line.startswith("#EXTINF:") and "Bản tin sáng" in line for line in lines)
    audio_link = [line for line in lines if line.startswith("http")][0]
    assert b"".join(client.get(audio_link).streaming_content) == data
    ics = client.get(f"/radio/feeds/{token}/schedule.ics")
    from icalendar import Calendar

    events = [c for c in Calendar.from_ical(ics.content).walk("VEVENT")]
    assert {str(e["summary"]) for e in events} == {"Bản tin sáng"} and len(events) == 2
    assert events[0].decoded("dtstart") == airing.starts_at
    for path in ("schedule.m3u", "schedule.ics", f"airings/{airing.pk}.mp3"):
        assert client.get(f"/radio/feeds/not-the-token/{path}").status_code == 404

    # Another commune's controller can neither see nor confirm this broadcast.
    from lantoa.tenancy.services import onboard_commune

    other = onboard_commune(13057)
    from lantoa.radio.models import Device

    foreign = Device.objects.create(commune=other, name="Khác", token_hash=selectors.hash_token("khac-" * 8))
    foreign_auth = {"HTTP_AUTHORIZATION": "Bearer " + "khac-" * 8}
    assert client.get(f"{radio_api}/device/schedule", **foreign_auth).json() == []
    assert (
        client.post(row["confirm_url"], data="{}", content_type="application/json", **foreign_auth).status_code == 404
    )
    assert foreign.pk


def commune_slot(commune, hhmm: str):
    from lantoa.radio.models import Slot

    return Slot.objects.get(commune=commune, start=scheduling.parse_hhmm(hhmm))


def test_a_failed_job_says_why_and_runs_again(settings, radio_a, editor):
    bulletin = services.create_bulletin(editor, radio_a["commune"], title="Tin", text="Xin chào bà con thôn Nà Pài.")
    settings.LANTOA_ESPEAK_BIN = "/nonexistent/espeak-ng"
    job = services.request_synthesis(editor, bulletin)
    run_worker()
    job.refresh_from_db()
    assert job.status == AudioJob.Status.FAILED
    assert job.error == "Máy chủ chưa cài bộ tạo giọng đọc espeak-ng (gói Debian espeak-ng)."
    assert not Bulletin.objects.get(pk=bulletin.pk).audio
    settings.LANTOA_ESPEAK_BIN = ""
    again = services.rerun_job(editor, job)
    run_worker()
    again.refresh_from_db()
    assert again.status == AudioJob.Status.DONE and again.text == job.text
    assert Bulletin.objects.get(pk=bulletin.pk).duration_seconds > 1


def test_a_recording_in_thai_becomes_the_bulletin_audio(radio_a, editor):
    bulletin = services.create_bulletin(editor, radio_a["commune"], title="Bản tin tiếng Thái", text="(bản đọc)")
    fake = SimpleUploadedFile("ban-tin.mp3", b"ID3" + "không phải âm thanh".encode() * 100, "audio/mpeg")
    with pytest.raises(Exception) as caught:
        services.upload_recording(editor, bulletin, fake, language="blt")
    assert "không phải âm thanh mà máy chủ đọc được" in str(caught.value)
    m4a = encode_with_ffmpeg(speechlike(4.0), "ipod", "aac")
    upload = SimpleUploadedFile("doc-tieng-thai.m4a", m4a, "audio/mp4")
    job = services.upload_recording(editor, bulletin, upload, language="blt")
    run_worker()
    job.refresh_from_db()
    assert job.status == AudioJob.Status.DONE, job.error
    bulletin.refresh_from_db()
    assert bulletin.audio_source == Bulletin.AudioSource.RECORDING and bulletin.audio_language == "blt"
    info = audio.read_back(bulletin.audio.read())
    assert info["bitrate_kbps"] == 64 and info["sample_rate"] == 44100 and info["channels"] == 1
    assert 4.0 <= info["duration_seconds"] <= 5.2 and -17 <= info["loudness_lufs"] <= -15
    assert job.source.storage.exists(job.source.name)  # the original is kept privately (a rerun needs it)
    from django.conf import settings

    assert not str(job.source.path).startswith(str(settings.MEDIA_ROOT))


def test_the_openapi_schema_documents_the_device_api(radio_api):
    if radio_api.startswith("/api/v1/"):
        schema, prefix = Client().get("/api/v1/openapi.json").json(), "/api/v1"
    else:  # until lantoa/api/api.py mounts the router, the test API of tests/radio/urls_with_api.py
        from tests.radio.urls_with_api import api

        schema, prefix = api.get_openapi_schema(), "/radio-api-test"
    paths = schema["paths"]
    assert f"{prefix}/radio/device/schedule" in paths
    assert "post" in paths[f"{prefix}/radio/device/airings/{{airing_id}}/confirm"]
    assert "DeviceToken" in schema["components"]["securitySchemes"]
