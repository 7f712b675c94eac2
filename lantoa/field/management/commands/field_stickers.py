"""Print a hamlet's QR door stickers as an A4 PDF: manage.py field_stickers --commune 5 --hamlet 12 -o thon.pdf"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lantoa.field import services, stickers
from lantoa.tenancy.models import Hamlet


class Command(BaseCommand):
    help = "Print a hamlet's QR door stickers (household code + QR + hamlet name, no personal data) as an A4 PDF."

    def add_arguments(self, parser):
        parser.add_argument("--commune", type=int, required=True, help="the commune's id")
        parser.add_argument("--hamlet", type=int, required=True, help="the hamlet's id (of that commune)")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument("--base-url", default=None, help="the site's address (default: LANTOA_BASE_URL)")

    def handle(self, *args, commune: int, hamlet: int, output: str, base_url: str | None, **options):
        found = Hamlet.objects.filter(pk=hamlet, commune_id=commune).first()
        if found is None:
            raise CommandError(f"No hamlet {hamlet} in commune {commune}.")
        codes = services.sticker_codes(found)
        Path(output).write_bytes(stickers.sheet_pdf(found.name, codes, base_url=base_url))
        pages = max(1, -(-len(codes) // stickers.PER_PAGE))
        self.stdout.write(f"{output}: {len(codes)} stickers, {pages} pages")
