"""Adapters that post a share package through a social channel's API.

Each adapter turns the channel's answer into a ``PostResult`` or raises ``ChannelError`` with the
channel's own error message, which the outbox shows next to a retry button.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

import requests
from django.utils.translation import gettext as _

TIMEOUT = 20


class ChannelError(Exception):
    pass


@dataclass
class PostResult:
    external_id: str
    url: str = ""


def _absolute_image_url(post) -> str:
    if not post.image_id:
        return ""
    rendition = post.image.get_rendition("fill-1200x630|format-jpeg")
    return urljoin(post.link, rendition.url)


def _json(response) -> dict:
    try:
        return response.json()
    except ValueError:
        return {}


class FacebookPage:
    """Graph API: POST /{page-id}/feed with message and link (the link preview shows the item's image)."""

    def __init__(self, account):
        self.account = account

    def publish(self, post) -> PostResult:
        url = f"{self.account.api_root}/{self.account.target_id}/feed"
        try:
            response = requests.post(
                url,
                data={"message": post.text, "link": post.link, "access_token": self.account.access_token},
                timeout=TIMEOUT,
            )
        except requests.RequestException as exc:
            raise ChannelError(_("Facebook could not be reached: %(error)s") % {"error": exc}) from exc
        body = _json(response)
        if response.status_code >= 400 or "error" in body:
            error = body.get("error") or {}
            message = error.get("message") or response.text[:300]
            code = error.get("code", response.status_code)
            raise ChannelError(
                _("Facebook refused the post (%(code)s): %(message)s") % {"code": code, "message": message}
            )
        post_id = str(body.get("id", ""))
        if not post_id:
            raise ChannelError(_("Facebook answered without a post id."))
        page_part, _sep, story = post_id.partition("_")
        link = f"https://www.facebook.com/{page_part}/posts/{story}" if story else ""
        return PostResult(post_id, link)


class ZaloOA:
    """Zalo Official Account API: create an article (title, cover, description, body with the link)."""

    def __init__(self, account):
        self.account = account

    def publish(self, post) -> PostResult:
        page = post.page.specific
        payload = {
            "type": "normal",
            "title": page.title[:150],
            "author": self.account.name[:50],
            "description": (page.summary or "")[:300],
            "body": [{"type": "text", "content": post.text}],
            "status": "show",
            "comment": "show",
        }
        image_url = _absolute_image_url(post)
        if image_url:
            payload["cover"] = {"cover_type": "photo", "photo_url": image_url, "status": "show"}
        try:
            response = requests.post(
                f"{self.account.api_root}/v2.0/article/create",
                json=payload,
                headers={"access_token": self.account.access_token},
                timeout=TIMEOUT,
            )
        except requests.RequestException as exc:
            raise ChannelError(_("Zalo could not be reached: %(error)s") % {"error": exc}) from exc
        body = _json(response)
        if response.status_code >= 400 or body.get("error", 0) != 0:
            message = body.get("message") or response.text[:300]
            code = body.get("error", response.status_code)
            raise ChannelError(_("Zalo refused the post (%(code)s): %(message)s") % {"code": code, "message": message})
        data = body.get("data") or {}
        token = str(data.get("token") or data.get("id") or "")
        if not token:
            raise ChannelError(_("Zalo answered without an article id."))
        return PostResult(token, "")


ADAPTERS = {"facebook": FacebookPage, "zalo": ZaloOA}


def adapter_for(account):
    return ADAPTERS[account.channel](account)
