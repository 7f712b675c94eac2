"""Background work of the radio, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from .jobs import run_audio_job


@task()
def make_audio(job_id: int) -> dict:
    """Synthesise a bulletin or convert its uploaded recording to the broadcast MP3 format (see jobs)."""
    return run_audio_job(job_id)
