"""Versions of a plan: what a re-import changes, and carrying a year of tracking over to the version in force.

A commune re-imports its plan when the document is amended. The records made under the old version — activities,
obstacles, progress (a completed task), and what the apps above link to a task (column items, publications,
budget lines, through ``follow_task_links``) — move to the matching task of the new version. Tasks match by
code and, failing that, by their title (accents and spacing ignored); the preview shows every task as kept,
changed, added or removed, and a removed task that holds records is mapped by the user or stays, visibly, with
the old version. Restoring an earlier version carries the records back the same way. Issued reports keep the
version they were drafted from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import django.dispatch
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lantoa.tenancy.text import fold

from .models import Activity, CalendarEvent, Obstacle, Plan, Task

# Sent inside the transaction after records moved from old tasks to new ones: ``commune`` and ``task_map``
# ({old task id: new task id}). Apps above plans re-point their own links to tasks (``follow_task_links``).
tasks_carried_over = django.dispatch.Signal()


def follow_task_links(model, field: str) -> None:
    """Make ``model.<field>`` (a foreign key to ``plans.Task`` in an app above plans) follow its task to the version
    that comes into force. Called once per link from the app's ``plan_versions`` module."""

    def follow(sender, commune, task_map: dict[int, int], **kwargs) -> None:
        for old_id, new_id in task_map.items():
            model.objects.filter(**{f"{field}_id": old_id}).update(**{f"{field}_id": new_id})

    tasks_carried_over.connect(follow, weak=False, dispatch_uid=f"follow_task_links:{model._meta.label}.{field}")


@dataclass(frozen=True)
class TaskRef:
    """A task on either side of a comparison: a saved task, or one parsed from a new document."""

    code: str
    title: str
    pk: int | None = None


@dataclass(frozen=True)
class TaskChange:
    """One line of the diff between the version in force and the new one."""

    kind: str  # "kept", "changed", "added", "removed"
    old: TaskRef | None
    new: TaskRef | None
    records: int = 0  # activities and obstacles held by the old task


def _title_key(title: str) -> str:
    return " ".join(fold(title).split()).strip(" .;:")


def match(old: Iterable[TaskRef], new: Iterable[TaskRef]) -> dict[TaskRef, TaskRef]:
    """Pair old tasks with new ones: the same code first, then the same title among those left."""
    old, new = list(old), list(new)
    pairs: dict[TaskRef, TaskRef] = {}
    by_code = {t.code: t for t in new}
    for task in old:
        if task.code in by_code and by_code[task.code] not in pairs.values():
            pairs[task] = by_code[task.code]
    left_new = {_title_key(t.title): t for t in new if t not in pairs.values()}
    for task in old:
        if task not in pairs and _title_key(task.title) in left_new:
            pairs[task] = left_new.pop(_title_key(task.title))
    return pairs


def _refs(plan: Plan) -> list[TaskRef]:
    return [TaskRef(t.code, t.title, t.pk) for t in Task.objects.filter(plan=plan).order_by("order")]


def _parsed_refs(parsed: dict) -> list[TaskRef]:
    return [TaskRef(t["code"], t["title"]) for g in parsed.get("groups", []) for t in g.get("tasks", [])]


def _record_counts(task_ids: list[int]) -> dict[int, int]:
    counts = dict.fromkeys(task_ids, 0)
    for model in (Activity, Obstacle):
        for task_id in model.objects.filter(task_id__in=task_ids).values_list("task_id", flat=True):
            counts[task_id] += 1
    return counts


def in_force(commune, year: int) -> Plan | None:
    return Plan.objects.filter(commune=commune, year=year, status=Plan.Status.ACTIVE).first()


def diff(draft: Plan) -> list[TaskChange]:
    """What putting ``draft`` in force changes against the version in force of its year (empty if there is none).

    ``draft`` is a parsed import waiting for confirmation, or an earlier version about to be restored.
    """
    current = in_force(draft.commune, draft.year)
    if current is None or current.pk == draft.pk:
        return []
    old = _refs(current)
    new = _parsed_refs(draft.parsed) if draft.status == Plan.Status.DRAFT else _refs(draft)
    pairs = match(old, new)
    counts = _record_counts([t.pk for t in old])
    changes = []
    for task in old:
        twin = pairs.get(task)
        if twin is None:
            changes.append(TaskChange("removed", task, None, counts[task.pk]))
        elif twin.code == task.code and _title_key(twin.title) == _title_key(task.title):
            changes.append(TaskChange("kept", task, twin, counts[task.pk]))
        else:
            changes.append(TaskChange("changed", task, twin, counts[task.pk]))
    matched = set(pairs.values())
    changes += [TaskChange("added", None, t) for t in new if t not in matched]
    return changes


def carry_over(actor, source: Plan, target: Plan, overrides: dict[int, str] | None = None) -> dict[int, int]:
    """Move the records of ``source``'s tasks to the matching tasks of ``target``; returns {old id: new id}.

    ``overrides`` maps an old task id to the code of a task of ``target`` (the user's choice for a task the
    matching could not place), or to "" to leave its records with ``source``.
    """
    new_tasks = {t.code: t for t in Task.objects.filter(plan=target)}
    pairs = match(_refs(source), _refs(target))
    task_map: dict[int, int] = {old.pk: new.pk for old, new in pairs.items()}
    for old_id, code in (overrides or {}).items():
        if not code:
            task_map.pop(old_id, None)
        elif code in new_tasks:
            task_map[old_id] = new_tasks[code].pk
        else:
            raise ValidationError(_("Task %(code)s is not in the new version.") % {"code": code})
    old_tasks = {t.pk: t for t in Task.objects.filter(pk__in=task_map)}
    for old_id, new_id in task_map.items():
        # save() one by one so the audit trail shows each record moving to its new task
        for record in [*Activity.objects.filter(task_id=old_id), *Obstacle.objects.filter(task_id=old_id)]:
            record.task_id = new_id
            record.save(update_fields=["task"])
        old = old_tasks[old_id]
        if old.completed_on:
            Task.objects.filter(pk=new_id, completed_on__isnull=True).update(completed_on=old.completed_on)
    # The deadlines of tasks no longer in force leave the calendar (the version in force gets its own).
    CalendarEvent.objects.filter(
        commune=source.commune, kind=CalendarEvent.Kind.TASK_DEADLINE, task__plan=source
    ).delete()
    tasks_carried_over.send(sender=Plan, commune=source.commune, task_map=task_map)
    return task_map


__all__ = [
    "TaskChange",
    "TaskRef",
    "carry_over",
    "diff",
    "follow_task_links",
    "in_force",
    "match",
    "tasks_carried_over",
]
