"""Registers the awards' records with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from .models import Attachment, AwardRound, Criterion, Decision, Nomination, Score, Sheet

auditlog.register(AwardRound, m2m_fields={"council"})
auditlog.register(Criterion)
auditlog.register(Nomination, exclude_fields=["evidence"])
auditlog.register(Attachment)
auditlog.register(Score)
auditlog.register(Sheet)
auditlog.register(Decision, m2m_fields={"awardees"})
