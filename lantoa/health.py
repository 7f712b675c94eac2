"""/healthz: is the database answering, is a task worker alive, and is the task queue moving?

503 when the database does not answer, when no worker has written its heartbeat for two minutes
(``manage.py worker`` writes one every 10 s), or when a task or job is stuck (running on a dead worker, or for
longer than ``tenancy.jobs.STUCK_AFTER``). 200 with ``"status": "degraded"`` when tasks only wait long.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lantoa.tenancy import jobs, taskstate
from lantoa.tenancy.models import WorkerHeartbeat

# A task still waiting after this long means no worker is taking tasks.
STALE_AFTER = timedelta(minutes=10)


@never_cache
@require_GET
def healthz(request):
    report: dict = {"status": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = {"status": "ok", "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        report["database"] = {"status": "error", "error": exc.__class__.__name__}
        report["status"] = "error"
        return JsonResponse(report, status=503)
    report["tasks"] = _task_queue()
    if report["tasks"]["status"] != "ok":
        report["status"] = "degraded"
    report["workers"] = _workers()
    if report["workers"]["status"] != "ok":
        report["status"] = "error"
        return JsonResponse(report, status=503)
    return JsonResponse(report, status=200)


def _workers() -> dict:
    try:
        alive = jobs.live_workers()
        last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        stuck = jobs.stuck()
    except Exception as exc:  # noqa: BLE001
        return {"status": "error", "error": exc.__class__.__name__}
    report = {
        "status": "ok",
        "alive": len(alive),
        "last_heartbeat_seconds": int((timezone.now() - last).total_seconds()) if last else None,
        "stuck": stuck[:20],
    }
    if not alive:
        report["status"] = "no_worker"
    elif stuck:
        report["status"] = "stuck"
    return report


def _task_queue() -> dict:
    try:
        queue = taskstate.queue_health()  # the database's or Redis's queue, whichever runs the tasks
    except Exception as exc:  # noqa: BLE001
        return {"status": "error", "error": exc.__class__.__name__}
    waiting, oldest, failed_day = queue["waiting"], queue["oldest"], queue["failed_last_24h"]
    stale = oldest is not None and timezone.now() - oldest > STALE_AFTER
    return {
        "status": "stalled" if stale else "ok",
        "waiting": waiting,
        "oldest_waiting_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else 0,
        "failed_last_24h": failed_day,
    }
