"""Signals of the ground floor, for the apps above to react without tenancy importing them."""

from django.dispatch import Signal

# Sent by services.onboard_commune after a commune is created or refreshed (kwargs: commune).
# Apps above set up their own per-commune pieces here (the column's home and workflow, radio settings…).
commune_onboarded = Signal()

# Sent by tenancy.jobs.recover when a worker starts (and every minute after), after the task results that a dead
# worker left running were put back to wait (``retried``: their ids) or failed (``failed``). Apps with their own
# job models (radio's audio jobs) bring those in line: requeue the retried ones, fail the others with a message.
tasks_interrupted = Signal()
