"""Background jobs and the workers that run them: job lifecycle, heartbeats, recovery after a crash, limits.

- A request calls :func:`create` (stores the upload, creates a :class:`~lantoa.tenancy.models.Job`, enqueues
  the app's task after commit) and returns at once; the page shows the job's progress.
- The task calls :func:`claim` (queued → running, one more attempt), :func:`step`, then :func:`finish` or
  :func:`fail` (a Vietnamese message the user sees).
- ``manage.py worker`` writes a heartbeat (:func:`beat`) every few seconds and, when it starts (and every
  minute after), calls :func:`recover`: task results and jobs left "running" by a worker that is no longer alive
  are retried once, then failed with a message; apps with their own job models (the radio's audio jobs) do the
  same for theirs on the ``tenancy.signals.tasks_interrupted`` signal.
- :func:`run_limited` runs a parser in a child process with a time and a memory limit, so a hostile file costs
  the child, never the worker.
"""

from __future__ import annotations

import logging
import os
import resource
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from . import taskstate
from .models import Job, WorkerHeartbeat
from .signals import tasks_interrupted

logger = logging.getLogger("lantoa.worker")

# A worker that has not written its heartbeat for this long is dead (healthz answers 503 when none is alive).
WORKER_DEAD_AFTER = timedelta(minutes=2)
HEARTBEAT_EVERY = 10  # seconds
# A task interrupted by a crash runs again while it has been claimed fewer times than this.
MAX_ATTEMPTS = 2
# A task or job running longer than this is stuck (every heavy step has its own, shorter, time limit).
STUCK_AFTER = timedelta(minutes=30)


# --- Jobs -----------------------------------------------------------------------------------------------------


def create(actor, commune_id: int, kind: str, *, upload=None, name: str = "", options=None, enqueue) -> Job:
    """A job for the worker, with its input file; ``enqueue(job_id)`` is called after the transaction commits."""
    job = Job(
        commune_id=commune_id,
        kind=kind,
        input_name=(name or "")[:255],
        options=options or {},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        step=_("Waiting for the worker"),
    )
    if upload is not None:
        upload.seek(0)
        job.input_file.save(name or "upload", upload, save=False)
    job.save()

    def send():
        result = enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(send)
    return job


def claim(job_id: int) -> Job | None:
    """Mark the job running (one more attempt); None when it is not waiting (done, failed, or gone)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != Job.Status.QUEUED:
            return None
        job.status, job.started_at, job.progress = Job.Status.RUNNING, timezone.now(), 1
        job.attempts += 1
        with override(settings.LANGUAGE_CODE):
            job.step = _("Starting")
        job.save(update_fields=["status", "started_at", "progress", "attempts", "step"])
    return job


def step(job: Job, progress: int, text: str) -> None:
    job.progress, job.step = progress, text[:200]
    Job.objects.filter(pk=job.pk).update(progress=progress, step=job.step)


def finish(job: Job, result: dict) -> None:
    with override(settings.LANGUAGE_CODE):
        done = _("Done")
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, progress=100, step=done, result=result, finished_at=timezone.now()
    )
    _drop_input(job)


def fail(job: Job, message: str) -> None:
    with override(settings.LANGUAGE_CODE):
        failed = _("Failed")
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, step=failed, error=message, finished_at=timezone.now()
    )
    _drop_input(job)


def _drop_input(job: Job) -> None:
    if job.input_file:  # the job's outcome is recorded: the waiting copy of the upload is of no more use
        job.input_file.storage.delete(job.input_file.name)


# --- Limits -----------------------------------------------------------------------------------------------------


class LimitExceeded(Exception):
    """The child process ran out of time or memory, or was killed."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code, self.detail = code, detail


def run_limited(argv: list[str], *, seconds: int, memory_mb: int) -> str:
    """Run ``manage.py <argv>`` in a child process limited in wall time, CPU time and memory; return its stdout.

    Raises :class:`LimitExceeded` with code ``timeout``, ``memory`` (killed or out of memory) or ``failed``
    (non-zero exit, with the last line of its error output as detail).
    """
    limit_bytes = memory_mb * 1024 * 1024

    def limits():  # runs in the child before exec
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))

    manage = Path(settings.BASE_DIR) / "manage.py"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        done = subprocess.run(
            [sys.executable, str(manage), *argv],
            capture_output=True,
            timeout=seconds,
            preexec_fn=limits,  # noqa: PLW1509 - only setrlimit, which is safe before exec
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise LimitExceeded("timeout") from exc
    if done.returncode < 0 or b"MemoryError" in done.stderr[-2000:]:
        raise LimitExceeded("memory", f"signal {-done.returncode}" if done.returncode < 0 else "MemoryError")
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        raise LimitExceeded("failed", lines[-1] if lines else "")
    return done.stdout.decode()


# --- Workers ------------------------------------------------------------------------------------------------------


def beat(worker_id: str, *, started_at=None) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": now},
        create_defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "seen_at": now,
            "started_at": started_at or now,
        },
    )


def stop(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def live_workers(*, exclude: str = "") -> set[str]:
    """The ids of workers alive now: a recent heartbeat, and on this host a process that still exists."""
    host = socket.gethostname()[:255]
    alive = set()
    for hb in WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - WORKER_DEAD_AFTER):
        if hb.worker_id == exclude:
            continue
        if hb.host == host and not _pid_alive(hb.pid):
            continue
        alive.add(hb.worker_id)
    return alive


def recover(current_worker: str = "") -> dict:
    """Retry (once) or fail the tasks and jobs that a dead worker left running. Returns what it did."""
    alive = live_workers(exclude=current_worker) | ({current_worker} if current_worker else set())
    retried, failed = [], []
    with override(settings.LANGUAGE_CODE), taskstate.exclusive(), transaction.atomic():
        for task in taskstate.running(lock=True):
            if task.worker_id and task.worker_id in alive:
                continue
            if task.attempts < MAX_ATTEMPTS:
                taskstate.retry(task)
                retried.append(task.id)
            else:
                taskstate.fail(task, "The worker running this task stopped (crash or kill) too many times.")
                failed.append(task.id)
        _recover_jobs(retried, failed)
        tasks_interrupted.send(sender=Job, retried=set(retried), failed=set(failed))
        # Dead workers' heartbeats are of no more use.
        WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - timedelta(days=1)).delete()
    if retried or failed:
        logger.warning("recovered interrupted tasks: retried=%s failed=%s", retried, failed)
    return {"retried": retried, "failed": failed}


def interrupted_message() -> str:
    return _(
        "The background worker stopped (restart or crash) while doing this and it could not be finished. "
        "Nothing was saved; run it again."
    )


def _recover_jobs(retried: list[str], failed: list[str]) -> None:
    running = Job.objects.select_for_update().filter(status=Job.Status.RUNNING)
    for job in running:
        if job.task_result_id in retried:
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.QUEUED, progress=0, step=_("Retrying after the worker stopped")
            )
        elif job.task_result_id in failed or not _task_is_live(job.task_result_id):
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED, step=_("Failed"), error=interrupted_message(), finished_at=timezone.now()
            )
            _drop_input(job)


def _task_is_live(task_result_id: str) -> bool:
    """Whether the task behind a job can still run it (waiting or running); unknown ids count as gone."""
    if not task_result_id:
        return True  # enqueued on commit, id not yet written back
    return taskstate.is_live(task_result_id)


def stuck(now=None) -> list[str]:
    """What is stuck now: tasks running on no live worker, or running longer than STUCK_AFTER."""
    now = now or timezone.now()
    alive = live_workers()
    problems = []
    for task in taskstate.running():
        if task.worker_id and task.worker_id not in alive:
            problems.append(f"task {task.id} ({task.task_path}) runs on a dead worker")
        elif task.started_at and now - task.started_at > STUCK_AFTER:
            problems.append(f"task {task.id} ({task.task_path}) running since {task.started_at:%H:%M}")
    for job in Job.objects.filter(status=Job.Status.RUNNING, started_at__lt=now - STUCK_AFTER):
        problems.append(f"job {job.pk} ({job.kind}) running since {job.started_at:%H:%M}")
    return problems
