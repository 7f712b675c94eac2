"""Background work of the plans app, run by the task worker."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from lantoa.tenancy import taskstate

from . import services


@task()
def send_reminders(day: str | None = None) -> int:
    """Send the reminders due on ``day`` (ISO date; today by default), then queue tomorrow's run."""
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    sent = services.send_due_reminders(today)
    if day is None:
        schedule_daily_reminders()
    return sent


def schedule_daily_reminders(hour: int = 7) -> None:
    """Queue the next daily run at 07:00 local time, unless one is already waiting."""
    if taskstate.waiting(send_reminders.module_path):
        return
    now = timezone.localtime()
    run_at = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if run_at <= now:
        run_at += dt.timedelta(days=1)
    send_reminders.using(run_after=run_at).enqueue()


@task()
def read_plan(job_id: int) -> dict:
    """Read an uploaded plan (a ``tenancy.Job``) into a draft version; see ``services.run_import_job``."""
    return services.run_import_job(job_id)
