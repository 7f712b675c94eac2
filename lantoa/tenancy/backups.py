"""Backups of the database and the files, and their restore (``manage.py backup`` / ``manage.py restore``).

A backup is a folder ``lantoa-YYYYmmdd-HHMMSS/`` holding
- ``db.sqlite3`` (SQLite's online backup API: a consistent copy while the site runs) or ``db.dump``
  (``pg_dump --format=custom`` for PostgreSQL);
- ``media/`` (MEDIA_ROOT: column images and documents, bulletins' audio) and
  ``private/`` (PRIVATE_MEDIA_ROOT: evidence, plan sources, issued reports, uploaded recordings, uploads waiting
  for the worker);
- ``manifest.json``: every file with its size and SHA-256, the database vendor, and the number of rows of each
  table when the backup was taken.
A restore goes into an empty database and empty media folders only, and refuses a backup whose files do not match
their checksums. Backups older than the newest ``keep`` are deleted after a successful backup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

PREFIX = "lantoa-"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_roots() -> dict[str, Path]:
    """The folders a backup carries, by their name inside the backup."""
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def default_destination() -> Path:
    return Path(getattr(settings, "LANTOA_BACKUP_DIR", "") or Path(settings.VAR_DIR) / "backups")


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the schema
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def backup(destination: Path | None = None, *, keep: int = 14) -> Path:
    """Take a backup into a new folder under ``destination``; return that folder."""
    destination = Path(destination or default_destination())
    destination.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = destination / f"{PREFIX}{stamp}"
    suffix = 1
    while target.exists():
        suffix += 1
        target = destination / f"{PREFIX}{stamp}-{suffix}"
    partial = destination / f".partial-{target.name}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        counts = table_counts()
        vendor = connection.vendor
        if vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(partial / "db.sqlite3") as copy:
                connection.connection.backup(copy)
            copy.close()
        elif vendor == "postgresql":
            args, env = _pg_env()
            name = settings.DATABASES["default"]["NAME"]
            done = subprocess.run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    *args,
                    "--file",
                    str(partial / "db.dump"),
                    name,
                ],
                env=env,
                capture_output=True,
                check=False,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.decode(errors='replace')[-500:]}")
        else:
            raise BackupError(f"backups of a {vendor} database are not supported")
        for label, root in file_roots().items():
            if root.is_dir():
                shutil.copytree(root, partial / label, symlinks=False)
        files = []
        for path in sorted(p for p in partial.rglob("*") if p.is_file()):
            files.append(
                {"path": path.relative_to(partial).as_posix(), "size": path.stat().st_size, "sha256": sha256_of(path)}
            )
        manifest = {
            "format": 1,
            "created_at": timezone.now().isoformat(),
            "vendor": vendor,
            "tables": counts,
            "files": files,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    prune(destination, keep=keep)
    return target


def prune(destination: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups in ``destination``; return what was deleted."""
    if keep < 1:
        return []
    backups = sorted(
        (p for p in destination.iterdir() if p.is_dir() and p.name.startswith(PREFIX) and (p / MANIFEST).exists()),
        key=lambda p: p.name,
    )
    old = backups[:-keep]
    for path in old:
        shutil.rmtree(path)
    return old


def verify(source: Path) -> dict:
    """Read the manifest and check every file against it; raise BackupError on any difference."""
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} is not a backup (no {MANIFEST})")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    listed = {entry["path"] for entry in manifest["files"]}
    present = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()} - {MANIFEST}
    if present - listed:
        raise BackupError(f"files not in the manifest: {sorted(present - listed)[:5]}")
    for entry in manifest["files"]:
        path = source / entry["path"]
        if not path.exists():
            raise BackupError(f"missing file: {entry['path']}")
        if path.stat().st_size != entry["size"] or sha256_of(path) != entry["sha256"]:
            raise BackupError(f"checksum mismatch: {entry['path']}")
    return manifest


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(source: Path) -> dict:
    """Restore a verified backup into an empty database and empty file folders; return its manifest."""
    source = Path(source)
    manifest = verify(source)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(f"the backup is of a {manifest['vendor']} database; this site uses {vendor}")
    if not _database_is_empty():
        raise BackupError("the database is not empty: restore only into a new, empty database")
    for root in file_roots().values():
        if root.exists() and any(root.iterdir()):
            raise BackupError(f"the folder {root} is not empty: restore only into empty folders")
    if vendor == "sqlite":
        name = Path(settings.DATABASES["default"]["NAME"])
        connection.close()
        with sqlite3.connect(source / "db.sqlite3") as backup_db, sqlite3.connect(name) as target:
            backup_db.backup(target)
        backup_db.close()
        target.close()
    else:
        args, env = _pg_env()
        name = settings.DATABASES["default"]["NAME"]
        done = subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                *args,
                "--dbname",
                name,
                str(source / "db.dump"),
            ],
            env=env,
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {done.stderr.decode(errors='replace')[-500:]}")
    for label, root in file_roots().items():
        if (source / label).is_dir():
            root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(source / label, root, dirs_exist_ok=True)
    connection.close()
    counts = table_counts()
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"restored tables differ from the backup: {dict(list(wrong.items())[:5])}")
    return manifest


def age_of_newest(destination: Path | None = None) -> dt.timedelta | None:
    destination = Path(destination or default_destination())
    if not destination.is_dir():
        return None
    names = sorted(p.name for p in destination.iterdir() if p.name.startswith(PREFIX) and (p / MANIFEST).exists())
    if not names:
        return None
    created = json.loads((destination / names[-1] / MANIFEST).read_text(encoding="utf-8"))["created_at"]
    return timezone.now() - dt.datetime.fromisoformat(created)
