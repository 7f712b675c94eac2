"""Fixtures of the reach tests: a plan with a task and activities, created directly (plain models)."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.plans.models import Activity, Plan, SolutionGroup, Task


def make_plan(commune, *, year: int = 2026, tag: str = "", version: int = 1) -> dict:
    plan = Plan.objects.create(
        commune=commune, title=f"Kế hoạch thử {tag}".strip(), year=year, version=version, status=Plan.Status.ACTIVE
    )
    group = SolutionGroup.objects.create(commune=commune, plan=plan, code="1", title=f"Nhóm giải pháp {tag}")
    task = Task.objects.create(
        commune=commune,
        plan=plan,
        group=group,
        code="1.4",
        title=f"Phát huy vai trò của Tổ công nghệ số cộng đồng {tag}",
    )
    return {"plan": plan, "group": group, "task": task}


def make_activity(
    commune,
    task,
    unit,
    *,
    channel: str = "community_team",
    date=dt.date(2026, 3, 1),
    title: str = "Tổ công nghệ số đến từng hộ",
) -> Activity:
    return Activity.objects.create(commune=commune, task=task, unit=unit, title=title, date=date, channel=channel)


@pytest.fixture
def plan_a(commune_a):
    return make_plan(commune_a)


@pytest.fixture
def visit_activity(commune_a, data_a, plan_a):
    return make_activity(commune_a, plan_a["task"], data_a["unit"])
