"""``manage.py worker``: django-tasks-db's ``db_worker`` with a heartbeat and recovery after a crash.

When it starts it retries (once) or fails what a dead worker left running (``tenancy.jobs.recover``), then writes
its heartbeat every few seconds from a thread while the tasks run; ``/healthz`` answers 503 when no worker has
written one for two minutes. Every minute it looks again for work left by a worker that died elsewhere. It also
queues the next daily e-mail of what waits for each user (``tenancy.tasks.schedule_daily_digest``) when e-mail is
configured.
Same options as ``db_worker`` (``--batch``, ``--queue-name``, ``--worker-id`` …).
"""

from __future__ import annotations

import logging
import threading
from contextlib import suppress

from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from lantoa.tenancy import jobs, tasks

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

    def handle(self, *args, **options):
        worker_id = options["worker_id"]
        jobs.beat(worker_id)
        jobs.recover(worker_id)
        tasks.schedule_daily_digest()  # the daily e-mail of what waits for each user, when e-mail is configured
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
            with suppress(Exception):
                jobs.stop(worker_id)
