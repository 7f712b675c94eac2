"""Reads of the learning app shared by its pages and its report section; always within the user's communes."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from lantoa.reach.models import TrainingCompletion
from lantoa.tenancy.models import Staff
from lantoa.tenancy.selectors import scoped

from .models import Contest, Course, ExternalCertificate


def courses(user) -> QuerySet[Course]:
    return scoped(Course.objects.all(), user)


def contests(user) -> QuerySet[Contest]:
    return scoped(Contest.objects.all(), user)


def external_certificates(user) -> QuerySet[ExternalCertificate]:
    return scoped(ExternalCertificate.objects.select_related("staff"), user)


def comms_staff(commune_id: int, day: dt.date) -> QuerySet[Staff]:
    """The communications staff serving on ``day``: the denominator of "comms staff trained in depth"."""
    return Staff.objects.filter(commune_id=commune_id, on_comms_duty=True, category__in=Staff.COMMS_CATEGORIES).filter(
        Staff.serving_on(day)
    )


def trained_in_depth_ids(commune_id: int, day: dt.date) -> set[int]:
    """Staff with an in-depth completion dated up to ``day`` (the same rule reach's indicator applies)."""
    return set(
        TrainingCompletion.objects.filter(
            commune_id=commune_id, course__in_depth=True, completed_on__lte=day
        ).values_list("staff_id", flat=True)
    )


def missing_training(commune_id: int, day: dt.date) -> list[Staff]:
    """Communications staff still without in-depth training on ``day``."""
    done = trained_in_depth_ids(commune_id, day)
    return [s for s in comms_staff(commune_id, day).select_related("unit") if s.pk not in done]
