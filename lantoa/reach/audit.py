"""Registers the reach app's domain models with the audit trail (django-auditlog).

The engine's aggregates (HamletPopulation, HouseholdPeriod, HamletPeriod) are derived data and are not
audited: ``manage.py recompute_indicators`` rebuilds them from the audited records.
"""

from auditlog.registry import auditlog

from . import models

auditlog.register(models.ScienceTask)
auditlog.register(models.Publication, m2m_fields={"science_tasks"})
auditlog.register(models.Broadcast, m2m_fields={"hamlets"})
