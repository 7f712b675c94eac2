"""Partners of the commune's plan (enterprises, factories, research bodies, schools, associations), their yearly
communication plans, the personal links through which they report, and the log of external information and
international cooperation (part 5 of the plan)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.files import private_storage, unguessable_name
from lantoa.tenancy.models import CommuneScoped, Unit
from lantoa.tenancy.validators import validate_web_url

TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")


def validate_tax_code(value: str) -> None:
    """A Vietnamese tax code (mã số thuế): 10 digits, or 13 written as 10-3 (a branch or dependent unit)."""
    if value and not TAX_CODE.match(value):
        raise ValidationError(
            _("A tax code has 10 digits, or 13 digits written as 0101234567-001."), code="invalid_tax_code"
        )


def plan_path(instance, filename: str) -> str:
    return unguessable_name("partners/plans", filename)


def evidence_path(instance, filename: str) -> str:
    return unguessable_name("partners/evidence", filename)


class Partner(CommuneScoped):
    """An enterprise, factory, production facility, research body, school or association that has its own yearly
    communication plan under the commune's plan (tasks 3.1 and 4)."""

    class Kind(models.TextChoices):
        STATE_ENTERPRISE = "state_enterprise", _("State-owned enterprise")
        PRIVATE_ENTERPRISE = "private_enterprise", _("Private enterprise")
        FACTORY = "factory", _("Factory")
        PRODUCTION = "production", _("Production facility")
        RESEARCH = "research", _("Research body")
        SCHOOL = "school", _("School")
        ASSOCIATION = "association", _("Association")

    # Fields only roles allowed may read; every read is logged (tenancy.PersonalDataAccess).
    PERSONAL_FIELDS = ("contact_name", "contact_phone", "contact_email")

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        blank=True,
        validators=[validate_tax_code],
        help_text=_("10 digits, or 13 digits written as 0101234567-001; leave empty when there is none."),
    )
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    science_tasks = models.ManyToManyField(
        "reach.ScienceTask",
        blank=True,
        related_name="partners",
        verbose_name=_("S&T tasks carried out"),
        help_text=_("State-funded S&T tasks of the registry that this partner carries out."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["commune", "name"], name="partner_name_unique")]
        permissions = [("view_partner_contact", _("Can view a partner's contact person"))]

    def __str__(self) -> str:
        return self.name


class CommunicationPlan(CommuneScoped):
    """A partner's communication plan for one year: the document, its main activities and dates, and its status."""

    class Status(models.TextChoices):
        NOT_REQUESTED = "not_requested", _("Not requested")
        REQUESTED = "requested", _("Requested")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="plans", verbose_name=_("partner"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_REQUESTED)
    file = models.FileField(
        _("plan document"), storage=private_storage, upload_to=plan_path, max_length=255, blank=True
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    main_activities = models.TextField(_("main activities"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("communication plan")
        verbose_name_plural = _("communication plans")
        ordering = ["-year", "partner__name"]
        constraints = [models.UniqueConstraint(fields=["partner", "year"], name="partner_plan_year_unique")]
        permissions = [("accept_communicationplan", _("Can accept a partner's communication plan"))]

    def __str__(self) -> str:
        return f"{self.partner} · {self.year}"


class PartnerLink(CommuneScoped):
    """A personal link through which a partner submits its plan of a year and reports its activities, without an
    account. Only the SHA-256 of its random token is stored; it expires on a date and can be revoked."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="links", verbose_name=_("partner"))
    year = models.PositiveSmallIntegerField(_("year"))
    token_hash = models.CharField(max_length=64, unique=True)
    expires_on = models.DateField(_("expires on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner link")
        verbose_name_plural = _("partner links")
        ordering = ["-created_at"]


class PartnerReminder(CommuneScoped):
    """One "send a reminder" to a partner: when, by whom, whether an e-mail went out."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("partner"))
    year = models.PositiveSmallIntegerField(_("year"))
    link = models.ForeignKey(PartnerLink, on_delete=models.SET_NULL, null=True, related_name="reminders")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    emailed = models.BooleanField(_("e-mailed"), default=False)

    class Meta:
        verbose_name = _("partner reminder")
        verbose_name_plural = _("partner reminders")
        ordering = ["-sent_at"]


class PartnerActivity(CommuneScoped):
    """An activity a partner reports under its plan: when, what, how many people it reached, its evidence. One that
    publicises an S&T task the partner carries out (with an address) records a ``reach.Publication``."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="activities", verbose_name=_("partner"))
    year = models.PositiveSmallIntegerField(_("year"))
    date = models.DateField(_("date"))
    description = models.TextField(_("what was done"))
    people_reached = models.PositiveIntegerField(_("people reached"), default=0)
    evidence = models.FileField(
        _("evidence file"), storage=private_storage, upload_to=evidence_path, max_length=255, blank=True
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True, validators=[validate_web_url])
    science_task = models.ForeignKey(
        "reach.ScienceTask",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("S&T task publicised"),
    )
    publication = models.ForeignKey(
        "reach.Publication", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.date]

    class Meta:
        verbose_name = _("partner activity")
        verbose_name_plural = _("partner activities")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.partner} · {self.date:%d/%m/%Y}"


class ExternalActivity(CommuneScoped):
    """An external-information or international-cooperation activity on S&T, innovation and digital transformation
    (part 5 of the plan), with its evidence."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        DELEGATION = "delegation", _("Delegation")
        FOREIGN_MATERIAL = "foreign_material", _("Foreign-language material")
        INTERNATIONAL_EVENT = "international_event", _("International event")
        AGREEMENT = "agreement", _("Cooperation agreement")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    counterparts = models.CharField(_("partner countries and organisations"), max_length=300, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("unit in charge")
    )
    plan_task = models.ForeignKey(
        "plans.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("plan task")
    )
    evidence = models.FileField(
        _("evidence file"), storage=private_storage, upload_to=evidence_path, max_length=255, blank=True
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True, validators=[validate_web_url])
    result = models.TextField(_("result"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.date]

    class Meta:
        verbose_name = _("external activity")
        verbose_name_plural = _("external activities")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title
