"""The budget of the plan: estimate lines (dự toán) per unit, task and year, their adjustments, and dated spending.

An ``EstimateLine`` is drafted by its unit, submitted and approved (``workflow.LINE_FLOW``); once approved its
``amount`` — the original estimate — is frozen. A change of the estimate is an ``Adjustment``: a new amount with
its reason and its own approval (``workflow.ADJUSTMENT_FLOW``), shown beside the original. Money spent is a
``Spending`` entry with its date, so "spent up to the cut-off" is the sum of the entries dated up to it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.tenancy.files import dated_folder, private_storage, unguessable_name
from lantoa.tenancy.models import CommuneScoped, DomainEvent, Unit
from lantoa.tenancy.versions import Versioned


class Source(models.TextChoices):
    COMMUNE_BUDGET = "commune", _("Commune budget")
    PROVINCE_SUPPORT = "province", _("Province support")
    PROGRAMME = "programme", _("Integrated from another programme")
    SOCIALISED = "socialised", _("Mobilised contributions")
    OTHER = "other", _("Other lawful sources")


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("estimate", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("estimate", "Awaiting approval")
    APPROVED = "approved", pgettext_lazy("estimate", "Approved")


def _money(label):
    return models.DecimalField(label, max_digits=15, decimal_places=0, validators=[MinValueValidator(0)])


class EstimateLine(Versioned, CommuneScoped):
    """One line of a unit's estimate for a task of the plan in a year; ``amount`` is the original estimate."""

    Source = Source
    Status = Status

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    task = models.ForeignKey(
        "plans.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("task")
    )
    title = models.CharField(_("content"), max_length=300)
    source = models.CharField(_("funding source"), max_length=12, choices=Source.choices, default=Source.COMMUNE_BUDGET)
    amount = _money(_("estimate (VND)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Empty on an approved line moved from the former single-figure budget lines (approved before records began).
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("estimate line")
        verbose_name_plural = _("estimate lines")
        ordering = ["-year", "task__order", "pk"]
        permissions = [
            ("approve_estimateline", _("Can approve estimates and their adjustments")),
            ("consolidate_estimateline", _("Can consolidate the commune's budget proposal")),
            ("enter_for_any_unit", _("Can enter the budget of any unit")),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.title[:80]}"

    @property
    def frozen(self) -> bool:
        """The original estimate can no longer change (it is under review or approved)."""
        return self.status != Status.DRAFT


class Adjustment(CommuneScoped):
    """A new estimate for an approved line, with the reason; counts once approved (the original stays as it was)."""

    Status = Status

    line = models.ForeignKey(
        EstimateLine, on_delete=models.CASCADE, related_name="adjustments", verbose_name=_("estimate line")
    )
    number = models.PositiveSmallIntegerField(_("adjustment no."))
    amount = _money(_("adjusted estimate (VND)"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("estimate adjustment")
        verbose_name_plural = _("estimate adjustments")
        ordering = ["line", "number"]
        constraints = [models.UniqueConstraint(fields=["line", "number"], name="budget_adjustment_number")]

    def __str__(self) -> str:
        return f"{self.line} — {self.number}"


def evidence_path(instance, filename: str) -> str:
    return unguessable_name(dated_folder(f"budget/{instance.commune_id}"), filename)


class Spending(CommuneScoped):
    """Money spent on a line on a day, with its evidence (a scanned voucher) or the number of its document."""

    line = models.ForeignKey(
        EstimateLine, on_delete=models.PROTECT, related_name="spendings", verbose_name=_("estimate line")
    )
    date = models.DateField(_("date"), db_index=True)
    amount = models.DecimalField(_("amount (VND)"), max_digits=15, decimal_places=0, validators=[MinValueValidator(1)])
    what = models.CharField(_("what was paid for"), max_length=300)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    evidence = models.FileField(
        _("evidence"), storage=private_storage, upload_to=evidence_path, max_length=255, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("spending entry")
        verbose_name_plural = _("spending entries")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.what[:80]}"

    def period_days(self) -> list:
        """The days this record counts on (a locked period refuses changes to them: tenancy.locks)."""
        return [self.date]


class BudgetEvent(DomainEvent):
    """A step in the history of an estimate line or of one of its adjustments."""

    subject_field = "line"
    action_labels = {
        "create": _("drafted"),
        "edit": _("edited"),
        "submit": _("sent for approval"),
        "approve": _("approved"),
        "return": _("returned to draft"),
        "adjust": _("adjustment drafted"),
        "adjust_submit": _("adjustment sent for approval"),
        "adjust_approve": _("adjustment approved"),
        "adjust_return": _("adjustment returned"),
        "spend": _("spending recorded"),
        "unspend": _("spending deleted"),
    }
    line = models.ForeignKey(EstimateLine, on_delete=models.CASCADE, related_name="events")

    class Meta(DomainEvent.Meta):
        verbose_name = _("budget event")
        verbose_name_plural = _("budget events")
