from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.plans.tasks import schedule_daily_reminders


class Command(BaseCommand):
    help = gettext_lazy("Queue the daily reminder run for the task worker (idempotent).")

    def handle(self, *args, **options):
        schedule_daily_reminders()
        self.stdout.write(_("Daily reminders are scheduled."))
