"""``manage.py restore BACKUP_DIR``: restore a backup into an empty database and empty media folders.

Every file is checked against the manifest's SHA-256 first; a backup that does not match is refused and nothing
is written. After the restore the number of rows of every table is compared with the manifest.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lantoa.tenancy import backups


class Command(BaseCommand):
    help = "Restore a backup (made by manage.py backup) into an empty database and empty media folders"

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="the backup folder (lantoa-YYYYmmdd-HHMMSS)")
        parser.add_argument("--verify-only", action="store_true", help="only check the files against the manifest")

    def handle(self, *args, source: Path, verify_only=False, verbosity=1, **options):
        try:
            manifest = backups.verify(source) if verify_only else backups.restore(source)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity:
            rows = sum(manifest["tables"].values())
            verb = "verified" if verify_only else "restored"
            self.stdout.write(
                f"{verb}: {len(manifest['files'])} files, {rows} rows in {len(manifest['tables'])} tables"
            )
