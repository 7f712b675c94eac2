#!/usr/bin/env python
"""Benchmark of the semi-annual report: DOCX and PDF of a commune, from the records.

Times, as medians of several runs (and the first, cold run apart: fonts, the chart renderer and LibreOffice's
profile are set up then):

* the draft from the records (``services.build``: plan, activities, indicators, hamlets, budget, obstacles);
* the DOCX (draft + ``document.build_docx``, with the chart) — target under 2 s;
* the PDF (draft + DOCX + LibreOffice headless conversion) — target under 10 s;

on two communes: the Nam Cường demo (``load_demo``) and a large commune generated here with set-based SQL
(10,000 households in 40 hamlets, 600,000 contacts this year, the seed plan with its activities, budget lines).
Each figure is printed with its ratio to its target; the last line sums up.

It starts its own throwaway PostgreSQL cluster (scripts/with-postgres, 127.0.0.1 only) unless --database-url
is given. Usage: .venv/bin/python bench/report.py [--households 10000] [--contacts 600000] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"docx": 2.0, "pdf": 10.0}
BIG_COMMUNE = 2020  # Xã Chợ Đồn, Thái Nguyên (the demo's province)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=600_000)
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
        sys.exit("bench/report.py needs PostgreSQL (DATABASE_URL)")
    os.environ.setdefault("LANTOA_VAR_DIR", tempfile.mkdtemp(prefix="lantoa-bench-report-"))
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import translation

    translation.activate("vi")
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - t0:.1f} s", flush=True)
    results = {}
    demo = load_demo()
    results["demo"] = measure(demo, args.runs, cold=True)
    big = generate(args.households, args.contacts)
    results["big"] = measure(big, args.runs, cold=False)
    summary(results)


# --- Data ------------------------------------------------------------------------------------------------


def describe(commune) -> str:
    from lantoa.reach.models import Contact
    from lantoa.tenancy.models import Household

    households = Household.objects.filter(commune=commune).count()
    contacts = Contact.objects.filter(commune=commune).count()
    return f"{commune.name} ({households:,} households, {contacts:,} contacts)"


def load_demo():
    from django.core.management import call_command

    from lantoa.reach.models import Contact
    from lantoa.tenancy.models import Commune

    t0 = time.perf_counter()
    call_command("load_demo", stdout=open(os.devnull, "w"))
    commune = Commune.objects.get(code=2026)
    if not Contact.objects.filter(commune=commune).exists():
        # The indicators' demo, when load_demo does not run it yet.
        try:
            from lantoa.reach.demo import load_reach_demo
        except ImportError:
            pass
        else:
            load_reach_demo(commune)
    print(f"demo loaded in {time.perf_counter() - t0:.0f} s: {describe(commune)}", flush=True)
    return commune


def generate(households: int, contacts: int):
    """A large commune of the demo's province: roster, seed plan with activities, contacts, budget, reports."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from lantoa.plans import demo as plan_demo
    from lantoa.plans.models import Activity
    from lantoa.reach import engine
    from lantoa.reports import demo as report_demo
    from lantoa.tenancy import services as tenancy
    from lantoa.tenancy.models import Hamlet, Staff, Unit

    t0 = time.perf_counter()
    commune = tenancy.onboard_commune(BIG_COMMUNE)
    for name, kind, short in [
        ("Trung tâm Phục vụ hành chính công", Unit.Kind.LEAD_CENTRE, "PVHCC"),
        ("Trung tâm dịch vụ tổng hợp", Unit.Kind.SERVICE_CENTRE, "TTDVTH"),
        ("Phòng Văn hóa - Xã hội", Unit.Kind.OFFICE, "VH-XH"),
        ("Phòng Kinh tế", Unit.Kind.OFFICE, "KT"),
    ]:
        tenancy.ensure_unit(commune, name, kind, short_name=short)
    hamlets = Hamlet.objects.bulk_create([Hamlet(commune=commune, name=f"Thôn {i + 1:02d}") for i in range(40)])
    units = list(Unit.objects.filter(commune=commune))
    Staff.objects.bulk_create(
        [
            Staff(commune=commune, unit=units[k % len(units)], full_name=f"Cán bộ {k}", on_comms_duty=k < 8)
            for k in range(60)
        ]
    )
    if not get_user_model().objects.filter(is_superuser=True).exists():
        get_user_model().objects.create_superuser("bench", password=None)
    plan_demo.load(commune)  # the seed plan imported, a year of activities, obstacles
    activities = list(Activity.objects.filter(commune=commune).values_list("pk", flat=True))
    today = timezone.localdate()
    days = (today - dt.date(today.year, 1, 1)).days + 1
    per_hamlet = households // len(hamlets)
    with connection.cursor() as c:
        c.execute("SELECT setseed(0.57)")
        c.execute(
            """
            INSERT INTO tenancy_household (commune_id, hamlet_id, code, members, head_name, phone, updated_at)
            SELECT %(c)s, (%(hamlets)s::bigint[])[1 + g / %(per)s], 'CD' || lpad(g::text, 6, '0'),
                   CASE g %% 4 WHEN 0 THEN 2 WHEN 1 THEN 3 WHEN 2 THEN 4 ELSE 5 END, '', '', now()
            FROM generate_series(0, %(n)s - 1) g
        """,
            {"c": commune.pk, "hamlets": [h.pk for h in hamlets], "per": per_hamlet, "n": per_hamlet * len(hamlets)},
        )
        c.execute("SELECT id, hamlet_id FROM tenancy_household WHERE commune_id = %s ORDER BY id", [commune.pk])
        rows = c.fetchall()
        # Contacts this year: 80% household visits, 15% meetings (both attributable), 5% bulletin boards.
        c.execute(
            """
            INSERT INTO reach_contact (commune_id, activity_id, channel, date, hamlet_id, household_id, per, people,
                                       note, created_at)
            SELECT %(c)s, (%(acts)s::bigint[])[1 + (g %% %(na)s)],
                   CASE WHEN x.r < 0.80 THEN 'visit' WHEN x.r < 0.95 THEN 'meeting' ELSE 'board' END,
                   DATE %(start)s + x.d, (%(hh_hamlets)s::bigint[])[1 + x.i],
                   CASE WHEN x.r < 0.95 THEN (%(hh)s::bigint[])[1 + x.i] END, 'household', 1, '', now()
            FROM (SELECT g, random() AS r, floor(random() * %(days)s)::int AS d,
                         floor(power(random(), 1.6) * %(nh)s)::int AS i
                  FROM generate_series(1, %(n)s) g) x
        """,
            {
                "c": commune.pk,
                "acts": activities,
                "na": len(activities),
                "start": dt.date(today.year, 1, 1),
                "days": days,
                "hh": [r[0] for r in rows],
                "hh_hamlets": [r[1] for r in rows],
                "nh": len(rows),
                "n": contacts,
            },
        )
    engine.recompute([commune.pk])
    with connection.cursor() as c:
        c.execute("ANALYZE")
    report_demo.load(commune)  # budget lines and this year's reports
    print(f"generated in {time.perf_counter() - t0:.0f} s: {describe(commune)}", flush=True)
    return commune


# --- Measurements ----------------------------------------------------------------------------------------


def _timed(func) -> tuple[float, object]:
    t0 = time.perf_counter()
    value = func()
    return time.perf_counter() - t0, value


def measure(commune, runs: int, *, cold: bool) -> dict:
    from django.utils import timezone

    from lantoa.reports import document, periods, services
    from lantoa.reports.pdf import docx_to_pdf

    span = periods.for_kind("h1", timezone.localdate().year)
    out = {"name": describe(commune)}
    if cold:
        out["cold_docx"], report = _timed(lambda: document.build_docx(services.build(commune, span)))
        out["cold_pdf"], _pdf = _timed(lambda: docx_to_pdf(document.build_docx(services.build(commune, span))))
    build, docx, pdf, size = [], [], [], 0
    for _ in range(runs):
        seconds, report = _timed(lambda: services.build(commune, span))
        build.append(seconds)
        docx.append(_timed(lambda: document.build_docx(services.build(commune, span)))[0])
        seconds, content = _timed(lambda: docx_to_pdf(document.build_docx(services.build(commune, span))))
        pdf.append(seconds)
        size = len(content)
    out.update(
        build=statistics.median(build),
        docx=statistics.median(docx),
        pdf=statistics.median(pdf),
        pdf_kb=size // 1024,
        activities=report.data["activities"]["total"],
    )
    print(f"\n{out['name']} — report {periods.label(span)} ({out['activities']} activities, PDF {out['pdf_kb']} KB)")
    print(f"  draft from the records   {out['build']:6.2f} s")
    for key, label in (("docx", "DOCX (records → docx)"), ("pdf", "PDF (records → docx → pdf)")):
        print(f"  {label:<28}{out[key]:6.2f} s   target {TARGETS[key]:>4.0f} s   ratio {out[key] / TARGETS[key]:.2f}")
    if cold:
        print(
            f"  first run of the process: DOCX {out['cold_docx']:.2f} s, PDF {out['cold_pdf']:.2f} s "
            f"(chart renderer and LibreOffice profile set up)"
        )
    return out


def summary(results: dict) -> None:
    ok = all(r[k] < TARGETS[k] for r in results.values() for k in TARGETS)
    demo, big = results["demo"], results["big"]
    print(
        f"\nSUMMARY: DOCX {demo['docx']:.2f} s demo / {big['docx']:.2f} s large commune "
        f"(target {TARGETS['docx']:.0f} s, "
        f"worst ratio {max(demo['docx'], big['docx']) / TARGETS['docx']:.2f}); PDF {demo['pdf']:.2f} s / "
        f"{big['pdf']:.2f} s (target {TARGETS['pdf']:.0f} s, worst ratio "
        f"{max(demo['pdf'], big['pdf']) / TARGETS['pdf']:.2f}) — {'all within targets' if ok else 'TARGET MISSED'}"
    )


if __name__ == "__main__":
    main()
