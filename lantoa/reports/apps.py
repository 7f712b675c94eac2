from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lantoa.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from . import (
            audit,  # noqa: F401  (registers models with django-auditlog)
            plan_versions,  # noqa: F401  (links to tasks follow a new version of the plan)
        )

        self._register_overview_panel()

    @staticmethod
    def _register_overview_panel() -> None:
        """Show the state of this year's reports on the plan's leadership page."""
        try:
            from lantoa.plans import hooks
        except ImportError:  # the plans app without its extension points
            return
        if not hasattr(hooks, "register_overview_panel"):
            return
        from .selectors import overview_panel

        hooks.register_overview_panel(overview_panel)
