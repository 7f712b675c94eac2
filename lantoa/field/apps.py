from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lantoa.field"
    verbose_name = _("Field app")
