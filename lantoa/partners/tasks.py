"""Background work of the partners app, run by the task worker. services.py queues it; nothing here imports
services back."""

from __future__ import annotations

from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from . import secretbox
from .models import PartnerReminder


@task()
def send_reminder_mail(reminder_id: int, sealed_text: str) -> bool:
    """E-mail a reminder to the partner's contact person. Its text, with the personal link, arrives encrypted
    (``secretbox``): the queue never holds a usable token. False when the partner has no e-mail any more."""
    reminder = PartnerReminder.objects.select_related("partner").filter(pk=reminder_id).first()
    if reminder is None or not reminder.partner.contact_email:
        return False
    with override("vi"):
        subject = _("Communication plan %(year)s: please send it through your link") % {"year": reminder.year}
    send_mail(subject, secretbox.unseal(sealed_text), None, [reminder.partner.contact_email])
    return True
