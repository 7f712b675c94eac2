"""The API reads every period code of ``manage.py build_report --period`` (through the real /api/v1/, session auth),
and the survey drill-down writes its shares with the one number format.

One household reached on 02/03/2026 and another on 20/06/2026: after the Decree 09 six-month cut-off (14/6) but
inside the calendar first half. The codes the dashboard knows keep the dashboard's meaning; the report's codes
give the report's cut-off.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from lantoa.reach import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(commune_a, data_a, visit_activity, pvhcc_a):
    for day, household in (
        (dt.date(2026, 3, 2), data_a["households"][0]),
        (dt.date(2026, 6, 20), data_a["households"][1]),
    ):
        services.record_contact(pvhcc_a, activity=visit_activity, channel="visit", date=day, household=household)
    client = Client()
    client.force_login(pvhcc_a)
    return client


def _reached(client, commune, code):
    response = client.get(f"/api/v1/reach/communes/{commune.pk}/indicators", {"period": code})
    assert response.status_code == 200, response.content
    row = next(r for r in response.json() if r["code"] == "residents_reached")
    return row["numerator"], row["as_of"], row["period"]


def test_the_api_accepts_the_report_codes_with_the_reports_cut_off(client, commune_a, data_a):
    # The Decree 09 six-month report: the year's indicators up to 14/6 (the 20/6 visit is not counted yet).
    assert _reached(client, commune_a, "2026H1") == (3, "2026-06-14", "2026")
    assert _reached(client, commune_a, "2026h1") == (3, "2026-06-14", "2026")
    # The dashboard's codes mean what the dashboard shows: the calendar half, the year up to today.
    assert _reached(client, commune_a, "2026S1") == (7, "2026-06-30", "2026S1")
    assert _reached(client, commune_a, "2026") == (7, "2026-11-18", "2026")
    assert _reached(client, commune_a, "2026H2") == (0, "2026-11-18", "2026S2")
    # A range: the smallest indicator period containing it, up to its last day.
    assert _reached(client, commune_a, "2026-01-01:2026-03-31") == (3, "2026-03-31", "2026Q1")
    # What the API answers for 2026H1 is what the engine gives for the year at 14/6.
    api = client.get(f"/api/v1/reach/communes/{commune_a.pk}/indicators?period=2026H1").json()
    engine = selectors.indicator_values(commune_a, "2026", today=dt.date(2026, 6, 14))
    assert [(r["code"], r["value"], r["numerator"], r["denominator"]) for r in api] == [
        (r["code"], r["value"], r["numerator"], r["denominator"]) for r in engine
    ]
    # ?as_of= earlier than the span's end moves the cut-off; later never passes it.
    assert (
        client.get(f"/api/v1/reach/communes/{commune_a.pk}/indicators?period=2026H1&as_of=2026-03-01").json()[0][
            "as_of"
        ]
        == "2026-03-01"
    )
    assert (
        client.get(f"/api/v1/reach/communes/{commune_a.pk}/indicators?period=2026H1&as_of=2026-09-01").json()[0][
            "as_of"
        ]
        == "2026-06-14"
    )


def test_the_hamlet_table_and_the_unreached_list_take_the_same_codes(client, commune_a, data_a):
    response = client.get(f"/api/v1/reach/communes/{commune_a.pk}/hamlets?period=2026H1")
    assert response.status_code == 200, response.content
    [row] = response.json()
    assert (row["hamlet"], row["residents_reached"], row["households_reached"]) == (data_a["hamlet"].name, 3, 1)
    [row] = client.get(f"/api/v1/reach/communes/{commune_a.pk}/hamlets?period=2026").json()
    assert row["residents_reached"] == 7
    unreached = client.get(f"/api/v1/reach/hamlets/{data_a['hamlet'].pk}/unreached?period=2026H1").json()
    assert unreached == [data_a["households"][1].code]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("2026H3", "Không rõ kỳ “2026H3”: ghi 2026 (năm), 2026H1 (báo cáo 6 tháng)"),
        ("2.026", "Không rõ kỳ “2.026”"),
        ("2026Q5", "Không rõ kỳ “2026Q5”"),
        ("2026-13-01:2026-12-31", "Ngày không hợp lệ trong “2026-13-01:2026-12-31”."),
        ("2026-06-01:2027-01-31", "Kỳ báo cáo phải nằm trong một năm."),
    ],
)
def test_a_bad_code_is_a_400_in_vietnamese(client, commune_a, data_a, code, message):
    for path in (
        f"/api/v1/reach/communes/{commune_a.pk}/indicators",
        f"/api/v1/reach/communes/{commune_a.pk}/hamlets",
        f"/api/v1/reach/hamlets/{data_a['hamlet'].pk}/unreached",
    ):
        response = client.get(path, {"period": code})
        assert response.status_code == 400, (path, code, response.content)
        assert response.json()["detail"].startswith(message)


def test_the_survey_drill_down_writes_shares_in_the_one_format(client, commune_a, data_a):
    """The survey's records page: 5 of 8 households asked → “62,5%” (the shared formatter, not a float's repr)."""
    from lantoa.reach.models import Survey, SurveyStratum

    survey = Survey.objects.create(
        commune=commune_a, title="Khảo sát quý I", start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 20)
    )
    SurveyStratum.objects.create(commune=commune_a, survey=survey, hamlet=data_a["hamlet"], sampled=8, yes=5)
    page = client.get(
        f"/reach/communes/{commune_a.pk}/figure/",
        {"indicator": "survey_reached", "period": "2026", "part": "numerator"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "<td>62,5%</td>" in text or ">62,5%<" in text, text[text.find("Khảo sát") : text.find("Khảo sát") + 2000]


def test_the_dashboard_takes_a_report_code_and_shows_the_reports_cut_off(client, commune_a):
    """``?period=2026H1`` on the dashboard goes to the year up to 14/6: the address says what is counted."""
    base = f"/reach/communes/{commune_a.pk}/"
    response = client.get(base, {"period": "2026H1"})
    assert response.status_code == 302 and response["Location"] == f"{base}?period=2026&as_of=2026-06-14"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "14/06/2026" in page.content.decode()
    assert client.get(base, {"period": "2026H7"}).status_code == 404
