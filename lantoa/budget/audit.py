"""Registers the budget's records with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from .models import Adjustment, BudgetEvent, EstimateLine, Spending

auditlog.register(EstimateLine)
auditlog.register(Adjustment)
auditlog.register(Spending)
auditlog.register(BudgetEvent)
