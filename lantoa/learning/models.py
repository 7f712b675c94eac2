"""Courses for staff (lessons, a quiz, completions and certificates), outside certificates, and knowledge contests
for residents. One question engine (``engine.py``) serves the quiz and the contest: a ``Question`` belongs to the
bank of one course or of one contest; its answer key lives only here and in the server's scoring.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.files import dated_folder, private_storage, unguessable_name
from lantoa.tenancy.models import CommuneScoped, Household, Staff


class LearningSettings(CommuneScoped):
    """The commune's rule for "trained in depth": courses say whether they count; this says whether approved
    outside certificates (Bình dân học vụ số, a provincial course) count too."""

    external_counts = models.BooleanField(
        _("approved outside certificates count as in-depth training"),
        default=True,
        help_text=_("When on, an outside certificate approved by the focal point counts for the indicator."),
    )

    class Meta:
        verbose_name = _("learning settings")
        verbose_name_plural = _("learning settings")
        constraints = [models.UniqueConstraint(fields=["commune"], name="learning_settings_one_per_commune")]

    def __str__(self) -> str:
        return str(_("Learning settings"))


class Course(CommuneScoped):
    """A course for staff: lessons in order, then a quiz drawn from its question bank."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    in_depth = models.BooleanField(
        _("counts as in-depth training"),
        default=True,
        help_text=_("Completing this course counts a staff member as trained in depth (the commune's rule)."),
    )
    published = models.BooleanField(_("open to staff"), default=False)
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions per attempt"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), default=20, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    training_course = models.OneToOneField(
        "reach.TrainingCourse", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Lesson(CommuneScoped):
    """One lesson of a course: a video or a PDF of the column's media, a Wagtail document (slides), or text."""

    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        DOCUMENT = "document", _("Document")
        SLIDES = "slides", _("Slides")
        TEXT = "text", _("Text")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("course"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    media = models.ForeignKey(
        "column.MediaFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("media file of the column"),
        help_text=_("A video or PDF already uploaded to the column (nothing is copied)."),
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
        help_text=_("Slides or a document of the commune's collection."),
    )
    body = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["course", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.course} — {self.title}"

    def clean(self) -> None:
        if self.kind == self.Kind.VIDEO and not (self.media_id and self.media.kind == "video"):
            raise ValidationError({"media": _("A video lesson needs a video of the column's media.")})
        if self.kind in (self.Kind.DOCUMENT, self.Kind.SLIDES) and not (self.media_id or self.document_id):
            raise ValidationError({"document": _("Choose the document or the column's PDF this lesson shows.")})
        if self.kind == self.Kind.TEXT and not self.body.strip():
            raise ValidationError({"body": _("Write the lesson's text.")})


class LessonDone(CommuneScoped):
    """A staff member marked a lesson as done."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="done", verbose_name=_("lesson"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson done")
        verbose_name_plural = _("lessons done")
        constraints = [models.UniqueConstraint(fields=["lesson", "user"], name="learning_lesson_done_once")]


CHOICE_LINE = re.compile(r"^\s*(\*)?\s*(.+?)\s*$")


def parse_choices(text: str) -> list[dict]:
    """One answer per line; a line starting with ``*`` is a correct answer. Ids are the lines' positions."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        star, body = CHOICE_LINE.match(line).groups()
        out.append({"id": len(out) + 1, "text": body, "correct": bool(star)})
    return out


class Question(CommuneScoped):
    """A question of the bank of one course or one contest. ``choices`` holds the answer key: never rendered
    to a person answering (the engine hands pages only ids and texts)."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("One correct answer")
        MULTIPLE = "multiple", _("Several correct answers")

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, null=True, blank=True, related_name="questions", verbose_name=_("course")
    )
    contest = models.ForeignKey(
        "Contest", on_delete=models.CASCADE, null=True, blank=True, related_name="questions", verbose_name=_("contest")
    )
    text = models.TextField(_("question"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    choices_text = models.TextField(
        _("answers"),
        help_text=_("One answer per line; start the correct answer(s) with * (for example: * Hà Nội)."),
    )
    choices = models.JSONField(default=list, editable=False)
    source_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source item of the column"),
        help_text=_("For a contest: the published column item this question is drawn from."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=True, contest__isnull=False)
                | models.Q(course__isnull=False, contest__isnull=True),
                name="learning_question_one_bank",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        if bool(self.course_id) == bool(self.contest_id):
            raise ValidationError(_("A question belongs to one course or one contest."))
        choices = parse_choices(self.choices_text)
        correct = sum(c["correct"] for c in choices)
        if len(choices) < 2:
            raise ValidationError({"choices_text": _("Give at least two answers, one per line.")})
        if correct == 0:
            raise ValidationError({"choices_text": _("Mark the correct answer with * at the start of its line.")})
        if self.kind == self.Kind.SINGLE and correct != 1:
            raise ValidationError({"choices_text": _("A question with one correct answer needs exactly one *.")})
        if self.contest_id:
            if not self.source_page_id:
                raise ValidationError({"source_page": _("A contest question names the column item it comes from.")})
            page = self.source_page
            if not page.live or not page.path.startswith(self.commune.root_page.path):
                raise ValidationError({"source_page": _("Choose a published item of this commune's column.")})
        self.choices = choices

    def save(self, *args, **kwargs):
        self.choices = parse_choices(self.choices_text)
        super().save(*args, **kwargs)


class QuizAttempt(CommuneScoped):
    """One attempt at a course's quiz: the questions and answer order drawn for it, its deadline, its score."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("course"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    expired = models.BooleanField(_("time ran out"), default=False)
    layout = models.JSONField(default=list)
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(_("correct answers"), null=True, blank=True)
    total = models.PositiveSmallIntegerField(_("questions"), default=0)
    passed = models.BooleanField(_("passed"), default=False)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["course", "user", "number"]
        constraints = [models.UniqueConstraint(fields=["course", "user", "number"], name="learning_attempt_number")]

    @property
    def percent(self) -> int:
        return round(100 * (self.score or 0) / self.total) if self.total else 0


class CourseCompletion(CommuneScoped):
    """A staff member finished a course: every lesson done and the quiz passed; the certificate issued."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions", verbose_name=_("course"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("staff member")
    )
    completed_on = models.DateField(_("completed on"))
    certificate = models.ForeignKey(
        "tenancy.Certificate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    training_completion = models.ForeignKey(
        "reach.TrainingCompletion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        ordering = ["-completed_on"]
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="learning_completion_once")]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on:%d/%m/%Y})"

    def period_days(self) -> list:
        return [self.completed_on]


def external_certificate_path(instance, filename: str) -> str:
    """Private (served only by learning:external_file after the scope and role checks)."""
    return unguessable_name(dated_folder(f"learning/{instance.commune_id}"), filename)


class ExternalCertificate(CommuneScoped):
    """A certificate a staff member earned elsewhere, uploaded for the focal point to approve or refuse."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member"))
    title = models.CharField(_("course"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=200)
    code = models.CharField(_("certificate number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    file = models.FileField(_("file"), storage=private_storage, upload_to=external_certificate_path, max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.TextField(_("reason for refusal"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    training_completion = models.ForeignKey(
        "reach.TrainingCompletion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("outside certificate")
        verbose_name_plural = _("outside certificates")
        ordering = ["-submitted_at"]
        permissions = [("approve_externalcertificate", "Can approve or refuse outside certificates")]

    def __str__(self) -> str:
        return f"{self.title} — {self.code}"


class Contest(CommuneScoped):
    """A knowledge contest for residents ("Cuộc thi tìm hiểu Nghị quyết 57"), open between two moments."""

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    questions_per_entry = models.PositiveSmallIntegerField(
        _("questions per entry"),
        default=0,
        help_text=_("0: every question of the contest, in a random order for each entrant."),
    )
    activity = models.ForeignKey(
        "plans.Activity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan activity"),
        help_text=_("Entries count as households reached under this activity (one per household)."),
    )
    prizes = models.TextField(_("prizes"), blank=True, help_text=_("One prize per line, first prize first."))
    published = models.BooleanField(_("shown to the public"), default=False)
    results_published_at = models.DateTimeField(_("winners published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The contest must close after it opens.")})

    def prize_list(self) -> list[str]:
        return [line.strip() for line in self.prizes.splitlines() if line.strip()]


class ContestEntry(CommuneScoped):
    """One entrant's answers. The person is known by a keyed hash of their phone or ID number (one entry per
    person); name and contact are optional, never public, and read only through a logged service."""

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper")

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="entries", verbose_name=_("contest"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    identity_hash = models.CharField(max_length=64, editable=False)
    name = models.CharField(_("full name"), max_length=120, blank=True)
    contact = models.CharField(_("phone or address"), max_length=200, blank=True)
    name_public = models.BooleanField(_("agrees to have the full name published"), default=False)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("household")
    )
    layout = models.JSONField(default=list)
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(_("correct answers"), default=0)
    total = models.PositiveSmallIntegerField(_("questions"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    reach_contact = models.ForeignKey(
        "reach.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("contest entry")
        verbose_name_plural = _("contest entries")
        ordering = ["-score", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "identity_hash"], name="learning_one_entry_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.contest} #{self.pk}"

    def period_days(self) -> list:
        return [self.submitted_at.date()] if self.submitted_at else []
