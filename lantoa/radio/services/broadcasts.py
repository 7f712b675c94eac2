"""Broadcasts: scheduling on the loudspeakers outside quiet hours, cancelling, confirming, coverage in reach."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.reach import services as reach
from lantoa.tenancy import locks
from lantoa.tenancy.models import Hamlet
from lantoa.tenancy.services import require_commune_perm

from .. import scheduling
from ..common import acting_as, locked_bulletin, require_same_commune
from ..models import (
    Airing,
    AiringTarget,
    Bulletin,
    Device,
    LoudspeakerCluster,
    QuietPeriod,
    Slot,
    Zone,
)
from .setup import ensure_setup


def zone_hamlets(commune_id: int, zone: Zone | None):
    if zone is None:
        return Hamlet.objects.filter(commune_id=commune_id)
    return zone.hamlets.all()


def _busy(clusters, start: datetime, end: datetime, exclude_pk=None):
    qs = Airing.objects.filter(
        targets__cluster__in=clusters,
        status__in=[Airing.Status.SCHEDULED, Airing.Status.PLAYED, Airing.Status.PARTIAL],
        starts_at__lt=end,
    ).distinct()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return [a for a in qs if a.ends_at > start]


def _duration_label(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


@transaction.atomic
def schedule_airing(
    actor,
    bulletin: Bulletin,
    *,
    zone: Zone | None = None,
    slot: Slot | None = None,
    day: date | None = None,
    starts_at: datetime | None = None,
    note: str = "",
) -> Airing:
    """Put an approved bulletin on the loudspeaker clusters of a zone, in a slot of the grid or at a time.

    In a slot, bulletins play one after another (with the commune's pause between them) and must fit
    in the slot; at any time, the broadcast must not overlap another one on the same clusters. Either
    way, start + duration must not enter quiet hours.
    """
    bulletin = locked_bulletin(bulletin)
    commune_id = bulletin.commune_id
    require_commune_perm(actor, "radio.schedule_broadcast", commune_id)
    if not bulletin.on_air_ready:
        raise ValidationError(_("Only an approved bulletin with its audio can be scheduled."))
    require_same_commune(zone, commune_id, "zone")
    require_same_commune(slot, commune_id, "slot")
    radio = ensure_setup(commune_id)
    if zone is None and slot is not None:
        zone = slot.zone
    clusters = list(
        LoudspeakerCluster.objects.filter(commune_id=commune_id, active=True, hamlet__in=zone_hamlets(commune_id, zone))
    )
    if not clusters:
        raise ValidationError(_("No loudspeaker cluster is in service in this zone."))
    duration = bulletin.duration_seconds
    if slot is not None:
        if day is None:
            raise ValidationError({"day": _("Choose the day of the broadcast.")})
        if not slot.active or day.weekday() not in (slot.weekdays or []):
            raise ValidationError(
                _("The slot %(slot)s is not on the program on %(day)s.")
                % {"slot": slot, "day": day.strftime("%d/%m/%Y")}
            )
        window_start = slot.occurrence(day)
        window_end = window_start + timedelta(minutes=slot.duration_minutes)
        start = window_start
        for other in sorted(_busy(clusters, window_start, window_end), key=lambda a: a.ends_at):
            start = max(start, other.ends_at + timedelta(seconds=radio.gap_seconds))
        if start.microsecond:
            start = start.replace(microsecond=0) + timedelta(seconds=1)
        if start + timedelta(seconds=duration) > window_end:
            free = max(0.0, (window_end - start).total_seconds())
            raise ValidationError(
                _("The slot %(slot)s on %(day)s is full: %(free)s left, and the bulletin lasts %(duration)s.")
                % {
                    "slot": slot,
                    "day": day.strftime("%d/%m/%Y"),
                    "free": _duration_label(free),
                    "duration": _duration_label(duration),
                }
            )
    elif starts_at is not None:
        start = starts_at if timezone.is_aware(starts_at) else timezone.make_aware(starts_at)
        clash = _busy(clusters, start, start + timedelta(seconds=duration))
        if clash:
            raise ValidationError(
                _("These loudspeakers already play “%(other)s” at %(time)s.")
                % {
                    "other": clash[0].bulletin.title,
                    "time": scheduling.format_span(clash[0].starts_at, clash[0].duration_seconds),
                }
            )
    else:
        raise ValidationError(_("Choose a slot of the program or a time."))
    if start.microsecond:  # whole seconds, as controllers and calendars keep them
        start = start.replace(microsecond=0) + timedelta(seconds=1)
    if start < timezone.now() - timedelta(minutes=1):
        raise ValidationError(_("A broadcast cannot be scheduled in the past."))
    period = scheduling.quiet_conflict(
        QuietPeriod.objects.filter(commune_id=commune_id), start, start + timedelta(seconds=duration)
    )
    if period is not None:
        raise ValidationError(
            _(
                "The broadcast %(span)s (%(duration)s) would enter the quiet hours %(quiet)s. Choose another slot or "
                "shorten the bulletin."
            )
            % {"span": scheduling.format_span(start, duration), "duration": _duration_label(duration), "quiet": period}
        )
    airing = Airing(
        commune_id=commune_id,
        bulletin=bulletin,
        slot=slot,
        zone=zone,
        starts_at=start,
        duration_seconds=duration,
        created_by=actor,
        note=(note or "")[:200],
    )
    with acting_as(actor):
        airing.full_clean()
        airing.save()
        AiringTarget.objects.bulk_create(
            [
                AiringTarget(commune_id=commune_id, airing=airing, cluster=cluster, hamlet_id=cluster.hamlet_id)
                for cluster in clusters
            ]
        )
    return airing


@transaction.atomic
def cancel_airing(actor, airing: Airing) -> Airing:
    airing = Airing.objects.select_for_update().get(pk=airing.pk)
    require_commune_perm(actor, "radio.schedule_broadcast", airing.commune_id)
    if airing.status != Airing.Status.SCHEDULED:
        raise ValidationError(_("Only a broadcast that has not gone out can be cancelled."))
    airing.status = Airing.Status.CANCELLED
    with acting_as(actor):
        airing.save(update_fields=["status"])
        airing.targets.update(status=AiringTarget.Status.CANCELLED)
    return airing


@transaction.atomic
def confirm_airing(
    airing: Airing,
    *,
    actor=None,
    device: Device | None = None,
    played: bool = True,
    played_at: datetime | None = None,
    cluster_ids=None,
    note: str = "",
) -> Airing:
    """Record that a broadcast went out (or not), from a controller's callback or an operator's tick.

    A controller confirms its own clusters; an operator (permission ``radio.confirm_broadcast``) confirms
    every cluster, or those named. The hamlets of the clusters that played are recorded in reach as
    *covered* by the broadcast, under the key ``radio:<airing id>`` (a second confirmation updates it).
    """
    airing = Airing.objects.select_for_update().select_related("bulletin").get(pk=airing.pk)
    targets = airing.targets.select_for_update()
    if device is not None:
        if device.commune_id != airing.commune_id or not device.active:
            raise PermissionDenied(_("This controller does not drive these loudspeakers."))
        targets = targets.filter(cluster__controller=device)
        if not targets.exists():
            raise PermissionDenied(_("This controller does not drive these loudspeakers."))
    else:
        require_commune_perm(actor, "radio.confirm_broadcast", airing.commune_id)
        if cluster_ids:
            targets = targets.filter(cluster_id__in=list(cluster_ids))
    if airing.status == Airing.Status.CANCELLED:
        raise ValidationError(_("This broadcast was cancelled."))
    now = timezone.now()
    played_at = played_at or now
    if timezone.is_naive(played_at):
        played_at = timezone.make_aware(played_at)
    if played_at > now + timedelta(minutes=5):
        raise ValidationError({"played_at": _("A broadcast cannot be confirmed before it happens.")})
    if played and played_at < airing.starts_at - timedelta(minutes=30):
        raise ValidationError({"played_at": _("This is long before the scheduled time of the broadcast.")})
    # Neither the day confirmed nor the day of a confirmation it replaces may lie in a locked period.
    earlier = targets.exclude(confirmed_at=None).values_list("confirmed_at", flat=True)
    locks.ensure_open(airing.commune_id, played_at, *earlier, field="played_at")
    status = AiringTarget.Status.PLAYED if played else AiringTarget.Status.FAILED
    with acting_as(actor):
        targets.update(
            status=status,
            confirmed_at=played_at,
            confirmed_by=actor if device is None else None,
            confirmed_device=device,
            note=(note or "")[:200],
        )
        statuses = set(airing.targets.values_list("status", flat=True))
        if statuses == {AiringTarget.Status.PLAYED}:
            airing.status = Airing.Status.PLAYED
        elif AiringTarget.Status.PLAYED in statuses:
            airing.status = Airing.Status.PARTIAL
        elif statuses == {AiringTarget.Status.FAILED}:
            airing.status = Airing.Status.FAILED
        airing.save(update_fields=["status"])
    if device is not None:
        Device.objects.filter(pk=device.pk).update(last_seen_at=now)
    _record_coverage(airing)
    return airing


def _record_coverage(airing: Airing) -> None:
    """The hamlets of the clusters that played are covered by this broadcast (reach counts it)."""
    played = airing.targets.filter(status=AiringTarget.Status.PLAYED)
    hamlet_ids = sorted(set(played.values_list("hamlet_id", flat=True)))
    key = f"radio:{airing.pk}"
    if hamlet_ids:
        first = played.aggregate(at=Min("confirmed_at"))["at"] or airing.starts_at
        reach.record_broadcast(
            commune=airing.commune_id, hamlet_ids=hamlet_ids, broadcast_at=first, key=key, title=airing.bulletin.title
        )
    elif hasattr(reach, "cancel_broadcast"):
        reach.cancel_broadcast(commune=airing.commune_id, key=key)
