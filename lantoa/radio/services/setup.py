"""A commune's radio set-up: default quiet hours and slots, its abbreviation list for speech."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.tenancy.models import Commune

from .. import scheduling
from ..common import DEFAULT_QUIET_HOURS, DEFAULT_SLOTS, commune_id_of
from ..models import (
    Abbreviation,
    QuietPeriod,
    RadioSettings,
    Slot,
)
from ..speech.normalize import Normalizer


@transaction.atomic
def ensure_setup(commune: Commune | int) -> RadioSettings:
    """The commune's radio settings; the first time, with the default quiet hours and slots. Idempotent."""
    commune_id = commune_id_of(commune)
    radio, created = RadioSettings.objects.get_or_create(commune_id=commune_id)
    if created:
        labels = {"night": _("Night"), "noon": _("Midday rest")}
        for start, end, label in DEFAULT_QUIET_HOURS:
            QuietPeriod.objects.create(
                commune_id=commune_id,
                start=scheduling.parse_hhmm(start),
                end=scheduling.parse_hhmm(end),
                label=labels[label],
            )
        for start, minutes in DEFAULT_SLOTS:
            Slot.objects.create(
                commune_id=commune_id,
                start=scheduling.parse_hhmm(start),
                duration_minutes=minutes,
                weekdays=list(range(7)),
            )
    return radio


def normalizer_for(commune: Commune | int) -> Normalizer:
    extra = dict(
        Abbreviation.objects.filter(commune_id=commune_id_of(commune)).values_list("abbreviation", "expansion")
    )
    return Normalizer(extra)
