"""The plan parser's error type and its translation helper (importable without Django)."""

from __future__ import annotations


def _(message: str) -> str:
    """Translate ``message`` with Django's gettext when Django is ready, else return it.

    The parser must run in plain Python (tests, scripts) where no settings are
    configured; the Vietnamese source strings are then used as they are.
    """
    try:
        from django.conf import settings  # noqa: PLC0415 — the plan parser imports no Django at module level
        from django.core import exceptions  # noqa: PLC0415 — the plan parser imports no Django at module level
        from django.utils.translation import gettext  # noqa: PLC0415 — the plan parser imports no Django at module level
    except ImportError:
        return message
    if not settings.configured:
        return message
    try:
        return gettext(message)
    except (exceptions.AppRegistryNotReady, exceptions.ImproperlyConfigured):  # settings without apps loaded yet
        return message


class PlanParseError(Exception):
    """A plan file could not be read; the message is Vietnamese and user-facing."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NoTextLayer(PlanParseError):
    """A PDF without a text layer (a scan): read it by OCR instead."""
