#!/usr/bin/env python
"""Benchmark of the field app's sync (issue 13): 5,000 visits queued on one phone, sent through the sync API.

    .venv/bin/python bench/field_sync.py                 # 5,000 visits, 25 calls of 200
    .venv/bin/python bench/field_sync.py --visits 1000   # a quicker check

What it does, in-process (Django's test client, no network), on a throwaway SQLite database (or --database-url):

1. onboards the demo commune (Nam Cường), a plan activity of the community digital team, two sets of 2,500
   households in a hamlet each, and a team member (force_login: the sign-in is not timed);
2. the baseline, measured in the same run: the same visits recorded straight through the reach service the back
   office uses (``reach.services.record_contacts_bulk``), in the same 25 batches of 200;
3. the sync: ``POST /api/v1/field/sync`` with 200 events each (JSON, ids made on the device, topics, materials), as
   the phone sends them; the calls alternate with the baseline's batches so that both see the same database size;
4. prints both totals, the time per 200-event call, and the ratio sync / direct (target: at most 2×); then sends
   the first call again and checks that it answers 200 duplicates and adds nothing.

The machine's load average is printed: other work on the machine skews the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 2.0
BATCH = 200
CODE = 2026


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=5000, help="visits queued on the phone (default 5,000)")
    parser.add_argument("--database-url", help="use this database instead of a throwaway SQLite file")
    return parser.parse_args()


def setup(args) -> None:
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["LANTOA_VAR_DIR"] = tempfile.mkdtemp(prefix="lantoa-bench-field-")
    os.environ["DEBUG"] = "0"
    Path(os.environ["LANTOA_VAR_DIR"], "static").mkdir(exist_ok=True)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - t0:.0f} s", flush=True)
    logging.getLogger("lantoa.request").handlers = [logging.NullHandler()]


def world(per_set: int) -> dict:
    from django.contrib.auth import get_user_model

    from lantoa.column.models import Topic
    from lantoa.plans.models import Activity, Plan, SolutionGroup, Task
    from lantoa.tenancy import roles, services
    from lantoa.tenancy.models import Hamlet, Household, Staff

    commune = services.onboard_commune(CODE)
    unit = services.ensure_unit(commune, "Phòng Văn hóa - Xã hội")
    plan = Plan.objects.create(commune=commune, title="Kế hoạch 57", year=2025, status=Plan.Status.ACTIVE)
    group = SolutionGroup.objects.create(commune=commune, plan=plan, code="1", title="Nhóm 1")
    task = Task.objects.create(commune=commune, plan=plan, group=group, code="1.4", title="Tổ công nghệ số")
    Activity.objects.create(
        commune=commune,
        task=task,
        unit=unit,
        title="Tổ công nghệ số đến từng hộ",
        date=dt.date(2025, 3, 1),
        channel="community_team",
    )
    user = get_user_model().objects.create_user("tocns-bench", password="Mk-bench-57!")
    services.grant_role(user, roles.DIGITAL_TEAM, commune=commune)
    staff = Staff.objects.create(commune=commune, full_name="Ma Đức Long", user=user)
    sets = []
    for name in ("Thôn Trực Tiếp", "Thôn Đồng Bộ"):
        hamlet = Hamlet.objects.create(commune=commune, name=name)
        prefix = "TT" if name.endswith("Tiếp") else "DB"
        Household.objects.bulk_create(
            Household(commune=commune, hamlet=hamlet, code=f"{prefix}-{n:05d}", members=2 + n % 4)
            for n in range(per_set)
        )
        staff.hamlets.add(hamlet)
        sets.append(list(Household.objects.filter(hamlet=hamlet).order_by("pk").values_list("pk", flat=True)))
    topics = [Topic.objects.create(commune=commune, name=f"Chủ đề {n}", slug=f"chu-de-{n}").pk for n in range(1, 4)]
    return {"commune": commune, "user": user, "direct": sets[0], "sync": sets[1], "topics": topics}


def load() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "?"


def main() -> None:
    args = parse_args()
    setup(args)
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from lantoa.field import selectors as field_selectors
    from lantoa.process import freeze_long_lived_objects
    from lantoa.reach import services as reach
    from lantoa.reach.models import Contact

    total = args.visits
    w = world(max(1, total // 2))
    commune, user = w["commune"], w["user"]
    activity = field_selectors.visit_activity(commune)
    today = timezone.localdate()
    client = Client()
    client.force_login(user)
    calls = -(-total // BATCH)
    print(
        f"{connection.vendor}: {total:,} visits, {calls} calls of {BATCH}; load average {load()}",
        flush=True,
    )

    def visit_day(n: int) -> dt.date:
        return today - dt.timedelta(days=n % 200)

    def rows(start: int, end: int) -> list[dict]:
        ids = w["direct"]
        return [
            {
                "channel": "visit",
                "date": visit_day(n),
                "household_id": ids[n % len(ids)],
                "people": 1 + n % 4,
                "note": "",
            }
            for n in range(start, end)
        ]

    def events(start: int, end: int) -> list[dict]:
        ids = w["sync"]
        return [
            {
                "id": str(uuid.uuid4()),
                "type": "visit",
                "refers_to": None,
                "household_id": ids[n % len(ids)],
                "date": visit_day(n).isoformat(),
                "people": 1 + n % 4,
                "topics": w["topics"][: 1 + n % 3],
                "materials": "Tờ rơi Nghị quyết 57",
                "note": "",
                "photo": None,
                "recorded_at": timezone.now().isoformat(),
            }
            for n in range(start, end)
        ]

    # One untimed call of each (imports, compiled templates, the first query plans); then what a web worker does once
    # loaded (lantoa.wsgi): the loaded objects frozen out of the garbage collector's reach. Without it a full
    # collection (~0.3 s here, walking 400,000 objects) lands on whichever call allocates at that moment, and the
    # totals measure the collector rather than either path.
    reach.record_contacts_bulk(user, activity=activity, rows=rows(0, 1))
    client.post("/api/v1/field/sync", {"device_id": "warm", "events": events(0, 1)}, content_type="application/json")
    freeze_long_lived_objects()

    direct_s = sync_s = 0.0
    first_call = None
    for call in range(calls):
        start, end = call * BATCH, min(total, (call + 1) * BATCH)
        # The body as the phone sends it: JSON text, encoded on the phone (not timed here either).
        batch_rows, body = rows(start, end), json.dumps({"device_id": "may-bench", "events": events(start, end)})
        first_call = first_call or body
        t0 = time.perf_counter()
        reach.record_contacts_bulk(user, activity=activity, rows=batch_rows)
        t1 = time.perf_counter()
        answer = client.post("/api/v1/field/sync", body, content_type="application/json")
        t2 = time.perf_counter()
        results = answer.json()["results"] if answer.status_code == 200 else []
        if answer.status_code != 200 or any(r["status"] != "accepted" for r in results):
            sys.exit(f"call {call + 1}: {answer.status_code} {json.dumps(results[:3], ensure_ascii=False)}")
        direct_s += t1 - t0
        sync_s += t2 - t1

    visits = Contact.objects.filter(commune=commune, household_id__in=w["sync"]).count()
    assert visits == total + 1, visits  # + the warm-up
    t0 = time.perf_counter()
    again = client.post("/api/v1/field/sync", first_call, content_type="application/json").json()["results"]
    replay_s = time.perf_counter() - t0
    assert all(r["status"] == "duplicate" for r in again)
    assert Contact.objects.filter(commune=commune, household_id__in=w["sync"]).count() == visits

    ratio = sync_s / direct_s if direct_s else float("inf")
    print(f"{'path':<44}{'total':>9}{'per call':>11}")
    print(f"{'direct: reach.services.record_contacts_bulk':<44}{direct_s:>8.2f}s{1000 * direct_s / calls:>9.0f}ms")
    print(f"{'sync: POST /api/v1/field/sync':<44}{sync_s:>8.2f}s{1000 * sync_s / calls:>9.0f}ms")
    print(f"replay of one call ({BATCH} duplicates): {1000 * replay_s:.0f} ms; nothing added")
    verdict = "within" if ratio <= TARGET_RATIO else "ABOVE"
    print(f"ratio sync / direct: {ratio:.2f}× ({verdict} the {TARGET_RATIO:.0f}× target); load average {load()}")
    transfer(client)


def transfer(client) -> None:
    """The app's first load, as the phone fetches it: the shell, the manifest, the service worker and every file the
    worker precaches, each gzipped at level 6 as nginx and whitenoise send them (the QR decoder is a lazy chunk,
    fetched with the assignment, not before). The second load takes none of these from the network: the worker
    answers from its cache (tests/e2e/test_field.py measures it in Chromium: only /thuc-dia/me.json, ~170 bytes)."""
    import gzip  # noqa: PLC0415

    from django.contrib.staticfiles import finders  # noqa: PLC0415

    from lantoa.field import views  # noqa: PLC0415

    precache, lazy = views._static_files()
    bodies = [client.get(url).content for url in ("/thuc-dia/", "/thuc-dia/manifest.webmanifest", "/thuc-dia/sw.js")]
    missing = [name for name in precache if not finders.find(name)]
    if missing:
        print(f"app transfer: not built ({', '.join(missing)}): run `make setup` (npm ci, npm run build)")
        return
    bodies += [Path(finders.find(name)).read_bytes() for name in precache]
    raw = sum(len(b) for b in bodies)
    packed = sum(len(gzip.compress(b, compresslevel=6)) for b in bodies)
    lazy_packed = sum(len(gzip.compress(Path(finders.find(n)).read_bytes(), compresslevel=6)) for n in lazy)
    print(
        f"app first load: {packed / 1000:.1f} KB compressed ({raw / 1000:.1f} KB raw, {len(bodies)} files; "
        f"budget 150 KB); second load: 0 KB of the app (service worker cache); "
        f"lazy QR decoder {lazy_packed / 1000:.1f} KB"
    )


if __name__ == "__main__":
    main()
