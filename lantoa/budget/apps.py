from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "lantoa.budget"
    label = "budget"
    verbose_name = _("Budget")

    def ready(self) -> None:
        from . import (  # noqa: PLC0415 — they import the models, and apps.py loads before models
            audit,  # noqa: F401  (registers models with django-auditlog)
            plan_versions,  # noqa: F401  (estimate lines follow their task to a new version of the plan)
        )
