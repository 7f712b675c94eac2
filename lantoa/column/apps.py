from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ColumnConfig(AppConfig):
    name = "lantoa.column"
    label = "column"
    verbose_name = _("The column")

    def ready(self) -> None:
        from . import audit, signals  # noqa: F401, PLC0415 — both import the models, and apps.py loads before models

        signals.connect()
