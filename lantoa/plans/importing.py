"""Hand an uploaded plan to the task worker: checked in the request, read by the worker (``tasks.read_plan``).

A module of its own because the services run inside the worker too (``tasks`` imports ``services``): enqueueing
from ``services`` would make an import cycle.
"""

from __future__ import annotations

from django.db import transaction

from lantoa.tenancy import jobs
from lantoa.tenancy import services as tenancy
from lantoa.tenancy.models import Commune, Job

from . import services
from .tasks import read_plan


def queue_import(actor, commune: Commune, uploaded) -> Job:
    """Check an uploaded plan (type, size, what it unpacks to, pages) and hand its reading to the task worker.

    Returns at once with the job whose page shows the progress; the worker reads the file in a child process
    limited in time and memory (``services.run_import_job``) and leaves a draft version, as
    ``services.start_import`` does.
    """
    tenancy.require_commune_perm(actor, "plans.add_plan", commune)
    name = services.check_plan_upload(uploaded, services.PLAN_EXTENSIONS, services.MAX_PLAN_BYTES)
    with transaction.atomic():
        return jobs.create(
            actor, commune.pk, Job.Kind.PLAN_IMPORT, upload=uploaded, name=name, enqueue=read_plan.enqueue
        )
