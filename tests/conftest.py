"""Shared fixtures: real communes onboarded from the 2025 list, users holding real roles."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from lantoa.tenancy import roles, services
from lantoa.tenancy.models import Hamlet, Household, Staff, Unit

# Two communes named "Xã Nam Cường" in different provinces (Thái Nguyên 2026, Hưng Yên 13057),
# and a second commune of Thái Nguyên for the provincial role.
CODE_A = 2026
CODE_B = 13057


def make_user(username: str, *role_codes: str, commune=None, province=None, password: str = "Mk-kiem-thu-57!"):
    user = get_user_model().objects.create_user(username=username, password=password)
    for role in role_codes:
        services.grant_role(user, role, commune=commune, province=province)
    return user


def populate(commune, tag: str) -> dict:
    """A unit, a staff member, a hamlet and two households in ``commune``, named with ``tag``."""
    unit = services.ensure_unit(commune, f"Phòng Thử nghiệm {tag}")
    staff = Staff.objects.create(commune=commune, unit=unit, full_name=f"Cán bộ {tag}", on_comms_duty=True)
    hamlet = Hamlet.objects.create(commune=commune, name=f"Thôn {tag}", households_baseline=2, residents_baseline=7)
    households = [
        Household.objects.create(
            commune=commune, hamlet=hamlet, code=f"{tag}-0001", members=3, head_name="Nguyễn Văn A", phone="0912345678"
        ),
        Household.objects.create(commune=commune, hamlet=hamlet, code=f"{tag}-0002", members=4),
    ]
    return {"unit": unit, "staff": staff, "hamlet": hamlet, "households": households}


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrated data (Wagtail's root page, locale, content types).

    A transactional test empties the database when it ends; without serialized rollback the next one would
    start without the rows the migrations created, and whether it passes would depend on test order.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False)


@pytest.fixture(autouse=True)
def vietnamese():
    """Each test starts in Vietnamese (a request that switched language must not leak into the next test)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def commune_a(db):
    return services.onboard_commune(CODE_A, default_site=True)


@pytest.fixture
def commune_b(db):
    return services.onboard_commune(CODE_B)


@pytest.fixture
def data_a(commune_a):
    return populate(commune_a, "AAA")


@pytest.fixture
def data_b(commune_b):
    return populate(commune_b, "ZQXSECRETB")


@pytest.fixture
def pvhcc_a(commune_a):
    return make_user("pvhcc_a", roles.PVHCC, commune=commune_a)


@pytest.fixture
def editor_a(commune_a):
    return make_user("editor_a", roles.EDITOR, commune=commune_a)


@pytest.fixture
def all_roles_a(commune_a):
    """The most powerful user a commune can have: every commune role of commune A."""
    return make_user("all_a", *roles.COMMUNE_ROLES, commune=commune_a)


@pytest.fixture
def unit_names():
    return lambda commune: set(Unit.objects.filter(commune=commune).values_list("name", flat=True))
