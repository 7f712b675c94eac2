from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RadioConfig(AppConfig):
    name = "lantoa.radio"
    label = "radio"
    verbose_name = _("Commune radio")

    def ready(self) -> None:
        from lantoa.tenancy.signals import tasks_interrupted, user_deactivated  # noqa: PLC0415

        from . import audit  # noqa: F401, PLC0415 — registers the models with auditlog; apps.py loads before models
        from .jobs import recover_interrupted  # noqa: PLC0415
        from .services import revoke_device_tokens  # noqa: PLC0415

        user_deactivated.connect(revoke_device_tokens, dispatch_uid="radio-revoke-device-tokens")
        tasks_interrupted.connect(recover_interrupted, dispatch_uid="radio.recover_interrupted")
