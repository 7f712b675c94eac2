"""A bulletin's approval (lantoa.radio.workflow.BULLETIN_FLOW): submit, approve, reject, publish, reopen."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..common import acting_as, locked_bulletin
from ..models import (
    Airing,
    Bulletin,
)
from ..workflow import BULLETIN_FLOW
from .bulletins import require_no_job


@transaction.atomic
def submit_bulletin(actor, bulletin: Bulletin) -> Bulletin:
    bulletin = locked_bulletin(bulletin)
    transition = BULLETIN_FLOW.check(actor, bulletin, "submit")
    require_no_job(bulletin)
    if not bulletin.audio:
        raise ValidationError(_("The bulletin has no audio yet: synthesise it or upload a recording first."))
    BULLETIN_FLOW.move(bulletin, transition)
    bulletin.submitted_by, bulletin.submitted_at = actor, timezone.now()
    with acting_as(actor):
        bulletin.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    return bulletin


@transaction.atomic
def approve_bulletin(actor, bulletin: Bulletin) -> Bulletin:
    bulletin = locked_bulletin(bulletin)
    BULLETIN_FLOW.apply(actor, bulletin, "approve")
    bulletin.reviewed_by, bulletin.reviewed_at = actor, timezone.now()
    bulletin.rejection_comment = ""
    with acting_as(actor):
        bulletin.save(update_fields=["status", "reviewed_by", "reviewed_at", "rejection_comment", "updated_at"])
    return bulletin


@transaction.atomic
def reject_bulletin(actor, bulletin: Bulletin, *, comment: str) -> Bulletin:
    bulletin = locked_bulletin(bulletin)
    transition = BULLETIN_FLOW.check(actor, bulletin, "reject")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why the bulletin is rejected, so the editor can correct it.")})
    BULLETIN_FLOW.move(bulletin, transition)
    bulletin.reviewed_by, bulletin.reviewed_at = actor, timezone.now()
    bulletin.rejection_comment = comment
    with acting_as(actor):
        bulletin.save(update_fields=["status", "reviewed_by", "reviewed_at", "rejection_comment", "updated_at"])
    return bulletin


@transaction.atomic
def publish_bulletin(actor, bulletin: Bulletin) -> Bulletin:
    """An approved bulletin goes public: a podcast episode of the column."""
    bulletin = locked_bulletin(bulletin)
    transition = BULLETIN_FLOW.check(actor, bulletin, "publish")
    if not bulletin.audio:
        raise ValidationError(_("The bulletin has no audio yet: synthesise it or upload a recording first."))
    BULLETIN_FLOW.move(bulletin, transition)
    bulletin.published_at = timezone.now()
    with acting_as(actor):
        bulletin.save(update_fields=["status", "published_at", "updated_at"])
    return bulletin


@transaction.atomic
def reopen_bulletin(actor, bulletin: Bulletin) -> Bulletin:
    """Back to draft: the editor withdraws a submitted bulletin; leadership reopens an approved or published one."""
    bulletin = locked_bulletin(bulletin)
    transition = BULLETIN_FLOW.check(actor, bulletin, "reopen")
    upcoming = bulletin.airings.filter(status=Airing.Status.SCHEDULED, starts_at__gte=timezone.now())
    if bulletin.status in {Bulletin.Status.APPROVED, Bulletin.Status.PUBLISHED} and upcoming.exists():
        raise ValidationError(_("This bulletin is scheduled on the loudspeakers: cancel those broadcasts first."))
    BULLETIN_FLOW.move(bulletin, transition)
    bulletin.published_at = None
    with acting_as(actor):
        bulletin.save(update_fields=["status", "published_at", "updated_at"])
    return bulletin
