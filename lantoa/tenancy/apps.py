from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "lantoa.tenancy"
    label = "tenancy"
    verbose_name = _("Communes and people")

    def ready(self) -> None:
        from . import audit  # noqa: F401, PLC0415 — registers the models with auditlog; apps.py loads before models
