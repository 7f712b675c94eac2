from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ColumnConfig(AppConfig):
    name = "lantoa.column"
    label = "column"
    verbose_name = _("The column")
