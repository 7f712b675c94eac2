"""The back office's sign-in form (settings.WAGTAILADMIN_USER_LOGIN_FORM).

Wagtail's form gives the password field no label, so Django prints the field's name, "Password", in English
whatever the language; here it has its translated label. It is the lockout-aware form of ``accounts`` (a locked-out
user is told why even the right password is refused).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .accounts import LoginForm as LockoutLoginForm


class LoginForm(LockoutLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
