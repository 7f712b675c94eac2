"""Registers every tenancy model with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from .models import Commune, Hamlet, Household, HouseholdChange, PeriodLock, Province, RoleGroup, Staff, Unit

auditlog.register(Province)
auditlog.register(Commune)
auditlog.register(Unit)
auditlog.register(Staff)
auditlog.register(Hamlet)
# Personal fields are audited as "changed" without keeping their values in the log.
auditlog.register(Household, mask_fields=list(Household.PERSONAL_FIELDS))
auditlog.register(RoleGroup)
auditlog.register(HouseholdChange)
auditlog.register(PeriodLock, exclude_fields=["values"])
