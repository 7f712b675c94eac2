"""Back-office screens of the reports (inside Wagtail's admin, under /admin/baocao/). Thin: services write,
selectors read; every report is looked up within the user's communes (404 otherwise)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.tenancy import current
from lantoa.tenancy import services as tenancy
from lantoa.tenancy.current import commune_view
from lantoa.tenancy.spreadsheets import xlsx_response
from lantoa.tenancy.versions import ConcurrentChange, keep_typed_values

from . import annex, periods, selectors, services
from . import wording as W
from .document import indicator_cells, indicator_rows
from .forms import CommentForm, CreateForm, EditForm, IssueForm, RefreshForm, ReopenForm
from .models import Report
from .workflow import REPORT_FLOW

logger = logging.getLogger("lantoa.reports")


def _errors(exc: ValidationError) -> list[str]:
    return exc.messages


@commune_view("reports.view_report")
def index(request):
    """The commune's reports, this year's deadlines, and the form to draft a new one."""
    commune, communes = request.commune, request.communes
    can_create = tenancy.has_commune_perm(request.user, "reports.add_report", commune)
    form = CreateForm(request.POST or None)
    errors = []
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                report = services.create_draft(
                    request.user,
                    commune,
                    form.cleaned_data["span"],
                    as_of=form.cleaned_data.get("as_of"),
                    estimate=form.cleaned_data.get("estimate", False),
                )
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, _("Draft written from the records: check and edit each section."))
                return redirect("reports_admin:detail", report_id=report.pk)
    year = timezone.localdate().year
    states = []
    for kind in ("h1", "year"):
        span = periods.for_kind(kind, year)
        states.append(selectors.state_text(selectors.latest(commune, span), span))
    return TemplateResponse(
        request,
        "reports/index.html",
        {
            "commune": commune,
            "communes": communes,
            "reports": selectors.reports(request.user).filter(commune=commune),
            "form": form,
            "errors": errors,
            "can_create": can_create,
            "states": states,
            "can_province": len(selectors.provinces_for(request.user)) > 0 and communes.count() > 1,
        },
    )


def _table(report: Report) -> list[list[str]]:
    return [[number] + indicator_cells(row, companion) for number, row, companion in indicator_rows(report.data)]


ACTIONS = {"save", "refresh", "submit", "approve", "return", "issue"}
LOCK_ACTIONS = {"reopen", "relock"}


def detail(request, report_id):
    report = get_object_or_404(selectors.reports(request.user), pk=report_id)
    current.require(request, "reports.view_report", report.commune)
    user = request.user
    can = REPORT_FLOW.allowed_actions(user, report)
    edit_form = EditForm(report=report)
    refresh_form = RefreshForm(initial={"as_of": report.as_of})
    issue_form = IssueForm(initial={"issued_on": timezone.localdate()})
    comment_form = CommentForm()
    reopen_form = ReopenForm()
    lock = services.lock_of(report) if report.is_issued else None
    can_reopen = lock is not None and tenancy.has_commune_perm(user, "tenancy.reopen_period", report.commune)
    errors = []
    if request.method == "POST" and request.POST.get("action") in LOCK_ACTIONS:
        if not can_reopen:
            raise PermissionDenied
        try:
            if request.POST["action"] == "reopen":
                reopen_form = ReopenForm(request.POST)
                reopen_form.is_valid()
                tenancy.reopen_period(user, lock, reason=reopen_form.cleaned_data.get("reason", ""))
                messages.success(request, _("The period is open again; the issued report is unchanged."))
            else:
                tenancy.relock_period(user, lock)
                messages.success(request, _("The period is locked again."))
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            return redirect("reports_admin:detail", report_id=report.pk)
    elif request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS or ("edit" if action in ("save", "refresh") else action) not in can:
            raise PermissionDenied
        try:
            if action == "save":
                edit_form = EditForm(request.POST, report=report)
                if not edit_form.is_valid():
                    raise ValidationError(_("Check the fields marked below."))
                sections, header = edit_form.split()
                try:
                    services.save_sections(
                        user,
                        report,
                        sections=sections,
                        header=header,
                        loaded_version=edit_form.cleaned_data.get("version"),
                    )
                except ConcurrentChange:
                    # Someone saved the report after this form was loaded: nothing written; the form keeps the
                    # typed sections and now carries the current version (saving again overwrites knowingly).
                    keep_typed_values(edit_form, report)
                    raise
                messages.success(request, _("Saved."))
            elif action == "refresh":
                refresh_form = RefreshForm(request.POST)
                if not refresh_form.is_valid():
                    raise ValidationError(_("Check the fields marked below."))
                services.refresh(user, report, as_of=refresh_form.cleaned_data.get("as_of"))
                messages.success(request, _("Figures read again from the records; edited sections were kept."))
            elif action == "submit":
                services.submit(user, report)
                messages.success(request, _("Sent to the leadership for approval."))
            elif action == "approve":
                comment_form = CommentForm(request.POST)
                comment_form.is_valid()
                services.approve(user, report, comment_form.cleaned_data.get("text", ""))
                messages.success(request, _("Approved."))
            elif action == "return":
                comment_form = CommentForm(request.POST)
                comment_form.is_valid()
                services.return_to_draft(user, report, comment_form.cleaned_data.get("text", ""))
                messages.success(request, _("Returned to draft."))
            elif action == "issue":
                issue_form = IssueForm(request.POST)
                if not issue_form.is_valid():
                    raise ValidationError(_("Check the fields marked below."))
                services.issue(
                    user,
                    report,
                    number=issue_form.cleaned_data["number"],
                    issued_on=issue_form.cleaned_data["issued_on"],
                )
                messages.success(request, _("Issued: the PDF, DOCX and XLSX are stored and can no longer change."))
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            return redirect("reports_admin:detail", report_id=report.pk)
    integrity = services.verify(report) if report.is_issued else {}
    return TemplateResponse(
        request,
        "reports/detail.html",
        {
            "report": report,
            "data": report.data,
            "table": _table(report),
            "can": can,
            "edit_form": edit_form,
            "refresh_form": refresh_form,
            "issue_form": issue_form,
            "comment_form": comment_form,
            "reopen_form": reopen_form,
            "lock": lock,
            "can_reopen": can_reopen,
            "lock_events": lock.events.select_related("user") if lock else [],
            "errors": errors,
            "events": report.events.select_related("user"),
            "integrity": integrity,
            "intact": all(integrity.values()) if integrity else None,
            "budget": report.data.get("budget", {}),
            "period": report.data.get("period", {}),
            "as_of": W.date(report.as_of),
        },
    )


def _download(request, report_id, fmt: str):
    report = get_object_or_404(selectors.reports(request.user), pk=report_id)
    current.require(request, "reports.view_report", report.commune)
    try:
        content = services.render(report, fmt)
    except services.TamperedFile:
        logger.error("stored report file does not match its hash", extra={"report": report.pk, "format": fmt})
        messages.error(
            request,
            _("The stored file no longer matches the issued document: it was altered. Contact the administrator."),
        )
        return redirect("reports_admin:detail", report_id=report.pk)
    except ValidationError as exc:  # LibreOffice killed or timed out while making a draft's PDF
        messages.error(request, " ".join(exc.messages))
        return redirect("reports_admin:detail", report_id=report.pk)
    response = HttpResponse(content, content_type=services.FORMATS[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{services.file_name(report, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def download_docx(request, report_id):
    return _download(request, report_id, "docx")


def download_pdf(request, report_id):
    return _download(request, report_id, "pdf")


def download_xlsx(request, report_id):
    return _download(request, report_id, "xlsx")


def _rollup(request):
    provinces = selectors.provinces_for(request.user)
    if not provinces:
        raise PermissionDenied
    chosen = request.GET.get("province")
    province = next((p for p in provinces if str(p.pk) == chosen), provinces[0])
    try:
        span = selectors.rollup_span(request.GET.get("period"))
    except ValidationError:
        span = selectors.rollup_span(None)
    data = selectors.province_rollup(request.user, province, span)
    if not data["rows"]:
        raise PermissionDenied
    return provinces, province, span, data


def province(request):
    """Every commune of the province: its indicators for the period and the state of its report."""
    provinces, province, span, data = _rollup(request)
    year = span.year
    choices = [(f"{y}H1", f"6 tháng đầu năm {y}") for y in range(year - 1, year + 2)]
    choices += [(str(y), f"năm {y}") for y in range(year - 1, year + 2)]
    code = f"{year}H1" if span.kind == "h1" else str(year)
    return TemplateResponse(
        request,
        "reports/province.html",
        {
            "provinces": provinces,
            "province": province,
            "data": data,
            "choices": sorted(choices),
            "code": code,
        },
    )


def province_xlsx(request):
    _provinces, province, span, data = _rollup(request)
    code = f"{span.year}H1" if span.kind == "h1" else str(span.year)
    return xlsx_response(annex.province_annex(data), f"tong-hop-{province.code}-{code}.xlsx")
