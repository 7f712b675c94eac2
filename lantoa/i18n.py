"""Vietnamese first: the interface speaks Vietnamese unless the user chose another language.

Django's LocaleMiddleware follows the browser's Accept-Language, so an office PC or phone set to English turned
the login page and the whole back office English. Here the language is the one the user chose — Wagtail's
account setting (``preferred_language``, applied by Wagtail's admin views) or the language cookie that
``/i18n/setlang/`` sets — and otherwise ``settings.LANGUAGE_CODE`` (vi). The browser's setting is ignored.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen and translation.check_for_language(chosen):
            language = translation.get_supported_language_variant(chosen)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
