"""``manage.py backup [--dest DIR] [--keep N]``: the database and the files, with a manifest of SHA-256 checksums.

SQLite is copied with its online backup API (consistent while the site runs), PostgreSQL with ``pg_dump``.
After a successful backup only the newest ``--keep`` backups (14 by default: two weeks of daily backups) are kept.
See docs/deployment.md for the daily timer.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lantoa.tenancy import backups


class Command(BaseCommand):
    help = "Back up the database and the media files into a new folder, with a manifest of checksums"

    def add_arguments(self, parser):
        parser.add_argument("--dest", type=Path, default=None, help="folder of the backups (default: var/backups)")
        parser.add_argument("--keep", type=int, default=14, help="how many backups to keep (default 14)")

    def handle(self, *args, dest=None, keep=14, verbosity=1, **options):
        try:
            target = backups.backup(dest, keep=keep)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity:
            self.stdout.write(str(target))
