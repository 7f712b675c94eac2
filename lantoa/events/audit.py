"""Registers the events' records with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from .models import Attendance, Event, Invitation

auditlog.register(Event)
auditlog.register(Invitation)
auditlog.register(Attendance)
