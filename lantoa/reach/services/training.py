"""What a training channel (the learning app's courses and outside certificates) tells the indicators: a course
and the staff who completed it. The indicator "comms staff trained in depth" is computed by reach from these
records, as for courses typed in by hand.

The caller is trusted (it checked the user's permission for its own action), but every record it passes must
belong to the commune. Each write checks the period lock of the day it counts on.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.tenancy import locks
from lantoa.tenancy.models import Staff

from ..models import TrainingCompletion, TrainingCourse


@transaction.atomic
def record_training_course(
    *,
    commune_id: int,
    title: str,
    organiser: str,
    start_date: dt.date,
    in_depth: bool,
    course: TrainingCourse | None = None,
) -> TrainingCourse:
    """Create ``course`` (or update the given one): its title, organiser and whether it counts in depth.

    Changing "in depth" changes which completions count: refused when one of them lies in a locked period."""
    if course is None:
        course = TrainingCourse(commune_id=commune_id, start_date=start_date)
    elif course.commune_id != commune_id:
        raise ValidationError(_("This training course does not belong to this commune."))
    changed_depth = course.pk is not None and course.in_depth != in_depth
    course.title, course.organiser, course.in_depth = title[:300], organiser[:200], in_depth
    if changed_depth:
        locks.ensure_record_open(course)
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def record_training_completion(
    *, course: TrainingCourse, staff: Staff, completed_on: dt.date, certificate: str = ""
) -> TrainingCompletion:
    """``staff`` completed ``course`` on ``completed_on`` (idempotent: a second call keeps the first day)."""
    if staff.commune_id != course.commune_id:
        raise ValidationError(_("This staff member does not belong to this commune."))
    found = TrainingCompletion.objects.filter(course=course, staff=staff).first()
    if found is not None:
        return found
    locks.ensure_open(course.commune_id, completed_on, field="completed_on")
    completion = TrainingCompletion(
        commune_id=course.commune_id,
        course=course,
        staff=staff,
        completed_on=completed_on,
        certificate=certificate[:60],
    )
    completion.full_clean()
    completion.save()
    return completion


@transaction.atomic
def withdraw_training_completion(completion: TrainingCompletion) -> None:
    """Take back a completion recorded in error (an outside certificate approved then revoked)."""
    locks.ensure_open(completion.commune_id, completion.completed_on, field="completed_on")
    completion.delete()
