"""The back office's sign-in form (settings.WAGTAILADMIN_USER_LOGIN_FORM).

Wagtail's form gives the password field no label, so Django prints the field's name, "Password", in English
whatever the language; here it has its translated label.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
