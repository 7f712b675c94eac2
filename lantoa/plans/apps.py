from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "lantoa.plans"
    label = "plans"
    verbose_name = _("The plan")

    def ready(self) -> None:
        from . import audit  # noqa: F401, PLC0415 — registers the models with auditlog; apps.py loads before models
