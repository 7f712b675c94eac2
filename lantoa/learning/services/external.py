"""Outside certificates (Bình dân học vụ số, a provincial course): uploaded by a staff member, approved or refused
by the focal point. An approved one is told to reach as a completion of a training course named after the
certificate; it counts in depth when the commune's rule says so (``LearningSettings.external_counts``)."""

from __future__ import annotations

import datetime as dt
import io
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from lantoa.reach import services as reach
from lantoa.reach.models import TrainingCourse
from lantoa.tenancy.models import Staff
from lantoa.tenancy.services import require_commune_perm
from lantoa.tenancy.uploads import MB, check_upload

from ..models import ExternalCertificate
from ..workflow import EXTERNAL_FLOW
from .common import settings_for

EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")
MAX_BYTES = 10 * MB


def _check_file(data: bytes, name: str) -> None:
    ext = os.path.splitext(name or "")[1].lower()
    if ext not in EXTENSIONS:
        raise ValidationError({"file": _("Upload the certificate as a PDF, JPG or PNG file.")})
    check_upload(data, name, max_bytes=MAX_BYTES)
    if ext != ".pdf":
        try:
            Image.open(io.BytesIO(data)).verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ValidationError({"file": _("The file “%(name)s” is not a readable image.") % {"name": name}}) from exc


@transaction.atomic
def submit_external(
    user, *, staff: Staff, title: str, issuer: str, code: str, issued_on: dt.date, data: bytes, filename: str
) -> ExternalCertificate:
    """A staff member records an outside certificate (their own; the focal point may record one for anyone)."""
    require_commune_perm(user, "learning.add_externalcertificate", staff.commune_id)
    if staff.user_id != user.pk:
        require_commune_perm(user, "learning.approve_externalcertificate", staff.commune_id)
    if issued_on and issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("The date of issue cannot be in the future.")})
    _check_file(data, filename)
    cert = ExternalCertificate(
        commune_id=staff.commune_id,
        staff=staff,
        title=(title or "").strip(),
        issuer=(issuer or "").strip(),
        code=(code or "").strip(),
        issued_on=issued_on,
        submitted_by=user,
    )
    cert.file.save(filename, ContentFile(data), save=False)
    cert.full_clean()
    cert.save()
    return cert


def _training_course_for(cert: ExternalCertificate, in_depth: bool) -> TrainingCourse:
    """One reach course per outside course (title and issuer), shared by every certificate of it."""
    earlier = (
        ExternalCertificate.objects.filter(
            commune_id=cert.commune_id,
            title__iexact=cert.title,
            issuer__iexact=cert.issuer,
            training_completion__isnull=False,
        )
        .select_related("training_completion__course")
        .first()
    )
    return reach.record_training_course(
        commune_id=cert.commune_id,
        title=cert.title,
        organiser=cert.issuer,
        start_date=cert.issued_on,
        in_depth=in_depth,
        course=earlier.training_completion.course if earlier else None,
    )


@transaction.atomic
def review_external(user, cert: ExternalCertificate, action: str, reason: str = "") -> ExternalCertificate:
    """``approve`` (reach is told: a completion on the day of issue) or ``refuse`` (a reason is required; an
    approved certificate refused later is taken back out of the indicator)."""
    cert = ExternalCertificate.objects.select_for_update().get(pk=cert.pk)
    transition = EXTERNAL_FLOW.check(user, cert, action)
    reason = (reason or "").strip()
    if action == "refuse" and not reason:
        raise ValidationError({"reason": _("Say why the certificate is refused.")})
    if action == "approve":
        rule = settings_for(cert.commune_id)
        course = _training_course_for(cert, rule.external_counts)
        cert.training_completion = reach.record_training_completion(
            course=course, staff=cert.staff, completed_on=cert.issued_on, certificate=cert.code
        )
    elif cert.training_completion_id:
        completion = cert.training_completion
        cert.training_completion = None
        if not ExternalCertificate.objects.filter(training_completion=completion).exclude(pk=cert.pk).exists():
            reach.withdraw_training_completion(completion)
    EXTERNAL_FLOW.move(cert, transition)
    cert.reason = reason if action == "refuse" else ""
    cert.reviewed_by, cert.reviewed_at = user, timezone.now()
    cert.save()
    return cert


@transaction.atomic
def apply_external_rule(commune_id: int) -> int:
    """The commune changed its rule: the reach courses of approved outside certificates follow it."""
    rule = settings_for(commune_id)
    courses = TrainingCourse.objects.filter(
        pk__in=ExternalCertificate.objects.filter(commune_id=commune_id, training_completion__isnull=False).values_list(
            "training_completion__course_id", flat=True
        )
    )
    changed = 0
    for course in courses:
        if course.in_depth != rule.external_counts:
            reach.record_training_course(
                commune_id=commune_id,
                title=course.title,
                organiser=course.organiser,
                start_date=course.start_date,
                in_depth=rule.external_counts,
                course=course,
            )
            changed += 1
    return changed
