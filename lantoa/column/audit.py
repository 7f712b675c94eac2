"""Registers the column's records with the audit trail (django-auditlog). Pages keep Wagtail's own history."""

from auditlog.registry import auditlog

from lantoa.tenancy.audit import MASK

from .models import Audience, ChannelAccount, Feedback, MediaFile, SharePost, Topic

auditlog.register(Topic)
auditlog.register(Audience)
auditlog.register(MediaFile, exclude_fields=["text"])
# A reader's name and contact are recorded as "changed" without keeping their values in the log.
auditlog.register(
    Feedback, mask_fields=list(Feedback.PERSONAL_FIELDS), mask_callable=MASK, exclude_fields=["client_key"]
)
auditlog.register(SharePost)
auditlog.register(ChannelAccount, mask_fields=["access_token"])
