"""Keeps reach in line when a course or the commune's rule changes (both are edited in the back office's
snippet screens, which save through tenancy.services.save_record)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Course, LearningSettings


@receiver(post_save, sender=Course, dispatch_uid="learning_course_to_reach")
def _course_saved(sender, instance: Course, raw=False, **kwargs):
    if raw or instance.training_course_id is None:
        return
    from .services.courses import sync_training_course  # noqa: PLC0415 — services import models, not signals

    sync_training_course(instance)


@receiver(post_save, sender=LearningSettings, dispatch_uid="learning_rule_to_reach")
def _rule_saved(sender, instance: LearningSettings, raw=False, **kwargs):
    if raw:
        return
    from .services.external import apply_external_rule  # noqa: PLC0415

    apply_external_rule(instance.commune_id)
