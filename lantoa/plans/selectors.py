"""Reads of the plans app: scoped querysets, task status and the weighted roll-up to groups and the plan.

Status rules (also in docs/plans.md):
- A task with a deadline: "done" once completed (an activity reported 100% progress); "late" when its
  deadline has passed without that; "in progress" once any activity is recorded; else "not started".
  Its progress is the last progress an activity reported (0 when none).
- An ongoing task ("Thường xuyên", no deadline) is judged in the current half-year: its progress is the
  share of the half-year's elapsed months in which at least one activity was recorded; it is "late"
  when no activity was recorded in the half-year's last 45 days (and the half-year is older than
  that), "in progress" otherwise when it has any activity, "not started" when it has none at all.
- A task detailed by rows of the plan's appendix (``Task.detail_of``) counts through those rows only.
- Groups and the plan take the weighted mean of their tasks' progress (weights from Task.weight),
  as Decidim's accountability results do; a group is late if any of its tasks is late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, QuerySet
from django.utils import timezone

from lantoa.tenancy import selectors as tenancy

from .models import Activity, CalendarEvent, Obstacle, Plan, Task

LATE_AFTER_DAYS = 45


def plans(user) -> QuerySet[Plan]:
    return tenancy.scoped(Plan.objects.all(), user)


def active_plan(commune) -> Plan | None:
    return Plan.objects.filter(commune=commune, status=Plan.Status.ACTIVE).order_by("-year", "-version").first()


def tasks(user) -> QuerySet[Task]:
    return tenancy.scoped(Task.objects.select_related("group", "plan"), user).prefetch_related(
        "lead_units", "cooperating_units"
    )


def activities(user) -> QuerySet[Activity]:
    return tenancy.scoped(Activity.objects.select_related("task", "unit"), user)


def obstacles(user) -> QuerySet[Obstacle]:
    return tenancy.scoped(Obstacle.objects.select_related("unit", "task"), user)


def calendar(user) -> QuerySet[CalendarEvent]:
    return tenancy.scoped(CalendarEvent.objects.select_related("task"), user).prefetch_related("units")


def half_year(day: dt.date) -> tuple[dt.date, dt.date]:
    if day.month <= 6:
        return dt.date(day.year, 1, 1), dt.date(day.year, 6, 30)
    return dt.date(day.year, 7, 1), dt.date(day.year, 12, 31)


@dataclass
class TaskState:
    task: Task
    status: str
    progress: int
    last_activity: dt.date | None
    activities_in_half: int

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def task_states(plan: Plan, today: dt.date | None = None) -> list[TaskState]:
    """Status and progress of every task of the plan, computed from its activities (3 queries)."""
    today = today or timezone.localdate()
    start, _end = half_year(today)
    rows = (
        Activity.objects.filter(task__plan=plan).values("task_id", "date", "progress").order_by("task_id", "date", "pk")
    )
    by_task: dict[int, list[dict]] = {}
    for row in rows:
        by_task.setdefault(row["task_id"], []).append(row)
    months_elapsed = (today.year - start.year) * 12 + today.month - start.month + 1
    states = []
    for task in plan.tasks.select_related("group").prefetch_related("lead_units", "cooperating_units"):
        acts = by_task.get(task.pk, [])
        last = acts[-1]["date"] if acts else None
        in_half = [a for a in acts if start <= a["date"] <= today]
        if task.deadline:
            reported = [a["progress"] for a in acts if a["progress"] is not None]
            progress = 100 if task.completed_on else (reported[-1] if reported else 0)
            if task.completed_on or progress >= 100:
                status = Task.Status.DONE
            elif task.deadline < today:
                status = Task.Status.LATE
            elif acts:
                status = Task.Status.IN_PROGRESS
            else:
                status = Task.Status.NOT_STARTED
        else:
            months = {(a["date"].year, a["date"].month) for a in in_half}
            progress = round(100 * min(len(months), months_elapsed) / months_elapsed) if months_elapsed else 0
            quiet_since = today - dt.timedelta(days=LATE_AFTER_DAYS)
            recent = any(a["date"] > quiet_since for a in in_half)
            if not acts:
                status = Task.Status.LATE if (today - start).days > LATE_AFTER_DAYS else Task.Status.NOT_STARTED
            elif not recent and (today - start).days > LATE_AFTER_DAYS:
                status = Task.Status.LATE
            else:
                status = Task.Status.IN_PROGRESS
        states.append(TaskState(task, status, progress, last, len(in_half)))
    return states


@dataclass
class Rollup:
    code: str
    title: str
    progress: int
    status: str
    tasks: list[TaskState] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _combine(states: list[TaskState]) -> tuple[int, str]:
    weight = sum(s.task.weight for s in states)
    progress = round(sum(s.task.weight * s.progress for s in states) / weight) if weight else 0
    statuses = {s.status for s in states}
    if Task.Status.LATE in statuses:
        status = Task.Status.LATE
    elif statuses == {Task.Status.DONE}:
        status = Task.Status.DONE
    elif statuses <= {Task.Status.NOT_STARTED}:
        status = Task.Status.NOT_STARTED
    else:
        status = Task.Status.IN_PROGRESS
    return progress, status


def rollup(plan: Plan, today: dt.date | None = None) -> tuple[Rollup, list[Rollup]]:
    """The plan's and each group's weighted progress and status."""
    # A task detailed by appendix rows counts through them, not a second time itself.
    states = task_states(plan, today)
    detailed = {s.task.detail_of_id for s in states if s.task.detail_of_id}
    states = [s for s in states if s.task.pk not in detailed]
    groups = []
    for group in plan.groups.all():
        mine = [s for s in states if s.task.group_id == group.pk]
        progress, status = _combine(mine)
        groups.append(Rollup(group.code, group.title, progress, status, mine))
    progress, status = _combine(states)
    return Rollup("", plan.title, progress, status, states), groups


def last_activity_per_unit(plan: Plan) -> list[dict]:
    return list(
        Activity.objects.filter(task__plan=plan)
        .values("unit__name", "unit_id")
        .annotate(last=Max("date"))
        .order_by("-last")
    )


STATUS_LABELS = dict(Task.Status.choices)
