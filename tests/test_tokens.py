"""Secret links: their tokens never reach a log line, and deactivating their owner revokes them."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lantoa.logging import redact
from lantoa.plans.models import CalendarFeed
from lantoa.radio import services as radio_services
from lantoa.radio.models import Device, LoudspeakerCluster
from lantoa.tenancy import roles

from .conftest import make_user

pytestmark = pytest.mark.django_db

TOKEN = "s3cr3t-T0ken_0123456789abcdefghijkl"


def token_routes(resolver=None, prefix=""):
    """Every route of the project that takes a ``token`` parameter, as (name, route)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            for name, route in token_routes(entry, prefix + str(entry.pattern)):
                yield (namespace + name if name else None), route
        elif isinstance(entry, URLPattern) and "token" in entry.pattern.converters:
            yield entry.name, prefix + str(entry.pattern)


def test_every_route_with_a_token_is_redacted():
    routes = list(token_routes())
    assert len(routes) >= 5, routes  # the iCal link, the controller's three feeds, the password reset link
    for name, _route in routes:
        kwargs = {"token": TOKEN}
        if "airing_id" in _route:
            kwargs["airing_id"] = 7
        if "uidb64" in _route:
            kwargs["uidb64"] = "MTI"
        url = reverse(name, kwargs=kwargs)
        assert TOKEN not in redact(url) and "[redacted]" in redact(url), url
        assert TOKEN not in redact(f'"GET {url}?x=1 HTTP/1.1" 200 12'), url
    for query in (f"/api/v1/radio/device?token={TOKEN}", f"/api/v1/radio/device/schedule?days=2&token={TOKEN}"):
        assert TOKEN not in redact(query)
    # Ordinary paths are left alone.
    assert redact("/column/bai-viet/chuyen-doi-so/?trang=2") == "/column/bai-viet/chuyen-doi-so/?trang=2"


@pytest.fixture
def captured():
    """What the configured handlers (settings.LOGGING) write, for the request log and the development server."""
    streams = {}
    for name in ("lantoa.request", "django.server", "django.request"):
        for handler in logging.getLogger(name).handlers:
            if type(handler) is logging.StreamHandler:  # ours (settings.LOGGING), not pytest's
                streams[handler] = handler.setStream(io.StringIO())
    yield lambda: "".join(handler.stream.getvalue() for handler in streams)
    for handler, original in streams.items():
        handler.setStream(original)


def _ical_link(client) -> str:
    page = client.post("/admin/plans/calendar/").content.decode()
    return re.search(r"/plans/calendar/[\w-]+\.ics", page).group(0)


@pytest.fixture
def leader(commune_a):
    return make_user("lanhdao_a", roles.LEADERSHIP, commune=commune_a)


@pytest.fixture
def controller(commune_a, data_a, leader):
    radio_services.ensure_setup(commune_a)
    cluster = LoudspeakerCluster.objects.create(commune=commune_a, hamlet=data_a["hamlet"], name="Cụm thử")
    editor = make_user("bientap_a", *roles.COMMUNE_ROLES, commune=commune_a)
    device, token = radio_services.create_device(editor, commune_a, name="Bộ điều khiển", clusters=[cluster])
    return editor, device, token


def test_tokens_never_reach_the_logs(commune_a, leader, controller, captured):
    client = Client()
    client.force_login(leader)
    link = _ical_link(client)
    ical_token = link.split("/")[-1].removesuffix(".ics")
    assert Client().get(link).status_code == 200
    _editor, _device, device_token = controller
    assert Client().get(f"/radio/feeds/{device_token}/schedule.m3u").status_code == 200
    assert Client().get(f"/api/v1/radio/device?token={device_token}").status_code == 200
    # The development server's access line goes through the same filter (its own format, the full request line).
    logging.getLogger("django.server").info('"%s" %s %s', f"GET {link}?token={device_token} HTTP/1.1", "200", "512")
    written = captured()
    assert "/plans/calendar/[redacted].ics" in written and "/radio/feeds/[redacted]/schedule.m3u" in written
    assert ical_token not in written and device_token not in written


def test_deactivating_a_user_revokes_their_ical_links(commune_a, leader):
    client = Client()
    client.force_login(leader)
    link = _ical_link(client)
    assert Client().get(link).status_code == 200
    leader.is_active = False
    leader.save()
    assert Client().get(link).status_code == 404
    assert CalendarFeed.objects.get().revoked_at is not None
    leader.is_active = True
    leader.save()
    assert Client().get(link).status_code == 404  # revoked for good: coming back means making a new link


def test_a_bulk_deactivation_stops_the_links_too(commune_a, leader, controller):
    client = Client()
    client.force_login(leader)
    link = _ical_link(client)
    editor, _device, device_token = controller
    # Wagtail's bulk "set active state" writes with a queryset update: no save, no signal.
    get_user_model().objects.filter(pk__in=[leader.pk, editor.pk]).update(is_active=False)
    assert Client().get(link).status_code == 404
    assert Client().get("/api/v1/radio/device", HTTP_AUTHORIZATION=f"Bearer {device_token}").status_code == 403
    assert Client().get(f"/radio/feeds/{device_token}/schedule.m3u").status_code == 404


def test_deactivating_a_user_revokes_the_controller_tokens_they_issued(commune_a, controller):
    editor, device, token = controller
    other = Device.objects.create(commune=commune_a, name="Bộ khác")
    someone = make_user("bientap_b", *roles.COMMUNE_ROLES, commune=commune_a)
    other_token = radio_services.issue_device_token(someone, other)
    api = "/api/v1/radio/device"
    assert Client().get(api, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    editor.is_active = False
    editor.save()
    refused = Client().get(api, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert refused.status_code == 403 and "điều khiển" in refused.json()["detail"]
    device.refresh_from_db()
    assert device.token_hash is None and device.token_hint == ""
    # A controller whose token someone else issued keeps working.
    assert Client().get(api, HTTP_AUTHORIZATION=f"Bearer {other_token}").status_code == 200
