"""The daily e-mail of what waits for each user: the inbox (``tenancy.inbox``) sent by the task worker.

Sent only when e-mail is configured (``settings.LANTOA_INBOX_DIGEST``: on when ``EMAIL_HOST`` or ``EMAIL_BACKEND`` is
set, see docs/deployment.md), once a day (``tasks.send_inbox_digests`` queues itself for the next morning), to each
active user with an e-mail address and something waiting, unless they turned it off on their account page
(``UserAccount.inbox_digest``). The lines and counts are the inbox's own, computed for the user as the sidebar
computes them, in the user's language (Vietnamese unless they chose English on their account page).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from . import guide, inbox
from .models import UserAccount
from .services import full_name_of

logger = logging.getLogger("lantoa.digest")


def enabled() -> bool:
    return bool(getattr(settings, "LANTOA_INBOX_DIGEST", False))


def recipients():
    """Active users with an e-mail address who did not turn the daily e-mail off."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(lantoa_account__inbox_digest=False)
        .select_related("wagtail_userprofile")
        .order_by("pk")
    )


def language_of(user) -> str:
    profile = getattr(user, "wagtail_userprofile", None)
    return (profile.preferred_language if profile else "") or settings.LANGUAGE_CODE


def items_for(user) -> list[inbox.Item]:
    """What waits for ``user``: the same providers the sidebar asks, with the user as the request's user."""
    request = HttpRequest()
    request.user = user
    request.META["SERVER_NAME"], request.META["SERVER_PORT"] = "localhost", "80"
    return inbox.items_for(request)


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def message_for(user, items: list[inbox.Item], today: dt.date) -> tuple[str, str]:
    """(subject, plain-text body) of the e-mail, in the user's language."""
    with translation.override(language_of(user)):
        total = sum(item.count for item in items)
        subject = ngettext(
            "Lan Tỏa: %(n)s thing is waiting for you", "Lan Tỏa: %(n)s things are waiting for you", total
        ) % {"n": total}
        body = render_to_string(
            "tenancy/email/inbox_digest.txt",
            {
                "name": full_name_of(user),
                "date": today.strftime("%d/%m/%Y"),
                "items": [(item.label, _absolute(item.url)) for item in items],
                "home_url": _absolute(reverse("wagtailadmin_home")),
                "guide_url": _absolute(guide.url_for(user)),
                "account_url": _absolute(reverse("wagtailadmin_account")),
            },
        )
        return subject, body


def send_digests(today: dt.date | None = None) -> int:
    """E-mail each recipient with something waiting, at most once on ``today``. Returns how many were sent."""
    if not enabled():
        return 0
    today = today or timezone.localdate()
    sent = 0
    for user in recipients().exclude(lantoa_account__digest_sent_on=today):
        try:
            items = items_for(user)
            if not items:
                continue
            subject, body = message_for(user, items, today)
            send_mail(subject, body, None, [user.email])
        except Exception:  # one user's failure (a bad address, the server refusing it) does not stop the others
            logger.exception("daily e-mail to user %s failed", user.pk)
            continue
        UserAccount.objects.update_or_create(user=user, defaults={"digest_sent_on": today})
        sent += 1
    return sent
