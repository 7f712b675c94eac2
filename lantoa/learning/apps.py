from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "lantoa.learning"
    label = "learning"
    verbose_name = _("Learning and contests")

    def ready(self) -> None:
        from . import audit, signals  # noqa: F401, PLC0415 — auditlog registrations, the course → reach sync
