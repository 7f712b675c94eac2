"""Signals of the ground floor, for the apps above to react without tenancy importing them."""

from django.dispatch import Signal

# Sent by services.onboard_commune after a commune is created or refreshed (kwargs: commune).
# Apps above set up their own per-commune pieces here (the column's home and workflow, radio settings…).
commune_onboarded = Signal()

# Sent by services.delete_record before it deletes a record (kwargs: instance, actor). An app that has records
# hanging on it (reach: the contacts of a household) refuses by raising ValidationError with its reason.
deleting_record = Signal()
