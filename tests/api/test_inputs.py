"""Inputs that used to crash a page or the API: each now gets a 4xx (or the page's default) in Vietnamese, and
nothing is written."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from lantoa.reach.models import Contact
from lantoa.tenancy.models import Unit

from ..conftest import make_user
from ..reach.conftest import make_activity, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(all_roles_a):
    client = Client(raise_request_exception=False)
    client.force_login(all_roles_a)
    return client


def test_households_paging_out_of_range_is_a_422_in_vietnamese(client, data_a):
    url = f"/api/v1/hamlets/{data_a['hamlet'].pk}/households"
    for query in ("offset=-1", "limit=0", "offset=99999999999999999999999", "offset=abc"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 422, query
        body = response.json()
        assert body["detail"].startswith("Yêu cầu không hợp lệ: offset") or "limit" in body["detail"]
        assert body["errors"][0]["msg"] in {"Số này quá nhỏ.", "Số này quá lớn.", "Hãy nhập một số nguyên."}
    assert len(client.get(f"{url}?offset=1&limit=1").json()) == 1


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        "null",
        '"chuỗi"',
        "\x00",
        '{"activity_id": [1], "contacts": []}',
        '{"activity_id": "một", "contacts": [{"date": "2026-03-03"}]}',
        '{"activity_id": ACTIVITY, "contacts": 5}',
        '{"activity_id": ACTIVITY, "contacts": [1]}',
        '{"activity_id": ACTIVITY, "contacts": [[]]}',
        '{"activity_id": ACTIVITY, "contacts": [{"date": "03/03/2026"}]}',
        '{"activity_id": ACTIVITY, "contacts": [{"date": "2026-03-03", "people": "ba"}]}',
        '{"activity_id": ACTIVITY, "contacts": [{"date": "2026-03-03", "people": -2}]}',
        '{"activity_id": ACTIVITY, "contacts": [{"date": "2026-03-03", "channel": "bồ câu"}]}',
        '{"activity_id": ACTIVITY, "contacts": [{"date": "2026-03-03", "hamlet_id": {}}]}',
        '{"activity_id": ACTIVITY, "contacts": [{"date": "2026-03-03", "household_code": ["A"]}]}',
    ],
)
def test_malformed_contact_bodies_are_refused_in_vietnamese_and_write_nothing(client, commune_a, data_a, body):
    activity = make_activity(commune_a, make_plan(commune_a)["task"], data_a["unit"])
    response = client.post(
        f"/api/v1/reach/communes/{commune_a.pk}/contacts",
        body.replace("ACTIVITY", str(activity.pk)),
        content_type="application/json",
    )
    assert response.status_code in {400, 422}, response.content
    detail = response.json()["detail"]
    assert detail.startswith(("Yêu cầu không hợp lệ", "Không đọc được nội dung yêu cầu")), detail
    assert not Contact.objects.exists()


def test_a_valid_contact_body_is_still_recorded(client, commune_a, data_a):
    activity = make_activity(commune_a, make_plan(commune_a)["task"], data_a["unit"])
    body = {"activity_id": activity.pk, "contacts": [{"date": "2026-03-03", "household_code": "AAA-0002"}]}
    response = client.post(
        f"/api/v1/reach/communes/{commune_a.pk}/contacts", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["contacts"] == 1
    unknown = client.post(
        f"/api/v1/reach/communes/{commune_a.pk}/contacts",
        json.dumps({**body, "activity_id": activity.pk + 1000}),
        content_type="application/json",
    )
    assert unknown.status_code == 400 and unknown.json()["detail"].startswith("Không rõ hoạt động")
    assert Contact.objects.count() == 1


def test_api_refusals_speak_vietnamese(client, commune_a, commune_b):
    assert Client().get("/api/v1/me").json() == {"detail": "Hãy đăng nhập trước (hoặc gửi mã truy cập hợp lệ)."}
    assert client.get(f"/api/v1/communes/{commune_b.pk}").json() == {
        "detail": "Không tìm thấy, hoặc không thuộc xã của bạn."
    }
    outsider = make_user("tinh_khac")
    other = Client()
    other.force_login(outsider)
    assert other.get(f"/api/v1/communes/{commune_a.pk}").status_code == 404
    device = Client().get("/api/v1/radio/device", HTTP_AUTHORIZATION="Bearer sai")
    assert device.status_code == 403 and "điều khiển" in device.json()["detail"]


@pytest.mark.parametrize("week", ["0001-01-01", "9999-12-31", "abc", "2026-02-30", "-1"])
def test_radio_program_of_an_impossible_week_shows_this_week(client, commune_a, week):
    response = client.get(f"/radio/communes/{commune_a.pk}/program/?week={week}")
    assert response.status_code == 200
    assert "?week=2026-11-09" in response.content.decode()  # the week before the suite's Wednesday 18/11/2026


@pytest.mark.parametrize("month", ["9999-12", "0000-01", "2026-13", "abc", "1-1-1"])
def test_column_calendar_of_an_impossible_month_shows_this_month(client, commune_a, month):
    response = client.get(f"/admin/column/calendar/?thang={month}")
    assert response.status_code == 200
    assert "?thang=2026-10" in response.content.decode()  # the month before the suite's November 2026


@pytest.mark.parametrize("year", ["abc", "-1", "99999999", "0"])
def test_plan_calendar_of_an_impossible_year_shows_this_year(client, commune_a, year):
    response = client.get(f"/admin/plans/calendar/?year={year}")
    assert response.status_code == 200 and "2026" in response.content.decode()


@pytest.mark.parametrize(
    "spelling",
    [
        "PHÒNG THỬ NGHIỆM AAA",  # letter case
        "Pho\u0300ng Thu\u031b\u0309 nghie\u0302\u0323m AAA",  # NFD: combining accents
        "Phòng Thử nghiệm AAA\u200b",  # a zero-width space at the end
        "Phòng Thử\u200b nghiệm  AAA",  # inside, with a double space
        "\ufeffphòng thử nghiệm aaa.",  # BOM, lower case, a full stop
    ],
)
def test_a_unit_spelled_differently_is_refused_as_a_duplicate(client, commune_a, data_a, spelling):
    response = client.post(
        "/admin/snippets/tenancy/unit/add/", {"commune": commune_a.pk, "name": spelling, "kind": "office"}
    )
    assert response.status_code == 200
    assert "Xã đã có đơn vị “Phòng Thử nghiệm AAA”" in response.content.decode()
    assert list(Unit.objects.filter(commune=commune_a).values_list("name", flat=True)) == ["Phòng Thử nghiệm AAA"]
    # Renaming another unit to that spelling is refused the same way.
    other = Unit.objects.create(commune=commune_a, name="Phòng Khác", match_key="phong khac")
    response = client.post(
        f"/admin/snippets/tenancy/unit/edit/{other.pk}/", {"commune": commune_a.pk, "name": spelling, "kind": "office"}
    )
    assert response.status_code == 200 and "Xã đã có đơn vị" in response.content.decode()
    other.refresh_from_db()
    assert other.name == "Phòng Khác"


def test_a_unit_name_of_invisible_characters_only_is_refused(client, commune_a, data_a):
    response = client.post(
        "/admin/snippets/tenancy/unit/add/", {"commune": commune_a.pk, "name": "\u200b\u200d", "kind": "office"}
    )
    assert response.status_code == 200 and "Hãy nhập tên đơn vị." in response.content.decode()
    assert Unit.objects.filter(commune=commune_a).count() == 1
