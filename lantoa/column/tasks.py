"""Background work of the column, run by the task worker (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def post_to_channel(share_post_id: int) -> dict:
    """Post one share package through its channel's API; the outbox records success or the channel's error."""
    from .services import send_share_post

    post = send_share_post(share_post_id)
    return {"state": post.state, "error": post.error}
