"""Vietnamese first: the interface speaks Vietnamese unless the user chose another language in their profile.

Django's LocaleMiddleware follows the browser's Accept-Language, so an office PC or phone set to English turned
the login page and the whole back office English. Here the language of a signed-in user is the one of their own
profile (Wagtail's account setting ``preferred_language``) and otherwise ``settings.LANGUAGE_CODE`` (vi) — never the
browser's, and never a language cookie another person left on a shared office PC. A visitor who is not signed in
(the public column, the login page) gets Vietnamese unless they chose a language with ``/i18n/setlang/``.

The middleware runs after ``AuthenticationMiddleware`` (it reads the user); Wagtail's admin views then apply the
same profile language (``get_localized_response``), which falls back to the language chosen here.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def _supported(code: str | None) -> str | None:
    if code and translation.check_for_language(code):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            return None
    return None


def language_of(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        profile = getattr(user, "wagtail_userprofile", None)  # a user without a profile yet: None
        return _supported(getattr(profile, "preferred_language", None)) or settings.LANGUAGE_CODE
    return _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) or settings.LANGUAGE_CODE


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        translation.activate(language_of(request))
        request.LANGUAGE_CODE = translation.get_language()
