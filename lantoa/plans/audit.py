"""Registers the plan's records with the audit trail (django-auditlog): who changed which field, old and new."""

from auditlog.registry import auditlog

from .models import Activity, CalendarEvent, Evidence, Obstacle, Plan, PlanTarget, SolutionGroup, Task, UnitDuty

# The parsed structure is large and never edited by hand; its changes are not worth a diff.
auditlog.register(Plan, exclude_fields=["parsed"])
auditlog.register(PlanTarget)
auditlog.register(SolutionGroup)
auditlog.register(Task, m2m_fields={"lead_units", "cooperating_units"})
auditlog.register(UnitDuty)
auditlog.register(Activity)
auditlog.register(Evidence)
auditlog.register(Obstacle)
auditlog.register(CalendarEvent)
