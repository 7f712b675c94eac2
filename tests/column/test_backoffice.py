"""The column's back office: uploading media, writing an item (only this commune's lists offered), the
preview, the menu shortcuts and the dashboard panel."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lantoa.column.models import MediaFile, Topic

from .conftest import add_article, mp3_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_uploads_audio_and_a_pdf_and_their_facts_are_read(commune_a, column_a, people_a):
    client = login(people_a["editor"])
    url = reverse("wagtailsnippets_column_mediafile:add")
    for title, upload in (
        ("Tập 3 podcast", SimpleUploadedFile("tap-3.mp3", mp3_bytes(3.0), "audio/mpeg")),
        ("Sổ tay", SimpleUploadedFile("so-tay.pdf", pdf_bytes(3), "application/pdf")),
    ):
        response = client.post(url, {"commune": commune_a.pk, "title": title, "file": upload})
        assert response.status_code == 302, response.content.decode()[:500]
    audio, pdf = MediaFile.objects.get(title="Tập 3 podcast"), MediaFile.objects.get(title="Sổ tay")
    assert audio.kind == "audio" and audio.mime_type == "audio/mpeg" and audio.duration_seconds == 3
    assert pdf.kind == "pdf" and pdf.page_count == 3 and "Nghị quyết 57" in pdf.text and pdf.size > 0
    refused = client.post(
        url,
        {
            "commune": commune_a.pk,
            "title": "Tệp lạ",
            "file": SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream"),
        },
    )
    assert refused.status_code == 200 and not MediaFile.objects.filter(title="Tệp lạ").exists()


def test_the_page_form_offers_only_this_communes_lists(commune_a, column_a, column_b, people_a):
    client = login(people_a["editor"])
    html = client.get(reverse("wagtailadmin_pages:add", args=["column", "articlepage", column_a.pk])).content.decode()
    a_topic = Topic.objects.get(commune=commune_a, slug="chuyen-doi-so")
    b_topic = Topic.objects.exclude(commune=commune_a).get(slug="chuyen-doi-so")
    assert f'value="{a_topic.pk}"' in html and f'name="topics" value="{b_topic.pk}"' not in html


def test_preview_write_shortcut_calendar_and_dashboard(commune_a, column_a, people_a):
    page = add_article(column_a, "Bài xem trước", publish=False)
    client = login(people_a["editor"])
    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert preview.status_code == 200 and "Bài xem trước" in preview.content.decode()
    write = client.get(reverse("column_write"))
    assert write.status_code == 302 and write["Location"].endswith(f"/admin/pages/{column_a.pk}/add_subpage/")
    assert client.get(reverse("column_calendar"), {"thang": "2026-13"}).status_code == 200
    for user in (people_a["editor"], people_a["oversight"], people_a["leader"]):
        assert login(user).get(reverse("wagtailadmin_home")).status_code == 200
