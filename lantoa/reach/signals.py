"""Keeps the reach aggregates exact when a household is created, moved, resized or deleted elsewhere.

Households are written by tenancy (the back office, ``save_record``) and by the roster import. Bulk
writes (``bulk_create``, ``QuerySet.update``) send no signals: code that uses them calls
``engine.apply_household`` itself, or ``engine.recompute`` afterwards (as the demo loader does).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from lantoa.tenancy import locks
from lantoa.tenancy.models import Household, Staff
from lantoa.tenancy.signals import deleting_record

from . import engine
from .models import Briefing, Contact, TrainingCompletion


@receiver(deleting_record, sender=Household, dispatch_uid="reach_household_kept_with_contacts")
def _refuse_deleting_a_reached_household(sender, instance: Household, **kwargs):
    """A household with contacts is part of figures already reported: it moves out, it is not deleted."""
    n = Contact.objects.filter(household_id=instance.pk).count()
    if n:
        raise ValidationError(
            _(
                "Household %(code)s has %(n)s recorded contact(s) and cannot be deleted: the figures already "
                "reported count it. If it no longer lives here, record a change “Moved out” with its date."
            )
            % {"code": instance.code, "n": n}
        )


@receiver(deleting_record, sender=Staff, dispatch_uid="reach_staff_kept_in_locked_periods")
def _refuse_deleting_staff_counted_in_a_locked_period(sender, instance: Staff, **kwargs):
    """Deleting a staff member deletes their training completions and briefing attendance: refused when any of
    them is dated in a locked period (tenancy knows no reach record, so reach checks them here)."""
    days = [
        *TrainingCompletion.objects.filter(staff=instance).values_list("completed_on", flat=True),
        *Briefing.objects.filter(attendees=instance).values_list("date", flat=True),
    ]
    locks.ensure_open(instance.commune_id, *days)


@receiver(pre_save, sender=Household, dispatch_uid="reach_household_pre_save")
def _remember_old_state(sender, instance: Household, raw=False, **kwargs):
    instance._reach_old = None
    if raw or instance.pk is None:
        return
    row = Household.objects.filter(pk=instance.pk).values_list("hamlet_id", "members").first()
    instance._reach_old = tuple(row) if row else None


@receiver(post_save, sender=Household, dispatch_uid="reach_household_post_save")
def _household_saved(sender, instance: Household, created=False, raw=False, **kwargs):
    if raw:
        return
    old = None if created else getattr(instance, "_reach_old", None)
    engine.apply_household(instance.commune_id, instance.pk, old, (instance.hamlet_id, instance.members))


@receiver(pre_delete, sender=Household, dispatch_uid="reach_household_pre_delete")
def _household_deleted(sender, instance: Household, **kwargs):
    row = Household.objects.filter(pk=instance.pk).values_list("hamlet_id", "members").first()
    if row:
        engine.apply_household(instance.commune_id, instance.pk, tuple(row), None)
