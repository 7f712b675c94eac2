from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RadioConfig(AppConfig):
    name = "lantoa.radio"
    label = "radio"
    verbose_name = _("Commune radio")

    def ready(self) -> None:
        from . import audit  # noqa: F401, PLC0415 — registers the models with auditlog; apps.py loads before models
