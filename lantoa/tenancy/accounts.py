"""Signing in safely: the lockout after repeated wrong passwords, and a rate-limited password reset.

django-axes counts failed logins by account and by client address (``AXES_LOCKOUT_PARAMETERS``, the address from
``network.client_ip``). Once either reaches ``AXES_FAILURE_LIMIT`` even the right password is refused until
``AXES_COOLOFF_TIME`` has passed: ``LoginForm`` says so in Vietnamese on Wagtail's login page and ``lockout_response``
answers 429. The password-reset view sends at most a few mails per address and per e-mail in an hour.
"""

from __future__ import annotations

import math
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.views.account import PasswordResetView

from . import throttle
from .network import client_ip


def cool_off_minutes() -> int:
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None) or timedelta(minutes=15)
    return max(1, math.ceil(cool_off.total_seconds() / 60))


def lockout_message() -> str:
    return _(
        "Too many failed sign-in attempts for this account or from this address. "
        "Sign-in is blocked for %(minutes)s minutes; try again later or ask the administrator to unlock it."
    ) % {"minutes": cool_off_minutes()}


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check, first of AUTHENTICATION_BACKENDS. Every login over HTTP passes its request; code on the
    server that checks a password without one (a management command, a test of the demo logins) is not throttled.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class AccountBackend(ModelBackend):
    """Django's ModelBackend (the second of AUTHENTICATION_BACKENDS: the one that checks passwords and loads the
    signed-in user of each request), loading with the user the two rows every request reads about them: the
    Wagtail profile (its language, ``lantoa.i18n``) and the login's account (a temporary password,
    ``ForcePasswordChangeMiddleware``). One query per request instead of three.
    """

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("wagtail_userprofile", "lantoa_account")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class LoginForm(WagtailLoginForm):
    """Wagtail's login form, telling a locked-out user why even the right password does not work."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if self.request is not None and getattr(self.request, "axes_locked_out", False):
                raise ValidationError(lockout_message(), code="locked_out") from None
            raise


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page that refused, saying why, with 429; else the message alone.

    Wagtail's admin login says it through ``LoginForm``; any other login page (Wagtail's /_util/login/ for
    restricted pages) is rendered again with the message as the form's error.
    """
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if isinstance(original_response, TemplateResponse) and form is not None:
        message = lockout_message()
        if message not in form.non_field_errors():
            form._errors = form._errors or {}
            form._errors[NON_FIELD_ERRORS] = form.error_class([message], error_class="nonfield")
            return TemplateResponse(request, original_response.template_name, context, status=429).render()
        original_response.status_code = 429
        return original_response
    return HttpResponse(lockout_message(), status=429, content_type="text/plain; charset=utf-8")


# --- Password reset ---------------------------------------------------------------------------------------

RESET_LIMIT_PER_ADDRESS = 5  # reset mails asked from one client address …
RESET_LIMIT_PER_EMAIL = 3  # … or for one e-mail address …
RESET_WINDOW = timedelta(hours=1)  # … in this window


def allow_password_reset(request, email: str) -> bool:
    """Count one reset request; False once the address or the e-mail has asked too often in the window."""
    seconds = int(RESET_WINDOW.total_seconds())
    by_address = throttle.allow("reset:ip", client_ip(request), RESET_LIMIT_PER_ADDRESS, seconds)
    by_email = throttle.allow("reset:email", (email or "").strip().lower(), RESET_LIMIT_PER_EMAIL, seconds)
    return by_address and by_email


class RateLimitedPasswordResetView(PasswordResetView):
    """Wagtail's password reset, refusing (429, in Vietnamese) past the limits above; no mail is sent then."""

    def form_valid(self, form):
        if not allow_password_reset(self.request, form.cleaned_data.get("email", "")):
            form.add_error(None, _("Too many password reset requests. Please try again in an hour."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
