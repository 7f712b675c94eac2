"""Reads of the commune radio shared by views, the device API, the column's podcast feed and the reports."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from lantoa.tenancy.models import Commune
from lantoa.tenancy.selectors import scoped

from .models import (
    Abbreviation,
    Airing,
    AiringTarget,
    AudioJob,
    Bulletin,
    Device,
    LoudspeakerCluster,
    QuietPeriod,
    Slot,
    Zone,
)

TOKEN_BYTES = 32


# --- Scoped reads for the back office -------------------------------------------------------------------


def bulletins(user) -> QuerySet[Bulletin]:
    return scoped(Bulletin.objects.select_related("commune"), user)


def airings(user) -> QuerySet[Airing]:
    return scoped(Airing.objects.select_related("bulletin", "zone", "slot"), user)


def jobs(user) -> QuerySet[AudioJob]:
    return scoped(AudioJob.objects.select_related("bulletin"), user)


def devices(user) -> QuerySet[Device]:
    return scoped(Device.objects.all(), user)


def clusters(user) -> QuerySet[LoudspeakerCluster]:
    return scoped(LoudspeakerCluster.objects.select_related("hamlet", "controller"), user)


def zones(user) -> QuerySet[Zone]:
    return scoped(Zone.objects.all(), user)


def slots(user) -> QuerySet[Slot]:
    return scoped(Slot.objects.select_related("zone"), user)


def abbreviations(commune: Commune | int) -> dict[str, str]:
    commune_id = commune.pk if isinstance(commune, Commune) else commune
    return dict(Abbreviation.objects.filter(commune_id=commune_id).values_list("abbreviation", "expansion"))


def latest_job(bulletin: Bulletin) -> AudioJob | None:
    return bulletin.jobs.order_by("-created_at", "-pk").first()


def quiet_periods(commune: Commune | int) -> list[QuietPeriod]:
    commune_id = commune.pk if isinstance(commune, Commune) else commune
    return list(QuietPeriod.objects.filter(commune_id=commune_id))


def program_week(commune: Commune | int, start: date) -> dict:
    """The weekly grid from ``start``: for each active slot and each of 7 days, the broadcasts in it."""
    commune_id = commune.pk if isinstance(commune, Commune) else commune
    days = [start + timedelta(days=i) for i in range(7)]
    slot_list = list(Slot.objects.filter(commune_id=commune_id, active=True).select_related("zone"))
    begin = timezone.make_aware(datetime.combine(days[0], datetime.min.time()))
    end = begin + timedelta(days=7)
    week = list(
        Airing.objects.filter(commune_id=commune_id, starts_at__gte=begin, starts_at__lt=end)
        .exclude(status=Airing.Status.CANCELLED)
        .select_related("bulletin", "zone", "slot")
        .order_by("starts_at")
    )
    rows = []
    for slot in slot_list:
        cells = []
        for day in days:
            on = day.weekday() in (slot.weekdays or [])
            cells.append(
                {
                    "day": day,
                    "on": on,
                    "airings": [a for a in week if a.slot_id == slot.pk and timezone.localdate(a.starts_at) == day],
                }
            )
        rows.append({"slot": slot, "cells": cells})
    others = [a for a in week if a.slot_id is None or a.slot_id not in {s.pk for s in slot_list}]
    return {"days": days, "rows": rows, "others": others}


# --- Devices ------------------------------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """Tokens are long random secrets, so one SHA-256 is enough (no password stretching needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def device_for_token(token: str | None) -> Device | None:
    if not token or len(token) > 200:
        return None
    device = (
        Device.objects.select_related("commune")
        .filter(token_hash=hash_token(token), active=True)
        # A token whose issuer was deactivated (even in bulk, which sends no signal) no longer opens anything.
        .exclude(token_issued_by__is_active=False)
        .first()
    )
    if device is not None and secrets.compare_digest(device.token_hash, hash_token(token)):
        return device
    return None


def device_schedule(device: Device, *, now: datetime | None = None, days: int = 7) -> list[Airing]:
    """What a controller must play: broadcasts on its clusters from an hour ago to ``days`` ahead."""
    now = now or timezone.now()
    own = AiringTarget.objects.filter(cluster__controller=device).select_related("cluster", "hamlet")
    return list(
        Airing.objects.filter(
            commune_id=device.commune_id,
            targets__cluster__controller=device,
            starts_at__gte=now - timedelta(hours=1),
            starts_at__lte=now + timedelta(days=days),
        )
        .exclude(status=Airing.Status.CANCELLED)
        .distinct()
        .select_related("bulletin")
        .prefetch_related(Prefetch("targets", queryset=own, to_attr="own_targets"))
        .order_by("starts_at")
    )


# --- The column's podcast --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Episode:
    """A published bulletin as a podcast episode of the column."""

    id: int
    guid: str
    title: str
    summary: str
    audio_url: str  # relative to the site (MEDIA_URL…); make it absolute with request.build_absolute_uri
    audio_size: int  # bytes
    duration_seconds: float
    published_at: datetime
    mime_type: str = "audio/mpeg"
    language: str = "vi"


def published_bulletins(commune: Commune | int, *, limit: int | None = 100) -> list[Episode]:
    """Published bulletins of a commune with their audio, newest first: episodes of the column's podcast."""
    commune_id = commune.pk if isinstance(commune, Commune) else commune
    qs = (
        Bulletin.objects.filter(commune_id=commune_id, status=Bulletin.Status.PUBLISHED, published_at__isnull=False)
        .exclude(audio="")
        .order_by("-published_at", "-pk")
    )
    if limit:
        qs = qs[:limit]
    return [
        Episode(
            id=b.pk,
            guid=f"lantoa-radio-{b.commune_id}-{b.pk}",
            title=b.title,
            summary=b.summary,
            audio_url=b.audio.url,
            audio_size=b.audio_size,
            duration_seconds=b.duration_seconds,
            published_at=b.published_at,
            language=b.audio_language or "vi",
        )
        for b in qs
    ]
