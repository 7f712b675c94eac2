#!/usr/bin/env python
"""Benchmark of the back office: the ten clicks users wait on most, each against 1 second (issue 12.8).

    .venv/bin/python bench/admin.py            # 15 timed runs of each action
    .venv/bin/python bench/admin.py --quick    # 5 runs; the last line is a one-line summary

What it does, in-process (Django's test client, no network, no browser):

1. builds the demo in a throwaway folder (migrate, ``load_demo``) on SQLite — or on ``--database-url`` — with
   ``DEBUG=0`` as in production;
2. signs in as the role that does each action (force_login: the sign-in itself is not timed) and requests it once
   untimed (the first request of a process imports and compiles templates), then N times;
3. prints the median and the 95th percentile of each, its number of SQL queries, and the ratio of the p95 to the
   1-second target; as a baseline measured in the same run, the cheapest page of the back office (the account
   page, no figures) — what the framework alone costs on this machine now.

The two writes (an activity recorded on a task, a visit of three households) add records at each run, as the
users would. The machine's load average is printed: other work on the machine skews the figures.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 1.0
DEMO_CODE = 2026


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 runs per action instead of 15")
    parser.add_argument("--runs", type=int, help="timed runs per action")
    parser.add_argument("--database-url", help="use this database instead of a throwaway SQLite file")
    parser.add_argument("--var", help="reuse this LANTOA_VAR_DIR (its database already migrated and loaded)")
    return parser.parse_args()


def setup(args) -> None:
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["LANTOA_VAR_DIR"] = args.var or tempfile.mkdtemp(prefix="lantoa-bench-admin-")
    os.environ["DEBUG"] = "0"
    Path(os.environ["LANTOA_VAR_DIR"], "static").mkdir(exist_ok=True)  # whitenoise's root (no collectstatic here)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("compilemessages", verbosity=0)
    t1 = time.perf_counter()
    from lantoa.tenancy.models import Commune

    if not (args.var and Commune.objects.filter(code=DEMO_CODE).exists()):
        call_command("load_demo", stdout=open(os.devnull, "w"))
    print(f"migrated in {t1 - t0:.0f} s, demo loaded in {time.perf_counter() - t1:.0f} s", flush=True)
    # One JSON line per request would drown the table (it is still written: the handler's cost stays in the figures).
    logging.getLogger("lantoa.request").handlers = [logging.NullHandler()]


# --- The actions --------------------------------------------------------------------------------------------------


class Action:
    def __init__(self, label: str, username: str, method: str, url, data=None, expect=(200,)):
        self.label, self.username, self.method = label, username, method
        self.url, self.data, self.expect = url, data, expect


def actions(commune) -> list[Action]:
    """The ten commonest clicks, each by the role that makes it, on the demo's records."""
    from django.utils import timezone
    from wagtail.models import Page

    from lantoa.plans.models import Activity, Task
    from lantoa.reach.models import Contact
    from lantoa.reports.models import Report
    from lantoa.tenancy.models import Household, Staff

    today = timezone.localdate()
    donvi_unit = Staff.objects.get(commune=commune, user__username="donvi").unit
    task = (
        Task.objects.filter(commune=commune, plan__status="active", lead_units=donvi_unit).order_by("pk").first()
        or Task.objects.filter(commune=commune, plan__status="active").order_by("pk").first()
    )
    report = Report.objects.filter(commune=commune).order_by("-pk").first()
    # A hamlet of the team's own: the visit form answers 404 for the others.
    hamlet = Staff.objects.get(commune=commune, user__username="tocns").hamlets.order_by("pk").first()
    visit_activity = (
        Activity.objects.filter(commune=commune, channel="community_team").order_by("pk").first()
        or Activity.objects.filter(commune=commune).order_by("pk").first()
    )
    column_item = (
        Page.objects.descendant_of(commune.root_page).exclude(depth__lte=commune.root_page.depth + 1).live()
    ).order_by("-pk").first() or commune.root_page
    reached = set(Contact.objects.filter(commune=commune, date=today).values_list("household_id", flat=True))
    free = Household.objects.filter(hamlet=hamlet).exclude(pk__in=reached).order_by("pk").values_list("pk", flat=True)
    counter = iter(range(10**6))

    def visit_data():
        # Three households not visited yet today, as the team ticks them on the phone.
        n = next(counter)
        return {
            "activity": visit_activity.pk,
            "date": today.isoformat(),
            "household": [str(pk) for pk in list(free)[3 * n : 3 * n + 3]],
        }

    def activity_data():
        n = next(counter)
        return {
            "unit": donvi_unit.pk,
            "title": f"Tuyên truyền Nghị quyết 57 tại nhà văn hóa, buổi {n}",
            "date": today.isoformat(),
            "location": "Nhà văn hóa thôn",
            "channel": "conference",
            "audience": "Nhân dân",
            "people_count": "45",
            "progress": "",
            "description": "",
            "links": "",
        }

    result = [
        Action("Landing page (leadership)", "lanhdao", "get", "/admin/"),
        Action("Plan overview", "pvhcc", "get", "/admin/plans/"),
        Action("Task list (unit)", "donvi", "get", "/admin/plans/tasks/"),
        Action("Record an activity (unit)", "donvi", "post", f"/admin/plans/tasks/{task.pk}/", activity_data, (302,)),
        Action(
            "Save a visit (digital team)", "tocns", "post", f"/reach/hamlets/{hamlet.pk}/visits/", visit_data, (302,)
        ),
        Action("Contacts listing", "pvhcc", "get", f"/reach/communes/{commune.pk}/contacts/"),
        Action("Reach dashboard", "lanhdao", "get", f"/reach/communes/{commune.pk}/"),
        Action("Column item edit page", "bientap", "get", f"/admin/pages/{column_item.pk}/edit/"),
        Action("Radio programme", "bientap", "get", f"/radio/communes/{commune.pk}/program/"),
        Action("Obstacle list", "pvhcc", "get", "/admin/plans/obstacles/"),
    ]
    if report is not None:
        result.insert(6, Action("Report preview", "pvhcc", "get", f"/admin/baocao/{report.pk}/"))
        result.pop(7)  # the report preview is commoner than the reach dashboard for the focal point
    return result


# --- Measuring ----------------------------------------------------------------------------------------------------


def client_for(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(raise_request_exception=True)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def timed(client, action: Action) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = action.data() if callable(action.data) else action.data
    connection.queries_log.clear()  # a full log (9,000 queries) would make the count below read 0
    with CaptureQueriesContext(connection) as queries:
        t0, c0 = time.perf_counter(), time.process_time()
        send = getattr(client, action.method)
        response = send(action.url, data) if data else send(action.url)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    if response.status_code not in action.expect:
        body = response.content.decode(errors="replace")[:600] if not getattr(response, "streaming", False) else ""
        sys.exit(f"{action.label}: {action.method.upper()} {action.url} answered {response.status_code}\n{body}")
    return elapsed, cpu, len(queries)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(action: Action, runs: int) -> dict:
    client = client_for(action.username)
    timed(client, action)  # warm: imports, template compilation, the first query of each kind
    times, cpus, queries = [], [], 0
    for _i in range(runs):
        elapsed, cpu, queries = timed(client, action)
        times.append(elapsed)
        cpus.append(cpu)
    return {
        "median": statistics.median(times),
        "p95": p95(times),
        "max": max(times),
        "cpu": statistics.median(cpus),
        "queries": queries,
    }


def main() -> None:
    args = parse_args()
    runs = args.runs or (5 if args.quick else 15)
    setup(args)
    from django.utils import translation

    from lantoa.tenancy.models import Commune

    translation.activate("vi")
    commune = Commune.objects.get(code=DEMO_CODE)
    baseline = measure(Action("Account page (baseline)", "pvhcc", "get", "/admin/account/"), runs)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; {runs} runs per action; target 1 s")
    print(f"{'action':<34} {'median':>8} {'p95':>8} {'max':>8} {'CPU':>8} {'SQL':>5} {'p95/1 s':>8} {'×base':>6}")
    rows = [("Account page (baseline)", baseline)]
    for action in actions(commune):
        rows.append((action.label, measure(action, runs)))
    slow = []
    for index, (label, r) in enumerate(rows):
        verdict = "ok" if r["p95"] < TARGET_S else "SLOW"
        if verdict == "SLOW" and index:
            slow.append(label)
        print(
            f"{label:<34} {r['median'] * 1000:>6.0f}ms {r['p95'] * 1000:>6.0f}ms {r['max'] * 1000:>6.0f}ms "
            f"{r['cpu'] * 1000:>6.0f}ms {r['queries']:>5} {r['p95'] / TARGET_S:>7.2f} "
            f"{r['median'] / baseline['median']:>6.1f} {verdict}"
        )
    print(
        "median/p95/max: wall-clock time of the request; CPU: this process's CPU time for it (the database is SQLite,"
        " in-process), what the request costs when it has a core to itself."
    )
    worst = max(rows[1:], key=lambda row: row[1]["p95"])
    summary = "all under 1 s" if not slow else "over 1 s: " + ", ".join(slow)
    print(f"SUMMARY {len(rows) - 1} actions, worst p95 {worst[1]['p95'] * 1000:.0f} ms ({worst[0]}); {summary}")


if __name__ == "__main__":
    main()
