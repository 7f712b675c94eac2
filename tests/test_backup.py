"""manage.py backup and restore (issue 11, item 10): back up demo-ish data, restore it into an empty folder with
a separate process (as an operator would, on a new machine), and find every record and every file again."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lantoa.plans import services as plan_services
from lantoa.plans.models import Evidence, Plan
from lantoa.tenancy import backups, roles
from lantoa.tenancy.models import Household

from .conftest import make_user

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "lantoa" / "plans" / "demo_data" / "ke-hoach-57-xa-nam-cuong-2026.txt"

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres") and not shutil.which("pg_dump"),
    reason="PostgreSQL backups need pg_dump",
)


@pytest.fixture
def files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "var" / "private"
    (tmp_path / "var").mkdir()
    return tmp_path


@pytest.fixture
def records(commune_a, data_a, files_in_tmp):
    """A plan with its source file, an activity with evidence, a private upload: records and files of each kind."""
    pvhcc = make_user("pv", roles.PVHCC, commune=commune_a)
    plan = plan_services.start_import(pvhcc, commune_a, SimpleUploadedFile("ke-hoach.txt", SEED.read_bytes()))
    from lantoa.plans.models import Activity, SolutionGroup, Task

    group = SolutionGroup.objects.create(commune=commune_a, plan=plan, code="1", title="Nhóm")
    task = Task.objects.create(commune=commune_a, plan=plan, group=group, code="1.1", title="Nhiệm vụ")
    activity = Activity.objects.create(
        commune=commune_a,
        task=task,
        unit=data_a["unit"],
        title="Họp dân",
        date=dt.date(2026, 11, 10),
        channel="web_column",
    )
    evidence = Evidence(commune=commune_a, activity=activity, name="anh.png", content_type="image/png", size=12)
    evidence.file.save("anh.png", ContentFile(b"\x89PNG anh hop"), save=True)
    private = Path(files_in_tmp / "var" / "private" / "radio-uploads")
    private.mkdir(parents=True, exist_ok=True)
    (private / "ghi-am").write_bytes(b"RIFF ghi am")
    return {"plan": plan, "evidence": evidence}


def _restore_in_new_process(backup: Path, var_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"}}
    env["LANTOA_VAR_DIR"] = str(var_dir)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "restore", str(backup)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.django_db(transaction=True)  # committed rows, as a backup of a running site sees them
@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="restores into a new SQLite file")
def test_backup_then_restore_into_an_empty_folder_finds_every_record_and_file(records, tmp_path):
    call_command("backup", dest=tmp_path / "backups", verbosity=0)
    (backup,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["vendor"] == "sqlite" and manifest["tables"]["plans_plan"] == 1
    paths = {f["path"] for f in manifest["files"]}
    assert f"private/{records['plan'].source_file.name}" in paths
    assert f"private/{records['evidence'].file.name}" in paths and "private/radio-uploads/ghi-am" in paths

    restored = tmp_path / "restored"
    done = _restore_in_new_process(backup, restored)
    assert done.returncode == 0, done.stderr
    # Every table has the rows it had; the records read back the same.
    db = sqlite3.connect(restored / "lantoa.sqlite3")
    for table, count in backups.table_counts().items():
        assert db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == count, table  # noqa: S608
    codes = sorted(r[0] for r in db.execute("SELECT code FROM tenancy_household"))
    assert codes == sorted(Household.objects.values_list("code", flat=True))
    (source_name,) = db.execute("SELECT source_file FROM plans_plan").fetchone()
    assert (restored / "private" / source_name).read_bytes() == SEED.read_bytes()
    (evidence_name,) = db.execute("SELECT file FROM plans_evidence").fetchone()
    assert (restored / "private" / evidence_name).read_bytes() == b"\x89PNG anh hop"
    assert (restored / "private" / "radio-uploads" / "ghi-am").read_bytes() == b"RIFF ghi am"
    db.close()

    # Restoring again over what is now there is refused: only into an empty database.
    again = _restore_in_new_process(backup, restored)
    assert again.returncode != 0 and "not empty" in again.stderr


@pytest.mark.django_db(transaction=True)  # committed rows, as a backup of a running site sees them
def test_a_backup_whose_checksums_do_not_match_is_refused_and_nothing_is_written(records, tmp_path):
    target = backups.backup(tmp_path / "backups")
    evidence = target / "private" / records["evidence"].file.name
    evidence.write_bytes(b"\x89PNG altered")
    with pytest.raises(CommandError, match="checksum mismatch"):
        call_command("restore", str(target), verify_only=True, verbosity=0)
    if connection.vendor == "sqlite":
        restored = tmp_path / "restored"
        done = _restore_in_new_process(target, restored)
        assert done.returncode != 0 and "checksum mismatch" in done.stderr
        assert (
            not (restored / "private").exists()
            and not (restored / "media").exists()
            and not (restored / "lantoa.sqlite3").exists()
        )


@pytest.mark.django_db(transaction=True)  # committed rows, as a backup of a running site sees them
def test_old_backups_are_pruned_to_the_newest_ones(records, tmp_path, clock):
    made = []
    for _ in range(4):
        made.append(backups.backup(tmp_path / "backups", keep=2))
        clock.shift(60)
    left = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert left == sorted(p.name for p in made[-2:])
    assert Plan.objects.count() == 1  # a backup changes nothing


@pytest.mark.django_db(transaction=True)  # committed rows, as a backup of a running site sees them
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL only")
def test_postgresql_backup_restores_with_pg_restore_into_an_empty_database(records, tmp_path):
    import psycopg

    target = backups.backup(tmp_path / "backups")
    assert (target / "db.dump").exists()
    db = connection.settings_dict
    admin = f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS lantoa_restored")
        conn.execute("CREATE DATABASE lantoa_restored")
    try:
        env = {k: v for k, v in os.environ.items() if k != "MEDIA_ROOT"}
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/lantoa_restored"
        env["LANTOA_VAR_DIR"] = str(tmp_path / "restored")
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "restore", str(target)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        with psycopg.connect(admin.replace("dbname=postgres", "dbname=lantoa_restored")) as conn:
            for table, count in backups.table_counts().items():
                assert conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == count, table  # noqa: S608
        evidence = tmp_path / "restored" / "private" / records["evidence"].file.name
        assert evidence.read_bytes() == b"\x89PNG anh hop"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS lantoa_restored")
