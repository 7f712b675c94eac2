"""Years are printed as years (2026, never the grouped "2.026"), and a grouped year in a link does not break a page."""

from __future__ import annotations

import pytest
from django.test import Client

from lantoa.plans import services
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
    assert "<td>2026</td>" in preview and "2.026" not in preview and "2.030" not in preview
    services.confirm_import(pvhcc, plan, unit_choices={}, indicator_codes=[""] * 8)
    calendar = client.get("/admin/plans/calendar/?year=2026").content.decode()
    assert "<strong>2026</strong>" in calendar and "?year=2027" in calendar and "2.02" not in calendar
    grouped = client.get("/admin/plans/calendar/?year=2.027")
    assert grouped.status_code == 200 and "<strong>2027</strong>" in grouped.content.decode()
    assert client.get("/admin/plans/calendar/?year=abc").status_code == 200
