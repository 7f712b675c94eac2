from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lantoa.plans import hooks


class ReportsConfig(AppConfig):
    name = "lantoa.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from . import audit  # noqa: F401, PLC0415 — registers the models with django-auditlog (imports the models)
        from .selectors import overview_panel  # noqa: PLC0415 — imports the models, and apps.py loads before models

        # Show the state of this year's reports on the plan's leadership page.
        hooks.register_overview_panel(overview_panel)
