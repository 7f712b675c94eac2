"""Readers' comments and questions: sanitised, rate-limited per address, a honeypot for bots, routed to the
responsible unit, answered (publicly if chosen), and read-only for the Fatherland Front."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from lantoa.column import services
from lantoa.column.models import Feedback
from lantoa.tenancy.models import Notification, Staff

from .conftest import add_article

pytestmark = pytest.mark.django_db

URL = "/column/gop-y/"


def reader(commune, ip="203.0.113.7") -> Client:
    return Client(HTTP_HOST=commune.site.hostname, REMOTE_ADDR=ip)


@pytest.fixture
def item(column_a, commune_a, data_a):
    unit = data_a["unit"]
    unit.email = "phong-thu-nghiem@example.vn"
    unit.save()
    return add_article(column_a, "Bài để góp ý", unit=unit)


def test_a_question_reaches_the_responsible_unit_sanitised(
    item, commune_a, data_a, people_a, django_capture_on_commit_callbacks
):
    Staff.objects.filter(pk=data_a["staff"].pk).update(user=people_a["unit"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = reader(commune_a).post(
            URL,
            {
                "kind": "question",
                "page": item.pk,
                "website": "",
                "body": "Khi nào có lớp học? <script>alert(1)</script><b>gấp</b>",
                "name": "",
                "contact": "",
            },
        )
    assert response.status_code == 302 and "/column/gop-y/da-gui/?ma=" in response["Location"]
    feedback = Feedback.objects.get()
    assert feedback.body == "Khi nào có lớp học? gấp" and feedback.name == "" and feedback.contact == ""
    assert feedback.unit == data_a["unit"] and feedback.commune == commune_a and feedback.page_id == item.pk
    assert feedback.client_key and "203.0.113.7" not in feedback.client_key
    thanks = reader(commune_a).get(response["Location"]).content.decode()
    # The reader is given the number of their message and told which unit will answer.
    assert f"Ý kiến của bạn đã được tiếp nhận, số {feedback.pk}." in thanks
    assert f"Ý kiến đã được chuyển tới {data_a['unit'].name} để trả lời." in thanks
    assert Notification.objects.filter(user=people_a["unit"], body__contains="Khi nào có lớp học?").exists()
    assert any("phong-thu-nghiem@example.vn" in m.to for m in mail.outbox)


def test_feedback_on_the_column_as_a_whole_and_the_form_page(column_a, commune_a):
    page = reader(commune_a).get(URL)
    assert page.status_code == 200 and 'name="body"' in page.content.decode()
    response = reader(commune_a).post(URL, {"kind": "comment", "body": "Chuyên mục rất hữu ích cho bà con."})
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.page is None and feedback.unit == column_a.unit


def test_bots_filling_the_hidden_field_are_thanked_and_ignored(item, commune_a):
    response = reader(commune_a).post(
        URL, {"kind": "comment", "page": item.pk, "body": "Mua hàng giá rẻ tại đây", "website": "http://spam.example"}
    )
    assert response.status_code == 302 and not Feedback.objects.exists()


def test_rate_limit_per_address(item, commune_a, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # our nginx, as in production
    data = {"kind": "comment", "page": item.pk, "body": "Góp ý số một cho chuyên mục."}
    for _ in range(services.FEEDBACK_LIMIT):
        assert reader(commune_a).post(URL, data).status_code == 302
    refused = reader(commune_a).post(URL, data)
    assert refused.status_code == 429 and "vài phút" in refused.content.decode()
    assert Feedback.objects.count() == services.FEEDBACK_LIMIT
    # Another reader is not affected.
    assert reader(commune_a, ip="198.51.100.9").post(URL, data).status_code == 302
    # Behind our nginx the address is the one nginx appends to X-Forwarded-For; from elsewhere the header is
    # ignored, and so is anything the reader wrote into it before nginx, or into X-Real-IP.
    proxied = Client(HTTP_HOST=commune_a.site.hostname, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.44")
    assert proxied.post(URL, data).status_code == 302
    for headers in (
        {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "192.0.2.45"},
        {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_REAL_IP": "192.0.2.46"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "192.0.2.47, 203.0.113.7"},
    ):
        spoofed = Client(HTTP_HOST=commune_a.site.hostname, **headers)
        assert spoofed.post(URL, data).status_code == 429


def test_invalid_feedback_is_refused_with_a_message(item, commune_a, column_b):
    response = reader(commune_a).post(URL, {"kind": "comment", "page": item.pk, "body": "a"})
    assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
    other = add_article(column_b, "Bài của xã B")
    assert (
        reader(commune_a).post(URL, {"kind": "comment", "page": other.pk, "body": "Gửi nhầm sang xã khác."}).status_code
        == 404
    )
    assert not Feedback.objects.exists()


def test_answer_is_published_under_the_item_without_the_readers_name(item, commune_a, data_a, people_a):
    # The feedback is routed to the item's unit: its staff member answers (tests/test_personal_data.py: others can't).
    Staff.objects.filter(pk=data_a["staff"].pk).update(user=people_a["unit"])
    reader(commune_a).post(
        URL,
        {
            "kind": "question",
            "page": item.pk,
            "body": "Lớp học có thu phí không?",
            "name": "Nguyễn Văn Hỏi",
            "contact": "0912000111",
        },
    )
    feedback = Feedback.objects.get()
    client = Client()
    client.force_login(people_a["unit"])
    edit = reverse("wagtailsnippets_column_feedback:edit", args=[feedback.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, {"answer": "Lớp học hoàn toàn miễn phí.", "publish_answer": "on", "status": "answered"}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == "answered" and feedback.answered_by == people_a["unit"] and feedback.answered_at
    html = reader(commune_a).get(item.url).content.decode()
    assert "Lớp học có thu phí không?" in html and "Lớp học hoàn toàn miễn phí." in html
    assert "Nguyễn Văn Hỏi" not in html and "0912000111" not in html


def test_the_front_reads_feedback_and_answers_but_changes_nothing(item, commune_a, people_a):
    reader(commune_a).post(
        URL,
        {
            "kind": "question",
            "page": item.pk,
            "body": "Câu hỏi để giám sát.",
            "name": "Trần Thị Riêng",
            "contact": "riengtu@example.vn",
        },
    )
    feedback = Feedback.objects.get()
    client = Client()
    client.force_login(people_a["oversight"])
    listing = client.get(reverse("wagtailsnippets_column_feedback:list"))
    assert listing.status_code == 200 and "Câu hỏi để giám sát." in listing.content.decode()
    inspect = client.get(reverse("wagtailsnippets_column_feedback:inspect", args=[feedback.pk]))
    html = inspect.content.decode()
    assert inspect.status_code == 200 and "Câu hỏi để giám sát." in html
    assert "Trần Thị Riêng" not in html and "riengtu@example.vn" not in html
    edit = reverse("wagtailsnippets_column_feedback:edit", args=[feedback.pk])
    assert client.get(edit).status_code in (302, 403)
    client.post(edit, {"answer": "Không được sửa.", "status": "answered"})
    feedback.refresh_from_db()
    assert feedback.answer == ""
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.answer_feedback(people_a["oversight"], feedback, answer="Không.", publish=False)


def test_answering_needs_an_answer(item, commune_a, people_a):
    from django.core.exceptions import ValidationError

    feedback = Feedback.objects.create(commune=commune_a, page=item, body="Hỏi gì đó?")
    with pytest.raises(ValidationError):
        services.answer_feedback(people_a["editor"], feedback, answer="", publish=True)
