"""``manage.py worker``: django-tasks-db's ``db_worker`` with a heartbeat and recovery after a crash.

When it starts it retries (once) or fails what a dead worker left running (``tenancy.jobs.recover``), then writes
its heartbeat every few seconds from a thread while the tasks run; ``/healthz`` answers 503 when no worker has
written one for two minutes. Every minute it looks again for work left by a worker that died elsewhere. It also
queues the next daily e-mail of what waits for each user (``tenancy.tasks.schedule_daily_digest``) when e-mail is
configured.
Same options as ``db_worker`` (``--batch``, ``--queue-name``, ``--worker-id`` …).

With ``TASKS_BACKEND=rq`` (a province) the same command runs an RQ worker instead (tasks in Redis, each run in a
forked work horse, scheduled tasks moved to their queue by the worker's scheduler), named by ``--worker-id`` so that
the heartbeat, recovery and ``/healthz`` see it like a database worker (``tenancy.taskstate``).
"""

from __future__ import annotations

import logging
import threading
from contextlib import suppress

import django_rq
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_rq.utils import reset_db_connections
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand
from django_tasks_rq import Job

from lantoa.process import freeze_long_lived_objects
from lantoa.tenancy import jobs, tasks, taskstate

logger = logging.getLogger("lantoa.worker")


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id, self.started_at = worker_id, timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        beats = 0
        try:
            while not self.stopped.wait(jobs.HEARTBEAT_EVERY):
                beats += 1
                try:
                    close_old_connections()
                    jobs.beat(self.worker_id, started_at=self.started_at)
                    if beats % 6 == 0:
                        jobs.recover(self.worker_id)
                except Exception:  # a locked database or a lost connection: try again at the next beat
                    logger.exception("worker heartbeat failed")
        finally:
            connection.close()


class Command(DBWorkerCommand):
    help = "Run the task worker (db_worker) with a heartbeat for /healthz and recovery of interrupted tasks"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        if taskstate.uses_rq():  # db_worker accepts only a database backend for --backend
            for action in parser._actions:
                if action.dest == "backend_name":
                    action.type = str

    def handle(self, *args, **options):
        worker_id = options["worker_id"]
        jobs.beat(worker_id)
        jobs.recover(worker_id)
        tasks.schedule_daily_digest()  # the daily e-mail of what waits for each user, when e-mail is configured
        freeze_long_lived_objects()  # as the web workers do: no full collection walks the loaded code again
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            if taskstate.uses_rq():
                return self.run_rq(worker_id, options)
            return super().handle(*args, **options)
        finally:
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
            with suppress(Exception):
                jobs.stop(worker_id)

    def run_rq(self, worker_id: str, options) -> None:
        queues = [q for q in options["queue_name"].split(",") if q and q != "*"] or list(settings.RQ_QUEUES)
        excluded = set(filter(None, options["exclude_queues"].split(",")))
        queues = [q for q in queues if q not in excluded]
        worker = django_rq.get_worker(*queues, job_class=Job, name=worker_id, default_result_ttl=taskstate.RESULT_TTL)
        reset_db_connections()  # the work horses are forked: none may inherit this process's connection
        level = {0: "WARNING", 1: "INFO"}.get(options["verbosity"], "DEBUG")
        worker.work(
            burst=options["batch"],
            with_scheduler=True,
            logging_level=level,
            max_jobs=options["max_tasks"],
        )
