"""Background work of the field app (run by ``manage.py worker``)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def make_stickers(job_id: int) -> dict:
    """Draw a hamlet's QR door stickers (a ``tenancy.Job``); see ``services.run_sticker_job``."""
    return services.run_sticker_job(job_id)
