"""The commune radio: bulletins read aloud, loudspeaker clusters, the weekly program, what went out."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.tenancy import files
from lantoa.tenancy.models import CommuneScoped, Hamlet
from lantoa.tenancy.versions import Versioned

from . import scheduling
from .speech.engines import DEFAULT_SPEED, MAX_SPEED, MIN_SPEED

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def private_storage():
    """Recordings as uploaded (before conversion): kept out of MEDIA_ROOT (PRIVATE_MEDIA_ROOT), never served."""
    return files.private_storage()


def audio_path(instance, filename: str) -> str:
    return f"radio/{instance.commune_id}/{uuid.uuid4().hex}.mp3"


def upload_path(instance, filename: str) -> str:
    return f"radio-uploads/{instance.commune_id}/{uuid.uuid4().hex}"


class VoiceVariant(models.TextChoices):
    NORTH = "north", _("Northern voice")
    CENTRAL = "central", _("Central voice")
    SOUTH = "south", _("Southern voice")


class Language(models.TextChoices):
    """Languages of the commune a recording may be read in (ISO 639-3 codes)."""

    VIETNAMESE = "vi", _("Vietnamese")
    TAY = "tyz", _("Tày")
    THAI = "blt", _("Thái")
    HMONG = "hmn", _("H'Mông")
    NUNG = "nut", _("Nùng")
    DAO = "ium", _("Dao")
    MUONG = "mtq", _("Mường")
    KHMER = "khm", _("Khmer")
    CHAM = "cja", _("Chăm")
    EDE = "rad", _("Ê Đê")
    JARAI = "jra", _("Gia Rai")
    BAHNAR = "bdq", _("Ba Na")
    OTHER = "mul", _("Another language")


class RadioSettings(CommuneScoped):
    """The commune's radio defaults (one record per commune, created with its quiet hours and slots)."""

    voice_variant = models.CharField(
        _("default voice"), max_length=10, choices=VoiceVariant.choices, default=VoiceVariant.NORTH
    )
    speed = models.PositiveSmallIntegerField(
        _("default speed (words per minute)"),
        default=DEFAULT_SPEED,
        validators=[MinValueValidator(MIN_SPEED), MaxValueValidator(MAX_SPEED)],
    )
    gap_seconds = models.PositiveSmallIntegerField(
        _("pause between bulletins (seconds)"), default=5, validators=[MaxValueValidator(120)]
    )

    class Meta:
        verbose_name = _("radio settings")
        verbose_name_plural = _("radio settings")
        constraints = [models.UniqueConstraint(fields=["commune"], name="radio_settings_one_per_commune")]

    def __str__(self) -> str:
        return str(_("Radio settings"))


class Abbreviation(CommuneScoped):
    """An abbreviation of the commune's texts and how the voice reads it (adds to the built-in list)."""

    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=40,
        help_text=_("As written, with its capitals and dots, e.g. “HTX NC” or “TTVH.”"),
    )
    expansion = models.CharField(
        _("read as"), max_length=200, help_text=_("The words the voice says, e.g. “Hợp tác xã Nam Cường”.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("abbreviation")
        verbose_name_plural = _("abbreviations")
        ordering = ["abbreviation"]
        constraints = [models.UniqueConstraint(fields=["commune", "abbreviation"], name="abbreviation_unique")]

    def __str__(self) -> str:
        return f"{self.abbreviation} → {self.expansion}"

    def clean(self):
        self.abbreviation = (self.abbreviation or "").strip()
        self.expansion = " ".join((self.expansion or "").split())
        if not any(c.isalpha() for c in self.abbreviation):
            raise ValidationError({"abbreviation": _("Write the abbreviation as it appears in the text.")})
        if not any(c.isalpha() for c in self.expansion):
            raise ValidationError({"expansion": _("Write the words the voice should say.")})


class Bulletin(Versioned, CommuneScoped):
    """A bản tin: a text read aloud (synthesised or recorded), approved before it goes on air."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("bulletin status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("bulletin status", "Submitted for approval")
        APPROVED = "approved", pgettext_lazy("bulletin status", "Approved")
        REJECTED = "rejected", pgettext_lazy("bulletin status", "Rejected")
        PUBLISHED = "published", pgettext_lazy("bulletin status", "Published")

    class AudioSource(models.TextChoices):
        NONE = "", _("No audio yet")
        SYNTHESIS = "synthesis", _("Synthetic voice")
        RECORDING = "recording", _("Recorded reading")

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True, help_text=_("What the bulletin says, as written."))
    spoken_text = models.TextField(
        _("text as read"),
        blank=True,
        help_text=_(
            "The text the voice reads: numbers, dates and abbreviations in words. Correct it before synthesis."
        ),
    )
    spoken_from = models.TextField(editable=False, blank=True)  # the text the spoken text was made from
    voice_variant = models.CharField(
        _("voice"), max_length=10, choices=VoiceVariant.choices, default=VoiceVariant.NORTH
    )
    speed = models.PositiveSmallIntegerField(
        _("speed (words per minute)"),
        default=DEFAULT_SPEED,
        validators=[MinValueValidator(MIN_SPEED), MaxValueValidator(MAX_SPEED)],
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False, db_index=True
    )
    rejection_comment = models.TextField(_("reason for rejection"), blank=True, editable=False)
    for_field = models.BooleanField(
        _("for the community digital teams"),
        default=False,
        help_text=_("A talking point the teams download to their phones and read at the door, offline."),
    )

    audio = models.FileField(_("audio"), upload_to=audio_path, blank=True, editable=False)
    audio_source = models.CharField(
        _("audio source"), max_length=10, choices=AudioSource.choices, blank=True, editable=False
    )
    audio_language = models.CharField(
        _("language of the audio"), max_length=3, choices=Language.choices, default=Language.VIETNAMESE, editable=False
    )
    audio_size = models.PositiveIntegerField(_("audio size (bytes)"), default=0, editable=False)
    duration_seconds = models.FloatField(_("duration (seconds)"), default=0, editable=False)
    loudness_lufs = models.FloatField(_("loudness (LUFS)"), null=True, blank=True, editable=False)
    audio_engine = models.CharField(_("voice engine"), max_length=80, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-created_at"]
        permissions = [
            ("submit_bulletin", _("Can submit a bulletin for approval")),
            ("approve_bulletin", _("Can approve or reject a bulletin")),
            ("publish_bulletin", _("Can publish an approved bulletin")),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.REJECTED}

    @property
    def on_air_ready(self) -> bool:
        return self.status in {self.Status.APPROVED, self.Status.PUBLISHED} and bool(self.audio)

    @property
    def spoken_text_stale(self) -> bool:
        return bool(self.spoken_text) and self.spoken_from != self.text

    @property
    def summary(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 400 else text[:397].rsplit(" ", 1)[0] + "…"

    @property
    def audio_url(self) -> str:
        return self.audio.url if self.audio else ""


class BulletinItem(CommuneScoped):
    """One column item a bulletin is composed from, in order, with the summary it reads (editable)."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="items", verbose_name=_("bulletin"))
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("column item"),
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("bulletin item")
        verbose_name_plural = _("bulletin items")
        ordering = ["bulletin", "position"]

    def __str__(self) -> str:
        return self.title


class AudioJob(CommuneScoped):
    """One run of the task worker that makes a bulletin's audio: synthesis, or conversion of a recording."""

    class Kind(models.TextChoices):
        SYNTHESIS = "synthesis", _("Synthesis")
        RECORDING = "recording", _("Recording conversion")

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("audio job status", "Waiting")
        RUNNING = "running", pgettext_lazy("audio job status", "Running")
        DONE = "done", pgettext_lazy("audio job status", "Done")
        FAILED = "failed", pgettext_lazy("audio job status", "Failed")

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("bulletin"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)
    engine = models.CharField(_("engine"), max_length=20, blank=True)
    voice_variant = models.CharField(_("voice"), max_length=10, choices=VoiceVariant.choices, blank=True)
    speed = models.PositiveSmallIntegerField(_("speed"), default=DEFAULT_SPEED)
    text = models.TextField(_("text read"), blank=True)
    source = models.FileField(_("uploaded recording"), storage=private_storage, upload_to=upload_path, blank=True)
    source_name = models.CharField(_("file name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=3, choices=Language.choices, default=Language.VIETNAMESE)
    task_result_id = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("audio job")
        verbose_name_plural = _("audio jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.bulletin}"

    @property
    def active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}


class Zone(CommuneScoped):
    """A set of hamlets a broadcast targets (e.g. “the upland hamlets”)."""

    name = models.CharField(_("name"), max_length=120)
    hamlets = models.ManyToManyField(Hamlet, related_name="+", verbose_name=_("hamlets"))
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["commune", "name"], name="radio_zone_unique_name")]

    def __str__(self) -> str:
        return self.name


class Device(CommuneScoped):
    """An IP loudspeaker controller that pulls its schedule with a token (stored hashed)."""

    name = models.CharField(_("name"), max_length=120)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    token_hint = models.CharField(_("token ends with"), max_length=8, blank=True, editable=False)
    # Who issued the current token: deactivating that account revokes it (radio.services.revoke_device_tokens).
    token_issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("loudspeaker controller")
        verbose_name_plural = _("loudspeaker controllers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LoudspeakerCluster(CommuneScoped):
    """A cụm loa: the loudspeakers of one place in a hamlet, driven by one controller."""

    name = models.CharField(_("name"), max_length=120)
    hamlet = models.ForeignKey(Hamlet, on_delete=models.PROTECT, related_name="+", verbose_name=_("hamlet"))
    controller = models.ForeignKey(
        Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="clusters", verbose_name=_("controller")
    )
    speakers = models.PositiveSmallIntegerField(_("loudspeakers"), default=2)
    location = models.CharField(_("location"), max_length=200, blank=True)
    active = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("loudspeaker cluster")
        verbose_name_plural = _("loudspeaker clusters")
        ordering = ["hamlet__name", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "name"], name="radio_cluster_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.hamlet})" if self.hamlet_id else self.name


class QuietPeriod(CommuneScoped):
    """Hours when the loudspeakers stay silent (e.g. 22:00–05:00, 11:30–13:30). May cross midnight."""

    label = models.CharField(_("label"), max_length=80, blank=True)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("to"))

    class Meta:
        verbose_name = _("quiet hours")
        verbose_name_plural = _("quiet hours")
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self):
        if self.start is not None and self.start == self.end:
            raise ValidationError({"end": _("Quiet hours must end at another time than they start.")})
        if self.commune_id and self.start is not None and self.end is not None:
            for slot in Slot.objects.filter(commune_id=self.commune_id, active=True):
                if scheduling.slot_conflicts_with(slot, self):
                    raise ValidationError(
                        _("The broadcast slot %(slot)s would enter these quiet hours: change or stop it first.")
                        % {"slot": slot}
                    )


class Slot(CommuneScoped):
    """A broadcast slot of the weekly program grid (e.g. 05:30 and 17:00 every day, 30 minutes)."""

    start = models.TimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    weekdays = models.JSONField(_("days of the week"), default=list)
    zone = models.ForeignKey(
        Zone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zone"),
        help_text=_("Empty: every hamlet of the commune."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("broadcast slot")
        verbose_name_plural = _("broadcast slots")
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.start:%H:%M} ({self.duration_minutes}′)"

    @property
    def weekday_labels(self) -> str:
        names = dict(WEEKDAYS)
        return ", ".join(str(names[d]) for d in sorted(self.weekdays or []))

    def occurrence(self, day) -> datetime:
        return timezone.make_aware(datetime.combine(day, self.start))

    def quiet_conflict(self) -> QuietPeriod | None:
        """The first quiet period of the commune that the slot enters, or None."""
        periods = QuietPeriod.objects.filter(commune_id=self.commune_id)
        start, end = scheduling.slot_window(self, date(2026, 1, 5))
        return scheduling.quiet_conflict(list(periods), start, end)

    def clean(self):
        days = self.weekdays or []
        if not isinstance(days, list) or not days or any(d not in range(7) for d in days):
            raise ValidationError({"weekdays": _("Choose at least one day of the week.")})
        self.weekdays = sorted(set(days))
        if self.commune_id and self.start is not None and self.active:
            period = self.quiet_conflict()
            if period is not None:
                end = (datetime.combine(date(2026, 1, 5), self.start) + timedelta(minutes=self.duration_minutes)).time()
                raise ValidationError(
                    _("The slot %(start)s–%(end)s enters the quiet hours %(quiet)s. Move it or shorten it.")
                    % {"start": f"{self.start:%H:%M}", "end": f"{end:%H:%M}", "quiet": period}
                )


class Airing(CommuneScoped):
    """A broadcast (lượt phát): a bulletin put on air at a time on the clusters of a zone; the log of what went out.

    Called "airing" in code so as not to be confused with reach's record of the coverage it gives.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("broadcast status", "Scheduled")
        PLAYED = "played", pgettext_lazy("broadcast status", "Played")
        PARTIAL = "partial", pgettext_lazy("broadcast status", "Partly played")
        FAILED = "failed", pgettext_lazy("broadcast status", "Not played")
        CANCELLED = "cancelled", pgettext_lazy("broadcast status", "Cancelled")

    bulletin = models.ForeignKey(Bulletin, on_delete=models.PROTECT, related_name="airings", verbose_name=_("bulletin"))
    slot = models.ForeignKey(
        Slot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("slot")
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("zone")
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    duration_seconds = models.FloatField(_("duration (seconds)"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    created_at = models.DateTimeField(_("scheduled at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("radio", "broadcast")
        verbose_name_plural = pgettext_lazy("radio", "broadcasts")
        ordering = ["-starts_at"]
        permissions = [
            ("schedule_broadcast", _("Can schedule bulletins on the loudspeakers")),
            ("confirm_broadcast", _("Can confirm that a broadcast went out")),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.bulletin} · {local:%d/%m/%Y %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(seconds=self.duration_seconds)

    @cached_property
    def zone_label(self) -> str:
        return self.zone.name if self.zone_id else str(_("Whole commune"))


class AiringTarget(CommuneScoped):
    """One loudspeaker cluster of a broadcast, and whether it confirmed playing it."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("broadcast status", "Scheduled")
        PLAYED = "played", pgettext_lazy("broadcast status", "Played")
        FAILED = "failed", pgettext_lazy("broadcast status", "Not played")
        CANCELLED = "cancelled", pgettext_lazy("broadcast status", "Cancelled")

    airing = models.ForeignKey(
        Airing, on_delete=models.CASCADE, related_name="targets", verbose_name=pgettext_lazy("radio", "broadcast")
    )
    cluster = models.ForeignKey(
        LoudspeakerCluster, on_delete=models.PROTECT, related_name="+", verbose_name=_("loudspeaker cluster")
    )
    hamlet = models.ForeignKey(Hamlet, on_delete=models.PROTECT, related_name="+", verbose_name=_("hamlet"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_device = models.ForeignKey(
        Device,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by controller"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("broadcast target")
        verbose_name_plural = _("broadcast targets")
        ordering = ["airing", "hamlet__name", "cluster__name"]
        constraints = [models.UniqueConstraint(fields=["airing", "cluster"], name="radio_target_unique")]

    def __str__(self) -> str:
        return f"{self.airing} · {self.cluster}"
