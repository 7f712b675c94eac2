"""Registers the learning records with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from .models import Contest, ContestEntry, Course, ExternalCertificate, LearningSettings, Lesson, Question

auditlog.register(LearningSettings)
auditlog.register(Course)
auditlog.register(Lesson)
auditlog.register(Question, exclude_fields=["choices"])
auditlog.register(Contest)
auditlog.register(ExternalCertificate)
# Entrants' names and contacts are personal data: the log keeps that they changed, not the values.
auditlog.register(ContestEntry, mask_fields=["name", "contact"], exclude_fields=["layout", "answers", "identity_hash"])
