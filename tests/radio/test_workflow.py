"""Bulletins: composed from column items, edited, normalised, approved by leadership; permissions by role."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from wagtail.models import Page

from lantoa.radio import selectors, services
from lantoa.radio.models import Abbreviation, AudioJob, Bulletin, BulletinItem
from lantoa.tenancy import roles

from ..conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sweep]


def with_audio(bulletin: Bulletin, seconds: float = 60) -> Bulletin:
    """Give a bulletin an audio file directly (the real synthesis is tested with the worker)."""
    bulletin.audio.save("x.mp3", ContentFile(b"\xff\xfb" + b"\0" * 2000), save=False)
    bulletin.audio_size, bulletin.duration_seconds = 2002, seconds
    bulletin.audio_source = Bulletin.AudioSource.SYNTHESIS
    bulletin.save()
    return bulletin


def test_compose_from_a_live_column_item(commune_a, editor, column_page):
    bulletin = services.compose_bulletin(editor, commune_a, pages=[column_page], title="Bản tin sáng")
    assert bulletin.status == Bulletin.Status.DRAFT and bulletin.created_by == editor
    item = bulletin.items.get()
    assert item.page_id == column_page.pk and item.title == column_page.title
    assert "57-NQ/TW" in item.summary
    assert bulletin.text.startswith("Chuyển đổi số ở Nam Cường.\nNgày 22/12/2024")


def test_compose_keeps_the_order_given(commune_a, editor, column_page):
    root = commune_a.root_page.specific
    second = Page(title="Bình dân học vụ số", slug="bdhvs", search_description="Phong trào học kỹ năng số.")
    root.add_child(instance=second)
    second.save_revision().publish()
    bulletin = services.compose_bulletin(editor, commune_a, pages=[second.pk, column_page.pk])
    assert list(bulletin.items.values_list("page_id", flat=True)) == [second.pk, column_page.pk]
    assert bulletin.text.index("Bình dân") < bulletin.text.index("Chuyển đổi số")
    assert bulletin.title.startswith("Bản tin ngày")


def test_only_live_items_of_the_own_column(commune_a, commune_b, editor, column_page):
    draft = Page(title="Nháp", slug="nhap", live=False)
    commune_a.root_page.specific.add_child(instance=draft)
    other = Page(title="Xã khác", slug="xa-khac")
    commune_b.root_page.specific.add_child(instance=other)
    other.save_revision().publish()
    for pages in ([draft.pk], [other.pk], [commune_a.root_page_id], []):
        with pytest.raises(ValidationError):
            services.compose_bulletin(editor, commune_a, pages=pages)
    assert not Bulletin.objects.exists()


def test_item_summary_edit_rebuilds_the_text(commune_a, editor, column_page):
    bulletin = services.compose_bulletin(editor, commune_a, pages=[column_page])
    item = bulletin.items.get()
    services.update_item(editor, item, summary="Tóm tắt mới cho đài.", title="Tin chuyển đổi số")
    bulletin.refresh_from_db()
    assert bulletin.text == "Tin chuyển đổi số.\nTóm tắt mới cho đài."


def test_normalise_uses_the_commune_abbreviations(commune_a, editor):
    Abbreviation.objects.create(commune=commune_a, abbreviation="TCNSCĐ", expansion="Tổ công nghệ số cộng đồng")
    bulletin = services.create_bulletin(editor, commune_a, title="Tin", text="TCNSCĐ thôn Nà Pài: 10% hộ, UBND xã.")
    spoken = services.normalize_bulletin(editor, bulletin)
    assert spoken == "Tổ công nghệ số cộng đồng thôn Nà Pài: mười phần trăm hộ, Ủy ban nhân dân xã."
    bulletin.refresh_from_db()
    assert not bulletin.spoken_text_stale
    services.set_spoken_text(editor, bulletin, "Tổ công nghệ số cộng đồng thôn Nà Pài.")
    bulletin.text = "Văn bản khác"
    services.save_bulletin(editor, bulletin)
    bulletin.refresh_from_db()
    assert bulletin.spoken_text_stale
    with pytest.raises(ValidationError, match="tạo lại"):
        services.request_synthesis(editor, bulletin)


def test_request_synthesis_normalises_first_and_queues_a_job(commune_a, editor, django_capture_on_commit_callbacks):
    bulletin = services.create_bulletin(editor, commune_a, title="Tin", text="Ngày 22/12/2024.")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_synthesis(editor, bulletin)
    job.refresh_from_db()
    assert job.status == AudioJob.Status.QUEUED and job.text.startswith("Ngày hai mươi hai tháng mười hai")
    assert job.task_result_id
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(id=job.task_result_id).exists()
    with pytest.raises(ValidationError):
        services.request_synthesis(editor, bulletin)  # one job at a time
    # A job whose worker died, and whose task was then failed by the recovery, no longer blocks: no 30-minute wait.
    AudioJob.objects.filter(pk=job.pk).update(status=AudioJob.Status.RUNNING)
    DBTaskResult.objects.filter(id=job.task_result_id).update(status="FAILED")
    with django_capture_on_commit_callbacks(execute=False):
        services.request_synthesis(editor, bulletin)
    job.refresh_from_db()
    assert job.status == AudioJob.Status.FAILED and "tiến trình nền" in job.error.lower()


def test_approval_workflow(commune_a, editor, leader):
    bulletin = services.create_bulletin(editor, commune_a, title="Tin", text="Nội dung.")
    with pytest.raises(ValidationError, match="audio|âm thanh"):
        services.submit_bulletin(editor, bulletin)
    with_audio(bulletin)
    with pytest.raises(PermissionDenied):
        services.approve_bulletin(editor, bulletin)  # not yet submitted, and not the editor's to approve
    services.submit_bulletin(editor, bulletin)
    with pytest.raises(PermissionDenied):
        services.approve_bulletin(editor, bulletin)
    bulletin.title = "Sửa khi chờ duyệt"
    with pytest.raises(ValidationError):
        services.save_bulletin(editor, bulletin)
    with pytest.raises(ValidationError):
        services.reject_bulletin(leader, bulletin, comment="  ")
    services.reject_bulletin(leader, bulletin, comment="Thiếu số liệu năm 2026.")
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.REJECTED and bulletin.rejection_comment == "Thiếu số liệu năm 2026."
    bulletin.text = "Nội dung có số liệu năm 2026."
    services.save_bulletin(editor, bulletin)
    services.submit_bulletin(editor, bulletin)
    with pytest.raises(ValidationError):
        services.publish_bulletin(editor, bulletin)  # not approved yet
    services.approve_bulletin(leader, bulletin)
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.APPROVED and bulletin.reviewed_by == leader
    assert selectors.published_bulletins(commune_a) == []
    services.publish_bulletin(editor, bulletin)
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.PUBLISHED and bulletin.published_at
    with pytest.raises(PermissionDenied):
        services.reopen_bulletin(editor, bulletin)  # leadership takes a published bulletin back
    services.reopen_bulletin(leader, bulletin)
    assert Bulletin.objects.get(pk=bulletin.pk).status == Bulletin.Status.DRAFT


def test_published_bulletins_are_podcast_episodes(commune_a, editor, leader):
    bulletin = with_audio(services.create_bulletin(editor, commune_a, title="Tập 1", text="Nội dung " * 100), 95.5)
    services.submit_bulletin(editor, bulletin)
    services.approve_bulletin(leader, bulletin)
    services.publish_bulletin(editor, bulletin)
    [episode] = selectors.published_bulletins(commune_a)
    assert episode.title == "Tập 1" and episode.audio_size == 2002 and episode.duration_seconds == 95.5
    assert episode.audio_url.endswith(".mp3") and episode.published_at and episode.mime_type == "audio/mpeg"
    assert len(episode.summary) <= 400 and episode.summary.endswith("…")
    assert selectors.published_bulletins(commune_a.pk + 999) == []


@pytest.mark.parametrize("role", [roles.OVERSIGHT, roles.UNIT, roles.DIGITAL_TEAM])
def test_roles_that_only_read(commune_a, role):
    user = make_user(f"u_{role}", role, commune=commune_a)
    with pytest.raises(PermissionDenied):
        services.create_bulletin(user, commune_a, title="Tin")


def test_a_user_of_another_commune_cannot_touch_bulletins(commune_a, commune_b, editor):
    bulletin = services.create_bulletin(editor, commune_a, title="Tin", text="Nội dung")
    stranger = make_user("editor_b", roles.EDITOR, commune=commune_b)
    for call in (
        lambda: services.normalize_bulletin(stranger, bulletin),
        lambda: services.request_synthesis(stranger, bulletin),
        lambda: services.create_bulletin(stranger, commune_a, title="x"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert not selectors.bulletins(stranger).exists()


def test_bulletin_items_and_jobs_stay_in_their_commune(commune_a, editor, column_page):
    bulletin = services.compose_bulletin(editor, commune_a, pages=[column_page])
    assert BulletinItem.objects.get().commune_id == commune_a.pk == bulletin.commune_id


def test_audit_trail_names_the_actor(commune_a, editor, leader):
    from auditlog.models import LogEntry

    bulletin = with_audio(services.create_bulletin(editor, commune_a, title="Tin", text="Nội dung"))
    services.submit_bulletin(editor, bulletin)
    services.approve_bulletin(leader, bulletin)
    entries = LogEntry.objects.get_for_object(bulletin).order_by("timestamp")
    assert entries.filter(actor=leader, changes__icontains="approved").exists()
    assert entries.filter(actor=editor).exists()
