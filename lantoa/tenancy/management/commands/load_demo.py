from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.tenancy.demo import load_demo


class Command(BaseCommand):
    help = gettext_lazy("Load the Nam Cường demo commune (idempotent) and print the demo logins.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help=gettext_lazy("Allow loading the demo in production."))

    def handle(self, *args, force=False, **options):
        if settings.PRODUCTION and not force:
            raise CommandError(_("Refusing to load demo data in production (use --force)."))
        commune, logins = load_demo()
        self.stdout.write(
            _("Demo commune: %(name)s (%(province)s)") % {"name": commune.name, "province": commune.province}
        )
        self.stdout.write(_("Demo logins (also in var/demo-logins.txt):"))
        for username, role, password in logins:
            self.stdout.write(f"  {username:<10} {password:<16} {role}")
