from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "lantoa.plans"
    label = "plans"
    verbose_name = _("The plan")

    def ready(self) -> None:
        from lantoa.tenancy.signals import user_deactivated  # noqa: PLC0415

        from . import audit  # noqa: F401, PLC0415 — registers the models with auditlog; apps.py loads before models
        from .services import revoke_calendar_links  # noqa: PLC0415

        user_deactivated.connect(revoke_calendar_links, dispatch_uid="plans-revoke-calendar-links")
