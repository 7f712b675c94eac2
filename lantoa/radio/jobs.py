"""Audio jobs as the task worker runs them: synthesise or convert, master, store, or fail with a reason."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lantoa.tenancy import taskstate
from lantoa.tenancy.jobs import interrupted_message

from .common import acting_as, max_recording_seconds
from .models import (
    AudioJob,
    Bulletin,
)
from .speech import audio as audio_lib
from .speech.engines import EngineUnavailable, Voice, get_engine

logger = logging.getLogger("lantoa.radio")


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
    with acting_as(job.created_by):
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


def recover_interrupted(sender=None, *, retried: set[str], failed: set[str], **kwargs) -> None:
    """After a worker crash (``tenancy.signals.tasks_interrupted``): a job whose task runs again waits again;
    a job whose task was failed, or whose task is gone, fails with a message, so it can be run again at once."""
    with override(settings.LANGUAGE_CODE):
        for job in AudioJob.objects.filter(status=AudioJob.Status.RUNNING):
            if job.task_result_id in retried:
                AudioJob.objects.filter(pk=job.pk).update(
                    status=AudioJob.Status.QUEUED, progress=0, step=_("Retrying after the worker stopped")
                )
                continue
            live = not job.task_result_id or taskstate.is_live(job.task_result_id)
            if job.task_result_id in failed or not live:
                _fail(job, interrupted_message())
