"""Reads of the budget that pages, documents and the report share; always scoped to a commune.

The figures a cut-off day gives (``as_of``):
- a line counts when it is approved (the year's estimate is a plan for the year, often entered in the system
  after it was approved on paper, so its approval date does not decide);
- its estimate is the amount of the last adjustment approved on or before the day, else the original;
- spent is the sum of its spending entries dated from 1 January of the line's year up to the day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from lantoa.reach.models import Contact, TrainingCompletion
from lantoa.tenancy import services as tenancy
from lantoa.tenancy.models import Commune, Unit
from lantoa.tenancy.selectors import scoped

from .models import Adjustment, EstimateLine, Spending, Status

ECONOMIC_OFFICE = "Phòng Kinh tế"


def lines(user) -> QuerySet[EstimateLine]:
    return scoped(EstimateLine.objects.select_related("unit", "task", "commune"), user)


def economic_office(commune: Commune) -> Unit | None:
    """The commune's Economic Office (the unit named "Phòng Kinh tế", however it is spelled)."""
    return tenancy.find_unit(commune, ECONOMIC_OFFICE)


def can_consolidate(user, commune: Commune) -> bool:
    """PVHCC and the leadership (``consolidate_estimateline``), and the staff of the Economic Office."""
    if tenancy.has_commune_perm(user, "budget.consolidate_estimateline", commune):
        return True
    office = economic_office(commune)
    return (
        office is not None
        and tenancy.has_commune_perm(user, "budget.view_estimateline", commune)
        and tenancy.unit_of(user, commune) == office
    )


def can_enter_for(user, commune: Commune, unit: Unit | None) -> bool:
    """Whether ``user`` may draft lines and record spending for ``unit`` (their own unit, or any with the perm)."""
    if not tenancy.has_commune_perm(user, "budget.add_estimateline", commune):
        return False
    if tenancy.has_commune_perm(user, "budget.enter_for_any_unit", commune):
        return True
    return unit is not None and tenancy.unit_of(user, commune) == unit


def _approved_by(as_of: dt.date | None) -> Q:
    if as_of is None:
        return Q(status=Status.APPROVED)
    return Q(status=Status.APPROVED) & (Q(approved_at__isnull=True) | Q(approved_at__date__lte=as_of))


def approved_lines(commune: Commune, year: int) -> QuerySet[EstimateLine]:
    return (
        EstimateLine.objects.filter(commune=commune, year=year, status=Status.APPROVED)
        .select_related("unit", "task")
        .order_by("task__order", "task__code", "unit__name", "pk")
    )


def current_amounts(line_ids, as_of: dt.date | None = None) -> dict[int, tuple[Decimal, int]]:
    """line id → (estimate in force, number of the adjustment giving it) for the lines that were adjusted."""
    out: dict[int, tuple[Decimal, int]] = {}
    for adj in Adjustment.objects.filter(Q(line_id__in=list(line_ids)) & _approved_by(as_of)).order_by("number"):
        out[adj.line_id] = (adj.amount, adj.number)
    return out


def spent_by_line(line_ids, as_of: dt.date | None = None, year: int | None = None) -> dict[int, Decimal]:
    """line id → sum of the spending entries dated up to ``as_of`` (and in ``year`` when given)."""
    rows = Spending.objects.filter(line_id__in=list(line_ids))
    if as_of is not None:
        rows = rows.filter(date__lte=as_of)
    if year is not None:
        rows = rows.filter(date__year=year)
    return {r["line_id"]: r["total"] for r in rows.values("line_id").annotate(total=Sum("amount"))}


@dataclass
class LineFigures:
    line: EstimateLine
    original: Decimal
    current: Decimal
    adjustment: int  # the number of the adjustment in force, 0 for the original
    spent: Decimal | None  # None: no entry up to the day


def figures(commune: Commune, year: int, as_of: dt.date | None = None, qs=None) -> list[LineFigures]:
    """The approved lines of a year with their estimate in force and the spending up to ``as_of``."""
    found = list(qs if qs is not None else approved_lines(commune, year))
    ids = [line.pk for line in found]
    adjusted = current_amounts(ids, as_of)
    spent = spent_by_line(ids, as_of, year)
    return [
        LineFigures(
            line,
            line.amount,
            adjusted.get(line.pk, (line.amount, 0))[0],
            adjusted.get(line.pk, (line.amount, 0))[1],
            spent.get(line.pk),
        )
        for line in found
    ]


def versions(line: EstimateLine) -> list[dict]:
    """Original, each adjustment, and the estimate in force: the columns shown side by side."""
    out = [{"label": "original", "amount": line.amount, "status": line.status, "at": line.approved_at}]
    current = line.amount if line.status == Status.APPROVED else None
    for adj in line.adjustments.order_by("number"):
        out.append({"label": adj.number, "amount": adj.amount, "status": adj.status, "at": adj.approved_at, "adj": adj})
        if adj.status == Status.APPROVED:
            current = adj.amount
    return out + [{"label": "current", "amount": current, "status": "", "at": None}]


def open_adjustment(line: EstimateLine) -> Adjustment | None:
    return line.adjustments.exclude(status=Status.APPROVED).order_by("-number").first()


@dataclass
class TaskCost:
    task: object
    estimate: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    households: int = 0
    officials: int = 0
    lines: list = field(default_factory=list)

    @property
    def per_household(self) -> Decimal | None:
        return (self.spent / self.households).quantize(Decimal(1)) if self.households else None

    @property
    def per_official(self) -> Decimal | None:
        return (self.spent / self.officials).quantize(Decimal(1)) if self.officials else None


def task_costs(commune: Commune, year: int, as_of: dt.date) -> list[TaskCost]:
    """Per task with approved lines: spending up to ``as_of``, the households its activities reached in person
    (distinct households of attributable contacts dated in the year up to ``as_of``) and the officials who
    completed a training course linked to one of its activities in that time; and the cost of each."""
    start = dt.date(year, 1, 1)
    by_task: dict[int, TaskCost] = {}
    for row in figures(commune, year, as_of):
        if row.line.task_id is None:
            continue
        cost = by_task.setdefault(row.line.task_id, TaskCost(row.line.task))
        cost.estimate += row.current
        cost.spent += row.spent or 0
        cost.lines.append(row)
    for task_id, cost in by_task.items():
        cost.households = (
            Contact.objects.filter(
                commune=commune,
                activity__task_id=task_id,
                household__isnull=False,
                channel__in=Contact.ATTRIBUTABLE,
                date__gte=start,
                date__lte=as_of,
            )
            .values("household_id")
            .distinct()
            .count()
        )
        cost.officials = (
            TrainingCompletion.objects.filter(
                commune=commune,
                course__activity__task_id=task_id,
                completed_on__gte=start,
                completed_on__lte=as_of,
            )
            .values("staff_id")
            .distinct()
            .count()
        )
    return sorted(by_task.values(), key=lambda c: (c.task.order, c.task.code))
