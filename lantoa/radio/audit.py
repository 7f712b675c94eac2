"""Registers the radio's records with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from .models import (
    Abbreviation,
    Airing,
    AiringTarget,
    AudioJob,
    Bulletin,
    BulletinItem,
    Device,
    LoudspeakerCluster,
    QuietPeriod,
    RadioSettings,
    Slot,
    Zone,
)

auditlog.register(RadioSettings)
auditlog.register(Abbreviation)
# The texts are long: the log keeps which fields changed and their values, as for every record.
auditlog.register(Bulletin, exclude_fields=["spoken_from", "updated_at"])
auditlog.register(BulletinItem)
auditlog.register(AudioJob, exclude_fields=["progress", "step"])
auditlog.register(Zone, m2m_fields={"hamlets"})
auditlog.register(Device, mask_fields=["token_hash"])
auditlog.register(LoudspeakerCluster)
auditlog.register(QuietPeriod)
auditlog.register(Slot)
auditlog.register(Airing)
auditlog.register(AiringTarget)
