from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "lantoa.tenancy"
    label = "tenancy"
    verbose_name = _("Communes and people")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model  # noqa: PLC0415
        from django.db.models.signals import post_save, pre_save  # noqa: PLC0415

        # audit registers the models with auditlog (apps.py loads before models); signals holds the receivers.
        from . import audit, names, signals  # noqa: F401, PLC0415

        # Names print family name first everywhere, Wagtail's own screens included (tenancy.names).
        names.install()

        user = get_user_model()
        pre_save.connect(signals.remember_active, sender=user, dispatch_uid="lantoa-remember-active")
        post_save.connect(signals.announce_deactivation, sender=user, dispatch_uid="lantoa-announce-deactivation")
