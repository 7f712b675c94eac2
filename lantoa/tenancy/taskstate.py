"""What the task queue holds, whichever task backend runs it.

A commune's server keeps its tasks in the database (django-tasks-db); a province keeps them in Redis and runs them
with RQ workers (django-tasks-rq, ``TASKS_BACKEND=rq``). Recovery after a crash (``tenancy.jobs``), ``/healthz``,
the apps' job records and the daily reminders ask here, never a backend's own models, so both behave the same:

- a task is *live* while it waits or runs; a task id the backend no longer knows is gone (not live);
- a task *running* on a worker whose heartbeat stopped is put back to wait once, then failed (``jobs.recover``);
- the queue's health is the number of tasks due and waiting, the oldest one's age and the failures of the last day.

With RQ, a task result is kept in Redis for ``RESULT_TTL`` after it ends (then its id is unknown: not live), and a
failed one for RQ's failure TTL (a year).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import django_rq
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TASK_MAX_PRIORITY, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_db.models import DBTaskResult
from django_tasks_rq import Job
from django_tasks_rq import RQBackend as BaseRQBackend
from django_tasks_rq.backend import failed_callback, success_callback
from rq.exceptions import NoSuchJobError
from rq.job import Callback, JobStatus
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

RQ_BACKEND = "lantoa.tenancy.taskstate.RQBackend"
# How long RQ keeps a finished task's result (and its status) in Redis: long enough for a page to show it.
RESULT_TTL = 24 * 3600
# Failures counted by /healthz are looked up among at most this many of RQ's newest failed tasks.
FAILED_SCAN = 500


class RQBackend(BaseRQBackend):
    """django-tasks-rq's backend, but a task enqueued inside a transaction reaches Redis only when it commits.

    The database backend's task row is written in the same transaction, so a worker never sees a task before the
    rows it works on (a rollback drops both); Redis is not in the transaction, and without this a worker would run,
    for instance, Wagtail's reference-index task of a page not yet committed. The task's id is known at once.
    """

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        transaction.on_commit(lambda: self._push(task, args, kwargs, result))  # at once outside a transaction
        return result

    def _push(self, task, args, kwargs, result) -> None:
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias},
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=result)


@dataclass(frozen=True)
class RunningTask:
    id: str
    task_path: str
    worker_id: str  # the worker that claimed it last ("" when unknown)
    attempts: int  # how many times a worker claimed it
    started_at: datetime | None


def uses_rq() -> bool:
    return settings.TASKS["default"]["BACKEND"] == RQ_BACKEND


# --- The database backend -----------------------------------------------------------------------------------


def _db():
    return DBTaskResult


# --- The RQ backend -------------------------------------------------------------------------------------------


def _rq_connection():
    return django_rq.get_connection()


def _rq_queues():
    return [django_rq.get_queue(name, job_class=Job) for name in settings.RQ_QUEUES]


def _rq_fetch(ids) -> list:
    return [job for job in Job.fetch_many(list(ids), connection=_rq_connection()) if job is not None]


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return moment.replace(tzinfo=UTC)
    return moment


def _rq_job(result_id: str):
    try:
        return Job.fetch(str(result_id), connection=_rq_connection())
    except NoSuchJobError:
        return None


# --- Questions --------------------------------------------------------------------------------------------------


def is_live(result_id: str) -> bool:
    """Whether the task is waiting (now or later) or running; an id the backend does not know is not live."""
    if not uses_rq():
        return _db().objects.filter(pk=result_id, status__in=["READY", "RUNNING"]).exists()
    job = _rq_job(result_id)
    live = (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED)
    return job is not None and job.get_status() in live


def running(*, lock: bool = False) -> list[RunningTask]:
    """The tasks a worker has claimed and not finished (``lock``: the database rows are locked for an update)."""
    if not uses_rq():
        rows = _db().objects.filter(status="RUNNING")
        rows = rows.select_for_update() if lock else rows.only("id", "worker_ids", "started_at", "task_path")
        return [
            RunningTask(
                id=str(r.id),
                task_path=r.task_path,
                worker_id=r.worker_ids[-1] if r.worker_ids else "",
                attempts=len(r.worker_ids),
                started_at=r.started_at,
            )
            for r in rows
        ]
    tasks = []
    for queue in _rq_queues():
        ids = StartedJobRegistry(queue=queue).get_job_ids(cleanup=False)
        for job in _rq_fetch(dict.fromkeys(ids)):
            tasks.append(
                RunningTask(
                    id=job.id,
                    task_path=job.func_name,
                    worker_id=job.worker_name or "",
                    attempts=1 + int(job.meta.get("lantoa_retries", 0)),
                    started_at=_aware(job.started_at),
                )
            )
    return tasks


def exclusive():
    """Held while a worker recovers tasks, so two workers never put the same task back twice."""
    if not uses_rq():
        return contextlib.nullcontext()  # running(lock=True) locks the rows
    return _rq_connection().lock("lantoa:recover", timeout=60, blocking_timeout=30)


def retry(task: RunningTask) -> None:
    """Put a task that a dead worker left running back to wait (same id, one more attempt to come)."""
    if not uses_rq():
        _db().objects.filter(pk=task.id, status="RUNNING").update(status="READY", started_at=None)
        return
    job = _rq_job(task.id)
    if job is None:
        return
    queue = next(q for q in _rq_queues() if q.name == job.origin)
    StartedJobRegistry(queue=queue).remove_executions(job)
    job.meta["lantoa_retries"] = int(job.meta.get("lantoa_retries", 0)) + 1
    job.save_meta()
    job.started_at = None
    queue.enqueue_job(job)


def fail(task: RunningTask, reason: str) -> None:
    """Fail a task that a dead worker left running, with ``reason`` as its error."""
    if not uses_rq():
        _db().objects.filter(pk=task.id, status="RUNNING").update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path="lantoa.tenancy.jobs.WorkerDied",
            traceback=reason,
        )
        return
    job = _rq_job(task.id)
    if job is None:
        return
    queue = next(q for q in _rq_queues() if q.name == job.origin)
    job.ended_at = timezone.now()
    with _rq_connection().pipeline() as pipeline:
        job.set_status(JobStatus.FAILED, pipeline=pipeline)
        job._handle_failure(f"lantoa.tenancy.jobs.WorkerDied: {reason}", pipeline, worker_name="")
        StartedJobRegistry(queue=queue).remove_executions(job, pipeline=pipeline)
        pipeline.execute()


def waiting(task_path: str) -> bool:
    """Whether a task of this function waits (now or later), e.g. tomorrow's reminder run."""
    if not uses_rq():
        return _db().objects.filter(status="READY", task_path=task_path).exists()
    ids = []
    for queue in _rq_queues():
        ids += queue.get_job_ids() + ScheduledJobRegistry(queue=queue).get_job_ids()
    return any(job.func_name == task_path for job in _rq_fetch(ids))


def schedule_daily(task, hour: int) -> bool:
    """Queue ``task``'s next run at ``hour``:00 local time (today if still ahead, else tomorrow), unless a run of it
    already waits. The daily jobs (reminders, the inbox e-mail) queue themselves this way. Returns whether one was
    queued."""
    if waiting(task.module_path):
        return False
    now = timezone.localtime()
    run_at = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if run_at <= now:
        run_at += timedelta(days=1)
    task.using(run_after=run_at).enqueue()
    return True


def queue_health(now: datetime | None = None) -> dict:
    """``waiting``: tasks due and not started; ``oldest``: when the oldest of them was enqueued (or None);
    ``failed_last_24h``: tasks that failed in the last day."""
    now = now or timezone.now()
    day_ago = now - timedelta(days=1)
    if not uses_rq():
        ready = _db().objects.ready()  # waiting and due now
        return {
            "waiting": ready.count(),
            "oldest": ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first(),
            "failed_last_24h": _db().objects.filter(status="FAILED", finished_at__gte=day_ago).count(),
        }
    waiting_count, oldest, failed = 0, None, 0
    for queue in _rq_queues():
        waiting_count += queue.count
        first = _rq_fetch(queue.get_job_ids(0, 1))
        if first and first[0].enqueued_at:
            enqueued = _aware(first[0].enqueued_at)
            oldest = enqueued if oldest is None else min(oldest, enqueued)
        failed_ids = FailedJobRegistry(queue=queue).get_job_ids(0, FAILED_SCAN - 1, desc=True)
        failed += sum(1 for job in _rq_fetch(failed_ids) if job.ended_at and _aware(job.ended_at) >= day_ago)
    return {"waiting": waiting_count, "oldest": oldest, "failed_last_24h": failed}
