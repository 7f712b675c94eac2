"""What the radio's services and its worker share: the audit actor, commune checks, limits and defaults."""

from __future__ import annotations

import contextlib
import logging

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lantoa.tenancy.models import Commune

from .models import (
    Bulletin,
)

logger = logging.getLogger("lantoa.radio")

DEFAULT_QUIET_HOURS = [("22:00", "05:00", "night"), ("11:30", "13:30", "noon")]
DEFAULT_SLOTS = [("05:30", 30), ("17:00", 30)]
SUMMARY_ATTRIBUTES = ("summary", "search_description", "intro", "lead", "excerpt")


def max_upload_bytes() -> int:
    return int(getattr(settings, "LANTOA_RADIO_MAX_UPLOAD_MB", 50)) * 1024 * 1024


def max_recording_seconds() -> int:
    return int(getattr(settings, "LANTOA_RADIO_MAX_MINUTES", 30)) * 60


@contextlib.contextmanager
def acting_as(actor):
    """Attribute the audit entries written inside to ``actor``."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        with set_actor(actor):
            yield
    else:
        yield


def commune_id_of(commune: Commune | int) -> int:
    return commune.pk if isinstance(commune, Commune) else int(commune)


def require_same_commune(obj, commune_id: int, field: str | None = None) -> None:
    if obj is not None and obj.commune_id != commune_id:
        message = _("This must belong to the same commune.")
        raise ValidationError({field: message} if field else message)


def locked_bulletin(bulletin: Bulletin) -> Bulletin:
    return Bulletin.objects.select_for_update().get(pk=bulletin.pk)
