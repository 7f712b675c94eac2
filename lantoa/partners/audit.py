"""Registers the partners' records with the audit trail (django-auditlog); the contact fields are masked."""

from auditlog.registry import auditlog

from .models import CommunicationPlan, ExternalActivity, Partner, PartnerActivity, PartnerLink, PartnerReminder

auditlog.register(Partner, m2m_fields={"science_tasks"}, mask_fields=list(Partner.PERSONAL_FIELDS))
auditlog.register(CommunicationPlan)
auditlog.register(PartnerLink, exclude_fields=["token_hash"])
auditlog.register(PartnerReminder)
auditlog.register(PartnerActivity)
auditlog.register(ExternalActivity)
