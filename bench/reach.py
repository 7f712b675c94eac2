#!/usr/bin/env python
"""Benchmark of the reach indicators on a province-sized PostgreSQL database.

Generates a province (100 communes, 1,000 hamlets, 300,000 households, 1,000,000 residents, 20,000,000
contacts over two years, plus staff, briefings, trainings, S&T tasks, column items, broadcasts, awards and
surveys) with set-based SQL (generate_series), builds the aggregates from scratch, then times, as
medians of several runs:

* the baseline: the plain COUNT(DISTINCT household) over the raw contacts, for one commune and for the
  whole province (index on commune, date, household);
* one commune's full dashboard data (``selectors.dashboard_data``: every indicator, targets, projection,
  trend by quarter, hamlets, channels);
* the province comparison (``selectors.province_comparison``: every indicator of every commune);
* applying a batch of 10,000 new contacts (``services.record_contacts_bulk``: insert + incremental
  aggregates), committed.

Each time is printed with its ratio to its baseline; the last line sums the ratios up. It starts its own
throwaway PostgreSQL cluster (scripts/with-postgres, 127.0.0.1 only) unless --database-url is given.

Usage: .venv/bin/python bench/reach.py [--scale 0.01] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 12, 31)  # the benchmark's "today": the end of the second year of data
START = dt.date(2025, 1, 1)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = full province; 0.01 = a quick check")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (the median is printed)")
    parser.add_argument("--database-url", help="use this PostgreSQL instead of a throwaway cluster")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    elif not os.environ.get("LANTOA_BENCH_INNER"):
        env = {**os.environ, "LANTOA_BENCH_INNER": "1"}
        cmd = [str(ROOT / "scripts" / "with-postgres"), sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]]
        sys.exit(subprocess.call(cmd, env=env, cwd=ROOT))
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/reach.py needs PostgreSQL (DATABASE_URL)")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - t0:.1f} s", flush=True)
    sizes = generate(args.scale)
    measure(sizes, args.runs)


# --- Data ------------------------------------------------------------------------------------------------


def _sql(cursor, sql: str, params=None, label: str | None = None) -> None:
    t0 = time.perf_counter()
    cursor.execute(sql, params or [])
    if label:
        print(f"  {label}: {time.perf_counter() - t0:.1f} s", flush=True)


def generate(scale: float) -> dict:
    from django.db import connection, transaction

    from lantoa.reach import engine

    communes = max(2, round(100 * scale))
    hamlets_per = 10
    households_per = 3000  # a commune keeps its real size; --scale shrinks the number of communes
    contacts = round(20_000_000 * scale)
    households = communes * households_per
    sizes = {"communes": communes, "hamlets": communes * hamlets_per, "households": households, "contacts": contacts}
    print(
        f"generating: {communes} communes, {communes * hamlets_per} hamlets, {households:,} households, "
        f"{contacts:,} contacts",
        flush=True,
    )
    t0 = time.perf_counter()
    with transaction.atomic():
        ids = _small_tables(communes, hamlets_per, households_per)
    with connection.cursor() as c:
        c.execute("SET maintenance_work_mem = '1GB'")
        c.execute("SET work_mem = '256MB'")
        c.execute("SELECT setseed(0.57)")
        # Households: per hamlet a block of codes; members 2, 3, 5 in turn: 10/3 on average (1,000,000 / 300,000).
        _sql(
            c,
            """
            INSERT INTO tenancy_household (commune_id, hamlet_id, code, members, head_name, phone, updated_at)
            SELECT %(c0)s + (g / %(hpc)s), %(h0)s + (g / %(hph)s), 'HH' || lpad(g::text, 7, '0'),
                   CASE g %% 3 WHEN 0 THEN 2 WHEN 1 THEN 3 ELSE 5 END, '', '', now()
            FROM generate_series(0, %(n)s - 1) g ORDER BY g
        """,
            {
                "c0": ids["commune0"],
                "h0": ids["hamlet0"],
                "hpc": households_per,
                "hph": households_per // hamlets_per,
                "n": households,
            },
            "households",
        )
        c.execute("SELECT min(id) FROM tenancy_household")
        hh0 = c.fetchone()[0]
        # Contacts: without index maintenance and foreign-key triggers while loading, then indexes rebuilt.
        c.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'reach_contact' "
            "AND indexname NOT LIKE '%%pkey'"
        )
        indexes = c.fetchall()
        for name, _definition in indexes:
            c.execute(f'DROP INDEX "{name}"')
        c.execute("SET session_replication_role = replica")
        # Each commune reaches its households unevenly (skew 1..3 by commune): some households often,
        # others rarely or never; 80% visits, 15% meetings, 5% bulletin boards (not attributable).
        _sql(
            c,
            """
            INSERT INTO reach_contact (commune_id, activity_id, channel, date, hamlet_id, household_id, per, people,
                                       note, created_at)
            SELECT %(c0)s + x.ci, %(a0)s + x.ci * 24 + ((x.d / 31) %% 24),
                   CASE WHEN x.r < 0.80 THEN 'visit' WHEN x.r < 0.95 THEN 'meeting' ELSE 'board' END,
                   DATE %(start)s + x.d, %(h0)s + (x.ci * %(hpc)s + x.hi) / %(hph)s,
                   CASE WHEN x.r < 0.95 THEN %(hh0)s + x.ci * %(hpc)s + x.hi END, 'household', 1, '', now()
            FROM (
                SELECT floor(random() * %(nc)s)::int AS ci, random() AS r, floor(random() * 730)::int AS d,
                       random() AS u, g
                FROM generate_series(1, %(n)s) g
            ) y CROSS JOIN LATERAL (
                SELECT y.ci, y.r, y.d, least(%(hpc)s - 1, floor(%(hpc)s * power(y.u, 1 + (y.ci %% 3))))::int AS hi
            ) x
        """,
            {
                "c0": ids["commune0"],
                "a0": ids["activity0"],
                "start": START,
                "h0": ids["hamlet0"],
                "hpc": households_per,
                "hph": households_per // hamlets_per,
                "hh0": hh0,
                "nc": communes,
                "n": contacts,
            },
            "contacts",
        )
        c.execute("SET session_replication_role = DEFAULT")
        t1 = time.perf_counter()
        for _name, definition in indexes:
            c.execute(definition)
        print(f"  contact indexes: {time.perf_counter() - t1:.1f} s", flush=True)
        _sql(c, "VACUUM ANALYZE", label="vacuum analyze")
    t1 = time.perf_counter()
    engine.recompute()
    print(f"  aggregates from scratch (recompute_indicators): {time.perf_counter() - t1:.1f} s", flush=True)
    with connection.cursor() as c:
        _sql(c, "VACUUM ANALYZE", label="vacuum analyze")
        c.execute("SELECT sum(members) FROM tenancy_household")
        sizes["residents"] = c.fetchone()[0]
    print(f"generated in {time.perf_counter() - t0:.0f} s: {sizes['residents']:,} residents", flush=True)
    return sizes


def _small_tables(communes: int, hamlets_per: int, households_per: int) -> dict:
    """Province, communes, hamlets, staff, plan, activities and the small records, through the ORM."""
    import random

    from django.utils import timezone

    from lantoa.plans.models import Activity, Plan, PlanTarget, SolutionGroup, Task
    from lantoa.reach.models import (
        Award,
        Briefing,
        Broadcast,
        Publication,
        ScienceTask,
        Survey,
        SurveyStratum,
        TrainingCompletion,
        TrainingCourse,
    )
    from lantoa.tenancy.models import Commune, Hamlet, Province, Staff, Unit

    rng = random.Random(57)
    province = Province.objects.create(code=99, name="Tỉnh Thử nghiệm", division_type="tỉnh")
    commune_rows = Commune.objects.bulk_create(
        [
            Commune(code=990000 + i, name=f"Xã Thử {i:03d}", division_type="xã", province=province)
            for i in range(communes)
        ]
    )
    hamlets = Hamlet.objects.bulk_create(
        [
            Hamlet(commune=c, name=f"Thôn {j + 1}", households_baseline=households_per // hamlets_per)
            for c in commune_rows
            for j in range(hamlets_per)
        ]
    )
    units = Unit.objects.bulk_create(
        [Unit(commune=c, name="Phòng Văn hóa - Xã hội", match_key=f"vhxh{c.pk}") for c in commune_rows]
    )
    staff = Staff.objects.bulk_create(
        [
            Staff(
                commune=c,
                unit=u,
                full_name=f"Cán bộ {k}",
                on_comms_duty=k < 6,
                category=Staff.Category.NON_SPECIALISED if k >= 38 else Staff.Category.CIVIL_SERVANT,
            )
            for c, u in zip(commune_rows, units, strict=True)
            for k in range(40)
        ]
    )
    plans = Plan.objects.bulk_create(
        [Plan(commune=c, title="Kế hoạch 57", year=2026, status=Plan.Status.ACTIVE) for c in commune_rows]
    )
    groups = SolutionGroup.objects.bulk_create(
        [SolutionGroup(commune=p.commune, plan=p, code="1", title="Nhóm 1") for p in plans]
    )
    tasks = Task.objects.bulk_create(
        [Task(commune=g.commune, plan=g.plan, group=g, code="1.4", title="Tổ CNS") for g in groups]
    )
    targets = [
        (2026, "Ít nhất 10% người dân tiếp cận", 10, "residents_reached"),
        (2027, "Ít nhất 30% người dân tiếp cận", 30, "residents_reached"),
        (2026, "100% lãnh đạo, cán bộ", 100, "officials_informed"),
        (2030, "100% các nhiệm vụ khoa học", 100, "science_tasks_publicised"),
        (2030, "50% cán bộ đào tạo chuyên sâu", 50, "comms_staff_trained"),
        (2026, "duy trì chuyên mục", None, "column_alive"),
        (2027, "khen thưởng", None, "awards_held"),
    ]
    PlanTarget.objects.bulk_create(
        [
            PlanTarget(commune=p.commune, plan=p, year=y, text=t, value=v, indicator_code=k)
            for p in plans
            for y, t, v, k in targets
        ]
    )
    activities = Activity.objects.bulk_create(
        [
            Activity(
                commune=t.commune,
                task=t,
                unit=u,
                title=f"Tháng {m + 1}",
                date=START + dt.timedelta(days=31 * m),
                channel="community_team",
            )
            for t, u in zip(tasks, units, strict=True)
            for m in range(24)
        ]
    )
    staff_by = {}
    for s in staff:
        staff_by.setdefault(s.commune_id, []).append(s)
    hamlets_by = {}
    for h in hamlets:
        hamlets_by.setdefault(h.commune_id, []).append(h)
    through = Briefing.attendees.through
    attendance, publications, broadcast_rows, tasks_rows, completions = [], [], [], [], []
    for c in commune_rows:
        for year in (2025, 2026):
            for month in (2, 5, 8, 11):
                b = Briefing.objects.create(
                    commune=c, title=f"Quán triệt {month}/{year}", date=dt.date(year, month, 20)
                )
                attendance += [through(briefing=b, staff=s) for s in staff_by[c.pk] if rng.random() < 0.8]
            for month in range(1, 13):
                for k in range(rng.randint(0, 4)):
                    publications.append(
                        Publication(
                            commune=c,
                            key=f"{year}-{month}-{k}",
                            title=f"Bài {month}/{year}",
                            url="/b/",
                            published_at=timezone.make_aware(dt.datetime(year, month, 1 + k * 5, 8)),
                        )
                    )
            Award.objects.create(
                commune=c, date=dt.date(year, 10, 10), decision_number=f"{c.pk}/{year}", title="Khen thưởng"
            )
        for k in range(5):
            tasks_rows.append(
                ScienceTask(
                    commune=c,
                    title=f"Nhiệm vụ {k}",
                    year=2025 + k % 2,
                    state_secret=k == 4,
                    outside_url="https://example.org/" if k == 0 else "",
                    outside_published_on=dt.date(2026, 3, 1) if k == 0 else None,
                )
            )
        course = TrainingCourse.objects.create(commune=c, title="Chuyên sâu", start_date=dt.date(2026, 7, 1))
        completions += [
            TrainingCompletion(commune=c, course=course, staff=s, completed_on=dt.date(2026, 7, 5))
            for s in staff_by[c.pk][: rng.randint(1, 5)]
        ]
        survey = Survey.objects.create(
            commune=c, title="Khảo sát", start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 6, 20)
        )
        SurveyStratum.objects.bulk_create(
            [
                SurveyStratum(commune=c, survey=survey, hamlet=h, sampled=25, yes=rng.randint(0, 15))
                for h in hamlets_by[c.pk]
            ]
        )
        broadcast_rows += [
            Broadcast(
                commune=c,
                key=f"w{w}",
                title=f"Bản tin {w}",
                broadcast_at=timezone.make_aware(dt.datetime.combine(START + dt.timedelta(days=7 * w), dt.time(17))),
            )
            for w in range(104)
        ]
    through.objects.bulk_create(attendance, batch_size=5000)
    Publication.objects.bulk_create(publications, batch_size=5000)
    ScienceTask.objects.bulk_create(tasks_rows)
    TrainingCompletion.objects.bulk_create(completions)
    broadcasts = Broadcast.objects.bulk_create(broadcast_rows, batch_size=5000)
    bh = Broadcast.hamlets.through
    bh.objects.bulk_create(
        [bh(broadcast=b, hamlet=h) for b in broadcasts for h in hamlets_by[b.commune_id][:7]], batch_size=10000
    )
    return {"commune0": commune_rows[0].pk, "hamlet0": hamlets[0].pk, "activity0": activities[0].pk}


# --- Measurements ----------------------------------------------------------------------------------------


def _median_ms(func, runs: int) -> float:
    times = []
    func()  # warm-up (plans, caches)
    for _i in range(runs):
        t0 = time.perf_counter()
        func()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def measure(sizes: dict, runs: int) -> None:
    import random

    from django.db import connection
    from django.utils import timezone

    from lantoa.plans.models import Activity
    from lantoa.reach import engine, selectors, services
    from lantoa.reach.models import Contact
    from lantoa.tenancy.models import Commune, Household

    communes = list(Commune.objects.filter(code__gte=990000).order_by("pk"))
    commune = communes[len(communes) // 2]

    # The plain query over the raw contacts (an index-only scan of (commune, date, household)); it even
    # leaves out the channel test and the residents, which the real figure needs.
    def raw_commune():
        with connection.cursor() as c:
            c.execute(
                "SELECT count(DISTINCT household_id) FROM reach_contact WHERE commune_id = %s "
                "AND date BETWEEN %s AND %s",
                [commune.pk, dt.date(2026, 1, 1), TODAY],
            )
            c.fetchall()

    def raw_province():
        with connection.cursor() as c:
            c.execute(
                "SELECT commune_id, count(DISTINCT household_id) FROM reach_contact "
                "WHERE date BETWEEN %s AND %s GROUP BY commune_id",
                [dt.date(2026, 1, 1), TODAY],
            )
            c.fetchall()

    def dashboard():
        selectors.dashboard_data(commune, "2026", today=TODAY)

    def province():
        selectors.province_comparison(communes, "2026", today=TODAY)

    rng = random.Random(10_000)
    household_ids = list(Household.objects.filter(commune=commune).values_list("pk", flat=True))
    activity = Activity.objects.filter(commune=commune).order_by("-date").first()

    def batch():
        latest = min(TODAY, timezone.localdate())
        rows = [
            {
                "channel": "visit",
                "household_id": rng.choice(household_ids),
                "date": latest - dt.timedelta(days=rng.randint(0, 60)),
            }
            for _i in range(10_000)
        ]
        services.record_contacts_bulk(None, activity=activity, rows=rows, check_perm=False)

    print(f"measuring (median of {runs} runs)…", flush=True)
    results = {}
    results["raw_commune"] = _median_ms(raw_commune, runs)
    results["raw_province"] = _median_ms(raw_province, max(3, runs // 2))
    results["dashboard"] = _median_ms(dashboard, runs)
    results["province"] = _median_ms(province, runs)
    results["batch"] = _median_ms(batch, runs)
    # The incremental figures after the batches equal a rebuild from scratch.
    from django.db import transaction

    with transaction.atomic():
        before = engine.snapshot(commune.pk)
        engine.recompute([commune.pk])
        agree = engine.snapshot(commune.pk) == before
        transaction.set_rollback(True)
    total_contacts = Contact.objects.count()

    rc, rp = results["raw_commune"], results["raw_province"]
    rows = [
        ("baseline: COUNT(DISTINCT household), one commune, 2026", rc, rc, "commune baseline"),
        ("baseline: COUNT(DISTINCT household), whole province, 2026", rp, rp, "province baseline"),
        ("one commune's full dashboard data", results["dashboard"], rc, "commune baseline"),
        ("province comparison (every indicator, every commune)", results["province"], rp, "province baseline"),
        ("batch of 10,000 new contacts (insert + aggregates)", results["batch"], rc, "commune baseline"),
    ]
    print()
    print(
        f"data: {sizes['communes']} communes, {sizes['hamlets']} hamlets, {sizes['households']:,} households, "
        f"{sizes['residents']:,} residents, {total_contacts:,} contacts; {os.cpu_count()} CPUs"
    )
    print(f"{'measurement':<60} {'median ms':>11} {'ratio':>9}  to")
    for label, value, base, against in rows:
        print(f"{label:<60} {value:>11.1f} {value / base:>9.3f}  {against}")
    print(f"incremental figures equal a rebuild after the batches: {'yes' if agree else 'NO'}")
    ok = results["dashboard"] < 50 and results["province"] < 50 and results["batch"] < 1000
    print(
        f"summary: dashboard {results['dashboard'] / rc:.3f}x commune baseline, "
        f"province {results['province'] / rp:.4f}x province baseline, "
        f"batch {results['batch'] / rc:.1f}x commune baseline ({results['batch']:.0f} ms); "
        f"targets (reads < 50 ms, batch < 1 s): {'met' if ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
