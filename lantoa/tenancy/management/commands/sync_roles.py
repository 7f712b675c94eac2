from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.tenancy.models import Commune
from lantoa.tenancy.services import onboard_commune


class Command(BaseCommand):
    help = gettext_lazy("Refresh every commune's role groups and their permissions.")

    def handle(self, *args, **options):
        for commune in Commune.objects.all():
            onboard_commune(commune.code)
        self.stdout.write(_("Role groups refreshed."))
