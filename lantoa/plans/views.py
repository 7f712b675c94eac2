"""Back-office screens of the plan (inside Wagtail's admin). Thin: services write, selectors read."""

from __future__ import annotations

import hashlib
import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from icalendar import Alarm, Calendar, Event

from lantoa.tenancy import current, files, locks, numbers
from lantoa.tenancy import history as tenancy_history
from lantoa.tenancy import selectors as tenancy_selectors
from lantoa.tenancy import services as tenancy
from lantoa.tenancy.current import commune_view
from lantoa.tenancy.forms import add_service_errors
from lantoa.tenancy.models import Job, Unit
from lantoa.tenancy.spreadsheets import xlsx_response
from lantoa.tenancy.versions import ConcurrentChange, keep_typed_values

from . import exports, hooks, importing, selectors, services, versions
from .forms import (
    ActivityEditForm,
    ActivityForm,
    DraftHeaderForm,
    DraftTargetFormSet,
    DraftTaskFormSet,
    ObstacleActionForm,
    ObstacleForm,
    PlanUploadForm,
    iso_date,
    plain_number,
    split_units_text,
    units_text,
)
from .models import ACTIVITY_FIELDS, CalendarEvent, CalendarFeed, Evidence, Obstacle, Plan, Task
from .workflow import OBSTACLE_FLOW


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@commune_view("plans.view_plan")
def overview(request):
    """The leadership page: every task's status, what is late, open obstacles, last activity per unit."""
    commune, communes = request.commune, request.communes
    plan = selectors.active_plan(commune)
    context = {"commune": commune, "communes": communes, "plan": plan, "today": timezone.localdate()}
    if plan:
        total, groups = selectors.rollup(plan)
        context.update(
            total=total,
            groups=groups,
            late=[s for s in total.tasks if s.status == Task.Status.LATE],
            units=selectors.last_activity_per_unit(plan),
            status_labels=selectors.STATUS_LABELS,
        )
    context["obstacles"] = (
        selectors.obstacles(request.user).filter(commune=commune).exclude(status=Obstacle.Status.CLOSED)[:20]
    )
    context["drafts"] = Plan.objects.filter(commune=commune, status=Plan.Status.DRAFT)
    context["versions"] = Plan.objects.filter(commune=commune).exclude(status=Plan.Status.DRAFT)
    context["upcoming"] = CalendarEvent.objects.filter(commune=commune, date__gte=context["today"]).order_by("date")[:5]
    context["panels"] = hooks.overview_panels(commune, request.user)
    return TemplateResponse(request, "plans/overview.html", context)


@commune_view("plans.add_plan")
def import_upload(request):
    commune = request.commune
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = importing.queue_import(request.user, commune, form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", _error_text(exc))
        else:
            return redirect("plans_admin:import_job", job_id=job.pk)
    return TemplateResponse(request, "plans/import_upload.html", {"form": form, "commune": commune})


def import_job(request, job_id):
    """The reading of an uploaded plan by the worker: its progress (the page refreshes itself), then the draft."""
    job = get_object_or_404(
        tenancy_selectors.scoped(Job.objects.filter(kind=Job.Kind.PLAN_IMPORT), request.user), pk=job_id
    )
    current.require(request, "plans.add_plan", job.commune)
    if job.status == Job.Status.DONE and job.result.get("plan_id"):
        return redirect("plans_admin:import_preview", plan_id=job.result["plan_id"])
    form = PlanUploadForm()
    return TemplateResponse(request, "plans/import_upload.html", {"form": form, "commune": job.commune, "job": job})


def _draft_forms(plan, data=None):
    """The correction forms of the preview, bound to ``data`` (a POST) or filled from what was parsed."""
    parsed = plan.parsed
    header = DraftHeaderForm(data, prefix="header", initial=DraftHeaderForm.initial_from(parsed))
    targets = DraftTargetFormSet(
        data,
        prefix="targets",
        initial=[
            {
                "year": t.get("year"),
                "text": t.get("text", ""),
                "value": plain_number(t.get("value")),
                "unit": t.get("unit") or "",
            }
            for t in parsed.get("targets", [])
        ],
    )
    tasks = DraftTaskFormSet(
        data,
        prefix="tasks",
        initial=[
            {
                "title": task.get("title", ""),
                "lead_units": units_text(task.get("lead_units", [])),
                "cooperating_units": units_text(task.get("cooperating_units", [])),
                "timing": task.get("timing") or "",
                "deadline": iso_date(task.get("deadline")),
            }
            for _group, task in services.draft_tasks(parsed)
        ],
    )
    return header, targets, tasks


def _corrections(header, targets, tasks):
    """What the valid forms hold, in the shape ``services.correct_draft`` takes; the indices of the kept targets."""
    kept = [
        (index, form.cleaned_data)
        for index, form in enumerate(targets.forms)
        if form.has_changed() or index < targets.initial_form_count()
        if not form.cleaned_data.get("DELETE") and form.cleaned_data
    ]
    task_rows = [
        {
            "title": form.cleaned_data["title"],
            "lead_units": split_units_text(form.cleaned_data["lead_units"]),
            "cooperating_units": split_units_text(form.cleaned_data["cooperating_units"]),
            "timing": form.cleaned_data["timing"],
            "deadline": form.cleaned_data["deadline"],
        }
        for form in tasks.forms
    ]
    return header.cleaned_data, kept, task_rows


def import_preview(request, plan_id):
    """The draft as read: the user corrects what the parser got wrong, matches units and indicators, saves."""
    plan = get_object_or_404(selectors.plans(request.user), pk=plan_id)
    current.require(request, "plans.add_plan", plan.commune)
    if plan.status != Plan.Status.DRAFT:
        messages.info(request, _("This version has already been confirmed."))
        return redirect("plans_admin:overview")
    matches = services.unit_matches(plan)
    changes = versions.diff(plan)
    errors = []
    forms = _draft_forms(plan)
    if request.method == "POST":
        if "discard" in request.POST:
            services.discard_draft(request.user, plan)
            messages.success(request, _("The draft was discarded; nothing was saved."))
            return redirect("plans_admin:overview")
        unit_choices = {m.name: request.POST.get(f"unit-{i}", "") for i, m in enumerate(matches)}
        overrides = {
            change.old.pk: request.POST.get(f"task-{change.old.pk}", "")
            for change in changes
            if change.kind == "removed" and f"task-{change.old.pk}" in request.POST
        }
        # The correction forms come with the page; a client that posts only the choices saves what was parsed.
        corrected = "tasks-TOTAL_FORMS" in request.POST
        if corrected:
            forms = _draft_forms(plan, request.POST)
        try:
            with transaction.atomic():
                if corrected:
                    if not all(form.is_valid() for form in forms):
                        raise ValidationError(
                            _("Some corrections are not valid: see the marked fields. Nothing was saved.")
                        )
                    header, kept, task_rows = _corrections(*forms)
                    plan = services.correct_draft(
                        request.user, plan, header=header, targets=[row for _i, row in kept], tasks=task_rows
                    )
                    codes = [request.POST.get(f"target-{index}", "") for index, _row in kept]
                else:
                    codes = [request.POST.get(f"target-{i}", "") for i in range(len(plan.parsed.get("targets", [])))]
                if "correct" in request.POST:
                    messages.success(request, _("Corrections saved in the draft; check them, then save the plan."))
                    return redirect("plans_admin:import_preview", plan_id=plan.pk)
                services.confirm_import(
                    request.user, plan, unit_choices=unit_choices, indicator_codes=codes, task_overrides=overrides
                )
        except ValidationError as exc:
            errors = exc.messages
            plan.refresh_from_db()
        else:
            messages.success(request, _("Plan saved: version %(version)s is now in force.") % {"version": plan.version})
            return redirect("plans_admin:overview")
    header_form, target_forms, task_forms = forms
    suggestions = services.suggested_indicators(plan)
    indicator_choices = hooks.indicator_choices()
    target_rows = [
        (index, form, suggestions[index] if index < len(suggestions) else "")
        for index, form in enumerate(target_forms.forms)
    ]
    task_rows = list(zip(services.draft_tasks(plan.parsed), task_forms.forms, strict=False))
    groups = []
    for (group, task), form in task_rows:
        if not groups or groups[-1][0] is not group:
            groups.append((group, []))
        groups[-1][1].append((task, form))
    ocr = plan.parsed.get("ocr")
    return TemplateResponse(
        request,
        "plans/import_preview.html",
        {
            "plan": plan,
            "parsed": plan.parsed,
            "matches": list(enumerate(matches)),
            "units": Unit.objects.filter(commune=plan.commune).order_by("name"),
            "header_form": header_form,
            "target_forms": target_forms,
            "target_rows": target_rows,
            "task_forms": task_forms,
            "groups": groups,
            "indicator_choices": indicator_choices,
            "errors": errors,
            "warnings": plan.parsed.get("warnings", []),
            "unplaced": plan.parsed.get("unplaced", []),
            "ocr": ocr,
            "ocr_doubtful": [line for line in ocr["lines"] if line["confidence"] < OCR_DOUBTFUL] if ocr else [],
            "ocr_doubtful_below": OCR_DOUBTFUL,
            "changes": changes,
            "in_force": versions.in_force(plan.commune, plan.year),
        },
    )


# An OCR line read with less confidence than this (Tesseract's 0–100) is marked on the preview for checking.
OCR_DOUBTFUL = 80


@require_http_methods(["GET", "POST"])
def restore_version(request, plan_id):
    """Put an earlier version of the plan back in force: GET shows what changes, POST does it."""
    plan = get_object_or_404(selectors.plans(request.user), pk=plan_id)
    current.require(request, "plans.add_plan", plan.commune)
    if request.method != "POST":
        changes = versions.diff(plan)
        context = {
            "page_title": _("Put version %(version)s back in force") % {"version": plan.version},
            "plan": plan,
            "in_force": versions.in_force(plan.commune, plan.year),
            "changes": changes,
            "kept": sum(1 for c in changes if c.kind == "kept"),
        }
        return TemplateResponse(request, "plans/restore_confirm.html", context)
    try:
        services.restore_version(request.user, plan)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("Version %(version)s is in force again; the records follow its tasks.") % {"version": plan.version},
        )
    return redirect("plans_admin:overview")


def _listed_tasks(request, commune):
    """The task list's filter (?mine=1: the tasks of the user's own unit; a unit sees its own by default)."""
    plan = selectors.active_plan(commune)
    own = tenancy.unit_of(request.user, commune)
    mine_only = request.GET.get("mine") == "1" or (
        own is not None
        and "mine" not in request.GET
        and not tenancy.has_commune_perm(request.user, "plans.record_any_activity", commune)
    )
    states = selectors.task_states(plan) if plan else []
    if mine_only and own is not None:
        states = [s for s in states if own in s.task.lead_units.all() or own in s.task.cooperating_units.all()]
    return plan, own, mine_only and own is not None, states


def _filter_query(request) -> str:
    """The listing's filters, to carry into its export links."""
    keep = {k: request.GET[k] for k in ("commune", "mine", "task") if request.GET.get(k)}
    keep["commune"] = str(request.commune.pk)
    return urlencode(keep)


@commune_view("plans.view_task")
def task_list(request):
    commune = request.commune
    plan, own, mine_only, states = _listed_tasks(request, commune)
    query = _filter_query(request)
    if own is not None and "mine" not in request.GET:
        query += f"&mine={int(mine_only)}"
    return TemplateResponse(
        request,
        "plans/task_list.html",
        {
            "commune": commune,
            "plan": plan,
            "states": states,
            "own": own,
            "mine_only": mine_only,
            "status_labels": selectors.STATUS_LABELS,
            "export_query": query,
        },
    )


@commune_view("plans.view_task")
def tasks_xlsx(request):
    """The task list as an Excel file, with the list's filter."""
    _plan, _own, _mine, states = _listed_tasks(request, request.commune)
    return xlsx_response(exports.tasks_xlsx(states), f"nhiem-vu-{request.commune.code}.xlsx")


@commune_view("plans.view_activity")
def activities_xlsx(request):
    """The activities of the listed tasks (?mine=1, or one task with ?task=) as an Excel file."""
    commune = request.commune
    plan, _own, _mine, states = _listed_tasks(request, commune)
    rows = selectors.activities(request.user).filter(commune=commune, task__plan=plan)
    task = request.GET.get("task")
    if task:
        if not task.isdigit():
            raise Http404
        rows = rows.filter(task_id=int(task))
    else:
        rows = rows.filter(task__in=[s.task for s in states])
    rows = rows.select_related("task", "unit").order_by("task__code", "date", "pk")
    return xlsx_response(exports.activities_xlsx(rows), f"hoat-dong-{commune.code}.xlsx")


def _units_for(request, task):
    if tenancy.has_commune_perm(request.user, "plans.record_any_activity", task.commune):
        return Unit.objects.filter(commune=task.commune).exclude(kind=Unit.Kind.EXTERNAL)
    own = tenancy.unit_of(request.user, task.commune)
    return Unit.objects.filter(pk=own.pk) if own else Unit.objects.none()


def task_detail(request, task_id):
    task = get_object_or_404(selectors.tasks(request.user), pk=task_id)
    can_record = tenancy.has_commune_perm(request.user, "plans.add_activity", task.commune)
    units = _units_for(request, task)
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        initial={"date": timezone.localdate(), "unit": units.first()},
    )
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            files, unit = data.pop("files"), data.pop("unit")
            try:
                services.record_activity(request.user, task, unit=unit, files=files, **data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Activity recorded."))
                return redirect("plans_admin:task", task_id=task.pk)
    state = next((s for s in selectors.task_states(task.plan) if s.task.pk == task.pk), None)
    changeable = services.changeable_units(request.user, task)
    return TemplateResponse(
        request,
        "plans/task_detail.html",
        {
            "task": task,
            "state": state,
            "form": form,
            "can_record": can_record and units.exists(),
            "activities": [
                (a, changeable is None or a.unit_id in changeable)
                for a in task.activities.select_related("unit").prefetch_related("evidence")
            ],
            "export_query": urlencode({"commune": task.commune_id, "task": task.pk}),
            "obstacles": task.obstacles.all(),
            "status_labels": selectors.STATUS_LABELS,
            "audit_entries": _audit(task),
        },
    )


def _activity(request, activity_id):
    activity = get_object_or_404(
        selectors.activities(request.user).select_related("task", "unit", "task__plan"), pk=activity_id
    )
    current.require(request, "plans.view_activity", activity.commune)
    return activity


@require_http_methods(["GET", "POST"])
def activity_edit(request, activity_id):
    """Change or delete an activity: its unit (and the focal point), while its period is open."""
    activity = _activity(request, activity_id)
    if not services.can_change_activity(request.user, activity):
        raise PermissionDenied
    task = activity.task
    units = _units_for(request, task)
    form = ActivityEditForm(request.POST or None, instance=activity, units=units)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in ACTIVITY_FIELDS}
        try:
            services.update_activity(request.user, activity, loaded_version=form.cleaned_data.get("version"), **changes)
        except ConcurrentChange as exc:
            keep_typed_values(form, activity)
            add_service_errors(form, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Activity changed."))
            return redirect("plans_admin:task", task_id=task.pk)
    return TemplateResponse(
        request,
        "plans/activity_edit.html",
        {
            "activity": activity,
            "task": task,
            "form": form,
            "can_delete": services.can_change_activity(request.user, activity, "plans.delete_activity"),
            "locked": _locked_text(activity),
        },
    )


def _locked_text(activity) -> str:
    try:
        locks.ensure_record_open(activity, deleting=True)
    except ValidationError as exc:
        return _error_text(exc)
    return ""


@require_http_methods(["POST"])
def activity_delete(request, activity_id):
    activity = _activity(request, activity_id)
    task_id = activity.task_id
    try:
        services.delete_activity(request.user, activity)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("plans_admin:activity_edit", activity_id=activity.pk)
    messages.success(request, _("Activity deleted."))
    return redirect("plans_admin:task", task_id=task_id)


def _audit(obj):
    return tenancy_history.entries(obj, limit=50)


def evidence_file(request, evidence_id):
    evidence = get_object_or_404(tenancy_selectors.scoped(Evidence.objects.all(), request.user), pk=evidence_id)
    current.require(request, "plans.view_activity", evidence.commune)
    return files.serve(request, evidence.file, filename=evidence.name, content_type=evidence.content_type)


def plan_source(request, plan_id):
    """The file a plan version was imported from, as uploaded (private: same permission as the plan)."""
    plan = get_object_or_404(tenancy_selectors.scoped(Plan.objects.all(), request.user), pk=plan_id)
    current.require(request, "plans.view_plan", plan.commune)
    return files.serve(request, plan.source_file, filename=plan.source_name)


@commune_view("plans.view_obstacle")
def obstacle_list(request):
    commune = request.commune
    can_raise = tenancy.has_commune_perm(request.user, "plans.add_obstacle", commune)
    units = _units_for_obstacle(request, commune)
    form = ObstacleForm(
        request.POST or None, units=units, tasks=Task.objects.filter(commune=commune, plan__status=Plan.Status.ACTIVE)
    )
    if request.method == "POST":
        if not can_raise:
            raise PermissionDenied
        if form.is_valid():
            try:
                obstacle = services.raise_obstacle(request.user, commune, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(request, _("Obstacle sent to the PVHCC focal point."))
                return redirect("plans_admin:obstacle", obstacle_id=obstacle.pk)
    items = selectors.obstacles(request.user).filter(commune=commune)
    return TemplateResponse(
        request,
        "plans/obstacle_list.html",
        {"commune": commune, "obstacles": items, "form": form, "can_raise": can_raise and units.exists()},
    )


def _units_for_obstacle(request, commune):
    if tenancy.has_commune_perm(request.user, "plans.record_any_activity", commune):
        return Unit.objects.filter(commune=commune).exclude(kind=Unit.Kind.EXTERNAL)
    own = tenancy.unit_of(request.user, commune)
    return Unit.objects.filter(pk=own.pk) if own else Unit.objects.none()


def obstacle_detail(request, obstacle_id):
    obstacle = get_object_or_404(selectors.obstacles(request.user), pk=obstacle_id)
    form = ObstacleActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_obstacle(request.user, obstacle, form.cleaned_data["action"], form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("plans_admin:obstacle", obstacle_id=obstacle.pk)
    allowed = OBSTACLE_FLOW.allowed_actions(request.user, obstacle)
    return TemplateResponse(
        request,
        "plans/obstacle_detail.html",
        {"obstacle": obstacle, "events": obstacle.events.select_related("user"), "form": form, "allowed": allowed},
    )


@commune_view("plans.view_calendarevent")
def calendar_view(request):
    commune = request.commune
    # "2.027" is what a year looked like when templates grouped its digits: it still reads as 2027.
    year = numbers.parse_year(request.GET.get("year")) or timezone.localdate().year
    feed_url = None
    if request.method == "POST":
        with transaction.atomic():
            CalendarFeed.objects.filter(commune=commune, created_by=request.user, revoked_at=None).update(
                revoked_at=timezone.now()
            )
            token = secrets.token_urlsafe(24)
            CalendarFeed.objects.create(
                commune=commune, created_by=request.user, token_hash=hashlib.sha256(token.encode()).hexdigest()
            )
        feed_url = request.build_absolute_uri(reverse("plans:ical", kwargs={"token": token}))
    events = selectors.calendar(request.user).filter(commune=commune, date__year=year)
    return TemplateResponse(
        request, "plans/calendar.html", {"commune": commune, "events": events, "year": year, "feed_url": feed_url}
    )


@require_GET
def ical_feed(request, token):
    """The commune's calendar as iCal, for a private link (only the token's hash is stored)."""
    feed = services.calendar_feed_for_token(hashlib.sha256(token.encode()).hexdigest())
    if feed is None:
        raise Http404
    cal = Calendar()
    cal.add("prodid", "-//Lan Toa//lantoa//VI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Lan Tỏa — {feed.commune.name}")
    for event in CalendarEvent.objects.filter(commune=feed.commune).order_by("date"):
        item = Event()
        item.add("uid", f"{event.key}@{feed.commune.code}.lantoa")
        item.add("summary", event.title)
        item.add("dtstart", event.date)
        item.add("dtstamp", timezone.now())
        for days in services.reminder_days(event.kind):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", event.title)
            alarm.add("trigger", -timezone.timedelta(days=days))
            item.add_component(alarm)
        cal.add_component(item)
    return HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
