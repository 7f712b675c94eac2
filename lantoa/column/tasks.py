"""Background work of the column, run by the task worker (django-tasks).

services.py queues the tasks; the work itself is here, so nothing here imports services back.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .channels import ChannelError, adapter_for
from .models import ChannelAccount, SharePost

logger = logging.getLogger("lantoa.column")


@task()
def post_to_channel(share_post_id: int) -> dict:
    """Post one share package through its channel's API; the outbox records success or the channel's error."""
    post = send_share_post(share_post_id)
    return {"state": post.state, "error": post.error}


def send_share_post(post_id: int) -> SharePost:
    """Post one package through its channel's API (run by the worker). A failure is recorded, never hidden."""
    post = SharePost.objects.select_related("page").get(pk=post_id)
    if post.state == SharePost.State.POSTED:
        return post
    account = ChannelAccount.objects.filter(commune_id=post.commune_id, channel=post.channel, enabled=True).first()
    post.attempts += 1
    post.queued = False
    if account is None:
        post.state = SharePost.State.FAILED
        post.error = _("No account is configured for this channel: post it by hand and mark it posted.")
    else:
        try:
            result = adapter_for(account).publish(post)
        except ChannelError as exc:
            post.state = SharePost.State.FAILED
            post.error = str(exc)[:2000]
            logger.warning("column: posting package %s to %s failed: %s", post.pk, post.channel, exc)
        else:
            post.state = SharePost.State.POSTED
            post.error = ""
            post.external_id = result.external_id[:200]
            post.posted_url = result.url[:500]
            post.posted_at = timezone.now()
    post.save()
    return post
