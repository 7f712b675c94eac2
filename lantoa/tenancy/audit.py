"""Registers every tenancy model with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from .models import (
    Certificate,
    Commune,
    Hamlet,
    Household,
    HouseholdChange,
    PeriodLock,
    Province,
    RoleGroup,
    Staff,
    Unit,
)

HIDDEN = "***"


def hide(value) -> str:
    """The mask of personal fields in the audit trail: nothing of the value is kept (auditlog's default mask keeps
    half of it, which would let anyone who reads the history confirm a guessed phone)."""
    return HIDDEN


MASK = "lantoa.tenancy.audit.hide"

auditlog.register(Province)
auditlog.register(Commune)
auditlog.register(Unit)
auditlog.register(Staff)
auditlog.register(Hamlet)
# Personal fields are audited as "changed" without keeping their values in the log.
auditlog.register(Household, mask_fields=list(Household.PERSONAL_FIELDS), mask_callable=MASK)
auditlog.register(RoleGroup)
auditlog.register(HouseholdChange)
auditlog.register(PeriodLock, exclude_fields=["values"])
auditlog.register(Certificate)
