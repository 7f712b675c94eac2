"""Fixtures of the field app's tests: a team member in charge of one hamlet, a plan activity for visits."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.utils import timezone

from lantoa.tenancy import roles
from lantoa.tenancy.models import Hamlet, Household, Staff

from ..conftest import make_user
from ..reach.conftest import make_activity, make_plan


@pytest.fixture
def plan_a(commune_a):
    return make_plan(commune_a, year=2025)


@pytest.fixture
def activity_a(commune_a, data_a, plan_a):
    return make_activity(commune_a, plan_a["task"], data_a["unit"])


@pytest.fixture
def team(commune_a, data_a, activity_a):
    """A team member in charge of data_a's hamlet only; the commune has a second hamlet with one household."""
    user = make_user("tocns", roles.DIGITAL_TEAM, commune=commune_a)
    staff = Staff.objects.create(commune=commune_a, full_name="Ma Đức Long", user=user)
    staff.hamlets.set([data_a["hamlet"]])
    other = Hamlet.objects.create(commune=commune_a, name="Thôn Ngoài Phụ Trách")
    outside = Household.objects.create(commune=commune_a, hamlet=other, code="NGOAI-0001", members=2)
    client = Client()
    client.force_login(user)
    return {"user": user, "client": client, "other": other, "outside": outside}


def visit(household, **extra) -> dict:
    """An event as the phone sends it."""
    return {
        "id": str(uuid.uuid4()),
        "type": "visit",
        "refers_to": None,
        "household_id": household.pk,
        "date": timezone.localdate().isoformat(),
        "people": 2,
        "topics": [],
        "materials": "Tờ rơi",
        "note": "",
        "photo": None,
        "recorded_at": timezone.now().isoformat(),
        **extra,
    }


def send(client, events, device="may-1", **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(
        "/api/v1/field/sync" + (f"?{query}" if query else ""),
        {"device_id": device, "events": events},
        content_type="application/json",
    )
