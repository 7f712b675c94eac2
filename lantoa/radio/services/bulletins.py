"""Composing and editing bulletins, and asking for their audio (synthesis or an uploaded reading)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from wagtail.models import Page

from lantoa.tenancy import taskstate
from lantoa.tenancy.jobs import interrupted_message
from lantoa.tenancy.models import Commune
from lantoa.tenancy.services import require_commune_perm

from ..common import SUMMARY_ATTRIBUTES, acting_as, commune_id_of, max_recording_seconds, max_upload_bytes
from ..jobs import audio_error_message
from ..models import (
    AudioJob,
    Bulletin,
    BulletinItem,
    Language,
)
from ..speech import audio as audio_lib
from ..tasks import make_audio
from .setup import ensure_setup, normalizer_for


def _require_editable(bulletin: Bulletin) -> None:
    if not bulletin.editable:
        raise ValidationError(
            _("A bulletin that is %(status)s cannot be changed; take it back to draft first.")
            % {"status": bulletin.get_status_display().lower()}
        )


def require_no_job(bulletin: Bulletin) -> None:
    """One audio job at a time. A job whose task is no longer waiting or running (its worker died and the task
    was failed, or it was lost) is failed here with a message, so a rerun is never refused after a crash."""
    active = bulletin.jobs.filter(status__in=[AudioJob.Status.QUEUED, AudioJob.Status.RUNNING])
    for job in list(active):
        if job.task_result_id and not taskstate.is_live(job.task_result_id):
            AudioJob.objects.filter(pk=job.pk).update(
                status=AudioJob.Status.FAILED,
                finished_at=timezone.now(),
                step=_("Failed"),
                error=interrupted_message(),
            )
    if active.all().exists():  # a fresh query: the loop above may have failed some
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
    commune_id = commune_id_of(commune)
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
    with acting_as(actor):
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
    commune_id = commune_id_of(commune)
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
    with acting_as(actor):
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
    with acting_as(actor):
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
    with acting_as(actor):
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
    with acting_as(actor):
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
    with acting_as(actor):
        bulletin.save(update_fields=["spoken_text", "spoken_from", "updated_at"])
    return bulletin


def _enqueue(job: AudioJob) -> None:
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
    require_no_job(bulletin)
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
    with acting_as(actor):
        job.save()
    _enqueue(job)
    return job


@transaction.atomic
def upload_recording(actor, bulletin: Bulletin, upload, *, language: str) -> AudioJob:
    """A reading recorded by a person (in Vietnamese or a language of the commune) as the bulletin's audio.

    The file is checked by its content (FFmpeg must decode it), its size and its length; it is converted
    to the same MP3 format as synthesised bulletins by the task worker.
    """
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    require_commune_perm(actor, "radio.change_bulletin", bulletin.commune_id)
    _require_editable(bulletin)
    require_no_job(bulletin)
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
    with acting_as(actor):
        job.save()
    _enqueue(job)
    return job


@transaction.atomic
def rerun_job(actor, job: AudioJob) -> AudioJob:
    """Run a failed job again with the same input."""
    bulletin = Bulletin.objects.select_for_update().get(pk=job.bulletin_id)
    require_commune_perm(actor, "radio.change_bulletin", bulletin.commune_id)
    _require_editable(bulletin)
    require_no_job(bulletin)
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
    with acting_as(actor):
        new.save()
    _enqueue(new)
    return new
