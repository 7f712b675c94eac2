from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ColumnConfig(AppConfig):
    name = "lantoa.column"
    label = "column"
    verbose_name = _("The column")

    def ready(self) -> None:
        from . import (  # noqa: PLC0415 — they import the models, and apps.py loads before models
            audit,  # noqa: F401  (registers models with django-auditlog)
            plan_versions,  # noqa: F401  (links to tasks follow a new version of the plan)
            signals,
        )

        signals.connect()
