"""The commune's plan (imported from its official document) and the work done under it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.files import dated_folder, private_storage, unguessable_name
from lantoa.tenancy.models import CommuneScoped, DomainEvent, Unit
from lantoa.tenancy.validators import validate_web_links, web_url
from lantoa.tenancy.versions import Versioned


def plan_source_path(instance, filename: str) -> str:
    """Private (served only by plans_admin:plan_source); a random folder so no name can be guessed."""
    return unguessable_name(f"plans/{instance.commune_id}", filename)


def evidence_path(instance, filename: str) -> str:
    """Private (served only by plans_admin:evidence); a random folder so no name can be guessed."""
    return unguessable_name(dated_folder(f"evidence/{instance.commune_id}"), filename)


class Plan(CommuneScoped):
    """One version of a commune's plan. Re-importing creates a new version; nothing is overwritten."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Awaiting confirmation")
        ACTIVE = "active", _("In force")
        SUPERSEDED = "superseded", _("No longer in force (another version applies)")

    title = models.TextField(_("title"))
    number = models.CharField(_("document number"), max_length=60, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    basis = models.TextField(_("basis"), blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    source_file = models.FileField(
        _("original file"), storage=private_storage, upload_to=plan_source_path, max_length=255, blank=True
    )
    source_name = models.CharField(_("original file name"), max_length=255, blank=True)
    parsed = models.JSONField(_("parsed structure"), default=dict, blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_on_behalf = models.CharField(_("signing on behalf"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["commune", "year", "version"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.title[:80]} (v{self.version})"


class PlanTarget(CommuneScoped):
    """A dated target of the plan ("Ít nhất 10% người dân …" for 2026), mapped to an indicator code."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("text"))
    value = models.DecimalField(_("target value"), max_digits=7, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    indicator_code = models.CharField(
        _("indicator"),
        max_length=40,
        blank=True,
        help_text=_("The indicator that measures this target (see Reach and indicators)."),
    )
    whole_period = models.BooleanField(
        _("for the whole plan"),
        default=False,
        help_text=_("The plan states this target without a year: it holds for its whole duration."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        ordering = ["plan", "year", "order"]

    def __str__(self) -> str:
        return f"{self.year}: {self.text[:80]}"


class SolutionGroup(CommuneScoped):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("code"), max_length=20)
    title = models.TextField(_("title"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("solution group")
        verbose_name_plural = _("solution groups")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.code}. {self.title[:80]}"


class Task(CommuneScoped):
    """A task of the plan (1.1, 2.3, or a plain 4.), with its lead and cooperating units."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        LATE = "late", _("Late")
        DONE = "done", _("Done")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    group = models.ForeignKey(SolutionGroup, on_delete=models.CASCADE, related_name="tasks")
    code = models.CharField(_("code"), max_length=20)
    title = models.TextField(_("title"))
    timing = models.CharField(_("timing"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How much this task counts in its group's and the plan's progress."),
    )
    lead_units = models.ManyToManyField(Unit, related_name="led_tasks", blank=True, verbose_name=_("lead units"))
    cooperating_units = models.ManyToManyField(
        Unit, related_name="cooperating_tasks", blank=True, verbose_name=_("cooperating units")
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    detail_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="details",
        verbose_name=_("details the task"),
        help_text=_("A row of the plan's appendix detailing this narrative task; the task counts through its details."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.code}. {self.title[:80]}"

    @property
    def is_ongoing(self) -> bool:
        return self.deadline is None


class UnitDuty(CommuneScoped):
    """The duties the plan's "Tổ chức thực hiện" section gives one unit."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="duties")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="duties")
    items = models.JSONField(_("duties"), default=list)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("unit duty")
        verbose_name_plural = _("unit duties")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return str(self.unit)


class Channel(models.TextChoices):
    WEB_COLUMN = "web_column", _("Web column")
    SOCIAL = "social", _("Social media")
    RADIO = "radio", _("Commune radio")
    COMMUNITY_TEAM = "community_team", _("Community digital team")
    CONFERENCE = "conference", _("Conference, seminar, meeting")
    SCHOOL = "school", _("School")
    ENTERPRISE = "enterprise", _("Enterprise")
    BOARD = "board", _("Bulletin board")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


# What a user records of an activity, and may later change: the form and update_activity share this list.
ACTIVITY_FIELDS = (
    "unit",
    "title",
    "date",
    "end_date",
    "location",
    "channel",
    "audience",
    "people_count",
    "progress",
    "description",
    "links",
)


class Activity(Versioned, CommuneScoped):
    """What a unit did under a task: what, when, where, through which channel, for whom, how many."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="activities", verbose_name=_("task"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="activities", verbose_name=_("unit"))
    title = models.CharField(_("what was done"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    date = models.DateField(_("date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    people_count = models.PositiveIntegerField(_("number of people"), default=0)
    progress = models.PositiveSmallIntegerField(
        _("task progress after this (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("For a task with a deadline: how far the task is after this activity."),
    )
    links = models.TextField(_("links (one per line)"), blank=True, validators=[validate_web_links])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.date, self.end_date]

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["commune", "date"]), models.Index(fields=["task", "date"])]
        permissions = [("record_any_activity", _("Can record activities for any unit"))]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.title[:80]}"

    @property
    def web_links(self) -> list[str]:
        """The links safe to show as links (web addresses only, whatever was stored before validation)."""
        return [link for line in self.links.splitlines() if (link := web_url(line))]


class Evidence(CommuneScoped):
    """A file that proves an activity: a photo, a signed attendance list, minutes."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), storage=private_storage, upload_to=evidence_path, max_length=255)
    name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.activity.date] if self.activity_id else []

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.name


class Obstacle(CommuneScoped):
    """A difficulty or proposal (khó khăn, vướng mắc, kiến nghị), escalated through PVHCC to the leadership."""

    class Status(models.TextChoices):
        OPEN = "open", _("Raised")
        ESCALATED = "escalated", _("Escalated to the leadership")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="obstacles", verbose_name=_("raised by"))
    task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="obstacles", verbose_name=_("task")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("difficulty"))
    proposal = models.TextField(_("proposal"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    def period_days(self) -> list:
        """The day it was raised (the report lists the obstacles open at its cut-off); a locked period refuses
        changes to it (tenancy.locks). Escalating, answering and closing are dated on the day they happen."""
        return [self.raised_at]

    class Meta:
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")
        ordering = ["-raised_at"]
        permissions = [
            ("escalate_obstacle", _("Can escalate obstacles to the leadership and close them")),
            ("answer_obstacle", _("Can answer obstacles")),
        ]

    def __str__(self) -> str:
        return self.title


class ObstacleEvent(DomainEvent):
    """One step in an obstacle's history: raised, escalated, answered, closed, commented."""

    subject_field = "obstacle"
    action_labels = {
        "raise": _("raised"),
        "escalate": _("escalated to the leadership"),
        "answer": _("answered"),
        "close": _("closed"),
        "reopen": _("reopened"),
        "comment": _("commented"),
    }
    obstacle = models.ForeignKey(Obstacle, on_delete=models.CASCADE, related_name="events")

    class Meta(DomainEvent.Meta):
        verbose_name = _("obstacle event")
        verbose_name_plural = _("obstacle events")


class CalendarFeed(CommuneScoped):
    """A private link to the commune's calendar (iCal); only a hash of its token is stored."""

    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")


class CalendarEvent(CommuneScoped):
    """A date in the commune's year: national days, report deadlines, task deadlines."""

    class Kind(models.TextChoices):
        NATIONAL_DAY = "national_day", _("National day")
        REPORT_DEADLINE = "report_deadline", _("Report deadline")
        TASK_DEADLINE = "task_deadline", _("Task deadline")
        OTHER = "other", _("Other")

    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_events")
    units = models.ManyToManyField(
        Unit, blank=True, related_name="calendar_events", verbose_name=_("responsible units")
    )
    key = models.CharField(max_length=80, editable=False)

    class Meta:
        verbose_name = _("calendar event")
        verbose_name_plural = _("calendar")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["commune", "key"], name="calendar_event_key_unique")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.title}"


class Reminder(CommuneScoped):
    """A reminder sent (or due) to a unit some days before a calendar event."""

    event = models.ForeignKey(CalendarEvent, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["event", "unit", "days_before"], name="reminder_once_per_unit")]
