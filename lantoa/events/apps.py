from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "lantoa.events"
    label = "events"
    verbose_name = _("Events and meetings")

    def ready(self) -> None:
        from . import audit  # noqa: F401, PLC0415 — registers the models with auditlog
