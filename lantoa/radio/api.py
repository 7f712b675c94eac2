"""The device API of the commune radio (django-ninja router, mounted under /api/v1/radio/).

An IP loudspeaker controller authenticates with its own secret token (``Authorization: Bearer …``,
or ``?token=…`` for players that cannot set headers), pulls its schedule and the audio of each
broadcast, and calls back when a broadcast has played. Tokens are per controller and per commune,
stored as SHA-256 hashes. A missing or wrong token answers 403.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from . import selectors, services
from .models import Airing


class DeviceToken(HttpBearer):
    """Bearer token of a loudspeaker controller (also accepted as ``?token=``)."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else ""
        token = token or request.GET.get("token", "")
        device = self.authenticate(request, token)
        if device is None:
            raise HttpError(403, _("Unknown or disabled controller token."))
        return device

    def authenticate(self, request, token):
        device = selectors.device_for_token(token)
        if device is not None:
            request.radio_device = device
        return device


router = Router(auth=DeviceToken(), tags=["radio"])


class ClusterOut(Schema):
    id: int
    name: str
    hamlet_id: int
    hamlet: str
    speakers: int


class QuietOut(Schema):
    start: str
    end: str


class DeviceOut(Schema):
    id: int
    name: str
    commune_id: int
    commune: str
    clusters: list[ClusterOut]
    quiet_hours: list[QuietOut]
    server_time: datetime


class AiringOut(Schema):
    id: int
    bulletin_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    duration_seconds: float
    status: str
    audio_url: str
    audio_size: int
    audio_language: str
    clusters: list[int]
    hamlets: list[str]
    confirm_url: str


class ConfirmIn(Schema):
    played: bool = True
    played_at: datetime | None = None
    note: str = ""


class ErrorOut(Schema):
    detail: str


def _clusters(device) -> list[dict]:
    return [
        {"id": c.pk, "name": c.name, "hamlet_id": c.hamlet_id, "hamlet": c.hamlet.name, "speakers": c.speakers}
        for c in device.clusters.select_related("hamlet").filter(active=True)
    ]


def _url(request, name: str, airing_id: int) -> str:
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    path = reverse(f"{namespace}:{name}" if namespace else name, kwargs={"airing_id": airing_id})
    return request.build_absolute_uri(path)


def _airing_out(request, airing: Airing) -> dict:
    targets = getattr(airing, "own_targets", None)
    if targets is None:
        targets = list(airing.targets.filter(cluster__controller=request.auth).select_related("hamlet"))
    return {
        "id": airing.pk,
        "bulletin_id": airing.bulletin_id,
        "title": airing.bulletin.title,
        "starts_at": airing.starts_at,
        "ends_at": airing.ends_at,
        "duration_seconds": airing.duration_seconds,
        "status": airing.status,
        "audio_url": _url(request, "radio_device_audio", airing.pk),
        "audio_size": airing.bulletin.audio_size,
        "audio_language": airing.bulletin.audio_language,
        "clusters": [t.cluster_id for t in targets],
        "hamlets": sorted({t.hamlet.name for t in targets}),
        "confirm_url": _url(request, "radio_device_confirm", airing.pk),
    }


def _own_airing(request, airing_id: int) -> Airing:
    airing = (
        Airing.objects.filter(commune_id=request.auth.commune_id, targets__cluster__controller=request.auth)
        .select_related("bulletin")
        .distinct()
        .filter(pk=airing_id)
        .first()
    )
    if airing is None:
        raise Http404
    return airing


@router.get("/device", response=DeviceOut, summary="The controller, its loudspeaker clusters and the quiet hours")
def device(request):
    dev = request.auth
    selectors.Device.objects.filter(pk=dev.pk).update(last_seen_at=timezone.now())
    return {
        "id": dev.pk,
        "name": dev.name,
        "commune_id": dev.commune_id,
        "commune": dev.commune.name,
        "clusters": _clusters(dev),
        "quiet_hours": [
            {"start": f"{q.start:%H:%M}", "end": f"{q.end:%H:%M}"} for q in selectors.quiet_periods(dev.commune_id)
        ],
        "server_time": timezone.now(),
    }


@router.get(
    "/device/schedule",
    response=list[AiringOut],
    summary="Broadcasts this controller must play, from an hour ago to 7 days ahead",
)
def schedule(request, days: int = 7):
    dev = request.auth
    selectors.Device.objects.filter(pk=dev.pk).update(last_seen_at=timezone.now())
    return [_airing_out(request, a) for a in selectors.device_schedule(dev, days=max(1, min(days, 31)))]


@router.get(
    "/device/airings/{airing_id}/audio",
    url_name="radio_device_audio",
    summary="The MP3 of a broadcast (64 kbps mono, about −16 LUFS)",
    response={200: None, 404: ErrorOut},
)
def audio(request, airing_id: int):
    airing = _own_airing(request, airing_id)
    if not airing.bulletin.audio:
        raise Http404
    response = FileResponse(airing.bulletin.audio.open("rb"), content_type="audio/mpeg")
    response["Content-Length"] = str(airing.bulletin.audio_size or airing.bulletin.audio.size)
    return response


@router.post(
    "/device/airings/{airing_id}/confirm",
    url_name="radio_device_confirm",
    response={200: AiringOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Confirm that a broadcast played (or did not) on this controller's clusters",
)
def confirm(request, airing_id: int, payload: ConfirmIn):
    airing = _own_airing(request, airing_id)
    try:
        airing = services.confirm_airing(
            airing, device=request.auth, played=payload.played, played_at=payload.played_at, note=payload.note
        )
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    airing = get_object_or_404(Airing.objects.select_related("bulletin"), pk=airing.pk)
    return Status(200, _airing_out(request, airing))
