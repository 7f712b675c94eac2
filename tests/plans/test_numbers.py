"""Years are printed as years (2026, never the grouped "2.026"), and a grouped year in a link does not break a page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lantoa.plans import services
from lantoa.reach.models import IndicatorTarget, ScienceTask
from lantoa.tenancy import roles

from ..conftest import make_user
from .test_plan_import import seed_upload

pytestmark = pytest.mark.django_db


def test_years_are_not_grouped_and_an_old_grouped_link_still_works(commune_a):
    pvhcc = make_user("pv", roles.PVHCC, commune=commune_a)
    plan = services.start_import(pvhcc, commune_a, seed_upload())
    client = Client()
    client.force_login(pvhcc)
    preview = client.get(f"/admin/plans/import/{plan.pk}/").content.decode()
    assert 'name="targets-0-year" value="2026"' in preview and "2.026" not in preview and "2.030" not in preview
    services.confirm_import(pvhcc, plan, unit_choices={}, indicator_codes=[""] * 8)
    calendar = client.get("/admin/plans/calendar/?year=2026").content.decode()
    assert "<strong>2026</strong>" in calendar and "?year=2027" in calendar and "2.02" not in calendar
    grouped = client.get("/admin/plans/calendar/?year=2.027")
    assert grouped.status_code == 200 and "<strong>2027</strong>" in grouped.content.decode()
    assert client.get("/admin/plans/calendar/?year=abc").status_code == 200


GROUPED_YEAR = re.compile(r"\b20\.\d{3}\b|\b2\.0\d{2}\b")  # 2.026, 20.26 …


def test_every_page_that_shows_years_shows_them_ungrouped(commune_a, all_roles_a):
    """Walk the pages that print years: the plan's overview (with its versions), calendar, the dashboard (target
    years, the year links), the targets and S&T tasks tables of the back office. None may group a year."""
    plan = services.start_import(all_roles_a, commune_a, seed_upload())
    services.confirm_import(all_roles_a, plan, unit_choices={}, indicator_codes=["residents_reached"] + [""] * 7)
    second = services.start_import(all_roles_a, commune_a, seed_upload("ke-hoach-sua-doi.txt"))
    services.confirm_import(all_roles_a, second, unit_choices={}, indicator_codes=["residents_reached"] + [""] * 7)
    IndicatorTarget.objects.create(commune=commune_a, indicator="comms_staff_trained", year=2027, value=80)
    ScienceTask.objects.create(commune=commune_a, title="Ứng dụng IoT trong nông nghiệp", code="NV-01", year=2026)
    client = Client()
    client.force_login(all_roles_a)
    pages = {
        "/admin/plans/": "2026",
        "/admin/plans/calendar/?year=2027": "2027",
        f"/reach/communes/{commune_a.pk}/?period=2026": "2026",
        "/admin/snippets/reach/indicatortarget/": "2027",
        "/admin/snippets/reach/sciencetask/": "2026",
    }
    for url, year in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert year in text, url
        assert not GROUPED_YEAR.search(text), (url, GROUPED_YEAR.search(text).group())
    dashboard = client.get(f"/reach/communes/{commune_a.pk}/?period=2026").content.decode()
    assert "Mục tiêu: 80% (2027)" in dashboard  # the target's year beside the target (entered by hand)
    # A year grouped by an old link: the calendar reads it, the dashboard answers 404 (never 500).
    assert "<strong>2027</strong>" in client.get("/admin/plans/calendar/?year=2.027").content.decode()
    assert client.get(f"/reach/communes/{commune_a.pk}/?period=2.027").status_code == 404
    assert client.get(f"/api/v1/reach/communes/{commune_a.pk}/indicators?period=2.027").status_code == 400
