"""The yearly awards for communicating Resolution 57 well (khen thưởng): a round with its criteria and council,
nominations with the evidence the system held on a date, the council's independent scores, and the decision.

A round moves draft → open for nominations → scoring → decided (``workflow.ROUND_FLOW``). A decision, once
issued, never changes: a correction is a new decision that names the one it corrects.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.files import private_storage, unguessable_name
from lantoa.tenancy.models import CommuneScoped, DomainEvent, Hamlet, Staff, Unit

MAX_SCORE = 10  # each criterion is scored 0–10 by each member
FIRST_YEAR = 2027  # the plan's target: yearly awards from 2027


class AwardRound(CommuneScoped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for nominations")
        SCORING = "scoring", _("Council scoring")
        DECIDED = "decided", _("Decided")

    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    nominations_open = models.DateField(_("nominations open on"))
    nominations_close = models.DateField(_("nominations close on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    council = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("council members")
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair of the council"),
    )
    scoring_closed_at = models.DateTimeField(_("scoring closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("awards round")
        verbose_name_plural = _("awards rounds")
        ordering = ["-year", "-pk"]
        permissions = [
            ("manage_round", _("Can set up and run an awards round")),
            ("nominate", _("Can nominate for an award")),
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(CommuneScoped):
    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("round"))
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class Nomination(CommuneScoped):
    class Kind(models.TextChoices):
        UNIT = "unit", _("Body (unit)")
        HAMLET = "hamlet", _("Model (hamlet or community team)")
        STAFF = "staff", _("Individual")

    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("round"))
    kind = models.CharField(_("nominee"), max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    hamlet = models.ForeignKey(
        Hamlet, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("hamlet")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("staff member")
    )
    nominee_name = models.CharField(_("nominee"), max_length=200)
    nominated_by = models.CharField(_("nominated by"), max_length=200)
    nominating_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("nominating unit")
    )
    by_front = models.BooleanField(_("nominated by the Fatherland Front"), default=False)
    reason = models.TextField(_("achievements and reasons"))
    evidence = models.JSONField(_("evidence held by the system"), default=dict, blank=True, editable=False)
    evidence_as_of = models.DateField(_("evidence as of"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("nominated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.nominee_name


def attachment_path(instance, filename: str) -> str:
    return unguessable_name(f"awards/{instance.commune_id}", filename)


class Attachment(CommuneScoped):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Score(CommuneScoped):
    class Confidence(models.IntegerChoices):
        LOW = 1, _("low")
        MEDIUM = 2, _("medium")
        HIGH = 3, _("high")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(MAX_SCORE)])
    confidence = models.PositiveSmallIntegerField(_("confidence"), choices=Confidence.choices, null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "criterion", "member"], name="award_score_once"),
        ]


class Sheet(CommuneScoped):
    """A council member's scores for a round, submitted once: from then on they see the others' submitted scores."""

    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="sheets")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="award_sheet_once")]


def decision_path(instance, filename: str) -> str:
    return unguessable_name(f"awards/{instance.commune_id}/decisions", filename)


class Decision(CommuneScoped):
    """The decision on the awards (Quyết định khen thưởng), issued once; its files never change."""

    round = models.ForeignKey(AwardRound, on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField(_("decision number"), max_length=60)
    date = models.DateField(_("date of the decision"))
    signer_name = models.CharField(_("signed by"), max_length=120)
    signer_title = models.CharField(_("signer's title"), max_length=120)
    awardees = models.ManyToManyField(Nomination, related_name="decisions", verbose_name=_("awardees"))
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("corrects")
    )
    award = models.ForeignKey(
        "reach.Award", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("award")
    )
    docx = models.FileField(storage=private_storage, upload_to=decision_path, max_length=300, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf = models.FileField(storage=private_storage, upload_to=decision_path, max_length=300, blank=True)
    pdf_error = models.CharField(max_length=300, blank=True)
    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    issued_at = models.DateTimeField(_("issued at"))

    def period_days(self) -> list:
        return [self.date]

    class Meta:
        verbose_name = _("awards decision")
        verbose_name_plural = _("awards decisions")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.number


class RoundEvent(DomainEvent):
    subject_field = "round"
    action_labels = {
        "create": _("created"),
        "edit": _("changed"),
        "submit": _("score sheet submitted"),
        "open": _("opened for nominations"),
        "score": _("nominations closed, council scoring"),
        "close": _("scoring closed by the chair"),
        "decide": _("decision issued"),
        "correct": _("correcting decision issued"),
    }

    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="events")

    class Meta:
        verbose_name = _("awards round event")
        verbose_name_plural = _("awards round events")
        ordering = ["at", "pk"]
