"""Excel exports of contacts and households (codes only) with the page's filters (issue 12.7)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lantoa.reach import services
from lantoa.tenancy.models import Hamlet, Household

pytestmark = pytest.mark.django_db


def _rows(response) -> list[tuple]:
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.fixture
def recorded(commune_a, data_a, visit_activity, pvhcc_a):
    second = Hamlet.objects.create(commune=commune_a, name="Thôn Hai")
    far = Household.objects.create(commune=commune_a, hamlet=second, code="HAI-0001", members=5, head_name="Lò Văn B")
    for household, channel in [(data_a["households"][0], "visit"), (far, "meeting")]:
        services.record_contact(
            pvhcc_a, activity=visit_activity, channel=channel, date=dt.date(2026, 3, 2), household=household
        )
    client = Client()
    client.force_login(pvhcc_a)
    return {"client": client, "second": second, "far": far}


def test_contacts_export_follows_the_filters(commune_a, data_a, recorded):
    url = reverse("reach:contacts_xlsx", kwargs={"commune_id": commune_a.pk})
    everything = _rows(recorded["client"].get(url, {"period": "2026"}))
    assert everything[0][:5] == ("Ngày", "Kênh", "Hoạt động của kế hoạch", "Thôn", "Mã hộ")
    assert sorted(r[4] for r in everything[1:]) == ["AAA-0001", "HAI-0001"]
    visits = _rows(recorded["client"].get(url, {"period": "2026", "channel": "visit"}))
    assert [r[4] for r in visits[1:]] == ["AAA-0001"]
    in_hamlet = _rows(recorded["client"].get(url, {"period": "2026", "hamlet": recorded["second"].pk}))
    assert [(r[3], r[4]) for r in in_hamlet[1:]] == [("Thôn Hai", "HAI-0001")]
    assert _rows(recorded["client"].get(url, {"period": "2025"}))[1:] == []
    page = recorded["client"].get(reverse("reach:contacts", kwargs={"commune_id": commune_a.pk}), {"period": "2026"})
    assert f"{url}?period=2026" in page.content.decode()


def test_households_export_has_codes_only_and_follows_the_hamlet(commune_a, data_a, recorded):
    url = reverse("reach:households_xlsx", kwargs={"commune_id": commune_a.pk})
    rows = _rows(recorded["client"].get(url, {"period": "2026"}))
    assert rows[0][:3] == ("Mã hộ", "Thôn", "Nhân khẩu")
    assert {r[0]: r[3] for r in rows[1:]} == {"AAA-0001": "Có", "AAA-0002": "Không", "HAI-0001": "Có"}
    texts = {c for r in rows for c in r}
    assert "Nguyễn Văn A" not in texts and "Lò Văn B" not in texts and "0912345678" not in texts
    one = _rows(recorded["client"].get(url, {"period": "2026", "hamlet": data_a["hamlet"].pk}))
    assert [r[0] for r in one[1:]] == ["AAA-0001", "AAA-0002"]


def test_exports_are_scoped_to_the_users_communes(commune_a, commune_b, data_b, recorded):
    url = reverse("reach:households_xlsx", kwargs={"commune_id": commune_b.pk})
    assert recorded["client"].get(url).status_code == 404
    # A hamlet of another commune as a filter is not found either.
    mine = reverse("reach:contacts_xlsx", kwargs={"commune_id": commune_a.pk})
    assert recorded["client"].get(mine, {"hamlet": data_b["hamlet"].pk}).status_code == 404
