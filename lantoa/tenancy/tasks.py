"""Background work of the tenancy app, run by the task worker (django-tasks)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from . import digest
from .models import Hamlet, Household


@task()
def refresh_baselines(commune_id: int) -> dict[str, int]:
    """Set each hamlet's household and resident baseline from the household roster."""
    totals = {
        row["hamlet"]: row
        for row in Household.objects.filter(commune_id=commune_id)
        .values("hamlet")
        .annotate(households=Count("id"), residents=Sum("members"))
    }
    changed = 0
    for hamlet in Hamlet.objects.filter(commune_id=commune_id):
        row = totals.get(hamlet.pk, {"households": 0, "residents": 0})
        if (hamlet.households_baseline, hamlet.residents_baseline) != (row["households"], row["residents"] or 0):
            hamlet.households_baseline, hamlet.residents_baseline = row["households"], row["residents"] or 0
            hamlet.save(update_fields=["households_baseline", "residents_baseline"])
            changed += 1
    return {"hamlets_changed": changed}


@task()
def send_inbox_digests(day: str | None = None) -> int:
    """E-mail each user what waits for them (``digest.send_digests``), then queue tomorrow morning's run."""
    sent = digest.send_digests(dt.date.fromisoformat(day) if day else None)
    if day is None:
        schedule_daily_digest()
    return sent


def schedule_daily_digest() -> bool:
    """Queue the next morning's e-mail (``LANTOA_INBOX_DIGEST_HOUR``, 07:00 local time by default) when e-mail is
    configured, unless one is already waiting. The worker calls it when it starts. Returns whether one is queued."""
    if not digest.enabled():
        return False
    if DBTaskResult.objects.filter(status="READY", task_path=send_inbox_digests.module_path).exists():
        return True
    now = timezone.localtime()
    run_at = now.replace(hour=getattr(settings, "LANTOA_INBOX_DIGEST_HOUR", 7), minute=0, second=0, microsecond=0)
    if run_at <= now:
        run_at += dt.timedelta(days=1)
    send_inbox_digests.using(run_after=run_at).enqueue()
    return True
