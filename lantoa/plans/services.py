"""Every write of the plans app: import, activities, obstacles, calendar. Validated, permission-checked, atomic."""

from __future__ import annotations

import datetime as dt
import json
import logging
import mimetypes
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lantoa.tenancy import jobs, locks, uploads
from lantoa.tenancy import services as tenancy
from lantoa.tenancy.models import Commune, Unit
from lantoa.tenancy.text import match_key, normalize_name
from lantoa.tenancy.versions import ConcurrentChange

from . import hooks, versions
from .models import (
    ACTIVITY_FIELDS,
    Activity,
    CalendarEvent,
    CalendarFeed,
    Evidence,
    Obstacle,
    ObstacleEvent,
    Plan,
    PlanTarget,
    Reminder,
    SolutionGroup,
    Task,
    UnitDuty,
)
from .parser import ParsedPlan, PlanParseError, parse_plan_file
from .workflow import OBSTACLE_FLOW

logger = logging.getLogger("lantoa.plans")

MAX_PLAN_BYTES = 10 * 1024 * 1024
# Reading a plan in the worker: a child process with at most this much time and memory. A PDF or a photo may
# be a scan read by OCR (about 5 s a page, at most parser_ocr.MAX_PAGES pages): it gets more time.
PARSE_SECONDS = 120
SCAN_SECONDS = 300
PARSE_MEMORY_MB = 1024
PLAN_EXTENSIONS = {".txt", ".docx", ".doc", ".odt", ".pdf", ".jpg", ".jpeg", ".png"}
SCAN_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png"}
# The first bytes of each binary format: a file whose content does not match its name is refused at once.
PLAN_MAGIC = {
    ".docx": b"PK\x03\x04",
    ".odt": b"PK\x03\x04",
    ".doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    ".pdf": b"%PDF",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG\r\n\x1a\n",
}
# A photo of the plan: at most this many pixels (Pillow reads only the header to check it).
MAX_PLAN_PIXELS = 40_000_000
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG",
    "image/webp": b"RIFF",
    "application/pdf": b"%PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"PK\x03\x04",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": b"PK\x03\x04",
}
REMINDER_DAYS = (14, 3)
# Reports are reminded 10 and 3 days before their deadline (20/6, 20/12); everything else 14 and 3.
REMINDER_DAYS_BY_KIND = {"report_deadline": (10, 3)}


# --- Plan import -----------------------------------------------------------------------------


def check_plan_upload(uploaded, extensions: set[str] = PLAN_EXTENSIONS, max_bytes: int = MAX_PLAN_BYTES) -> str:
    name = Path(uploaded.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in extensions:
        raise ValidationError(
            _("Unsupported file type “%(name)s”: use %(types)s.")
            % {"name": name, "types": ", ".join(sorted(extensions))}
        )
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB; at most %(max)s MB).")
            % {"size": round(uploaded.size / 1_048_576, 1), "max": max_bytes // 1_048_576}
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."))
    # A DOCX that unpacks to far more than it weighs, or a PDF of too many pages, is refused before any parsing.
    uploads.check_upload(uploaded, name, max_bytes=max_bytes)
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    magic = PLAN_MAGIC.get(suffix)
    if magic and not head.startswith(magic):
        raise ValidationError(
            _("The file “%(name)s” is damaged or is not what its name says (%(type)s).")
            % {"name": name, "type": suffix}
        )
    if suffix in (".jpg", ".jpeg", ".png"):
        _check_plan_image(uploaded, name)
    return name


def _check_plan_image(uploaded, name: str) -> None:
    """A photo of the plan: Pillow reads its header only; a decompression bomb is refused before OCR."""
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 — only photos need it

    try:
        with Image.open(uploaded) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("The file “%(name)s” is damaged or is not a JPEG or PNG photo.") % {"name": name}
        ) from exc
    finally:
        uploaded.seek(0)
    if width * height > MAX_PLAN_PIXELS:
        raise ValidationError(
            _("The photo “%(name)s” has %(mpx)s megapixels; at most %(max)s are accepted.")
            % {"name": name, "mpx": round(width * height / 1e6), "max": MAX_PLAN_PIXELS // 1_000_000}
        )


def _limit_message(exc: jobs.LimitExceeded, seconds: int = PARSE_SECONDS) -> str:
    if exc.code == "timeout":
        return _(
            "Reading this document took more than %(seconds)s seconds and was stopped. Save it again as a plain "
            "Word document (without embedded objects) or as text, and upload it again."
        ) % {"seconds": seconds}
    if exc.code == "memory":
        return _(
            "Reading this document needed more memory than the server allows and was stopped. Save it again as "
            "a plain Word document (without embedded objects) or as text, and upload it again."
        )
    detail = exc.detail.split(": ", 1)[-1] if exc.detail.startswith("CommandError") else ""
    return detail or _("The document could not be read. Check that it is the signed plan and upload it again.")


def run_import_job(job_id: int) -> dict:
    """The worker's part of an import: parse in a limited child process, then keep the draft (a short write)."""
    with override(settings.LANGUAGE_CODE):
        job = jobs.claim(job_id)
        if job is None:
            return {"job": job_id, "status": "skipped"}
        try:
            jobs.step(job, 10, _("Reading the document"))
            with job.input_file.open("rb") as handle:
                content = handle.read()
            suffix = Path(job.input_name).suffix.lower()
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"plan{suffix}"
                path.write_bytes(content)
                seconds = SCAN_SECONDS if suffix in SCAN_EXTENSIONS else PARSE_SECONDS
                output = jobs.run_limited(["parse_plan", str(path)], seconds=seconds, memory_mb=PARSE_MEMORY_MB)
            parsed = json.loads(output)
            jobs.step(job, 80, _("Saving the draft"))
            plan = _save_draft(job.created_by, job.commune, job.input_name, content, parsed)
        except jobs.LimitExceeded as exc:
            seconds = SCAN_SECONDS if Path(job.input_name).suffix.lower() in SCAN_EXTENSIONS else PARSE_SECONDS
            jobs.fail(job, _limit_message(exc, seconds))
            return {"job": job_id, "status": "failed", "reason": exc.code}
        except ValidationError as exc:
            jobs.fail(job, " ".join(exc.messages))
            return {"job": job_id, "status": "failed"}
        except Exception as exc:
            logger.exception("plan import job %s failed", job_id)
            jobs.fail(
                job,
                _(
                    "Unexpected error while reading the plan (%(error)s). Upload it again; if it fails again, tell "
                    "the administrator."
                )
                % {"error": type(exc).__name__},
            )
            raise
        jobs.finish(job, {"plan_id": plan.pk})
        return {"job": job_id, "status": "done", "plan_id": plan.pk}


def start_import(actor, commune: Commune, uploaded) -> Plan:
    """Read an uploaded plan now (the demo, the tests, the command line) and keep it as a draft version.

    Nothing but the draft (with the original file and what was parsed) is written; the tasks,
    targets and duties are created only when the draft is confirmed. Pages use :func:`queue_import`.
    """
    tenancy.require_commune_perm(actor, "plans.add_plan", commune)
    name = check_plan_upload(uploaded, PLAN_EXTENSIONS, MAX_PLAN_BYTES)
    uploaded.seek(0)
    content = uploaded.read()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"plan{Path(name).suffix.lower()}"
        path.write_bytes(content)
        try:
            parsed = parse_plan_file(path)
        except PlanParseError as exc:
            raise ValidationError(str(exc)) from exc
    return _save_draft(actor, commune, name, content, parsed)


@transaction.atomic
def _save_draft(actor, commune: Commune, name: str, content: bytes, parsed: ParsedPlan) -> Plan:
    tenancy.require_commune_perm(actor, "plans.add_plan", commune)
    if not parsed["groups"]:
        raise ValidationError(_("No solution group or task was found in this document: is it a plan?"))
    year = _plan_year(parsed)
    version = (Plan.objects.filter(commune=commune, year=year).aggregate(v=Max("version"))["v"] or 0) + 1
    signer = parsed["signer"]
    plan = Plan(
        commune=commune,
        title=parsed["title"] or name,
        number=parsed["number"] or "",
        place=parsed["place"] or "",
        issued_on=parsed["date"],
        year=year,
        basis=parsed["basis"] or "",
        version=version,
        status=Plan.Status.DRAFT,
        parsed=parsed,
        source_name=name,
        recipients=parsed["recipients"],
        created_by=actor,
        signer_name=signer["name"] or "",
        signer_title=signer["title"] or "",
        signer_on_behalf=signer["on_behalf"] or "",
    )
    plan.source_file.save(name, ContentFile(content), save=False)
    plan.full_clean()
    plan.save()
    return plan


def _plan_year(parsed: ParsedPlan) -> int:
    if parsed["date"]:
        return int(parsed["date"][:4])
    years = [t["year"] for t in parsed["targets"] if t["year"]]
    if years:
        return min(years)
    return timezone.localdate().year


def draft_tasks(parsed: ParsedPlan) -> list[tuple[dict, dict]]:
    """Every task of a draft with its group, in the order the preview lists them."""
    return [(group, task) for group in parsed.get("groups", []) for task in group.get("tasks", [])]


@transaction.atomic
def correct_draft(actor, plan: Plan, *, header: dict, targets: list[dict], tasks: list[dict]) -> Plan:
    """Save what the user corrected on the preview into the draft, before it is confirmed.

    ``header``: number, place, date (a ``date`` or None), signer_on_behalf, signer_title, signer_name.
    ``targets``: the targets to keep, in order: year (int or None), text, value (Decimal or None), unit.
    ``tasks``: one dict per task of the draft, in :func:`draft_tasks` order: title, lead_units and
    cooperating_units (lists of names), timing, deadline (a ``date`` or None). The corrected values replace
    the parsed ones in ``Plan.parsed`` (what ``confirm_import`` creates the plan from) and in the draft's
    fields; the year (and so the version number) follows a corrected date.
    """
    tenancy.require_commune_perm(actor, "plans.add_plan", plan.commune)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("This plan version has already been confirmed."))
    parsed = json.loads(json.dumps(plan.parsed))  # a copy: nothing changes unless everything is valid
    listed = draft_tasks(parsed)
    if len(tasks) != len(listed):
        raise ValidationError(_("The list of tasks changed while you were correcting it: open the preview again."))
    for (_group, task), corrected in zip(listed, tasks, strict=True):
        title = (corrected.get("title") or "").strip()
        if not title:
            raise ValidationError(_("Task %(code)s: the title cannot be empty.") % {"code": task["code"]})
        deadline = corrected.get("deadline")
        task.update(
            title=title,
            lead_units=[normalize_name(n) for n in corrected.get("lead_units", []) if n.strip()],
            cooperating_units=[normalize_name(n) for n in corrected.get("cooperating_units", []) if n.strip()],
            timing=(corrected.get("timing") or "").strip(),
            deadline=deadline.isoformat() if deadline else None,
        )
    kept = []
    for target in targets:
        text = (target.get("text") or "").strip()
        if not text:
            raise ValidationError(_("A target cannot be empty: write it or tick “Remove”."))
        value = target.get("value")
        kept.append(
            {
                "year": target.get("year"),
                "text": text,
                "value": float(value) if value is not None else None,
                "unit": (target.get("unit") or "").strip() or None,
            }
        )
    parsed["targets"] = kept
    date = header.get("date")
    parsed.update(
        number=(header.get("number") or "").strip() or None,
        place=(header.get("place") or "").strip() or None,
        date=date.isoformat() if date else None,
        signer={
            "name": (header.get("signer_name") or "").strip() or None,
            "title": (header.get("signer_title") or "").strip() or None,
            "on_behalf": (header.get("signer_on_behalf") or "").strip() or None,
        },
    )
    year = _plan_year(parsed)
    if year != plan.year:
        others = Plan.objects.filter(commune=plan.commune, year=year).exclude(pk=plan.pk)
        plan.version = (others.aggregate(v=Max("version"))["v"] or 0) + 1
        plan.year = year
    plan.parsed = parsed
    plan.number = parsed["number"] or ""
    plan.place = parsed["place"] or ""
    plan.issued_on = date
    plan.signer_name = parsed["signer"]["name"] or ""
    plan.signer_title = parsed["signer"]["title"] or ""
    plan.signer_on_behalf = parsed["signer"]["on_behalf"] or ""
    plan.full_clean()
    plan.save()
    return plan


@dataclass
class UnitMatch:
    """A unit name as written in the plan, and the commune's unit it was matched to (if any)."""

    name: str
    unit: Unit | None
    roles: set[str] = field(default_factory=set)

    @property
    def collective(self) -> bool:
        """“Các phòng chuyên môn”, “Các đơn vị có liên quan”: a group of units, not one unit."""
        return match_key(self.name).startswith("cac ")

    @property
    def default_choice(self) -> int | str:
        """What the preview proposes: the matched unit, else leave a collective out, else create the unit."""
        if self.unit is not None:
            return self.unit.pk
        return "" if self.collective else "new"


def unit_matches(plan: Plan) -> list[UnitMatch]:
    """Every unit named in the draft (tasks and duties), matched to the commune's units by spelling-proof key."""
    parsed: ParsedPlan = plan.parsed
    by_key = {u.match_key: u for u in Unit.objects.filter(commune=plan.commune)}
    found: dict[str, UnitMatch] = {}
    for group in parsed.get("groups", []):
        for task in group.get("tasks", []):
            for role, names in (
                ("lead", task.get("lead_units", [])),
                ("cooperating", task.get("cooperating_units", [])),
            ):
                for raw in names:
                    name = normalize_name(raw)
                    match = found.setdefault(match_key(name), UnitMatch(name, by_key.get(match_key(name))))
                    match.roles.add(role)
    for duty in parsed.get("duties", []):
        name = normalize_name(duty["unit"])
        found.setdefault(match_key(name), UnitMatch(name, by_key.get(match_key(name)))).roles.add("duty")
    return sorted(found.values(), key=lambda m: (m.unit is not None, m.name))


def suggested_indicators(plan: Plan) -> list[str]:
    parsed: ParsedPlan = plan.parsed
    return [hooks.suggest_indicator(t.get("text", "")) for t in parsed.get("targets", [])]


@transaction.atomic
def confirm_import(
    actor,
    plan: Plan,
    *,
    unit_choices: dict[str, int | str],
    indicator_codes: list[str],
    task_overrides: dict[int, str] | None = None,
) -> Plan:
    """Turn a draft into the plan in force: create units chosen for creation, groups, tasks, targets, duties.

    ``unit_choices`` maps each unit name as written in the draft to a Unit id of the commune, or to
    "new" (create a unit with that name), or to "" (leave the unit out). The previous plan of the
    same year in force becomes "superseded"; nothing is overwritten, and its records (activities, obstacles,
    progress, links from the apps above) move to the matching tasks of the new version (``versions.carry_over``;
    ``task_overrides`` maps an old task id to a new task code, or to "" to leave its records behind).
    """
    tenancy.require_commune_perm(actor, "plans.add_plan", plan.commune)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("This plan version has already been confirmed."))
    commune = plan.commune
    resolved: dict[str, Unit | None] = {}
    for match in unit_matches(plan):
        choice = unit_choices.get(match.name, match.default_choice)
        if choice == "new":
            resolved[match_key(match.name)] = tenancy.ensure_unit(commune, match.name)
        elif choice in ("", None):
            resolved[match_key(match.name)] = None
        else:
            unit = Unit.objects.filter(commune=commune, pk=choice).first()
            if unit is None:
                raise ValidationError(_("Unit “%(name)s”: choose one of this commune's units.") % {"name": match.name})
            resolved[match_key(match.name)] = unit

    def units(names):
        found = [resolved.get(match_key(normalize_name(n))) for n in names]
        return [u for u in found if u is not None]

    parsed: ParsedPlan = plan.parsed  # the draft keeps the parser's output as it was
    targets = parsed.get("targets", [])
    if len(indicator_codes) != len(targets):
        raise ValidationError(_("Map each target of the plan to an indicator (or to none)."))
    known = {code for code, _label in hooks.indicator_choices()}
    for index, (target, code) in enumerate(zip(targets, indicator_codes, strict=True)):
        if code and known and code not in known:
            raise ValidationError(_("Unknown indicator “%(code)s”.") % {"code": code})
        PlanTarget.objects.create(
            commune=commune,
            plan=plan,
            year=target["year"] or plan.year,
            whole_period=target["year"] is None,
            text=target["text"],
            value=Decimal(str(target["value"])) if target.get("value") is not None else None,
            unit=(target.get("unit") or "")[: PlanTarget._meta.get_field("unit").max_length],
            indicator_code=code or "",
            order=index,
        )
    order = 0
    created: dict[str, Task] = {}
    details: list[tuple[Task, str]] = []
    for g_index, group in enumerate(parsed.get("groups", [])):
        sg = SolutionGroup.objects.create(
            commune=commune, plan=plan, code=group["code"], title=group["title"], order=g_index
        )
        for task in group.get("tasks", []):
            order += 1
            obj = Task.objects.create(
                commune=commune,
                plan=plan,
                group=sg,
                code=task["code"],
                title=task["title"],
                timing=task.get("timing") or "",
                deadline=task.get("deadline"),
                order=order,
            )
            obj.lead_units.set(units(task.get("lead_units", [])))
            obj.cooperating_units.set(units(task.get("cooperating_units", [])))
            created[obj.code] = obj
            if task.get("detail_of"):
                details.append((obj, task["detail_of"]))
    for detail, parent_code in details:  # an appendix row detailing a narrative task
        if parent_code in created:
            detail.detail_of = created[parent_code]
            detail.save(update_fields=["detail_of"])
    for d_index, duty in enumerate(parsed.get("duties", [])):
        unit = resolved.get(match_key(normalize_name(duty["unit"])))
        if unit is not None:
            UnitDuty.objects.create(commune=commune, plan=plan, unit=unit, items=duty.get("items", []), order=d_index)
    previous = versions.in_force(commune, plan.year)
    if previous is not None:
        versions.carry_over(actor, previous, plan, task_overrides)
        previous.status = Plan.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    plan.status = Plan.Status.ACTIVE
    plan.save(update_fields=["status"])
    ensure_calendar(commune, plan.year)
    return plan


@transaction.atomic
def restore_version(actor, plan: Plan) -> Plan:
    """Put an earlier version back in force; the records made since move back to its matching tasks."""
    tenancy.require_commune_perm(actor, "plans.add_plan", plan.commune)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.SUPERSEDED:
        raise ValidationError(_("Only an earlier version of the plan can be restored."))
    current = versions.in_force(plan.commune, plan.year)
    if current is not None:
        versions.carry_over(actor, current, plan)
        current.status = Plan.Status.SUPERSEDED
        current.save(update_fields=["status"])
    plan.status = Plan.Status.ACTIVE
    plan.save(update_fields=["status"])
    ensure_calendar(plan.commune, plan.year)
    return plan


@transaction.atomic
def discard_draft(actor, plan: Plan) -> None:
    tenancy.require_commune_perm(actor, "plans.add_plan", plan.commune)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("Only a draft can be discarded; a confirmed plan is kept as a version."))
    plan.source_file.delete(save=False)
    plan.delete()


# --- Activities ------------------------------------------------------------------------------


def units_of_task(task: Task) -> set[int]:
    return set(task.lead_units.values_list("pk", flat=True)) | set(task.cooperating_units.values_list("pk", flat=True))


def can_record_for(actor, task: Task, unit: Unit) -> bool:
    """PVHCC and the leadership record for any unit; anyone else only for their own unit on its own tasks."""
    if tenancy.has_commune_perm(actor, "plans.record_any_activity", task.commune_id):
        return True
    own = tenancy.unit_of(actor, task.commune_id)
    return own is not None and own.pk == unit.pk and unit.pk in units_of_task(task)


def _check_evidence(upload) -> tuple[str, str]:
    name = Path(upload.name or "tep").name
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("“%(name)s” is larger than 10 MB.") % {"name": name})
    head = upload.read(8)
    upload.seek(0)
    guessed = mimetypes.guess_type(name)[0] or ""
    if guessed not in EVIDENCE_TYPES or not head.startswith(EVIDENCE_TYPES[guessed]):
        raise ValidationError(
            _("“%(name)s” is not an accepted file (photos JPEG/PNG/WebP, PDF, Word or Excel).") % {"name": name}
        )
    uploads.check_upload(upload, name, max_bytes=MAX_EVIDENCE_BYTES)
    return name, guessed


@transaction.atomic
def record_activity(actor, task: Task, *, unit: Unit, files=(), **fields) -> Activity:
    """Record what a unit did under a task, with its evidence files; all or nothing."""
    tenancy.require_commune_perm(actor, "plans.add_activity", task.commune_id)
    if unit.commune_id != task.commune_id:
        raise ValidationError({"unit": _("This must belong to the same commune.")})
    if not can_record_for(actor, task, unit):
        raise PermissionDenied(_("You can only record activities of your own unit, on its own tasks."))
    activity = Activity(commune_id=task.commune_id, task=task, unit=unit, created_by=actor, **fields)
    if activity.end_date and activity.date and activity.end_date < activity.date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    if activity.date and activity.date > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationError({"date": _("An activity is recorded after it happens: the date is in the future.")})
    activity.full_clean()
    locks.ensure_open(task.commune_id, activity.date, activity.end_date, field="date")
    activity.save()
    checked = [(_check_evidence(f), f) for f in files]
    for (name, content_type), upload in checked:
        Evidence.objects.create(
            commune_id=task.commune_id,
            activity=activity,
            file=upload,
            name=name,
            content_type=content_type,
            size=upload.size,
        )
    if activity.progress == 100 and task.deadline and not task.completed_on:
        task.completed_on = activity.date
        task.save(update_fields=["completed_on"])
    return activity


def can_change_activity(actor, activity: Activity, perm: str = "plans.change_activity") -> bool:
    """The unit that recorded an activity changes or deletes it (and the focal point, who records for any unit)."""
    return tenancy.has_commune_perm(actor, perm, activity.commune_id) and can_record_for(
        actor, activity.task, activity.unit
    )


def changeable_units(actor, task: Task) -> set[int] | None:
    """The units whose activities of ``task`` the actor may change: None for every unit (the focal point)."""
    if not tenancy.has_commune_perm(actor, "plans.change_activity", task.commune_id):
        return set()
    if tenancy.has_commune_perm(actor, "plans.record_any_activity", task.commune_id):
        return None
    own = tenancy.unit_of(actor, task.commune_id)
    return {own.pk} & units_of_task(task) if own else set()


@transaction.atomic
def update_activity(actor, activity: Activity, loaded_version: int | None = None, **changes) -> Activity:
    """Change what was recorded of an activity; the audit trail keeps the old values. Refused in a locked period
    (for its old dates and its new ones), and refused with ``ConcurrentChange`` when the activity was saved by
    someone else after the form was loaded (``loaded_version``)."""
    tenancy.require_commune_perm(actor, "plans.change_activity", activity.commune_id)
    stored = Activity.objects.select_for_update(of=("self",)).select_related("task", "unit").get(pk=activity.pk)
    if loaded_version is not None and stored.version != loaded_version:
        raise ConcurrentChange(stored, loaded_version)
    if not can_record_for(actor, stored.task, stored.unit):
        raise PermissionDenied(_("You can only change activities of your own unit."))
    for name, value in changes.items():
        if name not in ACTIVITY_FIELDS:
            raise ValidationError({name: _("This field cannot be changed here.")})
        setattr(stored, name, value)
    if stored.unit.commune_id != stored.commune_id:
        raise ValidationError({"unit": _("This must belong to the same commune.")})
    if not can_record_for(actor, stored.task, stored.unit):
        raise PermissionDenied(_("You can only record activities of your own unit, on its own tasks."))
    if stored.end_date and stored.date and stored.end_date < stored.date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    if stored.date and stored.date > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationError({"date": _("An activity is recorded after it happens: the date is in the future.")})
    stored.full_clean(exclude=["created_by"])  # a recorder whose login was removed leaves it empty
    locks.ensure_record_open(stored)
    stored.save()
    task = stored.task
    if stored.progress == 100 and task.deadline and not task.completed_on:
        task.completed_on = stored.date
        task.save(update_fields=["completed_on"])
    return stored


@transaction.atomic
def delete_activity(actor, activity: Activity) -> None:
    """Delete an activity of the actor's unit (with its evidence); the audit trail keeps what it was."""
    tenancy.require_commune_perm(actor, "plans.delete_activity", activity.commune_id)
    if not can_record_for(actor, activity.task, activity.unit):
        raise PermissionDenied(_("You can only change activities of your own unit."))
    locks.ensure_record_open(activity, deleting=True)
    try:
        activity.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _(
                "This activity has records that count in the indicators (contacts, briefings, trainings…); "
                "delete those first."
            )
        ) from exc


# --- Obstacles -------------------------------------------------------------------------------


@transaction.atomic
def raise_obstacle(
    actor, commune: Commune, *, unit: Unit, title: str, description: str, proposal: str = "", task: Task | None = None
) -> Obstacle:
    tenancy.require_commune_perm(actor, "plans.add_obstacle", commune)
    obstacle = Obstacle(
        commune=commune, unit=unit, task=task, title=title, description=description, proposal=proposal, raised_by=actor
    )
    if unit.commune_id != commune.pk or (task is not None and task.commune_id != commune.pk):
        raise ValidationError(_("This must belong to the same commune."))
    obstacle.full_clean()
    locks.ensure_open(commune, timezone.now())
    obstacle.save()
    ObstacleEvent.record(obstacle, "raise", actor, description)
    tenancy.notify(
        tenancy.users_with_role(commune, "pvhcc"),
        commune,
        _("New obstacle: %(title)s") % {"title": title},
        description,
        f"/admin/plans/obstacles/{obstacle.pk}/",
    )
    return obstacle


@transaction.atomic
def move_obstacle(actor, obstacle: Obstacle, action: str, text: str = "") -> Obstacle:
    """Escalate (PVHCC → leadership), answer (leadership), close or reopen an obstacle, with its history."""
    if action == "comment":
        tenancy.require_commune_perm(actor, "plans.view_obstacle", obstacle.commune_id)
        if not text.strip():
            raise ValidationError(_("Write a comment."))
        ObstacleEvent.record(obstacle, "comment", actor, text)
        return obstacle
    if action not in {t.action for t in OBSTACLE_FLOW.transitions}:
        raise ValidationError(_("Unknown action."))
    obstacle = Obstacle.objects.select_for_update().get(pk=obstacle.pk)
    transition = OBSTACLE_FLOW.check(actor, obstacle, action)
    now = timezone.now()
    locks.ensure_open(obstacle.commune_id, now)  # each step is dated the day it happens
    if action == "answer":
        if not text.strip():
            raise ValidationError(_("Write the answer."))
        obstacle.answer, obstacle.answered_at = text, now
    elif action == "escalate":
        obstacle.escalated_at = now
    elif action == "close":
        obstacle.closed_at = now
    OBSTACLE_FLOW.move(obstacle, transition)
    obstacle.save()
    ObstacleEvent.record(obstacle, action, actor, text)
    commune = obstacle.commune
    url = f"/admin/plans/obstacles/{obstacle.pk}/"
    if action == "escalate":
        tenancy.notify(
            tenancy.users_with_role(commune, "leadership"),
            commune,
            _("Obstacle escalated: %(title)s") % {"title": obstacle.title},
            text,
            url,
        )
    elif action == "answer" and obstacle.raised_by:
        tenancy.notify(
            [obstacle.raised_by],
            commune,
            _("Your obstacle was answered: %(title)s") % {"title": obstacle.title},
            text,
            url,
        )
    return obstacle


# --- Calendar and reminders ------------------------------------------------------------------

NATIONAL_DAYS = [
    (5, 18, "science_day", "Ngày Khoa học và Công nghệ Việt Nam (18/5)"),
    (10, 1, "innovation_day", "Ngày hội Đổi mới sáng tạo quốc gia (1/10)"),
    (10, 10, "digital_day", "Ngày Chuyển đổi số quốc gia (10/10)"),
]
REPORT_DEADLINES = [
    (6, 20, "report_h1", "Hạn gửi báo cáo 6 tháng đầu năm (trước 20/6)"),
    (12, 20, "report_year", "Hạn gửi báo cáo năm (trước 20/12)"),
]


@transaction.atomic
def ensure_calendar(commune: Commune, year: int) -> int:
    """Create the commune's calendar for a year (idempotent): national days, report deadlines, dated tasks."""
    lead = Unit.objects.filter(commune=commune, kind=Unit.Kind.LEAD_CENTRE)
    created = 0
    for month, day, key, title in NATIONAL_DAYS:
        event, made = CalendarEvent.objects.get_or_create(
            commune=commune,
            key=f"{key}:{year}",
            defaults={"date": dt.date(year, month, day), "title": title, "kind": CalendarEvent.Kind.NATIONAL_DAY},
        )
        if made:
            event.units.set(lead)
        created += made
    for month, day, key, title in REPORT_DEADLINES:
        event, made = CalendarEvent.objects.get_or_create(
            commune=commune,
            key=f"{key}:{year}",
            defaults={"date": dt.date(year, month, day), "title": title, "kind": CalendarEvent.Kind.REPORT_DEADLINE},
        )
        if made:
            event.units.set(lead)
        created += made
    lead_ids = list(lead.values_list("pk", flat=True))
    for plan in Plan.objects.filter(commune=commune, status=Plan.Status.ACTIVE):
        created += _plan_events(plan, year, lead_ids)
    for task in Task.objects.filter(commune=commune, plan__status=Plan.Status.ACTIVE, deadline__year=year):
        event, made = CalendarEvent.objects.update_or_create(
            commune=commune,
            key=f"task:{task.pk}",
            defaults={
                "date": task.deadline,
                "title": _("Deadline of task %(code)s") % {"code": task.code} + f": {task.title[:200]}",
                "kind": CalendarEvent.Kind.TASK_DEADLINE,
                "task": task,
            },
        )
        event.units.set(task.lead_units.all())
        created += made
    return created


def _plan_events(plan: Plan, year: int, unit_ids: list[int]) -> int:
    """The reporting duties the plan dates itself ("trước ngày 15/6 hằng năm") in the year's calendar."""
    created = 0
    for index, event in enumerate(plan.parsed.get("events", [])):
        if event.get("recurrence") != "yearly" and event.get("year") != year:
            continue
        try:
            day = dt.date(year, event["month"], event["day"])
        except (KeyError, TypeError, ValueError):
            continue
        obj, made = CalendarEvent.objects.get_or_create(
            commune=plan.commune,
            key=f"plan-event:{plan.pk}:{index}:{year}",
            defaults={"date": day, "title": event["text"][:300], "kind": CalendarEvent.Kind.REPORT_DEADLINE},
        )
        if made:
            obj.units.set(unit_ids)
        created += made
    return created


def reminder_days(kind: str) -> tuple[int, ...]:
    return REMINDER_DAYS_BY_KIND.get(kind, REMINDER_DAYS)


def send_due_reminders(today: dt.date | None = None) -> int:
    """Remind the responsible units before each event (14 and 3 days; reports 10 and 3), in-app and e-mail, once."""
    today = today or timezone.localdate()
    sent = 0
    for days in sorted({d for kind in CalendarEvent.Kind.values for d in reminder_days(kind)}, reverse=True):
        target = today + dt.timedelta(days=days)
        kinds = [k for k in CalendarEvent.Kind.values if days in reminder_days(k)]
        events = CalendarEvent.objects.filter(date=target, kind__in=kinds)
        for event in events.select_related("commune").prefetch_related("units"):
            for unit in event.units.all():
                with transaction.atomic():
                    reminder, made = Reminder.objects.get_or_create(
                        commune_id=event.commune_id, event=event, unit=unit, days_before=days
                    )
                    if not made and reminder.sent_at:
                        continue
                    users = [s.user for s in unit.staff.filter(user__isnull=False, user__is_active=True)]
                    users += list(tenancy.users_with_role(event.commune, "pvhcc"))
                    title = _("In %(days)s days (%(date)s): %(title)s") % {
                        "days": days,
                        "date": event.date.strftime("%d/%m/%Y"),
                        "title": event.title,
                    }
                    tenancy.notify(
                        {u.pk: u for u in users}.values(), event.commune, title, str(unit), "/admin/plans/calendar/"
                    )
                    if unit.email:
                        send_mail(title[:200], title, None, [unit.email], fail_silently=True)
                    reminder.sent_at = timezone.now()
                    reminder.save(update_fields=["sent_at"])
                    sent += 1
    return sent


# --- Private calendar links ------------------------------------------------------------------------------


def revoke_calendar_links(sender=None, *, user, **kwargs) -> int:
    """Revoke every iCal link ``user`` made (receiver of tenancy's ``user_deactivated``). Returns how many."""
    return CalendarFeed.objects.filter(created_by=user, revoked_at=None).update(revoked_at=timezone.now())


def calendar_feed_for_token(token_hash: str) -> CalendarFeed | None:
    """The live iCal link with this token hash. A link whose maker is no longer active (or was deleted) is revoked
    now and not returned: a deactivated account's links stop working even when it was deactivated in bulk."""
    feed = CalendarFeed.objects.filter(token_hash=token_hash, revoked_at=None).select_related("commune", "created_by")
    feed = feed.first()
    if feed is not None and (feed.created_by is None or not feed.created_by.is_active):
        CalendarFeed.objects.filter(pk=feed.pk).update(revoked_at=timezone.now())
        return None
    return feed
