"""A photo taken at a visit is shown on the contact's page in the back office, served only to the commune's users who
may see personal data; each view is logged as an access to personal data; the file has no public address."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from lantoa.field.models import FieldEvent
from lantoa.tenancy import roles
from lantoa.tenancy.models import PersonalDataAccess

from ..conftest import client_as, make_user, response_body
from .conftest import send, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_photo(settings, tmp_path, data_a, team):
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = tmp_path / "media", tmp_path / "private"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    event = visit(data_a["households"][0], photo=base64.b64encode(buffer.getvalue()).decode())
    contact_id = send(team["client"], [event]).json()["results"][0]["contact_id"]
    stored = FieldEvent.objects.get(uuid=event["id"])
    return {
        "bytes": buffer.getvalue(),
        "event": stored,
        "page": reverse("reach:contact", kwargs={"contact_id": contact_id}),
        "url": reverse("field_admin:photo", kwargs={"fieldevent_id": stored.pk}),
    }


def test_the_commune_official_sees_the_photo_on_the_contact_page_and_each_view_is_logged(commune_a, sent_photo):
    official = client_as(make_user("lanhdao", roles.LEADERSHIP, commune=commune_a))
    page = official.get(sent_photo["page"])
    assert page.status_code == 200
    assert f'src="{sent_photo["url"]}"' in page.content.decode()
    assert "Ảnh chụp khi thăm hộ" in page.content.decode()
    for views in (1, 2):
        answer = official.get(sent_photo["url"])
        assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
        assert response_body(answer) == sent_photo["bytes"]
        assert "no-store" in answer["Cache-Control"]
        logged = PersonalDataAccess.objects.filter(commune=commune_a, fields="photo")
        assert logged.count() == views
        assert logged.first().household_id == sent_photo["event"].household_id


def test_others_get_no_photo(commune_a, commune_b, team, sent_photo):
    # The team member who took it may see the contact, not households' personal data: told there is a photo.
    page = team["client"].get(sent_photo["page"]).content.decode()
    assert sent_photo["url"] not in page and "dữ liệu cá nhân" in page
    outsider = make_user("lanhdao-b", roles.LEADERSHIP, commune=commune_b)
    # Refused in the back office's way: the team member sent back to /admin/, another commune's user 404, anonymous
    # to the sign-in page.
    for client, expected in ((team["client"], "/admin/"), (client_as(outsider), 404), (client_as(), "/admin/login/")):
        answer = client.get(sent_photo["url"])
        assert sent_photo["bytes"] not in response_body(answer)
        assert answer.status_code == expected if expected == 404 else answer["Location"].startswith(expected)
    assert not PersonalDataAccess.objects.filter(fields="photo").exists()
    # The file lies outside the public media under a random folder, and no public address answers it.
    name = sent_photo["event"].photo.name
    assert name.startswith("field/photos/") and len(name.split("/")[2]) >= 20
    assert not Path(sent_photo["event"].photo.path).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    for url in (f"/media/{name}", f"/media/private-not-served/{name}", sent_photo["event"].photo.url):
        assert sent_photo["bytes"] not in response_body(client_as().get(url))
