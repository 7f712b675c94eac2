"""Health, request logs, Vietnamese formats and the translation catalogue, production settings (demo: test_demo.py)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.utils import formats, timezone, translation

pytestmark = pytest.mark.clock_sweep

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_reports_database_and_queue():
    from django_tasks_db.models import DBTaskResult

    from lantoa.tenancy import jobs
    from lantoa.tenancy.tasks import refresh_baselines

    jobs.beat("worker-alive")  # a worker is alive (no worker at all is a 503: tests/test_worker.py)
    body = Client().get("/healthz").json()
    assert body["status"] == "ok" and body["database"]["status"] == "ok" and body["tasks"]["waiting"] == 0
    result = refresh_baselines.enqueue(1)
    DBTaskResult.objects.filter(id=result.id).update(enqueued_at=timezone.now() - timedelta(hours=1))
    body = Client().get("/healthz").json()
    assert body["status"] == "degraded" and body["tasks"]["status"] == "stalled" and body["tasks"]["waiting"] == 1


@pytest.mark.django_db
def test_each_request_is_logged_as_one_json_line(capfd):
    from lantoa.logging import logger

    handler = logging.StreamHandler()
    from pythonjsonlogger.json import JsonFormatter

    handler.setFormatter(JsonFormatter())
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(handler.format(record))

    keep = Keep()
    logger.addHandler(keep)
    from lantoa.tenancy import jobs

    jobs.beat("worker-alive")
    try:
        Client().get("/healthz")
    finally:
        logger.removeHandler(keep)
    line = json.loads(records[-1])
    assert line["path"] == "/healthz" and line["status"] == 200 and line["method"] == "GET" and "duration_ms" in line


def test_vietnamese_formats():
    with translation.override("vi"):
        assert formats.date_format(date(2026, 6, 20), "SHORT_DATE_FORMAT") == "20/06/2026"
        assert formats.number_format(Decimal("1234.5"), 1, use_l10n=True, force_grouping=True) == "1.234,5"
        assert translation.gettext("Households") == "Hộ gia đình"
    with translation.override("en"):
        assert translation.gettext("Households") == "Households"


@pytest.mark.django_db
def test_english_is_selectable(commune_a, pvhcc_a):
    client = Client()
    client.force_login(pvhcc_a)
    assert "Hộ gia đình" in client.get("/admin/snippets/tenancy/household/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    # Wagtail's own language preference wins in the back office; the public side follows the cookie.
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(pvhcc_a)
    profile.preferred_language = "en"
    profile.save()
    assert "Households" in client.get("/admin/snippets/tenancy/household/").content.decode()


def test_every_project_string_is_translated_to_vietnamese(tmp_path):
    """Extract the strings of a copy of the tree; every one must have a Vietnamese translation."""
    copy = tmp_path / "tree"
    shutil.copytree(ROOT / "lantoa", copy / "lantoa", ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {**os.environ, "LANTOA_VAR_DIR": str(tmp_path / "var")}
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "makemessages.py"), "--root", str(copy)], check=True, env=env
    )
    missing, total = [], 0
    for path in sorted(copy.glob("lantoa/**/locale/vi/LC_MESSAGES/django.po")):
        po = polib.pofile(str(path))
        total += len(po)
        rel = path.relative_to(copy)
        missing += [f"{rel}: {e.msgid}" for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing, "strings without a Vietnamese translation (run `make messages` and translate):\n" + "\n".join(
        missing
    )
    assert total > 100


def test_production_settings_are_secure(tmp_path):
    env = {**os.environ, "LANTOA_ENV": "production", "SECRET_KEY": "x" * 60, "LANTOA_VAR_DIR": str(tmp_path)}
    code = (
        "import django, json; from django.conf import settings; django.setup();"
        "print(json.dumps([settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,"
        " settings.SECURE_HSTS_SECONDS]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "lantoa.settings"},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert json.loads(out.stdout) == [False, True, True, 31536000]


def test_secret_key_is_generated_into_var_and_not_in_the_repo(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"LANTOA_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "lantoa.settings"})
    code = "import django; from django.conf import settings; django.setup(); print(settings.SECRET_KEY)"
    first = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    second = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert first == second and len(first.strip()) > 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "secret_key" not in tracked
