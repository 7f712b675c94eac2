"""A worker killed during speech synthesis (issue 11): the job no longer stays "running 5%" forever.

The state a `kill -9` leaves — the task claimed by a worker whose process is gone, the audio job running at 5% — is
made by hand; then the real worker starts (in-process, as the other worker tests run it) and either runs the job
again to the end, or, after a second interruption, fails it with a Vietnamese message so it can be rerun at once.
"""

from __future__ import annotations

import socket
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lantoa.radio import services
from lantoa.radio.models import AudioJob
from lantoa.tenancy.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db(
    transaction=True
)  # the worker runs in this process and drops the connection between tasks


def run_worker() -> None:
    call_command("worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def killed_mid_synthesis(job: AudioJob, worker_ids: list[str]) -> None:
    child = subprocess.Popen(["true"])
    child.wait()  # its pid is now a process that no longer exists, like the killed worker's
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_ids[-1], host=socket.gethostname(), pid=child.pid, started_at=now, seen_at=now
    )
    DBTaskResult.objects.filter(pk=job.task_result_id).update(status="RUNNING", started_at=now, worker_ids=worker_ids)
    AudioJob.objects.filter(pk=job.pk).update(status=AudioJob.Status.RUNNING, progress=5, started_at=now)


def queued_synthesis(commune, editor, capture) -> AudioJob:
    bulletin = services.create_bulletin(editor, commune, title="Tin", text="Xã tổ chức họp dân về chuyển đổi số.")
    with capture(execute=True):
        job = services.request_synthesis(editor, bulletin)
    job.refresh_from_db()
    return job


def test_a_synthesis_interrupted_by_a_killed_worker_is_run_again_to_the_end(
    commune_a, editor, django_capture_on_commit_callbacks
):
    job = queued_synthesis(commune_a, editor, django_capture_on_commit_callbacks)
    killed_mid_synthesis(job, ["killed-1"])
    run_worker()
    job.refresh_from_db()
    assert job.status == AudioJob.Status.DONE and job.progress == 100, job.error
    assert job.bulletin.audio.name.endswith(".mp3")


def test_a_synthesis_interrupted_twice_fails_in_vietnamese_and_can_be_rerun_at_once(
    commune_a, editor, django_capture_on_commit_callbacks
):
    job = queued_synthesis(commune_a, editor, django_capture_on_commit_callbacks)
    killed_mid_synthesis(job, ["killed-0", "killed-1"])
    run_worker()
    job.refresh_from_db()
    assert job.status == AudioJob.Status.FAILED and "tiến trình nền đã dừng" in job.error.lower()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.rerun_job(editor, job)  # no 30-minute wait
    run_worker()
    again.refresh_from_db()
    assert again.status == AudioJob.Status.DONE, again.error
