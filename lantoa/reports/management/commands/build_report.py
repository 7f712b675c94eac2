"""``python manage.py build_report --commune 2026 --period 2026H1 --format pdf --out bao-cao.pdf``

Writes a commune's report without the web interface. The report of the period saved in the back office is used
when there is one (the issued one's stored file, checked against its hash; else the draft as edited);
otherwise, or with ``--fresh``, a draft is written from the records and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.tenancy.models import Commune

from ... import periods, selectors, services


class Command(BaseCommand):
    help = gettext_lazy("Write a commune's semi-annual report (DOCX, PDF or XLSX annex) to a file.")

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--commune", type=int, required=True, help=str(gettext_lazy("The commune's 2025 code.")))
        parser.add_argument(
            "--period",
            required=True,
            help=str(
                gettext_lazy(
                    "2026H1 (6 months: 15/12 of the year before to 14/6), 2026 (year: 15/12 to 14/12), a calendar "
                    "period 2026S1, 2026Q3, or FROM:TO as YYYY-MM-DD:YYYY-MM-DD."
                )
            ),
        )
        parser.add_argument("--format", choices=sorted(services.FORMATS), default="docx")
        parser.add_argument("--out", required=True, help=str(gettext_lazy("The file to write.")))
        parser.add_argument(
            "--as-of",
            dest="as_of",
            help=str(gettext_lazy("Cut-off day of the figures (YYYY-MM-DD); today by default.")),
        )
        parser.add_argument(
            "--estimate",
            action="store_true",
            help=str(
                gettext_lazy("Add an estimate to the end of the half or the year (from the figures at the cut-off).")
            ),
        )
        parser.add_argument(
            "--fresh",
            action="store_true",
            help=str(gettext_lazy("Write from the records even if the period has a saved report.")),
        )

    def handle(self, *args, commune, period, format, out, as_of=None, fresh=False, estimate=False, **options):
        place = Commune.objects.filter(code=commune).first()
        if place is None:
            raise CommandError(_("No commune has code %(code)s here.") % {"code": commune})
        try:
            span = periods.parse(period)
            cutoff = dt.date.fromisoformat(as_of) if as_of else None
        except (ValidationError, ValueError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        report = None if (fresh or cutoff or estimate) else selectors.latest(place, span)
        try:
            if report is None:
                report = services.build(place, span, as_of=cutoff, estimate=estimate)
                source = _("written from the records (not saved)")
            else:
                source = _("the saved report (%(status)s)") % {"status": report.get_status_display()}
            content = services.render(report, format)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except services.TamperedFile as exc:
            raise CommandError(_("The stored file of the issued report does not match its hash.")) from exc
        Path(out).write_bytes(content)
        if not span.exact and not span.legal:
            self.stderr.write(
                _(
                    "Note: the indicators are computed for the period %(code)s (the smallest indicator "
                    "period containing the range), up to %(date)s; the document says so."
                )
                % {"code": span.reach.code, "date": report.as_of.strftime("%d/%m/%Y")}
            )
        self.stdout.write(
            _("%(file)s: %(size)s bytes, %(source)s, figures as of %(date)s.")
            % {"file": out, "size": len(content), "source": source, "date": report.as_of.strftime("%d/%m/%Y")}
        )
