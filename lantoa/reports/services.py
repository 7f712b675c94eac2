"""Every write of the reports app: draft, edit, refresh, submit, approve, return, issue. Permission-checked in the
commune (tenancy.services.require_commune_perm), validated, atomic, recorded as report events and in the audit log.

An issued report is final: its DOCX, PDF and XLSX are stored with their SHA-256 and every service refuses to
change it (the model refuses too); a new draft for the same period can follow it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.tenancy import services as tenancy
from lantoa.tenancy.models import Commune, PeriodLock
from lantoa.tenancy.versions import ensure_unchanged

from . import annex, document, drafting, periods
from .models import Report, ReportEvent
from .pdf import docx_to_pdf
from .workflow import REPORT_FLOW

HEADER_FIELDS = (
    "place",
    "summary",
    "addressees",
    "recipients",
    "archive",
    "signer_on_behalf",
    "signer_title",
    "signer_name",
    "symbol",
)
NUMBER = re.compile(r"^\d{1,6}[a-zA-Z]?$")
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _url(report: Report) -> str:
    return f"/admin/baocao/{report.pk}/"


def _notify(report: Report, roles: tuple[str, ...], title: str, body: str = "") -> None:
    users = tenancy.users_with_role(report.commune, *roles)
    tenancy.notify(users, report.commune, title, body, _url(report))


def _check_as_of(span: periods.Span, as_of: dt.date | None) -> dt.date:
    if as_of is None:
        return span.default_as_of()
    if not span.start <= as_of <= span.end:
        raise ValidationError({"as_of": _("The cut-off day must lie within the report's period.")})
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("The cut-off day cannot be in the future.")})
    return as_of


def open_report(commune: Commune, span: periods.Span) -> Report | None:
    """The report of this period that is not issued yet, if any."""
    return (
        Report.objects.filter(commune=commune, kind=span.kind, start=span.start, end=span.end)
        .exclude(status=Report.Status.ISSUED)
        .first()
    )


def build(commune: Commune, span: periods.Span, *, as_of: dt.date | None = None, estimate: bool = False) -> Report:
    """A report drafted from the records, not saved (build_report and the draft service use it).

    ``estimate`` adds an “ước thực hiện” to the end of the half or the year (from the figures at the cut-off)."""
    as_of = _check_as_of(span, as_of)
    plan = drafting.plan_for(commune, span.year)
    data = drafting.collect(commune, span, as_of, plan=plan, estimate=estimate)
    sections = drafting.compose(data)
    return Report(
        commune=commune,
        kind=span.kind,
        year=span.year,
        start=span.start,
        end=span.end,
        as_of=as_of,
        reach_period=span.reach.code,
        plan=plan,
        data=data,
        sections=sections,
        generated=dict(sections),
        **drafting.header_defaults(data),
    )


@transaction.atomic
def create_draft(
    actor, commune: Commune, span: periods.Span, *, as_of: dt.date | None = None, estimate: bool = False
) -> Report:
    """Draft the report of a period from the records. One open draft per period; after an issued report of
    the same period, the new draft follows it."""
    tenancy.require_commune_perm(actor, "reports.add_report", commune)
    if open_report(commune, span) is not None:
        raise ValidationError(_("A report of this period is already being prepared: open it instead."))
    report = build(commune, span, as_of=as_of, estimate=estimate)
    report.created_by = actor
    report.replaces = (
        Report.objects.filter(
            commune=commune, kind=span.kind, start=span.start, end=span.end, status=Report.Status.ISSUED
        )
        .order_by("-issued_at")
        .first()
    )
    report.full_clean()
    report.save()
    ReportEvent.record(report, "create", actor, periods.label(span))
    return report


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def refresh(actor, report: Report, *, as_of: dt.date | None = None) -> Report:
    """Read the figures again (to the new cut-off day); sections nobody edited are rewritten, edited ones kept."""
    report = _lock(report)
    REPORT_FLOW.check(actor, report, "edit")
    span = periods.of_report(report)
    as_of = _check_as_of(span, as_of) if as_of else span.default_as_of()
    plan = drafting.plan_for(report.commune, span.year)
    data = drafting.collect(
        report.commune, span, as_of, plan=plan, estimate=report.data.get("estimate_requested", False)
    )
    fresh = drafting.compose(data)
    kept = []
    for key, text in fresh.items():
        if report.sections.get(key, "") == report.generated.get(key, ""):
            report.sections[key] = text
        else:
            kept.append(key)
    report.generated = fresh
    report.data, report.as_of, report.plan = data, as_of, plan
    report.save()
    ReportEvent.record(
        report,
        "refresh",
        actor,
        _("Figures as of %(date)s; edited sections kept: %(kept)s.")
        % {"date": as_of.strftime("%d/%m/%Y"), "kept": ", ".join(kept) or "—"},
    )
    return report


def _clean_lines(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    return [line.strip().lstrip("-").strip() for line in value if line and line.strip().lstrip("-").strip()]


@transaction.atomic
def save_sections(
    actor,
    report: Report,
    *,
    sections: dict[str, str] | None = None,
    header: dict | None = None,
    loaded_version: int | None = None,
) -> Report:
    """Save what the commune edited: the text of sections and the header fields.

    ``loaded_version`` is the report's version when the editing form was loaded: when someone saved the report
    since, nothing is written and ``ConcurrentChange`` says who changed what.
    """
    report = _lock(report)
    if loaded_version is not None:
        ensure_unchanged(report, loaded_version)
    REPORT_FLOW.check(actor, report, "edit")
    changed = []
    for key, text in (sections or {}).items():
        if key not in drafting.SECTION_KEYS:
            raise ValidationError(_("Unknown section “%(key)s”.") % {"key": key})
        text = (text or "").replace("\r\n", "\n").strip()
        if text != report.sections.get(key, ""):
            report.sections[key] = text
            changed.append(key)
    for name, value in (header or {}).items():
        if name not in HEADER_FIELDS:
            raise ValidationError(_("Unknown field “%(name)s”.") % {"name": name})
        if name in ("addressees", "recipients"):
            value = _clean_lines(value)
        else:
            value = (value or "").strip()
        if value != getattr(report, name):
            setattr(report, name, value)
            changed.append(name)
    if not report.summary:
        raise ValidationError({"summary": _("Write the summary line.")})
    if not report.addressees:
        raise ValidationError({"addressees": _("Name at least one addressee.")})
    report.full_clean()
    report.save()
    if changed:
        ReportEvent.record(report, "edit", actor, ", ".join(changed))
    return report


def require_written(report: Report) -> None:
    """Refuse to send on a report whose sections still hold text left for the commune to write."""
    missing = drafting.unwritten(report.sections or {})
    if missing:
        names = "; ".join(drafting.SECTION_TITLES[key] for key in missing)
        raise ValidationError(
            _(
                "Some sections still have text in square brackets for the commune to write: %(sections)s. "
                "Write them (or delete the brackets) before sending the report on."
            )
            % {"sections": names}
        )


@transaction.atomic
def submit(actor, report: Report) -> Report:
    """PVHCC sends the draft to the leadership for approval."""
    report = _lock(report)
    transition = REPORT_FLOW.check(actor, report, "submit")
    require_written(report)
    REPORT_FLOW.move(report, transition)
    report.save()
    ReportEvent.record(report, "submit", actor)
    _notify(report, ("leadership",), _("Report awaiting your approval: %(title)s") % {"title": report.summary[:150]})
    return report


@transaction.atomic
def approve(actor, report: Report, text: str = "") -> Report:
    """The leadership approves the content (from a draft or a submitted report)."""
    report = _lock(report)
    transition = REPORT_FLOW.check(actor, report, "approve")
    require_written(report)
    REPORT_FLOW.move(report, transition)
    report.approved_by, report.approved_at = actor, timezone.now()
    report.save()
    ReportEvent.record(report, "approve", actor, text)
    _notify(report, ("pvhcc",), _("Report approved, ready to issue: %(title)s") % {"title": report.summary[:150]}, text)
    return report


@transaction.atomic
def return_to_draft(actor, report: Report, text: str = "") -> Report:
    """Back to draft for changes (the leadership, with a comment; or the author withdrawing a submission)."""
    report = _lock(report)
    REPORT_FLOW.apply(actor, report, "return")
    report.approved_by, report.approved_at = None, None
    report.save()
    ReportEvent.record(report, "return", actor, text)
    _notify(report, ("pvhcc",), _("Report returned to draft: %(title)s") % {"title": report.summary[:150]}, text)
    return report


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def render(report: Report, fmt: str) -> bytes:
    """The document in a format: for an issued report, its stored file (checked against its hash)."""
    if fmt not in FORMATS:
        raise ValidationError(_("Unknown format “%(fmt)s”.") % {"fmt": fmt})
    if report.is_issued:
        return stored_file(report, fmt)
    if fmt == "docx":
        return document.build_docx(report)
    if fmt == "pdf":
        return docx_to_pdf(document.build_docx(report))
    return annex.commune_annex(report)


class TamperedFile(Exception):
    """A stored file of an issued report no longer matches the hash recorded when it was issued."""


def stored_file(report: Report, fmt: str) -> bytes:
    field = getattr(report, f"{fmt}_file")
    expected = getattr(report, f"{fmt}_sha256")
    if not field.name or not expected:
        raise ValidationError(_("This report has no stored file in this format."))
    with field.open("rb") as handle:
        content = handle.read()
    if sha256(content) != expected:
        raise TamperedFile(fmt)
    return content


def verify(report: Report) -> dict[str, bool]:
    """For each stored file of an issued report: whether it still matches its recorded hash."""
    result = {}
    for fmt in FORMATS:
        if getattr(report, f"{fmt}_sha256"):
            try:
                stored_file(report, fmt)
            except (TamperedFile, FileNotFoundError, OSError):
                result[fmt] = False
            else:
                result[fmt] = True
    return result


def file_name(report: Report, fmt: str) -> str:
    commune = report.data.get("commune", {}).get("code", report.commune_id)
    number = f"{report.number}-" if report.number else ""
    return f"bao-cao-{number}{report.kind}-{report.year}-{commune}.{fmt}"


def lock_span(report: Report) -> tuple[dt.date, dt.date]:
    """The days an issued report closes: from the first day its figures or its narrative read (the report's
    start, or the indicator period's start when earlier) to its cut-off."""
    span = periods.of_report(report)
    return min(span.start, span.reach.start), report.as_of


def lock_period(actor, report: Report):
    """Close the report's period for its commune, keeping the values as issued (tenancy.locks)."""
    start, end = lock_span(report)
    data = report.data
    values = {"indicators": data.get("indicators", []), "hamlets": data.get("hamlets", [])}
    return tenancy.lock_period(
        actor,
        report.commune,
        start=start,
        end=end,
        values=values,
        report_id=report.pk,
        reference=report.reference,
        label=f"Báo cáo {periods.label(periods.of_report(report))}",
        period_code=report.reach_period,
        as_of=report.as_of,
    )


def lock_of(report: Report):
    """The lock an issued report holds (or held) on its period."""
    start, end = lock_span(report)
    return PeriodLock.objects.filter(commune_id=report.commune_id, start=start, end=end).first()


@transaction.atomic
def issue(actor, report: Report, *, number: str, issued_on: dt.date) -> Report:
    """Issue the approved report with its number and date: render the DOCX, PDF and XLSX once, store them with
    their hashes. From then on nothing of the report can change."""
    report = _lock(report)
    transition = REPORT_FLOW.check(actor, report, "issue")
    require_written(report)
    number = (number or "").strip()
    if not NUMBER.match(number):
        raise ValidationError({"number": _("Write the number given by the register (digits, e.g. 125).")})
    if issued_on is None or issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("The date of issue cannot be in the future.")})
    if issued_on < report.as_of:
        raise ValidationError({"issued_on": _("The date of issue cannot be before the cut-off day of the figures.")})
    taken = Report.objects.filter(
        commune_id=report.commune_id, symbol=report.symbol, number=number, issued_on__year=issued_on.year
    ).exclude(pk=report.pk)
    if taken.exists():
        raise ValidationError(
            {
                "number": _("Number %(number)s/%(symbol)s is already used this year.")
                % {"number": number, "symbol": report.symbol}
            }
        )
    report.number, report.issued_on = number, issued_on
    docx = document.build_docx(report)
    pdf = docx_to_pdf(docx)
    xlsx = annex.commune_annex(report)
    saved = []
    try:
        for fmt, content in (("docx", docx), ("pdf", pdf), ("xlsx", xlsx)):
            field = getattr(report, f"{fmt}_file")
            field.save(file_name(report, fmt), ContentFile(content), save=False)
            saved.append(field)
            setattr(report, f"{fmt}_sha256", sha256(content))
        REPORT_FLOW.move(report, transition)
        report.issued_by, report.issued_at = actor, timezone.now()
        report.save()
        ReportEvent.record(report, "issue", actor, f"{report.reference} ({issued_on:%d/%m/%Y})")
        lock_period(actor, report)
    except Exception:
        for field in saved:
            field.storage.delete(field.name)
        raise
    _notify(report, ("leadership", "pvhcc"), _("Report issued: %(ref)s") % {"ref": report.reference})
    return report
