"""Hand a sticker sheet to the task worker (a module of its own: ``tasks`` imports ``services``)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from lantoa.tenancy import jobs
from lantoa.tenancy.models import Hamlet, Job
from lantoa.tenancy.services import require_commune_perm

from . import services
from .tasks import make_stickers


def queue_stickers(actor, hamlet: Hamlet, *, base_url: str | None = None) -> Job:
    """A job drawing the hamlet's sticker sheet; returns at once, the job's page shows the progress."""
    require_commune_perm(actor, services.STICKER_PERM, hamlet.commune_id)
    options = {"hamlet_id": hamlet.pk, "base_url": base_url or settings.WAGTAILADMIN_BASE_URL}
    with transaction.atomic():
        return jobs.create(
            actor,
            hamlet.commune_id,
            services.STICKER_JOB,
            name=hamlet.name,
            options=options,
            enqueue=make_stickers.enqueue,
        )
