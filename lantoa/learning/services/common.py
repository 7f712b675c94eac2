from __future__ import annotations

from ..models import LearningSettings


def settings_for(commune_id: int) -> LearningSettings:
    """The commune's learning settings (created with the defaults on first use)."""
    found, _created = LearningSettings.objects.get_or_create(commune_id=commune_id)
    return found
