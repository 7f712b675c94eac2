"""The back office's sign-in form (settings.WAGTAILADMIN_USER_LOGIN_FORM) and the daily e-mail's choice on the
account page.

Wagtail's form gives the password field no label, so Django prints the field's name, "Password", in English
whatever the language; here it has its translated label. It is the lockout-aware form of ``accounts`` (a locked-out
user is told why even the right password is refused).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .accounts import LoginForm as LockoutLoginForm
from .models import UserAccount


class LoginForm(LockoutLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")


class InboxDigestForm(forms.ModelForm):
    """On the account page (Notifications): whether the user gets the daily e-mail of what waits for them."""

    class Meta:
        model = UserAccount
        fields = ["inbox_digest"]
