"""``python manage.py parse_plan FILE``: print a plan file's parsed structure as JSON.

It only reads: nothing is written to the database. Useful to check what the importer
will see in a plan (.txt, .docx, .doc, .odt, .pdf, or a scan: .pdf without text, .jpg, .png) before importing it.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from lantoa.plans.parser import PlanParseError, parse_plan_file


class Command(BaseCommand):
    help = _(
        "Read a plan file (.txt, .docx, .doc, .odt, .pdf, .jpg, .png) and print the recognised structure "
        "(solution groups, tasks, targets, units, warnings) as JSON; writes no data."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse needs real strings: resolve the lazy translations here.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help=str(_("Path to the plan file (.txt, .docx, .doc, .odt, .pdf, .jpg or .png)")))

    def handle(self, *args, **options):
        try:
            plan = parse_plan_file(options["file"])
        except PlanParseError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(plan, ensure_ascii=False, indent=2))
