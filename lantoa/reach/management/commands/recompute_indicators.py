from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.reach import engine
from lantoa.tenancy.models import Commune


class Command(BaseCommand):
    help = gettext_lazy("Rebuild the reach figures (populations, households and hamlets reached) from the records.")

    def add_arguments(self, parser):
        parser.add_argument("--commune", type=int, action="append", help=gettext_lazy("Commune code (repeatable)."))
        parser.add_argument(
            "--check",
            action="store_true",
            help=gettext_lazy("Only compare the stored figures with a rebuild; change nothing."),
        )

    def handle(self, *args, commune=None, check=False, **options):
        communes = Commune.objects.all()
        if commune:
            communes = communes.filter(code__in=commune)
            if communes.count() != len(set(commune)):
                raise CommandError(_("Unknown commune code."))
        ids = list(communes.values_list("pk", flat=True))
        if check:
            differing = []
            for commune_id in ids:
                with transaction.atomic():
                    before = engine.snapshot(commune_id)
                    engine.recompute([commune_id])
                    if engine.snapshot(commune_id) != before:
                        differing.append(commune_id)
                    transaction.set_rollback(True)
            if differing:
                raise CommandError(
                    _("Figures differ from a rebuild in communes %(ids)s.") % {"ids": ", ".join(map(str, differing))}
                )
            self.stdout.write(_("Figures agree with a rebuild in %(n)s communes.") % {"n": len(ids)})
            return
        engine.recompute(ids)
        self.stdout.write(_("Figures rebuilt for %(n)s communes.") % {"n": len(ids)})
