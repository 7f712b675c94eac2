"""Provinces, communes, their units, staff, hamlets and households; who may see which commune."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from . import names, roles
from .text import match_key, normalize_name
from .validators import validate_site_or_web_link
from .versions import Versioned


class Province(models.Model):
    """A province-level unit, with its 2025 code from the ``vietnam-provinces`` package."""

    code = models.PositiveIntegerField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    division_type = models.CharField(_("division type"), max_length=40)

    class ResidentsHeadline(models.TextChoices):
        """Which count of "residents reached" is the headline figure of every commune of the province."""

        HOUSEHOLDS = "households", _("Residents of the households reached")
        RECORDED = "recorded", _("People recorded as reached (lower bound)")

    residents_headline = models.CharField(
        _("headline of residents reached"),
        max_length=12,
        choices=ResidentsHeadline.choices,
        default=ResidentsHeadline.HOUSEHOLDS,
        help_text=_(
            "Chosen by the province for all its communes: all members of every household reached, or only the "
            "people recorded on the contacts (at most the household's members)."
        ),
    )

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A commune-level unit (xã, phường, đặc khu): the tenant every record belongs to."""

    code = models.PositiveIntegerField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=120, help_text=_("Full name, e.g. “Xã Nam Cường”."))
    division_type = models.CharField(_("division type"), max_length=40)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )
    site = models.OneToOneField(
        "wagtailcore.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="commune", editable=False
    )
    root_page = models.OneToOneField(
        Page, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["province__name", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """The name without its division type: “Nam Cường”."""
        prefix = self.division_type.capitalize() + " "
        return self.name[len(prefix) :] if self.name.startswith(prefix) else self.name


class CommuneScoped(models.Model):
    """Base of every record that belongs to one commune."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+", verbose_name=_("commune"))

    class Meta:
        abstract = True


class DomainEvent(CommuneScoped):
    """Base of a record's own history (an obstacle's, a report's…): one step — what was done, by whom, when, and
    the comment given. A subclass adds the foreign key to its subject and records steps with :meth:`record`."""

    subject_field = ""  # the name of the subclass's foreign key to the record whose history this is
    action_labels: dict = {}  # action code → what a reader sees ("submit" → "sent for approval")

    action = models.CharField(_("action"), max_length=20)
    text = models.TextField(_("text"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    @property
    def action_label(self) -> str:
        return str(self.action_labels.get(self.action, self.action))

    @property
    def actor_name(self) -> str:
        """The name of who did it (their full name where the account has one), or "" for the system."""
        return names.full_name(self.user)

    @classmethod
    def record(cls, subject, action: str, actor=None, text: str = ""):
        """Append one step to ``subject``'s history (an actor without a database row, e.g. the system, is None)."""
        return cls.objects.create(
            commune_id=subject.commune_id,
            **{cls.subject_field: subject},
            action=action,
            text=text or "",
            user=actor if getattr(actor, "pk", None) else None,
        )


class Unit(Versioned, CommuneScoped):
    """A body named in the plan: the commune's own units and the outside recipients."""

    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", _("Commune People's Committee")
        LEAD_CENTRE = "lead_centre", _("Public administration service centre (lead unit)")
        SERVICE_CENTRE = "service_centre", _("General services centre")
        OFFICE = "office", _("Specialised office")
        FRONT = "front", _("Fatherland Front and mass organisations")
        SCHOOL = "school", _("School")
        ENTERPRISE = "enterprise", _("Enterprise")
        EXTERNAL = "external", _("Outside recipient")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OFFICE)
    match_key = models.CharField(max_length=200, editable=False, db_index=True)
    head = models.CharField(_("head of unit"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "match_key"], name="unit_unique_per_commune")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        """One spelling per unit: a name that differs from another unit's only in accents' encoding, letter case,
        spacing, dashes or invisible characters is that unit, and is refused (the form shows why)."""
        super().clean()
        self.name = normalize_name(self.name or "")
        self.match_key = match_key(self.name)
        if not self.match_key:
            raise ValidationError({"name": _("Enter the unit's name.")})
        if self.commune_id is not None:
            twin = Unit.objects.filter(commune_id=self.commune_id, match_key=self.match_key).exclude(pk=self.pk)
            if twin := twin.first():
                raise ValidationError(
                    {
                        "name": _(
                            "This commune already has the unit “%(name)s”; names that differ only in letter case, "
                            "accents, spacing or invisible characters are the same unit."
                        )
                        % {"name": twin.name}
                    }
                )


class Staff(Versioned, CommuneScoped):
    """A cán bộ, công chức, viên chức or người hoạt động không chuyên trách of the commune, with the dates they
    served: counted in a figure when they served on its cut-off day (``start_date`` ≤ day ≤ ``end_date``)."""

    class Category(models.TextChoices):
        CADRE = "cadre", _("Cadre (cán bộ)")
        CIVIL_SERVANT = "civil_servant", _("Civil servant (công chức)")
        PUBLIC_EMPLOYEE = "public_employee", _("Public employee (viên chức)")
        NON_SPECIALISED = "non_specialised", _("Non-specialised worker (người hoạt động không chuyên trách)")

    # "Officials" of the plan (lãnh đạo, cán bộ, công chức, viên chức); the trained-in-depth target names
    # cán bộ and công chức only.
    OFFICIALS = (Category.CADRE, Category.CIVIL_SERVANT, Category.PUBLIC_EMPLOYEE)
    COMMS_CATEGORIES = (Category.CADRE, Category.CIVIL_SERVANT)

    full_name = models.CharField(_("full name"), max_length=120)
    position = models.CharField(_("position"), max_length=120, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff", verbose_name=_("unit")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.CIVIL_SERVANT)
    is_leadership = models.BooleanField(_("leadership"), default=False)
    on_comms_duty = models.BooleanField(
        _("on communications duty"),
        default=False,
        help_text=_("In charge of communications, grassroots information or external information."),
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, help_text=_("First day at the commune; empty: from the start.")
    )
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("Last day at the commune (retired, transferred, contract ended); empty: still working."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("login"),
    )
    hamlets = models.ManyToManyField(
        "Hamlet",
        blank=True,
        related_name="team_members",
        verbose_name=_("hamlets in charge"),
        help_text=_("For the community digital team: the hamlets this person visits. Empty: every hamlet."),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["unit__name", "full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="staff_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.start_date, self.end_date]

    def serves_on(self, day) -> bool:
        return (self.start_date is None or self.start_date <= day) and (self.end_date is None or self.end_date >= day)

    @classmethod
    def serving_on(cls, day) -> models.Q:
        """Staff at the commune on ``day``."""
        return (models.Q(start_date__isnull=True) | models.Q(start_date__lte=day)) & (
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=day)
        )


class Hamlet(Versioned, CommuneScoped):
    """A thôn, bản, xóm or tổ dân phố, with its population baseline."""

    class Kind(models.TextChoices):
        THON = "thon", _("Village (thôn)")
        BAN = "ban", _("Hamlet (bản)")
        XOM = "xom", _("Hamlet (xóm)")
        TO_DAN_PHO = "to_dan_pho", _("Residential group (tổ dân phố)")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.THON)
    households_baseline = models.PositiveIntegerField(_("households (baseline)"), default=0)
    residents_baseline = models.PositiveIntegerField(_("residents (baseline)"), default=0)

    class Meta:
        verbose_name = _("hamlet")
        verbose_name_plural = _("hamlets")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["commune", "name"], name="hamlet_unique_name_per_commune")]

    def __str__(self) -> str:
        return self.name


household_code_validator = RegexValidator(
    r"^[A-Za-z0-9._-]{1,32}$",
    _("A household code has 1 to 32 letters without accents, digits, “.”, “_” or “-”."),
)


class Household(Versioned, CommuneScoped):
    """A household, known by a pseudonymous code. Name and phone are optional and never public.

    ``members`` is the number of residents now; how it changed over time (and when the household came or
    left) is its dated history, ``HouseholdChange``, written by ``services.record_household_change``.
    ``arrived_on`` / ``left_on`` repeat the dates of presence that history gives (empty: on the roster from
    the start / still there); the household counts on the days ``arrived_on`` ≤ day < ``left_on``.
    """

    code = models.CharField(_("household code"), max_length=32, validators=[household_code_validator])
    hamlet = models.ForeignKey(Hamlet, on_delete=models.PROTECT, related_name="households", verbose_name=_("hamlet"))
    members = models.PositiveSmallIntegerField(_("members"), default=1, validators=[MinValueValidator(1)])
    arrived_on = models.DateField(_("on the roster since"), null=True, blank=True, editable=False)
    left_on = models.DateField(_("left on"), null=True, blank=True, editable=False)
    head_name = models.CharField(_("head of household (optional)"), max_length=120, blank=True)
    phone = models.CharField(_("phone (optional)"), max_length=20, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    PERSONAL_FIELDS = ("head_name", "phone")

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["hamlet__name", "code"]
        constraints = [models.UniqueConstraint(fields=["commune", "code"], name="household_unique_code_per_commune")]
        indexes = [models.Index(fields=["commune", "hamlet"])]
        permissions = [("view_personal_data", _("Can see households' names and phone numbers"))]

    def __str__(self) -> str:
        return self.code

    def period_days(self) -> list:
        """The days this record counts on: its dates of presence and those of its history (deleting a household
        deletes its history). A locked period refuses changes to them (tenancy.locks)."""
        days = [self.arrived_on, self.left_on]
        if self.pk is not None:
            days += list(self.changes.values_list("date", flat=True))
        return days


class HouseholdChange(CommuneScoped):
    """One dated change of a household: people moving in or out, births and deaths, splits and merges.

    The history answers "how many residents did the household have on day D": ``members_after`` of the last
    change on or before D, else ``members_before`` of the first change after D, else ``Household.members``.
    0 residents means the household was not there (not yet arrived, moved out, merged away, every member
    deceased). Figures of a period count the roster as of their cut-off day, so a change dated after a
    closed period never moves it. Written only by ``services.record_household_change`` (and the roster
    import), never edited afterwards.
    """

    class Kind(models.TextChoices):
        MOVED_IN = "moved_in", _("Moved in")
        MOVED_OUT = "moved_out", _("Moved out")
        DECEASED = "deceased", _("A member died")
        MEMBER_JOINED = "member_joined", _("A member joined")
        BORN = "born", _("A child was born")
        MEMBER_LEFT = "member_left", _("A member left")
        SPLIT = "split", _("Split (part of the household formed a new one)")
        MERGED = "merged", _("Merged into another household")
        ROSTER = "roster", _("Corrected by a roster import")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="changes", verbose_name=_("household")
    )
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    members_before = models.PositiveSmallIntegerField(_("members before"), default=0)
    members_after = models.PositiveSmallIntegerField(_("members after"))
    related = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("other household"),
        help_text=_("The household it split into or merged with."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("household change")
        verbose_name_plural = _("household changes")
        ordering = ["household", "date", "pk"]
        indexes = [
            models.Index(fields=["household", "date"], name="hhchange_household_date"),
            models.Index(fields=["commune", "date"], name="hhchange_commune_date"),
        ]

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.date]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


class PersonalDataAccess(CommuneScoped):
    """One access to personal data (names, phones), as the 2025 personal data law requires."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("household")
    )
    fields = models.CharField(_("fields"), max_length=120)
    purpose = models.CharField(_("purpose"), max_length=200)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]


class RoleGroup(models.Model):
    """Ties a Django group to one role in one commune (or, for the provincial role, one province)."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role_group")
    role = models.CharField(_("role"), max_length=20, choices=[(r.code, r.label) for r in roles.ROLES.values()])
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="role_groups")
    province = models.ForeignKey(Province, on_delete=models.CASCADE, null=True, blank=True, related_name="role_groups")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="role_groups")

    class Meta:
        verbose_name = _("role group")
        verbose_name_plural = _("role groups")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commune__isnull=False) | models.Q(province__isnull=False),
                name="rolegroup_has_scope",
            )
        ]

    def __str__(self) -> str:
        return self.group.name


class UserAccount(models.Model):
    """What Lan Tỏa keeps about a login beyond Django's user: whether it must set a new password at its next
    sign-in (a login created or reset by the focal point gets a temporary password shown once), and whether it
    wants the daily e-mail of what waits for it (``tenancy.digest``; a user without this record gets it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lantoa_account", verbose_name=_("user")
    )
    must_change_password = models.BooleanField(_("must set a new password"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    inbox_digest = models.BooleanField(
        _("e-mail me each morning what is waiting for me"),
        default=True,
        help_text=_("Sent only on days when something is waiting, to the e-mail address of your account."),
    )
    digest_sent_on = models.DateField(_("daily e-mail last sent on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("login account")
        verbose_name_plural = _("login accounts")
        permissions = [("manage_logins", _("Can create, deactivate and reset the logins of the commune"))]

    def __str__(self) -> str:
        return self.user.get_username()


class CommuneHomePage(Page):
    """The root page of a commune's own Wagtail site; the column's pages live below it."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + ["intro"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = None

    class Meta:
        verbose_name = _("commune home page")


class Notification(CommuneScoped):
    """An in-app message to one user (a reminder, a rejection, an answer); also e-mailed when possible."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True, validators=[validate_site_or_web_link])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class PeriodLock(CommuneScoped):
    """A reporting period closed by an issued report (as data approval in DHIS2 closes a period).

    While the lock holds (``reopened_at`` empty), no record dated from ``start`` to ``end`` can be added,
    changed or deleted in the commune (``tenancy.locks.ensure_open``). ``values`` keeps the figures as the
    report issued them, so the dashboard shows the closed period as reported. The report is named by a plain
    reference (``report_id``, ``reference``): tenancy imports no app.
    """

    start = models.DateField(_("first day of the period"))
    end = models.DateField(_("last day of the period"))
    label = models.CharField(_("period name"), max_length=120, blank=True)
    period_code = models.CharField(_("indicator period code"), max_length=8, blank=True)
    as_of = models.DateField(_("cut-off day of the values"), null=True, blank=True)
    values = models.JSONField(_("values as issued"), default=dict, blank=True, editable=False)
    report_id = models.PositiveIntegerField(_("report id"), null=True, blank=True)
    reference = models.CharField(_("report number"), max_length=60, blank=True)
    locked_at = models.DateTimeField(_("locked at"))
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(_("re-opened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason for re-opening"), blank=True)

    class Meta:
        verbose_name = _("locked period")
        verbose_name_plural = _("locked periods")
        ordering = ["-end", "-pk"]
        indexes = [models.Index(fields=["commune", "start", "end"])]
        constraints = [
            models.UniqueConstraint(fields=["commune", "start", "end"], name="one_lock_per_commune_period"),
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="lock_end_after_start"),
        ]
        permissions = [("reopen_period", _("Can re-open a locked period"))]

    def __str__(self) -> str:
        return f"{self.label or self.start} ({self.reference})"

    @property
    def is_locked(self) -> bool:
        return self.reopened_at is None


class PeriodLockEvent(DomainEvent):
    """One step of a locked period's life: locked by an issued report, re-opened with a reason, locked again."""

    subject_field = "lock"
    action_labels = {
        "lock": _("period locked by the issued report"),
        "reopen": _("period re-opened"),
        "relock": _("period locked again"),
    }
    lock = models.ForeignKey(PeriodLock, on_delete=models.CASCADE, related_name="events")

    class Meta(DomainEvent.Meta):
        verbose_name = _("locked period event")
        verbose_name_plural = _("locked period events")


def job_input_storage():
    """Files waiting for the worker (an uploaded plan or roster): kept out of MEDIA_ROOT, never served."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


def job_input_path(instance, filename: str) -> str:
    return f"jobs/{instance.commune_id}/{uuid.uuid4().hex}"


class Job(CommuneScoped):
    """Heavy work asked for in a request and done by the task worker (reading an uploaded plan, a roster).

    The request stores the upload, creates the job and returns at once; the page then shows the job's progress.
    A job interrupted by a crash is retried once, then failed with a message, when a worker starts
    (``tenancy.jobs.recover``).
    """

    class Kind(models.TextChoices):
        PLAN_IMPORT = "plan_import", _("Reading a plan")
        ROSTER_IMPORT = "roster_import", _("Importing a roster")
        FIELD_STICKERS = "field_stickers", _("Printing QR door stickers")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    input_file = models.FileField(storage=job_input_storage, upload_to=job_input_path, blank=True)
    input_name = models.CharField(_("file name"), max_length=255, blank=True)
    options = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_result_id = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class WorkerHeartbeat(models.Model):
    """A task worker that is alive: it writes ``seen_at`` every few seconds (``manage.py worker``)."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class Certificate(CommuneScoped):
    """A certificate the commune issues (attending an event, completing a course, a contest prize), verifiable by
    anyone holding it at ``/xac-minh/<code>/`` with no login. The code is the only thing its QR holds: random,
    100 bits, so the page cannot be found without the paper. Issued by ``tenancy.certificates``."""

    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", _("Certificate of attendance")
        COURSE = "course", _("Certificate of course completion")
        PRIZE = "prize", _("Certificate of prize")
        OTHER = "other", _("Certificate")

    code = models.CharField(_("verification code"), max_length=32, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    holder = models.CharField(_("holder"), max_length=200)
    title = models.CharField(_("for"), max_length=300)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    issued_on = models.DateField(_("issued on"))
    subject_type = models.CharField(max_length=60, blank=True, editable=False)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="certificate_subject")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.holder} — {self.title}"

    @property
    def valid(self) -> bool:
        return self.revoked_at is None
