"""What the channels (the column, the radio) tell the indicators: items published and withdrawn, loudspeaker
broadcasts confirmed and cancelled.

These run from the channel's own services or signals, without a user: the caller is trusted, but every id it
passes must belong to the commune. Each is idempotent by (commune, key), the channel's own identifier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.plans.models import Task
from lantoa.tenancy import locks
from lantoa.tenancy.models import Commune, Hamlet

from .. import engine
from ..models import Broadcast, Publication, ScienceTask
from .common import record_ids


def _aware(value, field: str) -> dt.datetime:
    """A timezone-aware datetime from a datetime or a date (a date means midnight, local time)."""
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, dt.date):
        return timezone.make_aware(dt.datetime.combine(value, dt.time()))
    raise ValidationError({field: _("Give a date or a date and time.")})


def _key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > 120:
        raise ValidationError({"key": _("The key must have 1 to 120 characters.")})
    return key


def _commune_id(commune: Commune | int) -> int:
    return commune.pk if isinstance(commune, Commune) else int(commune)


# --- Publications ---------------------------------------------------------------------------------------


@transaction.atomic
def record_publication(
    *,
    commune: Commune | int,
    key: str,
    title: str,
    url: str,
    published_at,
    science_task_ids: Iterable[int] = (),
    plan_task_id: int | None = None,
    channel: str = Publication.Channel.COLUMN,
) -> Publication:
    """Record (or update) a published item, idempotently by (commune, key).

    Counts towards "column kept alive" (items per month) and, through ``science_task_ids``, publicises
    those S&T tasks. Publishing again an item that was withdrawn makes it count again.
    """
    commune_id = _commune_id(commune)
    key = _key(key)
    if channel not in Publication.Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    task_ids = record_ids(science_task_ids, "science_task_ids")
    found = set(ScienceTask.objects.filter(commune_id=commune_id, pk__in=task_ids).values_list("pk", flat=True))
    if found != set(task_ids):
        raise ValidationError(
            {
                "science_task_ids": _("These S&T tasks are not registered in this commune: %(ids)s")
                % {"ids": ", ".join(str(i) for i in sorted(set(task_ids) - found))}
            }
        )
    if plan_task_id is not None:
        if not Task.objects.filter(commune_id=commune_id, pk=plan_task_id).exists():
            raise ValidationError({"plan_task_id": _("This plan task does not belong to this commune.")})
    publication = Publication.objects.select_for_update().filter(commune_id=commune_id, key=key).first()
    when = _aware(published_at, "published_at")
    if publication is None:
        publication = Publication(commune_id=commune_id, key=key)
        locks.ensure_open(commune_id, when, field="published_at")
    elif (
        publication.withdrawn_at is not None
        or timezone.localdate(publication.published_at) != timezone.localdate(when)
        or set(publication.science_tasks.values_list("pk", flat=True)) != set(task_ids)
    ):
        # What counts changes (a new day, counted again, other S&T tasks): neither day may be in a locked period.
        locks.ensure_open(commune_id, publication.published_at, when, field="published_at")
    publication.title = (title or "").strip()[:300] or key
    publication.url = (url or "").strip()[:500]
    publication.published_at = when
    publication.channel = channel
    publication.plan_task_id = plan_task_id
    publication.withdrawn_at = None
    publication.full_clean(exclude=["science_tasks"])
    publication.save()
    if set(publication.science_tasks.values_list("pk", flat=True)) != set(task_ids):
        publication.science_tasks.set(task_ids)
    return publication


@transaction.atomic
def withdraw_publication(*, commune: Commune | int, key: str) -> Publication | None:
    """Mark an item as withdrawn (unpublished or deleted): it no longer counts. Unknown keys are ignored."""
    publication = Publication.objects.select_for_update().filter(commune_id=_commune_id(commune), key=_key(key)).first()
    if publication is not None and publication.withdrawn_at is None:
        publication.withdrawn_at = timezone.now()
        publication.save(update_fields=["withdrawn_at", "updated_at"])
    return publication


# --- Loudspeaker broadcasts ------------------------------------------------------------------


@transaction.atomic
def record_broadcast(
    *, commune: Commune | int, hamlet_ids: Iterable[int], broadcast_at, key: str, title: str
) -> Broadcast:
    """Record (or update) a confirmed loudspeaker broadcast, idempotently by (commune, key).

    The hamlets given are *covered* by the broadcast (the "coverage by radio" figure); nobody counts as
    *reached* by it, since nobody is known to have listened.
    """
    commune_id = _commune_id(commune)
    key = _key(key)
    ids = record_ids(hamlet_ids, "hamlet_ids")
    found = set(Hamlet.objects.filter(commune_id=commune_id, pk__in=ids).values_list("pk", flat=True))
    if found != set(ids):
        raise ValidationError(
            {
                "hamlet_ids": _("These hamlets do not belong to this commune: %(ids)s")
                % {"ids": ", ".join(str(i) for i in sorted(set(ids) - found))}
            }
        )
    broadcast = Broadcast.objects.select_for_update().filter(commune_id=commune_id, key=key).first()
    when = _aware(broadcast_at, "broadcast_at")
    locks.ensure_open(commune_id, when, broadcast.broadcast_at if broadcast else None, field="broadcast_at")
    before = engine.broadcast_state(broadcast)
    if broadcast is None:
        broadcast = Broadcast(commune_id=commune_id, key=key)
    broadcast.title = (title or "").strip()[:300] or key
    broadcast.broadcast_at = when
    broadcast.cancelled_at = None
    broadcast.full_clean(exclude=["hamlets"])
    broadcast.save()
    if set(broadcast.hamlets.values_list("pk", flat=True)) != set(ids):
        broadcast.hamlets.set(ids)
    engine.apply_coverage(before, engine.broadcast_state(broadcast))
    return broadcast


@transaction.atomic
def cancel_broadcast(*, commune: Commune | int, key: str) -> Broadcast | None:
    """A broadcast recorded by mistake (or not confirmed after all) stops counting. Unknown keys are ignored."""
    broadcast = Broadcast.objects.select_for_update().filter(commune_id=_commune_id(commune), key=_key(key)).first()
    if broadcast is not None and broadcast.cancelled_at is None:
        locks.ensure_open(broadcast.commune_id, broadcast.broadcast_at)
        before = engine.broadcast_state(broadcast)
        broadcast.cancelled_at = timezone.now()
        broadcast.save(update_fields=["cancelled_at", "updated_at"])
        engine.apply_coverage(before, None)
    return broadcast
