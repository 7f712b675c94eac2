"""/healthz: is the database answering, and is the task queue moving?"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

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
    return JsonResponse(report, status=200)


def _task_queue() -> dict:
    try:
        ready = DBTaskResult.objects.ready()  # waiting and due now
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        failed_day = DBTaskResult.objects.filter(
            status="FAILED", finished_at__gte=timezone.now() - timedelta(days=1)
        ).count()
    except Exception as exc:  # noqa: BLE001
        return {"status": "error", "error": exc.__class__.__name__}
    waiting = ready.count()
    stale = oldest is not None and timezone.now() - oldest > STALE_AFTER
    return {
        "status": "stalled" if stale else "ok",
        "waiting": waiting,
        "oldest_waiting_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else 0,
        "failed_last_24h": failed_day,
    }
