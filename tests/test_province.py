"""A province's topology, started by deploy/province.sh and used through nginx (issue 11, item 11).

PostgreSQL, Redis with the RQ task backend, two gunicorn web processes and two RQ workers behind nginx, all started
by the one script, as docs/deployment.md describes. Through nginx: the public root, a login, a plan upload read by
one of the workers via Redis whose result the web then shows, the plan's private source sent by nginx
(X-Accel-Redirect) to its user and refused to a visitor, both web processes answering, /healthz; then the script
stops everything and no process of it is left.

It runs on the PostgreSQL side of ``make test`` only (it needs a PostgreSQL server and copies the suite's migrated
test database into its own cluster, so that ``migrate`` has nothing left to do).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "deploy" / "province.sh"
SEED = ROOT / "lantoa" / "plans" / "demo_data" / "ke-hoach-57-xa-nam-cuong-2026.txt"
PASSWORD = "Mk-kiem-thu-57!"

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the province topology runs on PostgreSQL: make test-postgres runs it",
    ),
    pytest.mark.skipif(sys.platform != "linux", reason="the topology's processes are found through /proc"),
    # So that pytest-django creates the test database, which the topology copies (nothing is written to it here).
    pytest.mark.django_db,
]


def _seed_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _env(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "LANTOA_", "REDIS_URL", "TASKS_"))}
    env["VENV"] = sys.prefix
    return {**env, **(extra or {})}


def _topology_env(folder: Path) -> dict:
    values = dict(re.findall(r'^export (\w+)="?(.*?)"?$', (folder / "env").read_text(), re.M))
    return _env(values)


def _processes_of(folder: Path, sessions: set[int]) -> list[str]:
    """The processes still alive that the script started: in one of its sessions, or naming its folder."""
    left = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        state, session = fields[0], int(fields[3])
        if state == "Z":
            continue
        if session in sessions or str(folder) in cmdline:
            left.append(f"{proc.name}: {cmdline[:120]}")
    return left


@pytest.fixture
def province(django_db_setup, django_db_blocker):
    for tool in ("nginx", "redis-server"):
        assert shutil.which(tool), f"{tool} is missing: make system-packages-test installs it"
    folder = Path(tempfile.mkdtemp(prefix="lantoa-province-test."))
    with django_db_blocker.unblock():
        seed = _seed_url()
    sessions: set[int] = set()
    try:
        # The output goes to a file: a pipe would be held open by the daemons (nginx, Redis) after the script ends.
        with open(f"{folder}.out", "w+") as out:
            try:
                code = subprocess.run(
                    [str(SCRIPT), "up", str(folder)],
                    env=_env({"SEED_DATABASE_URL": seed}),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    timeout=300,
                    check=False,
                ).returncode
            except subprocess.TimeoutExpired:
                code = "timeout"
            out.seek(0)
            output = out.read()
        sessions = {int(p.read_text()) for p in (folder / "pids").iterdir() if p.read_text().strip().isdigit()}
        logs = "".join(f"\n== {log.name}\n{log.read_text()[-3000:]}" for log in sorted(folder.glob("log/*.log")))
        assert code == 0, output + logs
        sessions.add(int((folder / "nginx" / "nginx.pid").read_text()))
        sessions.add(int((folder / "pg" / "data" / "postmaster.pid").read_text().split()[0]))
        url = re.search(r"^URL=(\S+)$", output, re.M).group(1).rstrip("/")
        yield {"url": url, "folder": folder, "env": _topology_env(folder)}
    finally:
        Path(f"{folder}.out").unlink(missing_ok=True)
        down = subprocess.run(
            [str(SCRIPT), "down", str(folder)], env=_env(), capture_output=True, text=True, timeout=120, check=False
        )
        assert down.returncode == 0, down.stdout + down.stderr
        assert not folder.exists()
        assert _processes_of(folder, sessions) == []


def _manage(topology, code: str) -> str:
    done = subprocess.run(
        [sys.prefix + "/bin/python", "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=topology["env"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def _login(url: str, username: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{url}/admin/login/", timeout=30)
    response = session.post(
        f"{url}/admin/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def _requests_logged(log: Path) -> list[str]:
    return re.findall(r'"path": "([^"]*)"', log.read_text())


def test_a_province_topology_serves_through_nginx_and_runs_tasks_on_two_rq_workers(province):
    url, folder = province["url"], province["folder"]
    _manage(
        province,
        "from tests.conftest import make_user, CODE_A; from lantoa.tenancy import roles, services; "
        "make_user('pv', roles.PVHCC, commune=services.onboard_commune(CODE_A, default_site=True))",
    )

    # The public root, through nginx.
    assert requests.get(f"{url}/", timeout=30).status_code == 200

    # A signed-in user uploads a plan: the request only queues it, a worker reads it via Redis, the web shows it.
    pv = _login(url, "pv")
    pv.get(f"{url}/admin/plans/import/", timeout=30)
    queued = pv.post(
        f"{url}/admin/plans/import/",
        data={"csrfmiddlewaretoken": pv.cookies["csrftoken"]},
        files={"file": ("ke-hoach.txt", SEED.read_bytes(), "text/plain")},
        allow_redirects=False,
        timeout=30,
    )
    assert queued.status_code == 302 and "/admin/plans/import/jobs/" in queued.headers["Location"]
    job_page = queued.headers["Location"]
    deadline = time.monotonic() + 90
    while True:
        page = pv.get(f"{url}{job_page}" if job_page.startswith("/") else job_page, allow_redirects=False, timeout=30)
        if page.status_code == 302:
            break
        assert page.status_code == 200 and "Thất bại" not in page.text, page.text[:2000]
        assert time.monotonic() < deadline, "no worker read the plan"
        time.sleep(0.5)
    plan_id = int(re.search(r"/admin/plans/import/(\d+)/$", page.headers["Location"]).group(1))
    preview = pv.get(f"{url}/admin/plans/import/{plan_id}/", timeout=30)
    assert preview.status_code == 200
    worker_logs = [(folder / "log" / f"worker-{n}.log").read_text() for n in (1, 2)]
    assert any("lantoa.plans.tasks.read_plan" in log for log in worker_logs)  # an RQ worker ran it

    # The plan's source is private: nginx sends it (X-Accel-Redirect) to its user, nobody else gets it.
    source = f"{url}/admin/plans/versions/{plan_id}/source/"
    sent = pv.get(source, timeout=30)
    assert sent.status_code == 200 and sent.content == SEED.read_bytes()
    assert "sandbox" in sent.headers["Content-Security-Policy"]  # the header of nginx's internal location
    assert "X-Accel-Redirect" not in sent.headers
    visitor = requests.get(source, allow_redirects=False, timeout=30)
    assert visitor.status_code in (302, 403, 404) and SEED.read_bytes() not in visitor.content
    assert requests.get(f"{url}/_protected/private/", timeout=30).status_code == 404

    # /healthz through nginx: the database, the Redis queue and both workers' heartbeats.
    health = requests.get(f"{url}/healthz", timeout=30)
    assert health.status_code == 200, health.text
    body = health.json()
    assert body["database"]["vendor"] == "postgresql" and body["workers"]["alive"] == 2
    assert body["tasks"]["waiting"] == 0

    # nginx shared the requests between both web processes.
    for _ in range(4):
        requests.get(f"{url}/", timeout=30)
    for n in (1, 2):
        served = [path for path in _requests_logged(folder / "log" / f"web-{n}.log") if path != "/healthz"]
        assert served, f"web-{n} answered no request through nginx"
