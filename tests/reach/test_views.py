"""Pages and API of the reach app: the dashboard, drill-down, the quick visit form, the province page."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lantoa.reach import selectors, services
from lantoa.reach.models import Contact
from lantoa.tenancy import roles
from lantoa.tenancy.models import PersonalDataAccess

from ..conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sweep]


@pytest.fixture
def seen(commune_a, data_a, visit_activity, pvhcc_a):
    services.record_contact(
        pvhcc_a, activity=visit_activity, channel="visit", date=dt.date(2026, 3, 2), household=data_a["households"][0]
    )
    client = Client()
    client.force_login(pvhcc_a)
    return client


def test_dashboard_shows_every_indicator_with_its_method_and_svg_charts(commune_a, seen):
    page = seen.get(reverse("reach:dashboard", kwargs={"commune_id": commune_a.pk}) + "?period=2026")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script" not in html and "<svg" in html  # charts rendered on the server, no chart JavaScript
    from django.utils.html import escape

    for row in selectors.indicator_values(commune_a, "2026"):
        assert escape(row["name"]) in html
    assert "Người dân tiếp cận thông tin qua hệ thống thông tin cơ sở" in html and "Cách tính" in html
    assert "42,9%" in html  # 3 of 7 residents


def test_every_number_links_to_its_records(commune_a, data_a, seen):
    page = seen.get(reverse("reach:dashboard", kwargs={"commune_id": commune_a.pk}))
    links = set(re.findall(r'href="(/reach/communes/\d+/figure/\?[^"]+)"', page.content.decode()))
    assert len(links) >= 16
    for link in links:
        assert seen.get(link.replace("&amp;", "&")).status_code == 200
    drill = seen.get(
        reverse("reach:figure", kwargs={"commune_id": commune_a.pk}),
        {"indicator": "residents_reached", "period": "2026", "part": "numerator"},
    ).content.decode()
    assert data_a["households"][0].code in drill and data_a["households"][1].code not in drill
    assert "Nguyễn Văn A" not in drill and "0912345678" not in drill  # codes only
    hamlet = seen.get(reverse("reach:hamlet", kwargs={"hamlet_id": data_a["hamlet"].pk})).content.decode()
    assert data_a["households"][1].code in hamlet.split('id="unreached"')[1].split("<h2")[0]
    contact = Contact.objects.get()
    assert seen.get(reverse("reach:contact", kwargs={"contact_id": contact.pk})).status_code == 200
    assert (
        seen.get(reverse("reach:figure", kwargs={"commune_id": commune_a.pk}), {"indicator": "nope"}).status_code == 404
    )
    assert (
        seen.get(
            reverse("reach:figure", kwargs={"commune_id": commune_a.pk}),
            {"indicator": "residents_reached", "hamlet": "1.234"},
        ).status_code
        == 404
    )


def test_quick_visit_form_works_without_javascript(commune_a, data_a, visit_activity):
    team = make_user("tocns", roles.DIGITAL_TEAM, commune=commune_a)
    client = Client()
    client.force_login(team)
    url = reverse("reach:visit_form", kwargs={"hamlet_id": data_a["hamlet"].pk})
    page = client.get(url).content.decode()
    assert 'type="checkbox" name="household"' in page and "<script" not in page
    today = timezone.localdate()
    ids = [str(h.pk) for h in data_a["households"]]
    response = client.post(url, {"activity": visit_activity.pk, "date": today.isoformat(), "household": ids})
    assert response.status_code == 302
    assert Contact.objects.filter(channel="visit").count() == 2
    client.post(url, {"activity": visit_activity.pk, "date": today.isoformat(), "household": ids})
    assert Contact.objects.count() == 2  # the same form sent twice records nothing new
    row = next(r for r in selectors.indicator_values(commune_a, str(today.year)) if r["code"] == "residents_reached")
    assert row["value"] == 100.0
    # Ids are written without thousand separators, whatever their size (Vietnamese formats group digits).
    from lantoa.tenancy.models import Household

    big = Household.objects.create(commune=commune_a, hamlet=data_a["hamlet"], code="LON-1", members=2, pk=123456)
    assert f'value="{big.pk}"' in client.get(url).content.decode()
    bad = client.post(url, {"activity": visit_activity.pk, "date": today.isoformat(), "household": ["1.234"]})
    assert bad.status_code == 200 and "Hãy ghi danh sách số hiệu bản ghi." in bad.content.decode()
    # A user who may not record contacts is refused.
    mttq = make_user("mttq", roles.OVERSIGHT, commune=commune_a)
    client.force_login(mttq)
    assert client.get(url).status_code == 403


def test_household_page_reveals_personal_data_only_on_request_and_logs_it(commune_a, data_a, seen):
    url = reverse("reach:household", kwargs={"household_id": data_a["households"][0].pk})
    assert "0912345678" not in seen.get(url).content.decode()
    page = seen.post(url, {"purpose": "Hẹn lịch đến hộ"}).content.decode()
    assert "0912345678" in page and PersonalDataAccess.objects.count() == 1


def test_province_page_compares_the_communes_a_user_may_see(commune_a, data_a, commune_b, data_b, seen):
    province_user = make_user("tinh", roles.PROVINCE, province=commune_a.province)
    client = Client()
    client.force_login(province_user)
    page = client.get(reverse("reach:province")).content.decode()
    assert commune_a.name in page and "<svg" in page and data_b["hamlet"].name not in page
    assert client.get(reverse("reach:home")).status_code == 302


def test_api_returns_the_dashboard_table_and_records_contacts(commune_a, data_a, visit_activity, seen):
    from ninja import NinjaAPI
    from ninja.testing import TestClient

    from lantoa.reach.api import router

    api = NinjaAPI(urls_namespace="reach-test")
    api.add_router("/reach/", router)
    client = TestClient(api)
    user = seen.session  # noqa: F841  (the page client's session is not used by the test client)
    from django.contrib.auth import get_user_model

    pvhcc = get_user_model().objects.get(username="pvhcc_a")
    rows = client.get(f"/reach/communes/{commune_a.pk}/indicators?period=2026", user=pvhcc).json()
    expected = selectors.indicator_values(commune_a, "2026")
    assert [(r["code"], r["value"], r["target"]) for r in rows] == [
        (r["code"], r["value"], r["target"]) for r in expected
    ]
    body = {
        "activity_id": visit_activity.pk,
        "contacts": [{"household_code": data_a["households"][1].code, "date": "2026-03-03", "channel": "visit"}],
    }
    created = client.post(f"/reach/communes/{commune_a.pk}/contacts", body=json.dumps(body), user=pvhcc)
    assert created.status_code == 201 and created.json()["contacts"] == 1
    bad = {"activity_id": visit_activity.pk, "contacts": [{"household_code": "KHONG", "date": "2026-03-03"}]}
    refused = client.post(f"/reach/communes/{commune_a.pk}/contacts", body=json.dumps(bad), user=pvhcc)
    assert refused.status_code == 400 and "Dòng 1" in refused.json()["detail"]
    unreached = client.get(f"/reach/hamlets/{data_a['hamlet'].pk}/unreached?period=2026", user=pvhcc).json()
    assert unreached == []


def test_the_api_answers_the_hamlet_table_and_hides_other_communes(commune_a, data_a, commune_b, seen):
    """Through the real /api/v1/ (session auth): the hamlet table by period; another commune's id is a 404."""
    response = seen.get(f"/api/v1/reach/communes/{commune_a.pk}/hamlets?period=2026")
    assert response.status_code == 200, response.content
    [row] = response.json()
    assert row["hamlet"] == data_a["hamlet"].name and row["households_reached"] == 1
    assert row["hamlet_id"] == data_a["hamlet"].pk and row["covered_by_radio"] is False
    assert seen.get(f"/api/v1/reach/communes/{commune_b.pk}/hamlets?period=2026").status_code == 404
    assert seen.get(f"/api/v1/communes/{commune_b.pk}").status_code == 404
    assert seen.get(f"/api/v1/communes/{commune_a.pk}").json()["name"] == commune_a.name


def test_a_briefing_entered_in_the_back_office_keeps_its_attendance_list(commune_a, data_a, pvhcc_a):
    """The record is saved by tenancy's service, its many-to-many fields by the form (save_m2m) right after."""
    from lantoa.reach.models import Briefing

    client = Client()
    client.force_login(pvhcc_a)
    response = client.post(
        "/admin/snippets/reach/briefing/add/",
        {
            "commune": commune_a.pk,
            "title": "Quán triệt Nghị quyết 57",
            "date": "2026-03-05",
            "activity": "",
            "attendees": [data_a["staff"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    briefing = Briefing.objects.get(title="Quán triệt Nghị quyết 57")
    assert list(briefing.attendees.all()) == [data_a["staff"]]
