"""Reach and indicators: what channels published or broadcast, whom the commune reached, and the figures.

Records written by channels (through ``reach.services``): ``Publication`` (an item of the column or an
outside publication), ``Broadcast`` (a confirmed loudspeaker broadcast, covering hamlets). Records entered
by the commune: ``Contact`` (lượt tiếp cận), ``Briefing`` with its attendance, ``TrainingCourse`` with its
completions, ``ScienceTask`` (registry of state-funded S&T tasks), ``Award``, ``Survey`` by hamlet,
``IndicatorTarget`` (targets entered by hand) and ``ReachSettings``.

Maintained by the KPI engine (``reach.engine``), never edited by hand: ``HamletPopulation``,
``HouseholdPeriod`` and ``HamletPeriod``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.models import Commune, CommuneScoped, Hamlet, Household, Staff
from lantoa.tenancy.validators import validate_site_or_web_link, validate_web_url

from .indicators import TARGET_CODES

# --- Records written by channels -------------------------------------------------------------------


class ScienceTask(CommuneScoped):
    """A state-funded science and technology task (nhiệm vụ KH&CN sử dụng ngân sách nhà nước).

    It counts as publicised when a published item of the column links to it, or when it has an
    outside publication (URL and date). Tasks under state secret are outside the denominator.
    """

    title = models.TextField(_("title"))
    code = models.CharField(_("task code"), max_length=60, blank=True)
    decision = models.CharField(
        _("approving decision"),
        max_length=120,
        blank=True,
        help_text=_("Number and date of the decision that approved the task."),
    )
    host_organisation = models.CharField(_("host organisation"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    state_secret = models.BooleanField(
        _("state secret"),
        default=False,
        help_text=_("Tasks involving state secrets are excluded from the indicator's denominator."),
    )
    outside_url = models.URLField(
        _("outside publication URL"), max_length=500, blank=True, validators=[validate_web_url]
    )
    outside_published_on = models.DateField(_("outside publication date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.outside_published_on]

    class Meta:
        verbose_name = _("S&T task")
        verbose_name_plural = _("S&T tasks")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:80]}".strip()


class Publication(CommuneScoped):
    """An item published by a channel (the column, social media…), recorded by ``services.record_publication``."""

    class Channel(models.TextChoices):
        COLUMN = "column", _("Web column")
        SOCIAL = "social", _("Social media")
        PRESS = "press", _("Press")
        OTHER = "other", _("Other")

    key = models.CharField(_("key"), max_length=120, help_text=_("The channel's own identifier of the item."))
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("URL"), max_length=500, blank=True, validators=[validate_site_or_web_link])
    published_at = models.DateTimeField(_("published at"), db_index=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.COLUMN)
    plan_task = models.ForeignKey(
        "plans.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("plan task")
    )
    science_tasks = models.ManyToManyField(
        ScienceTask, blank=True, related_name="publications", verbose_name=_("S&T tasks")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.published_at, self.withdrawn_at]

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at"]
        constraints = [models.UniqueConstraint(fields=["commune", "key"], name="publication_key_unique")]
        indexes = [models.Index(fields=["commune", "published_at"])]

    def __str__(self) -> str:
        return self.title


class Broadcast(CommuneScoped):
    """A confirmed loudspeaker broadcast. The hamlets its clusters reach are *covered*, never *reached*."""

    key = models.CharField(_("key"), max_length=120)
    title = models.CharField(_("title"), max_length=300)
    broadcast_at = models.DateTimeField(_("broadcast at"), db_index=True)
    hamlets = models.ManyToManyField(Hamlet, blank=True, related_name="+", verbose_name=_("hamlets covered"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.broadcast_at, self.cancelled_at]

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")
        ordering = ["-broadcast_at"]
        constraints = [models.UniqueConstraint(fields=["commune", "key"], name="broadcast_key_unique")]

    def __str__(self) -> str:
        return self.title


# --- Records entered by the commune -------------------------------------------------------------------


class ReachSettings(CommuneScoped):
    """The commune's choices for its indicators (one record per commune; defaults when absent)."""

    briefings_per_year = models.PositiveSmallIntegerField(
        _("briefings per year for “regularly informed”"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("An official counts as regularly informed after attending at least this many briefings a year."),
    )
    column_items_per_month = models.PositiveSmallIntegerField(
        _("column items per month"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("A month with fewer published items is flagged: the column was not kept alive."),
    )

    class Meta:
        verbose_name = _("indicator settings")
        verbose_name_plural = _("indicator settings")
        constraints = [models.UniqueConstraint(fields=["commune"], name="reach_settings_one_per_commune")]
        permissions = [("view_dashboard", _("Can see the indicators and the records behind them"))]

    def __str__(self) -> str:
        return str(_("Indicator settings"))


class IndicatorTarget(CommuneScoped):
    """A target entered by hand for one indicator and year; it overrides the imported plan's target."""

    indicator = models.CharField(_("indicator"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    value = models.DecimalField(_("target value"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["commune", "indicator", "year"], name="indicator_target_unique")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"

    def clean(self) -> None:
        if self.indicator not in TARGET_CODES:
            raise ValidationError(
                {"indicator": _("Unknown indicator; use one of: %(codes)s.") % {"codes": ", ".join(TARGET_CODES)}}
            )


class ContactBatch(CommuneScoped):
    """Contacts entered together: one sign-in sheet, one visit round of a hamlet, one API call."""

    class Source(models.TextChoices):
        SHEET = "sheet", _("Sign-in sheet")
        FORM = "form", _("Quick form")
        API = "api", _("API")
        DEMO = "demo", _("Demo data")

    activity = models.ForeignKey(
        "plans.Activity", on_delete=models.PROTECT, related_name="+", verbose_name=_("activity")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact batch")
        verbose_name_plural = _("contact batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.file_name}".strip()


class Contact(CommuneScoped):
    """One act of reaching people (lượt tiếp cận), under a plan activity.

    A contact is *attributable* to residents when it names a household and its channel reaches people in
    person (a visit, a meeting, an event); only attributable contacts count towards “residents reached”.
    Bulletin boards and online views are recorded but reach nobody identifiable; loudspeaker broadcasts are
    recorded as ``Broadcast`` (coverage of hamlets).
    """

    class Channel(models.TextChoices):
        VISIT = "visit", _("Household visit by the community digital team")
        MEETING = "meeting", _("Hamlet meeting or conference")
        EVENT = "event", _("Event")
        BOARD = "board", _("Bulletin board")
        ONLINE = "online", _("Online (column views)")

    class Per(models.TextChoices):
        HOUSEHOLD = "household", _("per household")
        PERSON = "person", _("per person")

    ATTRIBUTABLE = (Channel.VISIT, Channel.MEETING, Channel.EVENT)

    # Bulk entry (a sign-in sheet, an API batch of 10,000) pays for every index and every database-level
    # foreign-key check: commune, hamlet and batch are set by the service itself from validated records
    # (no database constraint); the (commune, date, household) and (household, date) indexes below serve
    # the lookups by commune and household. Activity and household keep their constraints.
    commune = models.ForeignKey(
        Commune,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("commune"),
        db_index=False,
        db_constraint=False,
    )
    activity = models.ForeignKey(
        "plans.Activity", on_delete=models.PROTECT, related_name="+", verbose_name=_("activity")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    date = models.DateField(_("date"))
    hamlet = models.ForeignKey(
        Hamlet,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hamlet"),
        db_index=False,
        db_constraint=False,
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household"),
        db_index=False,
    )
    per = models.CharField(_("counted"), max_length=10, choices=Per.choices, default=Per.HOUSEHOLD)
    people = models.PositiveIntegerField(_("people"), default=1)
    batch = models.ForeignKey(
        ContactBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("batch"),
        db_constraint=False,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.date]

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["commune", "date", "household"], name="contact_commune_date_hh"),
            models.Index(fields=["household", "date"], name="contact_household_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_channel_display()}"

    @property
    def attributable(self) -> bool:
        return self.household_id is not None and self.channel in self.ATTRIBUTABLE


class Briefing(CommuneScoped):
    """A briefing of officials on Resolution 57 (sinh hoạt chuyên đề, hội nghị quán triệt), with its attendance."""

    activity = models.ForeignKey(
        "plans.Activity", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("activity")
    )
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"), db_index=True)
    attendees = models.ManyToManyField(Staff, blank=True, related_name="+", verbose_name=_("attendance list"))

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.date]

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.title}"


class TrainingCourse(CommuneScoped):
    """A training course; an *in-depth* one (digital communication skills, S&T content) counts for the indicator."""

    activity = models.ForeignKey(
        "plans.Activity", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("activity")
    )
    title = models.CharField(_("title"), max_length=300)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    in_depth = models.BooleanField(
        _("in-depth"),
        default=True,
        help_text=_("In-depth training in digital communication skills and science and technology content."),
    )

    def period_days(self) -> list:
        """The days this record counts on: its own and its completions' (deleting a course deletes them; its
        "in-depth" flag decides whether they count). A locked period refuses changes to them (tenancy.locks)."""
        days = [self.start_date, self.end_date]
        if self.pk is not None:
            days += list(self.completions.values_list("completed_on", flat=True))
        return days

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return self.title


class TrainingCompletion(CommuneScoped):
    """A staff member who completed a training course."""

    course = models.ForeignKey(
        TrainingCourse, on_delete=models.CASCADE, related_name="completions", verbose_name=_("course")
    )
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+", verbose_name=_("staff member"))
    completed_on = models.DateField(_("completed on"))
    certificate = models.CharField(_("certificate number"), max_length=60, blank=True)

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.completed_on]

    class Meta:
        verbose_name = _("training completion")
        verbose_name_plural = _("training completions")
        ordering = ["-completed_on"]
        constraints = [models.UniqueConstraint(fields=["course", "staff"], name="training_completion_once")]

    def __str__(self) -> str:
        return f"{self.staff} — {self.course}"


class Award(CommuneScoped):
    """An award ceremony for S&T, innovation and digital transformation (khen thưởng), with its decision."""

    date = models.DateField(_("date"))
    decision_number = models.CharField(_("decision number"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    recipients = models.TextField(
        _("recipients"), blank=True, help_text=_("Individuals, bodies and models honoured, one per line.")
    )
    activity = models.ForeignKey(
        "plans.Activity", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("activity")
    )

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.date]

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.decision_number} {self.title}"


class Survey(CommuneScoped):
    """A household sample survey, stratified by hamlet."""

    DEFAULT_QUESTION = "Gia đình có nhận được thông tin về Nghị quyết 57 qua hệ thống thông tin cơ sở không?"

    title = models.CharField(_("title"), max_length=300)
    question = models.TextField(_("question asked"), default=DEFAULT_QUESTION)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    activity = models.ForeignKey(
        "plans.Activity", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("activity")
    )

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.end_date]

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-end_date"]

    def __str__(self) -> str:
        return self.title


class SurveyStratum(CommuneScoped):
    """The answers of one hamlet: how many households were asked, how many said yes."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="strata", verbose_name=_("survey"))
    hamlet = models.ForeignKey(Hamlet, on_delete=models.PROTECT, related_name="+", verbose_name=_("hamlet"))
    sampled = models.PositiveIntegerField(_("households asked"), validators=[MinValueValidator(1)])
    yes = models.PositiveIntegerField(_("answered yes"))

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.survey.end_date] if self.survey_id else []

    class Meta:
        verbose_name = _("survey stratum")
        verbose_name_plural = _("survey strata")
        ordering = ["survey", "hamlet__name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "hamlet"], name="survey_stratum_once"),
            models.CheckConstraint(condition=models.Q(yes__lte=models.F("sampled")), name="survey_yes_le_sampled"),
        ]

    def __str__(self) -> str:
        return f"{self.hamlet}: {self.yes}/{self.sampled}"


class RosterImport(CommuneScoped):
    """One import of the household roster, with what it changed (household codes only)."""

    file_name = models.CharField(_("file name"), max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    summary = models.JSONField(_("summary"), default=dict)
    changes = models.JSONField(_("changes"), default=list)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


# --- Aggregates maintained by the KPI engine (reach.engine) --------------------------------------------
#
# Derived data: no database-level foreign keys (db_constraint=False), so rebuilding millions of rows
# (recompute_indicators) and applying a batch does not pay a referential check per row. Deleting a
# commune, hamlet or household still deletes its rows (on_delete=CASCADE, done by Django).


def _derived_fk(model, **kwargs):
    return models.ForeignKey(model, on_delete=models.CASCADE, related_name="+", db_constraint=False, **kwargs)


class HamletPopulation(CommuneScoped):
    """Households and residents of a hamlet, summed from the roster."""

    commune = _derived_fk(Commune, db_index=False)
    hamlet = models.OneToOneField(Hamlet, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    households = models.IntegerField(default=0)
    residents = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("hamlet population")
        verbose_name_plural = _("hamlet populations")
        indexes = [models.Index(fields=["commune", "hamlet"], name="hamletpop_commune_hamlet")]


class HouseholdPeriod(CommuneScoped):
    """A household reached in one period: the row exists exactly while it has an attributable contact there."""

    commune = _derived_fk(Commune, db_index=False)
    hamlet = _derived_fk(Hamlet, db_index=False)
    household = _derived_fk(Household, db_index=False)
    period = models.CharField(max_length=8)

    class Meta:
        verbose_name = _("household reached in a period")
        verbose_name_plural = _("households reached in periods")
        constraints = [models.UniqueConstraint(fields=["household", "period"], name="household_period_unique")]
        indexes = [
            models.Index(fields=["commune", "period", "hamlet"], name="hhperiod_commune_period"),
            models.Index(fields=["hamlet", "period"], name="hhperiod_hamlet_period"),
        ]


class HamletPeriod(CommuneScoped):
    """Households and residents of a hamlet reached in one period, and their attributable contacts."""

    commune = _derived_fk(Commune, db_index=False)
    hamlet = _derived_fk(Hamlet, db_index=False)
    period = models.CharField(max_length=8)
    households_reached = models.IntegerField(default=0)
    residents_reached = models.IntegerField(default=0)
    contacts = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("hamlet reach in a period")
        verbose_name_plural = _("hamlet reach in periods")
        constraints = [models.UniqueConstraint(fields=["hamlet", "period"], name="hamlet_period_unique")]
        indexes = [models.Index(fields=["commune", "period"], name="hamletperiod_commune_period")]


class ChannelPeriod(CommuneScoped):
    """Contacts of a commune in one period by channel: how many, how many attributable, how many people."""

    commune = _derived_fk(Commune, db_index=False)
    period = models.CharField(max_length=8)
    channel = models.CharField(max_length=10)
    contacts = models.IntegerField(default=0)
    attributable = models.IntegerField(default=0)
    people = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("contacts of a channel in a period")
        verbose_name_plural = _("contacts by channel and period")
        constraints = [models.UniqueConstraint(fields=["commune", "period", "channel"], name="channel_period_unique")]


class CoveragePeriod(CommuneScoped):
    """Confirmed loudspeaker broadcasts that covered a hamlet in one period (coverage, never reach)."""

    commune = _derived_fk(Commune, db_index=False)
    hamlet = _derived_fk(Hamlet, db_index=False)
    period = models.CharField(max_length=8)
    broadcasts = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("hamlet coverage in a period")
        verbose_name_plural = _("hamlet coverage in periods")
        constraints = [models.UniqueConstraint(fields=["hamlet", "period"], name="coverage_period_unique")]
        indexes = [models.Index(fields=["commune", "period"], name="coverage_commune_period")]
