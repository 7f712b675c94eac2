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
    taskstate.schedule_daily(send_reminders, hour)


@task()
def read_plan(job_id: int) -> dict:
    """Read an uploaded plan (a ``tenancy.Job``) into a draft version; see ``services.run_import_job``."""
    return services.run_import_job(job_id)
