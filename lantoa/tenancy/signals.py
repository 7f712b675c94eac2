"""Signals of the ground floor, for the apps above to react without tenancy importing them."""

from django.dispatch import Signal

# Sent by services.onboard_commune after a commune is created or refreshed (kwargs: commune).
# Apps above set up their own per-commune pieces here (the column's home and workflow, radio settings…).
commune_onboarded = Signal()

# Sent by services.delete_record before it deletes a record (kwargs: instance, actor). An app that has records
# hanging on it (reach: the contacts of a household) refuses by raising ValidationError with its reason.
deleting_record = Signal()
# Sent when a user account goes from active to inactive (kwargs: user). The apps above revoke what the user's
# secret links opened (plans: iCal links; radio: controller tokens the user issued). Wagtail's bulk "deactivate"
# writes with a queryset update and sends nothing: each app also refuses a link whose owner is inactive when it is
# used (and revokes it then), so both paths end the same.
user_deactivated = Signal()


def remember_active(sender, instance, update_fields=None, **kwargs) -> None:
    """pre_save of the user model: note whether the stored account was active."""
    if instance.pk is None or (update_fields is not None and "is_active" not in update_fields):
        return
    instance._lantoa_was_active = (
        sender._default_manager.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    )


def announce_deactivation(sender, instance, created=False, **kwargs) -> None:
    """post_save of the user model: send ``user_deactivated`` when the account was just deactivated."""
    was_active = instance.__dict__.pop("_lantoa_was_active", None)
    if not created and was_active and not instance.is_active:
        user_deactivated.send(sender=sender, user=instance)


# Sent by tenancy.jobs.recover when a worker starts (and every minute after), after the task results that a dead
# worker left running were put back to wait (``retried``: their ids) or failed (``failed``). Apps with their own
# job models (radio's audio jobs) bring those in line: requeue the retried ones, fail the others with a message.
tasks_interrupted = Signal()
