"""The radio studio in the back office, the back-office viewsets, the `speak` command (the demo: tests/test_demo.py)."""

from __future__ import annotations

import io
from datetime import time, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from lantoa.radio import services
from lantoa.radio.models import Airing, Bulletin, Slot
from lantoa.radio.speech import audio
from lantoa.tenancy import roles

from ..conftest import WORKING_MORNING, make_user
from .test_workflow import with_audio

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sweep]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_compose_and_studio_screens(radio_a, editor, column_page):
    client = client_for(editor)
    commune = radio_a["commune"]
    page = client.get(f"/radio/communes/{commune.pk}/compose/")
    assert page.status_code == 200 and "Soạn bản tin từ chuyên mục" in page.content.decode()
    assert column_page.title in page.content.decode()
    response = client.post(f"/radio/communes/{commune.pk}/compose/", {"page": [column_page.pk], "title": "Tin sáng"})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/radio/bulletins/{bulletin.pk}/"
    studio = client.get(f"/radio/bulletins/{bulletin.pk}/").content.decode()
    for text in (
        "Tin sáng",
        "Bản nháp",
        "Tạo văn bản để đọc từ nội dung",
        "Tạo giọng đọc từ văn bản để đọc",
        "Tiếng Thái",
        "Trình duyệt",
    ):
        assert text in studio
    client.post(f"/radio/bulletins/{bulletin.pk}/normalize/")
    bulletin.refresh_from_db()
    assert "hai mươi tư" in bulletin.spoken_text
    client.post(f"/radio/bulletins/{bulletin.pk}/spoken/", {"spoken_text": "Văn bản đã sửa."})
    assert Bulletin.objects.get(pk=bulletin.pk).spoken_text == "Văn bản đã sửa."
    item = bulletin.items.get()
    client.post(f"/radio/items/{item.pk}/", {f"item{item.pk}-title": "Tin mới", f"item{item.pk}-summary": "Tóm tắt."})
    assert Bulletin.objects.get(pk=bulletin.pk).text == "Tin mới.\nTóm tắt."
    response = client.post(f"/radio/bulletins/{bulletin.pk}/workflow/", {"action": "submit"}, follow=True)
    assert "Bản tin chưa có âm thanh" in response.content.decode()


def test_upload_of_a_fake_file_is_refused_with_a_vietnamese_message(radio_a, editor):
    bulletin = services.create_bulletin(editor, radio_a["commune"], title="Tin", text="x")
    client = client_for(editor)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/radio/bulletins/{bulletin.pk}/upload/",
        {"file": SimpleUploadedFile("a.mp3", b"%PDF-1.4" * 50), "language": "hmn"},
        follow=True,
    )
    assert "không phải âm thanh mà máy chủ đọc được" in response.content.decode()
    assert not bulletin.jobs.exists()


def test_leadership_approves_and_the_editor_cannot(radio_a, editor, leader):
    bulletin = with_audio(services.create_bulletin(editor, radio_a["commune"], title="Tin", text="x"))
    services.submit_bulletin(editor, bulletin)
    assert "Duyệt" not in client_for(editor).get(f"/radio/bulletins/{bulletin.pk}/").content.decode().split(
        "Phê duyệt"
    )[1].split("</section>")[0].replace("Trình duyệt", "")
    client_for(editor).post(f"/radio/bulletins/{bulletin.pk}/workflow/", {"action": "approve"})
    assert Bulletin.objects.get(pk=bulletin.pk).status == Bulletin.Status.SUBMITTED
    response = client_for(leader).post(
        f"/radio/bulletins/{bulletin.pk}/workflow/", {"action": "reject", "comment": ""}, follow=True
    )
    assert "Hãy nêu lý do trả lại" in response.content.decode()
    client_for(leader).post(f"/radio/bulletins/{bulletin.pk}/workflow/", {"action": "approve"})
    assert Bulletin.objects.get(pk=bulletin.pk).status == Bulletin.Status.APPROVED


def test_schedule_from_the_studio_shows_the_quiet_hours_error(radio_a, editor, leader):
    bulletin = with_audio(services.create_bulletin(editor, radio_a["commune"], title="Tin", text="x"), 300)
    services.submit_bulletin(editor, bulletin)
    services.approve_bulletin(leader, bulletin)
    day = (timezone.localdate() + timedelta(days=1)).isoformat()
    client = client_for(editor)
    response = client.post(f"/radio/bulletins/{bulletin.pk}/schedule/", {"day": day, "time": "21:58"}, follow=True)
    assert "sẽ lấn vào giờ yên tĩnh 22:00–05:00" in response.content.decode()
    slot = Slot.objects.get(commune=radio_a["commune"], start=time(5, 30))
    response = client.post(f"/radio/bulletins/{bulletin.pk}/schedule/", {"day": day, "slot": slot.pk}, follow=True)
    assert "Đã lên lịch phát lúc 05:30:00" in response.content.decode()
    grid = client.get(f"/radio/communes/{radio_a['commune'].pk}/program/?week={day}").content.decode()
    assert "Lịch phát trong tuần" in grid and "Tin" in grid and "22:00–05:00" in grid


@pytest.mark.clock(WORKING_MORNING)  # a broadcast a minute from now: outside the quiet hours
def test_operator_ticks_a_broadcast_in_the_log(radio_a, editor, leader):
    bulletin = with_audio(services.create_bulletin(editor, radio_a["commune"], title="Tin", text="x"))
    services.submit_bulletin(editor, bulletin)
    services.approve_bulletin(leader, bulletin)
    start = timezone.now() + timedelta(minutes=1)
    airing = services.schedule_airing(editor, bulletin, starts_at=start)
    log = client_for(editor).get(f"/radio/communes/{radio_a['commune'].pk}/log/").content.decode()
    assert "Nhật ký phát thanh" in log and "Đã phát" in log
    client_for(editor).post(f"/radio/airings/{airing.pk}/confirm/", {"played": "1"})
    assert Airing.objects.get(pk=airing.pk).status == Airing.Status.PLAYED
    from lantoa.reach.models import Broadcast as CoverageRecord

    assert CoverageRecord.objects.filter(key=f"radio:{airing.pk}").exists()


def test_device_token_is_shown_once(radio_a, editor):
    device, _token = services.create_device(editor, radio_a["commune"], name="Bộ điều khiển")
    client = client_for(editor)
    page = client.get(f"/radio/devices/{device.pk}/token/").content.decode()
    assert "Mã hiện tại kết thúc bằng" in page
    page = client.post(f"/radio/devices/{device.pk}/token/").content.decode()
    device.refresh_from_db()
    assert "chỉ hiện một lần" in page and device.token_hint in page and device.token_hash not in page


def test_readers_and_other_communes(radio_a, editor, commune_b, oversight):
    bulletin = services.create_bulletin(editor, radio_a["commune"], title="Tin", text="x")
    assert client_for(oversight).get(f"/radio/bulletins/{bulletin.pk}/").status_code == 200
    assert client_for(oversight).post(f"/radio/bulletins/{bulletin.pk}/normalize/").status_code == 403
    assert not Bulletin.objects.get(pk=bulletin.pk).spoken_text
    digital = make_user("tocns_a", roles.DIGITAL_TEAM, commune=radio_a["commune"])
    assert client_for(digital).get(f"/radio/bulletins/{bulletin.pk}/").status_code == 403
    stranger = make_user("bientap_b", roles.EDITOR, commune=commune_b)
    assert client_for(stranger).get(f"/radio/bulletins/{bulletin.pk}/").status_code == 404
    assert client_for(stranger).get(f"/radio/communes/{radio_a['commune'].pk}/").status_code == 404


def test_back_office_listings(radio_a, editor):
    services.create_bulletin(editor, radio_a["commune"], title="Bản tin thử", text="x")
    client = client_for(editor)
    for model in (
        "bulletin",
        "loudspeakercluster",
        "zone",
        "slot",
        "quietperiod",
        "device",
        "abbreviation",
        "airing",
        "radiosettings",
    ):
        response = client.get(f"/admin/snippets/radio/{model}/")
        assert response.status_code == 200, model
    assert "Bản tin thử" in client.get("/admin/snippets/radio/bulletin/").content.decode()
    response = client.post(
        "/admin/snippets/radio/slot/add/",
        {
            "commune": radio_a["commune"].pk,
            "start": "21:50",
            "duration_minutes": 30,
            "weekdays": ["0", "6"],
            "active": "on",
        },
    )
    assert "lấn vào giờ yên tĩnh" in response.content.decode()
    response = client.post(
        "/admin/snippets/radio/slot/add/",
        {
            "commune": radio_a["commune"].pk,
            "start": "19:00",
            "duration_minutes": 30,
            "weekdays": ["0", "6"],
            "active": "on",
        },
    )
    assert Slot.objects.filter(commune=radio_a["commune"], start=time(19), weekdays=[0, 6]).exists(), response


def test_editing_an_approved_bulletin_in_the_back_office_is_refused(radio_a, editor, leader):
    bulletin = with_audio(services.create_bulletin(editor, radio_a["commune"], title="Tin", text="x"))
    services.submit_bulletin(editor, bulletin)
    services.approve_bulletin(leader, bulletin)
    response = client_for(editor).post(
        f"/admin/snippets/radio/bulletin/edit/{bulletin.pk}/",
        {"title": "Đổi tên", "text": "y", "voice_variant": "north", "speed": 150},
    )
    assert Bulletin.objects.get(pk=bulletin.pk).title == "Tin"
    assert response.status_code == 200 and "không thể sửa" in response.content.decode()


def test_speak_command(tmp_path):
    out = io.StringIO()
    call_command("speak", text="Nghị quyết số 57-NQ/TW ngày 22/12/2024", normalize_only=True, stdout=out)
    assert out.getvalue().strip() == (
        "Nghị quyết số năm mươi bảy nghị quyết Trung ương ngày hai mươi hai tháng "
        "mười hai năm hai nghìn không trăm hai mươi tư"
    )
    target = tmp_path / "tin.mp3"
    out = io.StringIO()
    call_command("speak", text="UBND xã thông báo: 10% hộ đã cài VNeID.", out=str(target), voice="central", stdout=out)
    info = audio.read_back(target.read_bytes())
    assert info["bitrate_kbps"] == 64 and info["duration_seconds"] > 2 and "vi-vn-x-central" in out.getvalue()


def test_a_cluster_in_the_log_is_not_deleted(radio_a, editor, leader):
    bulletin = with_audio(services.create_bulletin(editor, radio_a["commune"], title="Tin", text="x"))
    services.submit_bulletin(editor, bulletin)
    services.approve_bulletin(leader, bulletin)
    services.schedule_airing(
        editor,
        bulletin,
        starts_at=timezone.make_aware(timezone.datetime.combine(timezone.localdate() + timedelta(days=1), time(8))),
    )
    cluster = radio_a["clusters"][0]
    response = client_for(editor).post(f"/admin/snippets/radio/loudspeakercluster/delete/{cluster.pk}/", follow=True)
    assert response.status_code == 200 and "không thể xóa" in response.content.decode()
    from lantoa.radio.models import LoudspeakerCluster

    assert LoudspeakerCluster.objects.filter(pk=cluster.pk).exists()
