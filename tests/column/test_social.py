"""Social distribution: a package per channel for each published item; posted by the worker through the
channel's API when an account is configured (a local HTTP server stands in for Facebook and Zalo), or
ready to copy and marked posted by hand; a failure shows the channel's error and can be retried."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lantoa.column.models import CHANNEL_TEXT_LIMITS, ChannelAccount, SharePost, Topic

from .conftest import add_article, make_image

pytestmark = pytest.mark.django_db


class ChannelStandIn(BaseHTTPRequestHandler):
    """Answers like the Graph API (/…/feed) and Zalo's OA API (/v2.0/article/create)."""

    mode = "ok"
    received: list = []

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        raw = self.rfile.read(length).decode()
        record = {
            "path": self.path,
            "headers": dict(self.headers),
            "body": json.loads(raw) if self.path.startswith("/v2.0") else parse_qs(raw),
        }
        type(self).received.append(record)
        if self.path.startswith("/v2.0/article/create"):
            body = (
                {"error": 0, "message": "Success", "data": {"token": "zalo-article-1"}}
                if self.mode == "ok"
                else {"error": -216, "message": "Access token is invalid"}
            )
            status = 200
        else:
            body = (
                {"id": "1001_2002"}
                if self.mode == "ok"
                else {
                    "error": {
                        "message": "(#200) The page has not authorized this app",
                        "type": "OAuthException",
                        "code": 200,
                    }
                }
            )
            status = 200 if self.mode == "ok" else 400
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def channel_api():
    ChannelStandIn.mode = "ok"
    ChannelStandIn.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), ChannelStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", ChannelStandIn
    server.shutdown()
    server.server_close()


# The real worker closes its database connection when done: these tests run outside a test transaction.
WORKER = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def accounts(commune, base):
    for channel in ("facebook", "zalo"):
        ChannelAccount.objects.create(
            commune=commune,
            channel=channel,
            name=f"Trang {channel}",
            target_id="1001",
            access_token=f"token-{channel}",
            api_base=base,
        )


def test_packages_fit_each_channel_and_carry_link_image_hashtags(column_a, commune_a):
    long_summary = "Chuyển đổi số ở nông thôn " * 200
    page = add_article(
        column_a,
        "Gói chia sẻ cho bài dài",
        summary=long_summary[:400],
        publish=False,
        cover_image=make_image(commune_a),
    )
    page.topics.set([Topic.objects.get(commune=commune_a, slug="binh-dan-hoc-vu-so")])
    page.save_revision().publish()
    posts = {p.channel: p for p in SharePost.objects.filter(page=page)}
    assert set(posts) == {"facebook", "zalo"}
    for channel, post in posts.items():
        assert post.state == "prepared" and not post.queued
        assert len(post.text) <= CHANNEL_TEXT_LIMITS[channel]
        assert post.text.startswith("Gói chia sẻ cho bài dài") and post.link in post.text
        assert "#BinhDanHocVuSo" in post.hashtags and "#NghiQuyet57" in post.text
        assert post.image_id == page.cover_image_id


def test_without_credentials_the_package_is_copied_and_marked_posted_by_hand(column_a, commune_a, people_a):
    page = add_article(column_a, "Đăng tay lên Zalo")
    post = SharePost.objects.get(page=page, channel="zalo")
    client = Client()
    client.force_login(people_a["editor"])
    detail = client.get(reverse("column_outbox_detail", args=[post.pk])).content.decode()
    assert post.text.split("\n")[0] in detail and post.link in detail
    response = client.post(
        reverse("column_outbox_mark_posted", args=[post.pk]), {"posted_url": "https://zalo.me/oa/bai-1"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.state == "posted" and post.posted_by == people_a["editor"] and post.posted_url.endswith("bai-1")
    # Oversight may look but not post.
    viewer = Client()
    viewer.force_login(people_a["oversight"])
    other = SharePost.objects.get(page=page, channel="facebook")
    assert viewer.post(reverse("column_outbox_mark_posted", args=[other.pk])).status_code in (302, 403)
    other.refresh_from_db()
    assert other.state == "prepared"


@WORKER
def test_with_credentials_the_worker_posts_through_the_channels(column_a, commune_a, channel_api):
    base, api = channel_api
    accounts(commune_a, base)
    page = add_article(column_a, "Bài tự động đăng")
    assert SharePost.objects.filter(page=page, queued=True).count() == 2
    run_worker()
    posts = {p.channel: p for p in SharePost.objects.filter(page=page)}
    assert posts["facebook"].state == "posted" and posts["facebook"].external_id == "1001_2002"
    assert posts["facebook"].posted_url == "https://www.facebook.com/1001/posts/2002"
    assert posts["zalo"].state == "posted" and posts["zalo"].external_id == "zalo-article-1"
    facebook = next(r for r in api.received if r["path"].endswith("/1001/feed"))
    assert facebook["body"]["access_token"] == ["token-facebook"] and facebook["body"]["link"][0] == page.get_full_url()
    zalo = next(r for r in api.received if r["path"].startswith("/v2.0/article/create"))
    assert zalo["headers"]["access_token"] == "token-zalo" and zalo["body"]["title"] == "Bài tự động đăng"
    # Republishing does not post again.
    page.save_revision().publish()
    run_worker()
    assert len(api.received) == 2


@WORKER
def test_a_failed_post_shows_the_channels_error_and_can_be_retried(column_a, commune_a, channel_api, people_a):
    base, api = channel_api
    accounts(commune_a, base)
    api.mode = "fail"
    page = add_article(column_a, "Bài đăng lỗi")
    run_worker()
    post = SharePost.objects.get(page=page, channel="facebook")
    assert post.state == "failed" and "The page has not authorized this app" in post.error and post.attempts == 1
    zalo = SharePost.objects.get(page=page, channel="zalo")
    assert zalo.state == "failed" and "Access token is invalid" in zalo.error
    client = Client()
    client.force_login(people_a["editor"])
    detail = client.get(reverse("column_outbox_detail", args=[post.pk])).content.decode()
    assert "The page has not authorized this app" in detail
    listing = client.get(reverse("wagtailsnippets_column_sharepost:list")).content.decode()
    assert "The page has not authorized this app" in listing
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "2" in dashboard and reverse("wagtailsnippets_column_sharepost:list") in dashboard
    api.mode = "ok"
    assert client.post(reverse("column_outbox_retry", args=[post.pk])).status_code == 302
    run_worker()
    post.refresh_from_db()
    assert post.state == "posted" and post.error == "" and post.attempts == 2


@WORKER
def test_an_unreachable_channel_is_a_visible_failure(column_a, commune_a):
    ChannelAccount.objects.create(
        commune=commune_a,
        channel="facebook",
        name="Trang",
        target_id="1",
        access_token="t",
        api_base="http://127.0.0.1:9",
    )
    page = add_article(column_a, "Kênh không liên lạc được")
    run_worker()
    post = SharePost.objects.get(page=page, channel="facebook")
    assert post.state == "failed" and post.error


def test_the_token_is_never_shown_again(commune_a, people_a):
    account = ChannelAccount.objects.create(
        commune=commune_a, channel="facebook", name="Trang xã", target_id="1", access_token="bi-mat-tuyet-doi-1234"
    )
    client = Client()
    client.force_login(people_a["leader"])
    html = client.get(reverse("wagtailsnippets_column_channelaccount:edit", args=[account.pk])).content.decode()
    assert "bi-mat-tuyet-doi-1234" not in html and "…1234" in html
