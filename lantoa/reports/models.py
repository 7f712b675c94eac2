"""The semi-annual report (Decree 30 document); its section IV reads the budget app (lantoa.budget.reporting).

A ``Report`` keeps what the document says: its header fields, the editable text of each section and a
snapshot of the figures taken from the records (``data``). The document (DOCX, PDF, XLSX annex) is
rendered from those; once issued, the rendered files are stored with their SHA-256 and never change.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.tenancy.files import private_storage, unguessable_name
from lantoa.tenancy.models import CommuneScoped, DomainEvent
from lantoa.tenancy.versions import Versioned

# Fields of a report that may change only while it is a draft (or awaiting approval).
CONTENT_FIELDS = (
    "kind",
    "year",
    "start",
    "end",
    "as_of",
    "reach_period",
    "plan",
    "place",
    "summary",
    "addressees",
    "recipients",
    "archive",
    "signer_on_behalf",
    "signer_title",
    "signer_name",
    "sections",
    "generated",
    "data",
)


def report_upload_to(instance, filename: str) -> str:
    """Private (served only by the report's download views, which check its hash); the folder is random."""
    return unguessable_name(f"reports/{instance.commune_id}/{instance.year}", filename)


class Report(Versioned, CommuneScoped):
    """One report of a commune on the plan's results for a period: drafted, approved, issued."""

    class Kind(models.TextChoices):
        FIRST_HALF = "h1", _("First half of the year (due before 20 June)")
        YEAR = "year", _("Whole year (due before 20 December)")
        ADHOC = "adhoc", _("Ad-hoc period")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        APPROVED = "approved", _("Approved, awaiting issue")
        ISSUED = "issued", _("Issued")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    as_of = models.DateField(_("figures as of"), help_text=_("The cut-off day of the figures."))
    reach_period = models.CharField(
        _("indicator period"), max_length=8, help_text=_("The indicator period the figures are computed for.")
    )
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("plan")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The header and the closing of the document.
    number = models.CharField(_("number"), max_length=20, blank=True)
    symbol = models.CharField(_("symbol"), max_length=30, default="BC-UBND")
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=120)
    summary = models.TextField(_("summary line"))
    addressees = models.JSONField(_("addressees"), default=list, blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    archive = models.CharField(_("archive line"), max_length=120, default="Lưu: VT")
    signer_on_behalf = models.CharField(_("signing on behalf"), max_length=120, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer"), max_length=120, blank=True)
    # The text of each section (editable) and the draft generated from the records (to tell what was edited).
    sections = models.JSONField(_("sections"), default=dict, blank=True)
    generated = models.JSONField(default=dict, blank=True, editable=False)
    # The figures, as read from the records when the draft was made or refreshed.
    data = models.JSONField(default=dict, blank=True, editable=False)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follows the issued report"),
    )
    # The issued document: stored once, with its hash.
    docx_file = models.FileField(
        _("DOCX"), storage=private_storage, upload_to=report_upload_to, max_length=255, blank=True
    )
    pdf_file = models.FileField(
        _("PDF"), storage=private_storage, upload_to=report_upload_to, max_length=255, blank=True
    )
    xlsx_file = models.FileField(
        _("XLSX annex"), storage=private_storage, upload_to=report_upload_to, max_length=255, blank=True
    )
    docx_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    xlsx_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-year", "-end", "-pk"]
        indexes = [models.Index(fields=["commune", "year", "kind"])]
        permissions = [
            ("approve_report", _("Can approve reports")),
            ("issue_report", _("Can issue reports (number and date)")),
        ]

    def __str__(self) -> str:
        return self.summary[:120] or f"{self.get_kind_display()} {self.year}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def reference(self) -> str:
        """“Số: 45/BC-UBND” as printed (“…” while the number is not given)."""
        return f"{self.number or '…'}/{self.symbol}"

    def save(self, *args, **kwargs):
        """An issued report never changes: its content, number, date and files are fixed."""
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).first()
            if stored is not None and stored.status == self.Status.ISSUED:
                frozen = CONTENT_FIELDS + (
                    "status",
                    "number",
                    "symbol",
                    "issued_on",
                    "docx_sha256",
                    "pdf_sha256",
                    "xlsx_sha256",
                )
                changed = [f for f in frozen if _value(stored, f) != _value(self, f)]
                changed += [
                    f
                    for f in ("docx_file", "pdf_file", "xlsx_file")
                    if getattr(stored, f).name != getattr(self, f).name
                ]
                if changed:
                    raise ValidationError(_("An issued report cannot be changed; make a new draft instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == self.Status.ISSUED:
            raise ValidationError(_("An issued report cannot be deleted."))
        return super().delete(*args, **kwargs)


def _value(obj, name: str):
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)


class ReportEvent(DomainEvent):
    """One step of a report's life: drafted, edited, refreshed, submitted, approved, returned, issued."""

    subject_field = "report"
    action_labels = {
        "create": _("drafted from the records"),
        "edit": _("edited"),
        "refresh": _("figures read again"),
        "submit": _("sent to the leadership for approval"),
        "approve": _("approved"),
        "return": _("returned to draft"),
        "issue": _("issued"),
    }
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")

    class Meta(DomainEvent.Meta):
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
