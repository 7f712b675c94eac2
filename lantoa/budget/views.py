"""Back-office pages of the budget (inside Wagtail's admin, under /admin/ngansach/). Thin: services write,
selectors read; every record is looked up within the user's communes (404 otherwise)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.tenancy import current, files
from lantoa.tenancy import services as tenancy
from lantoa.tenancy.current import commune_view
from lantoa.tenancy.models import Unit
from lantoa.tenancy.params import date_param
from lantoa.tenancy.selectors import scoped
from lantoa.tenancy.spreadsheets import xlsx_response
from lantoa.tenancy.versions import ConcurrentChange

from . import proposal, selectors, services
from .forms import AdjustmentForm, CommentForm, LineForm, SpendingForm
from .models import Spending, Status
from .workflow import ADJUSTMENT_FLOW, LINE_FLOW

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _year(request) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today.year


def _units(user, commune):
    units = Unit.objects.filter(commune=commune, active=True).exclude(kind=Unit.Kind.EXTERNAL)
    if tenancy.has_commune_perm(user, "budget.enter_for_any_unit", commune):
        return units.order_by("name")
    own = tenancy.unit_of(user, commune)
    return units.filter(pk=own.pk if own else None)


def _errors(exc: ValidationError) -> list[str]:
    return exc.messages


@commune_view("budget.view_estimateline")
def index(request):
    """The year's estimate lines of the commune: original, adjustments, estimate in force, spent to date."""
    commune, user, year = request.commune, request.user, _year(request)
    today = timezone.localdate()
    units = _units(user, commune)
    can_add = tenancy.has_commune_perm(user, "budget.add_estimateline", commune) and units.exists()
    form = LineForm(request.POST or None, commune=commune, units=units, initial={"year": year})
    errors = []
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                line = services.create_line(user, commune, **data)
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, _("Estimate line drafted: check it, then send it for approval."))
                return redirect("budget_admin:line", estimateline_id=line.pk)
    lines = list(selectors.lines(user).filter(commune=commune, year=year).order_by("task__order", "unit__name", "pk"))
    ids = [line.pk for line in lines]
    adjusted = selectors.current_amounts(ids)
    spent = selectors.spent_by_line(ids, today, year)
    rows = [
        {
            "line": line,
            "current": adjusted.get(line.pk, (line.amount, 0))[0] if line.status == Status.APPROVED else None,
            "adjustment": adjusted.get(line.pk, (None, 0))[1],
            "spent": spent.get(line.pk),
        }
        for line in lines
    ]
    approved = [r for r in rows if r["current"] is not None]
    return TemplateResponse(
        request,
        "budget/index.html",
        {
            "page_title": _("Budget"),
            "commune": commune,
            "communes": request.communes,
            "year": year,
            "years": sorted({year, today.year, today.year - 1, today.year + 1}),
            "rows": rows,
            "total_current": sum(r["current"] for r in approved),
            "total_spent": sum(r["spent"] or 0 for r in approved),
            "today": today,
            "form": form,
            "errors": errors,
            "can_add": can_add,
            "can_consolidate": selectors.can_consolidate(user, commune),
            "waiting": sum(1 for r in rows if r["line"].status == Status.SUBMITTED),
        },
    )


LINE_ACTIONS = {"submit", "approve", "return"}
ADJ_ACTIONS = {"adjust_submit", "adjust_approve", "adjust_return"}


def line(request, estimateline_id):
    """One line: the original beside each adjustment and the estimate in force; its spending; what may be done."""
    line = get_object_or_404(selectors.lines(request.user), pk=estimateline_id)
    current.require(request, "budget.view_estimateline", line.commune)
    user, commune = request.user, line.commune
    can_enter = selectors.can_enter_for(user, commune, line.unit)
    edit_form = None
    if line.status == Status.DRAFT and can_enter:
        edit_form = LineForm(
            commune=commune,
            units=_units(user, commune),
            initial={f: getattr(line, f) for f in ("year", "unit", "task", "title", "source", "amount", "note")}
            | {"version": line.version},
        )
    adj_form = AdjustmentForm()
    spend_form = SpendingForm(initial={"date": timezone.localdate()})
    comment_form = CommentForm()
    pending = selectors.open_adjustment(line)
    errors = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        text = request.POST.get("text", "")
        try:
            if action == "edit":
                edit_form = LineForm(request.POST, commune=commune, units=_units(user, commune))
                if not edit_form.is_valid():
                    raise ValidationError(_("Check the fields below."))
                data = {k: v for k, v in edit_form.cleaned_data.items() if k != "version"}
                services.update_line(user, line, loaded_version=edit_form.cleaned_data.get("version"), **data)
                messages.success(request, _("Estimate line saved."))
            elif action == "delete":
                services.delete_line(user, line)
                messages.success(request, _("Draft estimate line deleted."))
                return redirect(f"{reverse('budget_admin:index')}?year={line.year}")
            elif action in LINE_ACTIONS:
                services.move_line(user, line, action, text)
                messages.success(request, _("Done."))
            elif action in ADJ_ACTIONS and pending is not None:
                services.move_adjustment(user, pending, action.removeprefix("adjust_"), text)
                messages.success(request, _("Done."))
            elif action == "adjust":
                adj_form = AdjustmentForm(request.POST)
                if not adj_form.is_valid():
                    raise ValidationError(_("Check the fields below."))
                services.propose_adjustment(user, line, **adj_form.cleaned_data)
                messages.success(request, _("Adjustment drafted: send it for approval."))
            elif action == "spend":
                spend_form = SpendingForm(request.POST, request.FILES)
                if not spend_form.is_valid():
                    raise ValidationError(_("Check the fields below."))
                services.record_spending(user, line, **spend_form.cleaned_data)
                messages.success(request, _("Spending recorded."))
            elif action == "unspend":
                raw = request.POST.get("entry", "")
                entry = get_object_or_404(Spending.objects.filter(line=line), pk=int(raw) if raw.isdigit() else 0)
                services.delete_spending(user, entry)
                messages.success(request, _("Spending entry deleted."))
            else:
                raise PermissionDenied
        except ConcurrentChange as exc:
            errors = _errors(exc)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            return redirect("budget_admin:line", estimateline_id=line.pk)
    spendings = list(line.spendings.order_by("date", "pk"))
    running, total = [], 0
    for entry in spendings:
        total += entry.amount
        running.append((entry, total))
    return TemplateResponse(
        request,
        "budget/line.html",
        {
            "page_title": line.title[:80],
            "line": line,
            "versions": selectors.versions(line),
            "can": LINE_FLOW.allowed_actions(user, line),
            "pending": pending,
            "can_pending": ADJUSTMENT_FLOW.allowed_actions(user, pending) if pending else set(),
            "can_enter": can_enter,
            "can_adjust": can_enter
            and line.status == Status.APPROVED
            and pending is None
            and tenancy.has_commune_perm(user, "budget.add_adjustment", commune),
            "can_spend": can_enter
            and line.status == Status.APPROVED
            and tenancy.has_commune_perm(user, "budget.add_spending", commune),
            "can_unspend": can_enter and tenancy.has_commune_perm(user, "budget.delete_spending", commune),
            "edit_form": edit_form,
            "adj_form": adj_form,
            "spend_form": spend_form,
            "comment_form": comment_form,
            "spendings": running,
            "events": line.events.select_related("user").order_by("-at", "-pk")[:30],
            "errors": errors,
        },
    )


def evidence(request, spending_id):
    entry = get_object_or_404(scoped(Spending.objects.all(), request.user), pk=spending_id)
    current.require(request, "budget.view_spending", entry.commune)
    return files.serve(request, entry.evidence)


@commune_view("budget.view_estimateline")
def costs(request):
    """Per task: spending up to the cut-off, households reached and officials trained, and the cost of each."""
    commune, year = request.commune, _year(request)
    end = min(timezone.localdate(), dt.date(year, 12, 31))
    as_of = date_param(request, "as_of", end)
    rows = selectors.task_costs(commune, year, as_of)
    return TemplateResponse(
        request,
        "budget/costs.html",
        {
            "page_title": _("Cost per person reached"),
            "commune": commune,
            "communes": request.communes,
            "year": year,
            "as_of": as_of,
            "rows": rows,
            "spent": sum(r.spent for r in rows),
            "households": sum(r.households for r in rows),
        },
    )


def _consolidator(request):
    commune = current.commune_of(request, perm="budget.view_estimateline")
    if not selectors.can_consolidate(request.user, commune):
        raise PermissionDenied
    return commune


def proposal_xlsx(request):
    commune = _consolidator(request)
    year = _year(request)
    by = request.GET.get("by") if request.GET.get("by") in proposal.BY else "task"
    return xlsx_response(proposal.xlsx_bytes(commune, year, by), f"du-toan-{commune.code}-{year}.xlsx")


def proposal_docx(request):
    commune = _consolidator(request)
    year = _year(request)
    response = HttpResponse(proposal.docx_bytes(commune, year), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="to-trinh-du-toan-{commune.code}-{year}.docx"'
    return response
