#!/usr/bin/env python
"""Benchmark of the public column in its production topology: nginx (page cache) → gunicorn → Django.

    .venv/bin/python bench/column.py            # 15-second loads
    .venv/bin/python bench/column.py --quick    # 5-second loads; the last line is a one-line summary

What it does, all on 127.0.0.1:

1. builds the demo in a throwaway folder (migrate, load_demo, collectstatic) — or reuses ``--var DIR``;
2. starts gunicorn (one worker per CPU) and nginx with deploy/nginx's configuration;
3. requests a demo article once through nginx (a miss: Django renders it and writes the page cache),
   then copies that very HTML into a plain nginx static location, the baseline;
4. loads with wrk (50 connections): the static baseline, the cached article, the Django path (the same
   article with a query string, which nginx never answers from the cache: Django answers it from its
   render cache after the site, generation and view-restriction reads), the column home rendered by
   Django on every request (``?trang=1``: listings are never kept), and, for reference, stock Wagtail's own
   page (the welcome page Wagtail installs, rendered by its bundled template) through the same stack;
5. publishes a change to the article and measures how long until nginx serves the new version;
6. prints requests/s, p50 and p99 of each and the ratios against the targets.

Targets (issue 5): cached ≥ 50 % of the static baseline with p99 < 20 ms; Django path ≥ 270 req/s.
The machine's load average is printed: other work on the machine skews the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
TARGET_CACHED_RATIO = 0.5
TARGET_P99_MS = 20.0
TARGET_MISS_RPS = 270.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, env, **kw):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kw)


def django_eval(env, code: str) -> str:
    prelude = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'lantoa.settings'); django.setup()\n"
    out = run([PY, "-c", prelude + code], env, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def fetch(url: str, host: str | None = None, timeout: float = 30.0) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def wait_for(url: str, seconds: float = 30.0) -> None:
    """Wait until Django answers ``url``. /healthz says 503 while no task worker is alive, and the bench runs
    none: any answer but nginx's own 502/504 (upstream not up yet) means the web process is serving."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if fetch(url, timeout=2)[0] not in (502, 504):
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"bench: {url} did not answer")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, seconds: int, connections: int, host: str | None = None) -> dict:
    cmd = ["wrk", f"-t{min(4, os.cpu_count() or 2)}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if host:
        cmd[1:1] = ["-H", f"Host: {host}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {}
    for label, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M):
        pct[label] = float(value) * UNITS[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p50": pct.get("50"),
        "p99": pct.get("99"),
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="5-second loads")
    parser.add_argument("--duration", type=int, default=15, help="seconds per load (default 15)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--var", type=Path, help="reuse this prepared var folder (demo already loaded)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway folder")
    args = parser.parse_args()
    seconds = 5 if args.quick else args.duration
    for tool in ("nginx", "wrk"):
        if shutil.which(tool) is None:
            raise SystemExit(f"bench: {tool} is missing (apt-get install nginx wrk)")

    var = args.var or Path(tempfile.mkdtemp(prefix="lantoa-bench-"))
    var = var.resolve()
    env = {
        **os.environ,
        "LANTOA_VAR_DIR": str(var),
        "DEBUG": "0",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", ""),
        "LANTOA_PAGECACHE_DIR": str(var / "pagecache"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if not (var / "lantoa.sqlite3").exists() or not args.var:
        print(f"bench: building the demo in {var} …", flush=True)
        run([PY, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        run([PY, "manage.py", "load_demo"], env, stdout=subprocess.DEVNULL)
    run([PY, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
    # A freshly loaded SQLite file has its writes in the WAL: fold them in and refresh the planner's
    # statistics, as a server that has been running for a while would have.
    django_eval(
        env,
        (
            "from django.db import connection\n"
            "if connection.vendor == 'sqlite':\n"
            "    with connection.cursor() as c:\n"
            "        c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.execute('ANALYZE')\n"
            "print('ok')"
        ),
    )
    info = json.loads(
        django_eval(
            env,
            (
                "import json; from wagtail.models import Site, Page; from lantoa.column.models import ArticlePage\n"
                "from django.conf import settings\n"
                "site = Site.objects.get(is_default_site=True)\n"
                "page = ArticlePage.objects.live().descendant_of(site.root_page)"
                ".order_by('-first_published_at').first()\n"
                "stock = Site.objects.filter(hostname='localhost').exclude(pk=site.pk).first()\n"
                "print(json.dumps({'path': page.relative_url(site), 'id': page.pk, 'title': page.title,\n"
                "  'home': page.get_parent().relative_url(site),\n"
                "  'static': str(settings.STATIC_ROOT), 'media': str(settings.MEDIA_ROOT),\n"
                "  'private': str(settings.PRIVATE_MEDIA_ROOT),\n"
                "  'stock': bool(stock and type(stock.root_page.specific) is Page)}))"
            ),
        )
    )
    app_port, web_port = free_port(), free_port()
    run_dir = var / "run" / "nginx"
    baseline_dir = var / "bench-static"
    baseline_dir.mkdir(parents=True, exist_ok=True)
    extra = f"        location ^~ /__static_baseline/ {{\n            alias {baseline_dir}/;\n        }}\n"
    conf = run(
        [
            PY,
            str(ROOT / "deploy" / "nginx" / "render.py"),
            str(run_dir),
            f"LISTEN=127.0.0.1:{web_port}",
            f"UPSTREAM=127.0.0.1:{app_port}",
            f"PAGECACHE_DIR={var / 'pagecache'}",
            f"STATIC_ROOT={info['static']}",
            f"MEDIA_ROOT={info['media']}",
            f"PRIVATE_MEDIA_ROOT={info['private']}",
            f"EXTRA_LOCATIONS={extra}",
        ],
        env,
        capture_output=True,
        text=True,
    ).stdout.strip()
    shutil.rmtree(var / "pagecache", ignore_errors=True)  # start from an empty page cache
    (var / "pagecache").mkdir()
    procs = []
    try:
        procs.append(
            subprocess.Popen(
                [
                    GUNICORN,
                    "lantoa.wsgi",
                    "--workers",
                    str(args.workers),
                    "--bind",
                    f"127.0.0.1:{app_port}",
                    "--access-logfile",
                    "/dev/null",
                    "--error-logfile",
                    str(var / "gunicorn.log"),
                ],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
        )
        wait_for(f"http://127.0.0.1:{app_port}/healthz")
        run(["nginx", "-q", "-t", "-c", conf, "-p", str(run_dir)], env)
        procs.append(
            subprocess.Popen(
                ["nginx", "-c", conf, "-p", str(run_dir), "-g", "daemon off;"],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
        )
        base = f"http://127.0.0.1:{web_port}"
        wait_for(base + "/healthz")
        article = base + info["path"]

        status, headers, first = fetch(article)
        assert status == 200 and headers.get("X-Cache") == "MISS", (status, headers)
        status, headers, cached = fetch(article)
        assert status == 200 and headers.get("X-Cache") == "HIT", f"the page cache did not answer: {headers}"
        (baseline_dir / "article.html").write_bytes(cached)
        static_url = base + "/__static_baseline/article.html"
        assert fetch(static_url)[2] == cached
        miss_url = article + "?bench=1"
        assert fetch(miss_url)[1].get("X-Cache") == "MISS"
        import gzip

        html_kb, gz_kb = len(cached) / 1024, len(gzip.compress(cached)) / 1024

        load = os.getloadavg()[0]
        print(f"bench: {article}  ({html_kb:.1f} KB HTML+CSS, {gz_kb:.1f} KB gzipped)")
        print(
            f"bench: {seconds} s per load, {args.connections} connections, {args.workers} gunicorn workers, "
            f"{os.cpu_count()} CPUs, load average before: {load:.2f}",
            flush=True,
        )
        results = {
            "static": wrk(static_url, seconds, args.connections),
            "cached": wrk(article, seconds, args.connections),
            "django": wrk(miss_url, seconds, args.connections),
            "render": wrk(base + info["home"] + "?trang=1", seconds, args.connections),
        }
        if info["stock"]:
            fetch(base + "/?bench=1", host="localhost")
            results["stock"] = wrk(base + "/?bench=1", seconds, args.connections, host="localhost")

        # A change is published: how long until nginx answers with it?
        marker = f"đã sửa {int(time.time())}"
        django_eval(
            env,
            (
                f"from lantoa.column.models import ArticlePage\np = ArticlePage.objects.get(pk={info['id']})\n"
                f"p.title = p.title + ' ({marker})'\np.save_revision().publish()\nprint('ok')"
            ),
        )
        published = time.perf_counter()
        visible_ms = None
        while time.perf_counter() - published < 5:
            if marker.encode() in fetch(article)[2]:
                visible_ms = (time.perf_counter() - published) * 1000
                break
            time.sleep(0.01)
        after = fetch(article)[1].get("X-Cache")
    finally:
        for proc in reversed(procs):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        if not args.var and not args.keep:
            shutil.rmtree(var, ignore_errors=True)

    labels = {
        "static": "nginx static file (baseline)",
        "cached": "article from the page cache",
        "django": "article through Django (cache miss)",
        "render": "column home rendered by Django",
        "stock": "stock Wagtail page through Django",
    }
    print()
    print(f"{'':40} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8}  errors")
    for key, r in results.items():
        errs = r["non2xx"] or r["socket_errors"] or ""
        print(f"{labels[key]:40} {r['rps']:10.0f} {r['p50']:8.2f} {r['p99']:8.2f}  {errs}")
    ratio = results["cached"]["rps"] / results["static"]["rps"]
    miss = results["django"]["rps"]
    print()
    print(
        f"cached / static = {ratio:.0%}   (target ≥ {TARGET_CACHED_RATIO:.0%}: "
        f"{'met' if ratio >= TARGET_CACHED_RATIO else 'NOT met'})"
    )
    print(
        f"cached p99 = {results['cached']['p99']:.2f} ms   (target < {TARGET_P99_MS:.0f} ms: "
        f"{'met' if results['cached']['p99'] < TARGET_P99_MS else 'NOT met'})"
    )
    print(
        f"Django path = {miss:.0f} req/s   (target ≥ {TARGET_MISS_RPS:.0f}: "
        f"{'met' if miss >= TARGET_MISS_RPS else 'NOT met'})",
        end="",
    )
    if "stock" in results:
        print(f"; stock Wagtail here: {results['stock']['rps']:.0f} req/s, ratio {miss / results['stock']['rps']:.0%}")
    else:
        print()
    print(
        f"change visible through nginx {visible_ms:.0f} ms after publishing (then {after})"
        if visible_ms is not None
        else "change NOT visible within 5 s"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    stock = f" stock={results['stock']['rps']:.0f}/s" if "stock" in results else ""
    print(
        f"SUMMARY cached={results['cached']['rps']:.0f}/s static={results['static']['rps']:.0f}/s "
        f"ratio={ratio:.2f} p99={results['cached']['p99']:.1f}ms django={miss:.0f}/s{stock} "
        f"purge={visible_ms or -1:.0f}ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
