"""Background work of the tenancy app, run by the task worker (django-tasks)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Sum
from django_tasks import task

from . import digest, taskstate
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
    taskstate.schedule_daily(send_inbox_digests, getattr(settings, "LANTOA_INBOX_DIGEST_HOUR", 7))
    return True
