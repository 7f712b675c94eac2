"""Every write of the commune radio: permission-checked in the commune, validated, audited, in one transaction.

Workflow of a bulletin (as for the column's items):
draft → submitted → approved (commune leadership) → published; a submitted bulletin may be rejected
with a comment and goes back to the editor. Only a draft or rejected bulletin can be edited, and
its audio made; only an approved or published bulletin with audio goes on air.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.models import Page

from lantoa.tenancy.models import Commune, Hamlet
from lantoa.tenancy.services import has_commune_perm, require_commune_perm

from . import scheduling
from .models import (
    Abbreviation,
    Airing,
    AiringTarget,
    AudioJob,
    Bulletin,
    BulletinItem,
    Device,
    LoudspeakerCluster,
    QuietPeriod,
    RadioSettings,
    Slot,
    Zone,
)
from .speech import audio as audio_lib
from .speech.engines import EngineUnavailable, Voice, get_engine
from .speech.normalize import Normalizer
from .workflow import BULLETIN_FLOW

logger = logging.getLogger("lantoa.radio")

DEFAULT_QUIET_HOURS = [("22:00", "05:00", "night"), ("11:30", "13:30", "noon")]
DEFAULT_SLOTS = [("05:30", 30), ("17:00", 30)]
SUMMARY_ATTRIBUTES = ("summary", "search_description", "intro", "lead", "excerpt")


def max_upload_bytes() -> int:
    return int(getattr(settings, "LANTOA_RADIO_MAX_UPLOAD_MB", 50)) * 1024 * 1024


def max_recording_seconds() -> int:
    return int(getattr(settings, "LANTOA_RADIO_MAX_MINUTES", 30)) * 60


@contextlib.contextmanager
def _as(actor):
    """Attribute the audit entries written inside to ``actor``."""
    from auditlog.context import set_actor

    if actor is not None and getattr(actor, "is_authenticated", False):
        with set_actor(actor):
            yield
    else:
        yield


def _commune_id(commune: Commune | int) -> int:
    return commune.pk if isinstance(commune, Commune) else int(commune)


def _same_commune(obj, commune_id: int, field: str | None = None) -> None:
    if obj is not None and obj.commune_id != commune_id:
        message = _("This must belong to the same commune.")
        raise ValidationError({field: message} if field else message)


# --- Set-up -------------------------------------------------------------------------------------------


@transaction.atomic
def ensure_setup(commune: Commune | int) -> RadioSettings:
    """The commune's radio settings; the first time, with the default quiet hours and slots. Idempotent."""
    commune_id = _commune_id(commune)
    radio, created = RadioSettings.objects.get_or_create(commune_id=commune_id)
    if created:
        labels = {"night": _("Night"), "noon": _("Midday rest")}
        for start, end, label in DEFAULT_QUIET_HOURS:
            QuietPeriod.objects.create(
                commune_id=commune_id,
                start=scheduling.parse_hhmm(start),
                end=scheduling.parse_hhmm(end),
                label=labels[label],
            )
        for start, minutes in DEFAULT_SLOTS:
            Slot.objects.create(
                commune_id=commune_id,
                start=scheduling.parse_hhmm(start),
                duration_minutes=minutes,
                weekdays=list(range(7)),
            )
    return radio


def normalizer_for(commune: Commune | int) -> Normalizer:
    extra = dict(Abbreviation.objects.filter(commune_id=_commune_id(commune)).values_list("abbreviation", "expansion"))
    return Normalizer(extra)


# --- Bulletins -------------------------------------------------------------------------------------


def _require_editable(bulletin: Bulletin) -> None:
    if not bulletin.editable:
        raise ValidationError(
            _("A bulletin that is %(status)s cannot be changed; take it back to draft first.")
            % {"status": bulletin.get_status_display().lower()}
        )


STALE_JOB = timedelta(minutes=30)


def _require_no_job(bulletin: Bulletin) -> None:
    """One audio job at a time; a job left running or waiting for 30 minutes (a worker that died) is failed."""
    active = bulletin.jobs.filter(status__in=[AudioJob.Status.QUEUED, AudioJob.Status.RUNNING])
    stale = active.filter(created_at__lt=timezone.now() - STALE_JOB)
    if stale.exists():
        stale.update(
            status=AudioJob.Status.FAILED,
            finished_at=timezone.now(),
            step=_("Failed"),
            error=_("The background worker did not finish this job in 30 minutes; it was stopped."),
        )
    if active.exists():
        raise ValidationError(_("The audio of this bulletin is being made; wait until it is done."))


@transaction.atomic
def create_bulletin(
    actor,
    commune: Commune | int,
    *,
    title: str,
    text: str = "",
    voice_variant: str | None = None,
    speed: int | None = None,
) -> Bulletin:
    commune_id = _commune_id(commune)
    require_commune_perm(actor, "radio.add_bulletin", commune_id)
    radio = ensure_setup(commune_id)
    bulletin = Bulletin(
        commune_id=commune_id,
        title=(title or "").strip(),
        text=(text or "").strip(),
        voice_variant=voice_variant or radio.voice_variant,
        speed=speed or radio.speed,
        created_by=actor,
    )
    with _as(actor):
        bulletin.full_clean()
        bulletin.save()
    return bulletin


def column_items(commune: Commune | int, *, leaves_only: bool = False):
    """Live pages of the commune's own site (the column's items), newest first.

    ``leaves_only`` leaves out pages with children (the column's index and section pages), for lists
    offered to the editor; any live page under the root may still be read.
    """
    commune = commune if isinstance(commune, Commune) else Commune.objects.get(pk=commune)
    if commune.root_page_id is None:
        return Page.objects.none()
    pages = Page.objects.live().descendant_of(commune.root_page).order_by("-first_published_at", "-pk")
    return pages.filter(numchild=0) if leaves_only else pages


def page_summary(page: Page) -> str:
    """The summary a column item offers (its own summary field, else its search description)."""
    specific = page.specific
    for name in SUMMARY_ATTRIBUTES:
        value = getattr(specific, name, "")
        if value and isinstance(value, str):
            return " ".join(strip_tags(value).split())
    return ""


def compose_text(items) -> str:
    parts = []
    for item in items:
        title = item.title.strip().rstrip(".")
        parts.append(f"{title}.\n{item.summary.strip()}".strip())
    return "\n\n".join(parts)


@transaction.atomic
def compose_bulletin(actor, commune: Commune | int, *, pages, title: str = "") -> Bulletin:
    """A bulletin from published column items, in the given order, each read by its summary (editable later)."""
    commune_id = _commune_id(commune)
    require_commune_perm(actor, "radio.add_bulletin", commune_id)
    page_ids = [p.pk if isinstance(p, Page) else int(p) for p in pages]
    if not page_ids:
        raise ValidationError(_("Choose at least one column item."))
    if len(set(page_ids)) != len(page_ids):
        raise ValidationError(_("A column item can appear only once in a bulletin."))
    allowed = {p.pk: p for p in column_items(commune_id).filter(pk__in=page_ids).exclude(depth__lte=0)}
    commune_obj = Commune.objects.get(pk=commune_id)
    allowed.pop(commune_obj.root_page_id, None)
    missing = [pk for pk in page_ids if pk not in allowed]
    if missing:
        raise ValidationError(_("Only published items of this commune's column can be read on the radio."))
    ordered = [allowed[pk] for pk in page_ids]
    if not (title or "").strip():
        title = _("Bulletin of %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")}
    bulletin = create_bulletin(actor, commune_id, title=title)
    items = [
        BulletinItem(
            commune_id=commune_id,
            bulletin=bulletin,
            page=page,
            position=index,
            title=page.title[:255],
            summary=page_summary(page),
        )
        for index, page in enumerate(ordered)
    ]
    with _as(actor):
        BulletinItem.objects.bulk_create(items)
        bulletin.text = compose_text(items)
        bulletin.save(update_fields=["text", "updated_at"])
    return bulletin


@transaction.atomic
def save_bulletin(actor, bulletin: Bulletin, *, commune: Commune | None = None) -> Bulletin:
    """Create or update a bulletin from a form: only a draft or rejected bulletin changes."""
    if bulletin._state.adding:
        if bulletin.commune_id is None and commune is not None:
            bulletin.commune = commune
        require_commune_perm(actor, "radio.add_bulletin", bulletin.commune_id)
        bulletin.created_by = bulletin.created_by or actor
    else:
        stored = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if stored.commune_id != bulletin.commune_id:
            raise PermissionDenied(_("A record cannot be moved to another commune."))
        require_commune_perm(actor, "radio.change_bulletin", bulletin.commune_id)
        _require_editable(stored)
        bulletin.status = stored.status
    with _as(actor):
        bulletin.full_clean()
        bulletin.save()
    return bulletin


@transaction.atomic
def update_item(
    actor, item: BulletinItem, *, summary: str, title: str | None = None, rebuild: bool = True
) -> BulletinItem:
    bulletin = Bulletin.objects.select_for_update().get(pk=item.bulletin_id)
    require_commune_perm(actor, "radio.change_bulletin", bulletin.commune_id)
    _require_editable(bulletin)
    item.summary = " ".join((summary or "").split())
    if title is not None:
        item.title = title.strip()[:255] or item.title
    with _as(actor):
        item.full_clean()
        item.save()
        if rebuild:
            bulletin.text = compose_text(bulletin.items.all())
            bulletin.save(update_fields=["text", "updated_at"])
    return item


@transaction.atomic
def normalize_bulletin(actor, bulletin: Bulletin) -> str:
    """Make the text as read from the text as written, with the commune's abbreviations."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    require_commune_perm(actor, "radio.change_bulletin", bulletin.commune_id)
    _require_editable(bulletin)
    if not bulletin.text.strip():
        raise ValidationError(_("The bulletin has no text to read."))
    bulletin.spoken_text = normalizer_for(bulletin.commune_id).normalize(bulletin.text)
    bulletin.spoken_from = bulletin.text
    with _as(actor):
        bulletin.save(update_fields=["spoken_text", "spoken_from", "updated_at"])
    return bulletin.spoken_text


@transaction.atomic
def set_spoken_text(actor, bulletin: Bulletin, spoken_text: str) -> Bulletin:
    """The editor's corrections to the text as read."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    require_commune_perm(actor, "radio.change_bulletin", bulletin.commune_id)
    _require_editable(bulletin)
    spoken_text = (spoken_text or "").replace("\r\n", "\n").strip()
    if not spoken_text:
        raise ValidationError({"spoken_text": _("The text as read cannot be empty.")})
    bulletin.spoken_text = spoken_text
    bulletin.spoken_from = bulletin.text
    with _as(actor):
        bulletin.save(update_fields=["spoken_text", "spoken_from", "updated_at"])
    return bulletin


def _enqueue(job: AudioJob) -> None:
    from .tasks import make_audio

    def send():
        result = make_audio.enqueue(job.pk)
        AudioJob.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(send)


@transaction.atomic
def request_synthesis(actor, bulletin: Bulletin, *, engine: str | None = None) -> AudioJob:
    """Queue the synthesis of the text as read (made from the text first if the editor has not)."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    require_commune_perm(actor, "radio.change_bulletin", bulletin.commune_id)
    _require_editable(bulletin)
    _require_no_job(bulletin)
    if not bulletin.spoken_text.strip() or bulletin.spoken_from != bulletin.text:
        if bulletin.spoken_text.strip() and bulletin.spoken_from != bulletin.text:
            raise ValidationError(_("The text changed after the text as read was made: make it again and check it."))
        normalize_bulletin(actor, bulletin)
        bulletin.refresh_from_db()
    if engine not in (None, "", "espeak-ng", "piper"):
        raise ValidationError(_("Unknown voice engine."))
    job = AudioJob(
        commune_id=bulletin.commune_id,
        bulletin=bulletin,
        kind=AudioJob.Kind.SYNTHESIS,
        engine=engine or "",
        voice_variant=bulletin.voice_variant,
        speed=bulletin.speed,
        text=bulletin.spoken_text,
        created_by=actor,
        step=_("Waiting for the worker"),
    )
    with _as(actor):
        job.save()
    _enqueue(job)
    return job


@transaction.atomic
def upload_recording(actor, bulletin: Bulletin, upload, *, language: str) -> AudioJob:
    """A reading recorded by a person (in Vietnamese or a language of the commune) as the bulletin's audio.

    The file is checked by its content (FFmpeg must decode it), its size and its length; it is converted
    to the same MP3 format as synthesised bulletins by the task worker.
    """
    from .models import Language

    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    require_commune_perm(actor, "radio.change_bulletin", bulletin.commune_id)
    _require_editable(bulletin)
    _require_no_job(bulletin)
    if language not in Language.values:
        raise ValidationError({"language": _("Choose the language of the recording.")})
    if upload is None or not getattr(upload, "size", 0):
        raise ValidationError({"file": _("Choose a recording to upload.")})
    if upload.size > max_upload_bytes():
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)s MB.")
                % {"mb": getattr(settings, "LANTOA_RADIO_MAX_UPLOAD_MB", 50)}
            }
        )
    try:
        audio_lib.probe(upload, max_seconds=max_recording_seconds())
    except audio_lib.AudioError as exc:
        raise ValidationError({"file": audio_error_message(exc)}) from exc
    name = (getattr(upload, "name", "") or "recording")[-200:]
    job = AudioJob(
        commune_id=bulletin.commune_id,
        bulletin=bulletin,
        kind=AudioJob.Kind.RECORDING,
        language=language,
        source_name=name,
        created_by=actor,
        step=_("Waiting for the worker"),
    )
    upload.seek(0)
    job.source.save(name, upload, save=False)
    with _as(actor):
        job.save()
    _enqueue(job)
    return job


@transaction.atomic
def rerun_job(actor, job: AudioJob) -> AudioJob:
    """Run a failed job again with the same input."""
    bulletin = Bulletin.objects.select_for_update().get(pk=job.bulletin_id)
    require_commune_perm(actor, "radio.change_bulletin", bulletin.commune_id)
    _require_editable(bulletin)
    _require_no_job(bulletin)
    if job.status != AudioJob.Status.FAILED:
        raise ValidationError(_("Only a failed job can be run again."))
    if job.kind == AudioJob.Kind.RECORDING and not job.source:
        raise ValidationError(_("The uploaded recording is no longer there; upload it again."))
    new = AudioJob(
        commune_id=job.commune_id,
        bulletin=bulletin,
        kind=job.kind,
        engine=job.engine,
        voice_variant=job.voice_variant,
        speed=job.speed,
        text=job.text,
        language=job.language,
        source=job.source.name if job.source else "",
        source_name=job.source_name,
        created_by=actor,
        step=_("Waiting for the worker"),
    )
    with _as(actor):
        new.save()
    _enqueue(new)
    return new


# --- Audio jobs, run by the task worker -----------------------------------------------------------------


def engine_error_message(exc: EngineUnavailable) -> str:
    messages = {
        "espeak_missing": _("The voice engine espeak-ng is not installed on the server (Debian package espeak-ng)."),
        "espeak_failed": _("The voice engine espeak-ng stopped with an error: %(detail)s"),
        "espeak_timeout": _("The voice engine espeak-ng took too long; shorten the bulletin or try again."),
        "piper_missing": _("A neural voice is configured but the piper-tts package is not installed."),
        "piper_no_model": _(
            "No Piper voice (a .onnx file with its .onnx.json) was found in the model folder %(detail)s."
        ),
        "piper_model": _("The Piper voice could not be loaded: %(detail)s"),
        "piper_failed": _("The Piper voice stopped with an error: %(detail)s"),
    }
    return messages.get(exc.code, _("The voice engine failed: %(detail)s")) % {"detail": exc.detail or exc.code}


def audio_error_message(exc: audio_lib.AudioError) -> str:
    code = str(exc)
    if code == "silent":
        return _("The audio is silent: there is nothing to broadcast.")
    if code == "too_long":
        return _("The recording is longer than %(minutes)s minutes.") % {"minutes": max_recording_seconds() // 60}
    return _("This file is not audio that the server can read (accepted: MP3, WAV, M4A, OGG, Opus, FLAC, AMR, WebM).")


class _Progress:
    """Writes the job's progress to the database at most every 5 %, between ``low`` and ``high``."""

    def __init__(self, job_id: int, low: int, high: int):
        self.job_id, self.low, self.high, self.last = job_id, low, high, -100

    def __call__(self, fraction: float) -> None:
        value = int(self.low + (self.high - self.low) * max(0.0, min(1.0, fraction)))
        if value - self.last >= 5 or fraction >= 1:
            self.last = value
            AudioJob.objects.filter(pk=self.job_id).update(progress=value)


def _step(job: AudioJob, progress: int, step: str) -> None:
    job.progress, job.step = progress, step
    AudioJob.objects.filter(pk=job.pk).update(progress=progress, step=step)


def run_audio_job(job_id: int) -> dict:
    """Make the audio of one job (called by the task worker). A failure is recorded on the job, in Vietnamese."""
    with override(settings.LANGUAGE_CODE):
        with transaction.atomic():
            job = AudioJob.objects.select_for_update().filter(pk=job_id).first()
            if job is None or job.status != AudioJob.Status.QUEUED:
                return {"job": job_id, "status": job.status if job else "missing"}
            job.status, job.started_at, job.progress = AudioJob.Status.RUNNING, timezone.now(), 1
            job.step = _("Starting")
            job.save(update_fields=["status", "started_at", "progress", "step"])
        try:
            mastered, engine_name = _make_audio(job)
        except EngineUnavailable as exc:
            return _fail(job, engine_error_message(exc))
        except audio_lib.AudioError as exc:
            return _fail(job, audio_error_message(exc))
        except ValidationError as exc:
            return _fail(job, " ".join(exc.messages))
        except Exception as exc:
            logger.exception("radio audio job %s failed", job_id)
            _fail(
                job,
                _(
                    "Unexpected error while making the audio (%(error)s). Run it again; if it fails again, "
                    "tell the administrator."
                )
                % {"error": type(exc).__name__},
            )
            raise
        return _finish(job, mastered, engine_name)


def _make_audio(job: AudioJob):
    if job.kind == AudioJob.Kind.SYNTHESIS:
        if not job.text.strip():
            raise ValidationError(_("The bulletin has no text to read."))
        engine = get_engine(job.engine or None)
        voice = Voice(variant=job.voice_variant or "north", speed=job.speed)
        _step(job, 5, _("Synthesising the voice"))
        samples, rate = engine.synthesize(job.text, voice, progress=_Progress(job.pk, 5, 80))
        engine_name = engine.describe(voice)
    else:
        _step(job, 5, _("Reading the recording"))
        with job.source.open("rb") as handle:
            samples = audio_lib.decode(handle, audio_lib.SAMPLE_RATE, max_seconds=max_recording_seconds())
        rate = audio_lib.SAMPLE_RATE
        engine_name = ""
        _step(job, 60, _("Recording read"))
    _step(job, 85, _("Levelling the loudness and encoding MP3"))
    return audio_lib.master(samples, rate), engine_name


def _fail(job: AudioJob, message: str) -> dict:
    AudioJob.objects.filter(pk=job.pk).update(
        status=AudioJob.Status.FAILED, error=message, finished_at=timezone.now(), step=_("Failed")
    )
    return {"job": job.pk, "status": AudioJob.Status.FAILED, "error": message}


@transaction.atomic
def _finish(job: AudioJob, mastered: audio_lib.Mastered, engine_name: str) -> dict:
    bulletin = Bulletin.objects.select_for_update().get(pk=job.bulletin_id)
    if not bulletin.editable:
        return _fail(job, _("The bulletin left the draft stage while its audio was being made; nothing was changed."))
    old = bulletin.audio.name if bulletin.audio else ""
    bulletin.audio.save(f"{bulletin.pk}.mp3", ContentFile(mastered.mp3), save=False)
    bulletin.audio_size = len(mastered.mp3)
    bulletin.duration_seconds = mastered.duration_seconds
    bulletin.loudness_lufs = mastered.loudness_lufs
    bulletin.audio_engine = engine_name
    if job.kind == AudioJob.Kind.SYNTHESIS:
        bulletin.audio_source, bulletin.audio_language = Bulletin.AudioSource.SYNTHESIS, "vi"
    else:
        bulletin.audio_source, bulletin.audio_language = Bulletin.AudioSource.RECORDING, job.language
    with _as(job.created_by):
        bulletin.save(
            update_fields=[
                "audio",
                "audio_size",
                "duration_seconds",
                "loudness_lufs",
                "audio_engine",
                "audio_source",
                "audio_language",
                "updated_at",
            ]
        )
    AudioJob.objects.filter(pk=job.pk).update(
        status=AudioJob.Status.DONE, progress=100, step=_("Done"), finished_at=timezone.now()
    )
    if old:
        storage = bulletin.audio.storage
        transaction.on_commit(lambda: storage.delete(old))
    return {
        "job": job.pk,
        "status": AudioJob.Status.DONE,
        "duration": mastered.duration_seconds,
        "lufs": mastered.loudness_lufs,
    }


# --- Approval ------------------------------------------------------------------------------------------


def _locked(bulletin: Bulletin) -> Bulletin:
    return Bulletin.objects.select_for_update().get(pk=bulletin.pk)


@transaction.atomic
def submit_bulletin(actor, bulletin: Bulletin) -> Bulletin:
    bulletin = _locked(bulletin)
    BULLETIN_FLOW.check(actor, bulletin, "submit")
    _require_no_job(bulletin)
    if not bulletin.audio:
        raise ValidationError(_("The bulletin has no audio yet: synthesise it or upload a recording first."))
    BULLETIN_FLOW.apply(actor, bulletin, "submit")
    bulletin.submitted_by, bulletin.submitted_at = actor, timezone.now()
    with _as(actor):
        bulletin.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    return bulletin


@transaction.atomic
def approve_bulletin(actor, bulletin: Bulletin) -> Bulletin:
    bulletin = _locked(bulletin)
    BULLETIN_FLOW.apply(actor, bulletin, "approve")
    bulletin.reviewed_by, bulletin.reviewed_at = actor, timezone.now()
    bulletin.rejection_comment = ""
    with _as(actor):
        bulletin.save(update_fields=["status", "reviewed_by", "reviewed_at", "rejection_comment", "updated_at"])
    return bulletin


@transaction.atomic
def reject_bulletin(actor, bulletin: Bulletin, *, comment: str) -> Bulletin:
    bulletin = _locked(bulletin)
    BULLETIN_FLOW.check(actor, bulletin, "reject")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why the bulletin is rejected, so the editor can correct it.")})
    BULLETIN_FLOW.apply(actor, bulletin, "reject")
    bulletin.reviewed_by, bulletin.reviewed_at = actor, timezone.now()
    bulletin.rejection_comment = comment
    with _as(actor):
        bulletin.save(update_fields=["status", "reviewed_by", "reviewed_at", "rejection_comment", "updated_at"])
    return bulletin


@transaction.atomic
def publish_bulletin(actor, bulletin: Bulletin) -> Bulletin:
    """An approved bulletin goes public: a podcast episode of the column."""
    bulletin = _locked(bulletin)
    BULLETIN_FLOW.check(actor, bulletin, "publish")
    if not bulletin.audio:
        raise ValidationError(_("The bulletin has no audio yet: synthesise it or upload a recording first."))
    BULLETIN_FLOW.apply(actor, bulletin, "publish")
    bulletin.published_at = timezone.now()
    with _as(actor):
        bulletin.save(update_fields=["status", "published_at", "updated_at"])
    return bulletin


@transaction.atomic
def reopen_bulletin(actor, bulletin: Bulletin) -> Bulletin:
    """Back to draft: the editor withdraws a submitted bulletin; leadership reopens an approved or published one."""
    bulletin = _locked(bulletin)
    BULLETIN_FLOW.check(actor, bulletin, "reopen")
    upcoming = bulletin.airings.filter(status=Airing.Status.SCHEDULED, starts_at__gte=timezone.now())
    if bulletin.status in {Bulletin.Status.APPROVED, Bulletin.Status.PUBLISHED} and upcoming.exists():
        raise ValidationError(_("This bulletin is scheduled on the loudspeakers: cancel those broadcasts first."))
    BULLETIN_FLOW.apply(actor, bulletin, "reopen")
    bulletin.published_at = None
    with _as(actor):
        bulletin.save(update_fields=["status", "published_at", "updated_at"])
    return bulletin


# --- Loudspeaker controllers ------------------------------------------------------------------------


@transaction.atomic
def issue_device_token(actor, device: Device) -> str:
    """A new secret token for a controller (the old one stops working). Shown once; only its hash is kept."""
    from .selectors import hash_token, new_token

    device = Device.objects.select_for_update().get(pk=device.pk)
    require_commune_perm(actor, "radio.change_device", device.commune_id)
    token = new_token()
    device.token_hash, device.token_hint = hash_token(token), token[-4:]
    with _as(actor):
        device.save(update_fields=["token_hash", "token_hint"])
    return token


@transaction.atomic
def create_device(actor, commune: Commune | int, *, name: str, clusters=()) -> tuple[Device, str]:
    commune_id = _commune_id(commune)
    require_commune_perm(actor, "radio.add_device", commune_id)
    device = Device(commune_id=commune_id, name=(name or "").strip())
    with _as(actor):
        device.full_clean(exclude=["token_hash"])
        device.save()
        for cluster in clusters:
            _same_commune(cluster, commune_id, "clusters")
            cluster.controller = device
            cluster.save(update_fields=["controller"])
    token = issue_device_token(actor, device)
    return device, token


# --- Scheduling ------------------------------------------------------------------------------------------


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
    bulletin = _locked(bulletin)
    commune_id = bulletin.commune_id
    require_commune_perm(actor, "radio.schedule_broadcast", commune_id)
    if not bulletin.on_air_ready:
        raise ValidationError(_("Only an approved bulletin with its audio can be scheduled."))
    _same_commune(zone, commune_id, "zone")
    _same_commune(slot, commune_id, "slot")
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
    with _as(actor):
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
    with _as(actor):
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
    status = AiringTarget.Status.PLAYED if played else AiringTarget.Status.FAILED
    with _as(actor):
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
    from lantoa.reach import services as reach

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


def can(actor, codename: str, commune) -> bool:
    return has_commune_perm(actor, codename, commune)
