"""Registers the reports app's models with the audit trail (django-auditlog).

The snapshot of figures (``data``) and the generated drafts are left out of the log: they are large, derived
from the records, and every refresh is recorded as a report event instead.
"""

from auditlog.registry import auditlog

from .models import Report, ReportEvent

auditlog.register(Report, exclude_fields=["data", "generated", "updated_at"])
auditlog.register(ReportEvent)
