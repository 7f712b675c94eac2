"""The province's task backend (``TASKS_BACKEND=rq``): a worker killed mid-task is handled as with the database.

A real Redis (``redis-server`` on a free port) holds the queue. What a worker killed with ``kill -9`` in the middle of
a plan import leaves in Redis (the task "started" by a worker whose heartbeat stopped) is put back to wait once by
the next worker's recovery, then failed with the Vietnamese message; /healthz tells meanwhile. Running the tasks
themselves through RQ is the smoke test's part (tests/test_province.py): RQ's work horses are forked processes.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rq import Queue, Worker
from rq.job import JobStatus
from rq.registry import FailedJobRegistry, StartedJobRegistry

from lantoa.tenancy import jobs, roles, taskstate
from lantoa.tenancy.models import Job

from .conftest import make_user
from .test_worker import SEED, killed_worker


@pytest.fixture
def redis_url():
    assert shutil.which("redis-server"), "redis-server is missing: make system-packages-test installs it"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(100):
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def rq_backend(settings, redis_url):
    settings.TASKS = {"default": {"BACKEND": taskstate.RQ_BACKEND}}
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    return redis.Redis.from_url(redis_url)


def _start_on(connection, worker_name: str):
    """What a worker does when it takes the next task, up to the moment it is killed."""
    queue = Queue("default", connection=connection, job_class=taskstate.Job)
    worker = Worker([queue], name=worker_name, connection=connection, job_class=taskstate.Job)
    job = queue.dequeue_any([queue], None, connection=connection, job_class=taskstate.Job)[0]
    worker.prepare_execution(job)
    worker.prepare_job_execution(job)
    killed_worker(worker_name)
    return queue, job


@pytest.mark.django_db(transaction=True)
def test_a_task_left_running_in_redis_by_a_killed_worker_is_retried_once_then_failed(
    commune_a, rq_backend, django_capture_on_commit_callbacks
):
    pv = make_user("pv", roles.PVHCC, commune=commune_a)
    Queue("default", connection=rq_backend).empty()  # only the plan's task, not Wagtail's reference index
    client = Client()
    client.force_login(pv)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/plans/import/", {"file": SimpleUploadedFile("ke-hoach.txt", SEED.read_bytes())})
    assert response.status_code == 302
    job = Job.objects.get()
    assert taskstate.is_live(job.task_result_id)  # waiting in Redis
    assert taskstate.queue_health()["waiting"] == 1

    queue, rq_job = _start_on(rq_backend, "killed-1")
    jobs.claim(job.pk)
    assert rq_job.id == job.task_result_id and rq_job.get_status() == JobStatus.STARTED
    health = Client().get("/healthz")
    assert health.status_code == 503 and "runs on a dead worker" in health.json()["workers"]["stuck"][0]

    jobs.beat("next")  # the restarted worker recovers what the killed one left
    assert jobs.recover("next") == {"retried": [job.task_result_id], "failed": []}
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert rq_job.get_status() == JobStatus.QUEUED and queue.get_job_ids() == [rq_job.id]
    assert rq_job.id not in StartedJobRegistry(queue=queue).get_job_ids()

    _start_on(rq_backend, "killed-2")  # killed again: the second time the task fails, visibly
    jobs.claim(job.pk)
    assert jobs.recover("next") == {"retried": [], "failed": [job.task_result_id]}
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "tiến trình nền" in job.error.lower()
    assert rq_job.get_status() == JobStatus.FAILED and rq_job.id in FailedJobRegistry(queue=queue).get_job_ids()
    assert not taskstate.is_live(job.task_result_id)
    body = Client().get("/healthz").json()
    assert body["workers"]["stuck"] == [] and body["tasks"]["failed_last_24h"] == 1
