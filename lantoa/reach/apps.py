from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReachConfig(AppConfig):
    name = "lantoa.reach"
    label = "reach"
    verbose_name = _("Reach and indicators")

    def ready(self) -> None:
        from . import (  # noqa: PLC0415 — apps.py loads before the models
            audit,  # noqa: F401  (registers models with django-auditlog)
            plan_versions,  # noqa: F401  (links to tasks follow a new version of the plan)
            signals,  # noqa: F401  (keeps the aggregates exact when households change)
        )

        self._register_catalogue()

    @staticmethod
    def _register_catalogue() -> None:
        """Offer the indicators to the plan import (it maps each target of the plan to one of them)."""
        try:
            from lantoa.plans import hooks  # noqa: PLC0415 — apps.py loads before the models
        except ImportError:  # the plans app without its extension points
            return
        from . import indicators  # noqa: PLC0415 — apps.py loads before the models

        hooks.register_indicator_catalogue(
            lambda: [(i.code, str(i.name)) for i in indicators.INDICATORS if i.companion_of is None],
            indicators.suggest_indicator,
        )
