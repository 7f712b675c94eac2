from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "lantoa.partners"
    label = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from . import audit  # noqa: F401, PLC0415 — registers the models with auditlog
