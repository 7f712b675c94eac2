"""Forms shared by every app: the back office's sign-in form, the daily e-mail's choice on the account page, and
how a service's refusal reaches a form.

The sign-in form is settings.WAGTAILADMIN_USER_LOGIN_FORM.

Wagtail's form gives the password field no label, so Django prints the field's name, "Password", in English
whatever the language; here it has its translated label. It is the lockout-aware form of ``accounts`` (a locked-out
user is told why even the right password is refused).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .accounts import LoginForm as LockoutLoginForm
from .models import UserAccount


class LoginForm(LockoutLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: each message beside its field when the form has that field,
    otherwise at the top of the form (a service may name a field the form does not show)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def flash_service_errors(request, exc: ValidationError) -> None:
    """Show a service's ValidationError as messages at the top of the next page (an action without a form: a button
    that publishes, cancels, issues)."""
    for message in exc.messages:
        messages.error(request, message)


class InboxDigestForm(forms.ModelForm):
    """On the account page (Notifications): whether the user gets the daily e-mail of what waits for them."""

    class Meta:
        model = UserAccount
        fields = ["inbox_digest"]
